"""The storage interface: one database, opened on either engine, written through one writer."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

import sqlalchemy as sa


class Insert(Protocol):
    """The engine's INSERT construct, which knows ON CONFLICT."""

    def __call__(self, table: sa.Table) -> Any: ...


@dataclass(frozen=True)
class Database:
    """A writer engine (serialised writes), a reader engine, and the engine's INSERT.

    `write_lock` is held around each group commit: on SQLite it hands the single write lock
    from process to process at once, where SQLite's own busy handler would sleep and retry.
    `upkeep` is held while a server runs: on SQLite it checkpoints the WAL in the background.
    `writes_in_process`: a write is CPU work in this process (SQLite), not a wait on a server.
    """

    url: str
    writer: sa.Engine
    reader: sa.Engine
    insert: Insert
    write_lock: Callable[[], AbstractContextManager[None]] = field(default=contextlib.nullcontext)
    upkeep: Callable[[], AbstractContextManager[None]] = field(default=contextlib.nullcontext)
    writes_in_process: bool = False

    @property
    def engine_name(self) -> str:
        return self.writer.dialect.name

    def dispose(self) -> None:
        self.writer.dispose()
        self.reader.dispose()


def open_database(url: str, sqlite_synchronous: str = "normal") -> Database:
    """Open `sqlite:///…` or `postgresql://…`; the schema is migrated separately."""
    if url.startswith("sqlite:"):
        from postback.storage.sqlite import open_sqlite

        return open_sqlite(url, sqlite_synchronous)
    from postback.storage.postgres import open_postgres

    return open_postgres(url)
