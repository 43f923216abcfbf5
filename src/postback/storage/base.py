"""The storage interface: one database, opened on either engine, written through one writer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import sqlalchemy as sa


class Insert(Protocol):
    """The engine's INSERT construct, which knows ON CONFLICT."""

    def __call__(self, table: sa.Table) -> Any: ...


@dataclass(frozen=True)
class Database:
    """A writer engine (serialised writes), a reader engine, and the engine's INSERT."""

    url: str
    writer: sa.Engine
    reader: sa.Engine
    insert: Insert

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
