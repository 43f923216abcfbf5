"""While a server runs, committed SQLite pages reach the database file without a writer's help."""

import contextlib
import sqlite3
import time
from pathlib import Path

import sqlalchemy as sa

from postback.storage.base import open_database
from postback.storage.migrate import migrate
from postback.storage.schema import dedup_keys
from postback.storage.sqlite import sqlite_path

WAIT_SECONDS = 30


def _keys_in_database_file(path: Path) -> int:
    """Rows of dedup_keys in the main file alone, ignoring what is still only in the WAL."""
    connection = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return int(connection.execute("SELECT count(*) FROM dedup_keys").fetchone()[0])
    finally:
        connection.close()


def test_the_upkeep_checkpoints_commits_into_the_database_file(sqlite_url: str) -> None:
    database = open_database(sqlite_url)
    migrate(database)
    path = sqlite_path(sqlite_url)
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with database.writer.begin() as connection:
        connection.execute(
            sa.insert(dedup_keys).values(app="a", dialect="d", key="first", created_at_ms=0)
        )
    assert _keys_in_database_file(path) == 0, "a small commit stays in the WAL"
    with database.upkeep():
        deadline = time.monotonic() + WAIT_SECONDS
        while _keys_in_database_file(path) == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _keys_in_database_file(path) == 1
    database.dispose()
