"""SQLite: a file under the data directory, WAL, one writer transaction at a time."""

from __future__ import annotations

import fcntl
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert

from postback.storage.base import Database

BUSY_TIMEOUT_MS = 30_000
CHECKPOINT_EVERY_SECONDS = 0.1
# SQLite's own checkpoint, run inside a committing writer, stays as a safety net for when no
# checkpointer runs (command-line tools) or it falls behind.
AUTOCHECKPOINT_PAGES = 8192


def sqlite_path(url: str) -> Path:
    return Path(sa.make_url(url).database or "")


def open_sqlite(url: str, synchronous: str) -> Database:
    path = sqlite_path(url)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = _engine(url, synchronous, begin="BEGIN IMMEDIATE")
    reader = _engine(url, synchronous, begin="BEGIN")
    lock = ProcessWriteLock(path.with_name(path.name + ".write-lock"))
    return Database(
        url=url,
        writer=writer,
        reader=reader,
        insert=insert,
        write_lock=lock.held,
        upkeep=lambda: checkpointing(path),
        writes_in_process=True,
    )


class ProcessWriteLock:
    """An exclusive lock shared by every process (and thread) writing one database file."""

    def __init__(self, path: Path) -> None:
        self._path = path

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._path.open("a") as file:
            fcntl.flock(file, fcntl.LOCK_EX)
            yield


@contextmanager
def checkpointing(path: Path) -> Iterator[None]:
    """While held, a thread copies committed WAL pages into the database file.

    Writers then commit without paying for checkpoints: a passive checkpoint takes no lock
    writers wait for, and its I/O and fsync run without the GIL.
    """
    stopping = threading.Event()

    def run() -> None:
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            while not stopping.wait(CHECKPOINT_EVERY_SECONDS):
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally:
            connection.close()

    thread = threading.Thread(target=run, name="postback-checkpoint", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stopping.set()
        thread.join()


def _engine(url: str, synchronous: str, begin: str) -> sa.Engine:
    engine = sa.create_engine(
        sa.make_url(url).set(drivername="sqlite+pysqlite"),
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        pool_size=4,
        max_overflow=8,
        poolclass=sa.QueuePool,
    )

    @sa.event.listens_for(engine, "connect")
    def _configure(connection: sqlite3.Connection, _record: Any) -> None:
        connection.isolation_level = None
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(f"PRAGMA synchronous={synchronous.upper()}")
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        connection.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        connection.connection.driver_connection.execute(begin)  # type: ignore[union-attr]

    return engine
