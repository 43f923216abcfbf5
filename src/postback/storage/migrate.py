"""Schema migrations with Alembic, run at start-up; safe when several processes start at once."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from postback.storage.base import Database
from postback.storage.sqlite import sqlite_path

MIGRATIONS = Path(__file__).parent / "migrations"
POSTGRES_LOCK_ID = 0x706F73746261636B  # "postback"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: sa.Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def migrate(database: Database) -> None:
    """Bring the schema to the newest revision, one process at a time."""
    with _exclusive(database) as connection:
        if current_revision(connection) == head_revision():
            return
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()


@contextmanager
def _exclusive(database: Database) -> Iterator[sa.Connection]:
    if database.engine_name == "sqlite":
        path = sqlite_path(database.url)
        lock_path = path.with_name(path.name + ".migrate-lock")
        with lock_path.open("a") as lock, database.reader.connect() as connection:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield connection
        return
    with database.reader.connect() as connection:
        connection.execute(sa.text("SELECT pg_advisory_lock(:id)"), {"id": POSTGRES_LOCK_ID})
        connection.commit()
        try:
            yield connection
        finally:
            connection.rollback()
            connection.execute(sa.text("SELECT pg_advisory_unlock(:id)"), {"id": POSTGRES_LOCK_ID})
            connection.commit()
