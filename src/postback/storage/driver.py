"""Hot statements of the write transaction: compiled once per engine, run on the driver's cursor.

Building and executing a SQLAlchemy statement costs tens of microseconds per call; the
group commit runs several per request. A `Prepared` statement is built once (from the
engine's INSERT, so ON CONFLICT works on both engines), compiled once per engine, and
executed with plain dicts on the transaction's own DBAPI connection. Where the driver binds
by position (sqlite3), each dict becomes a tuple in the statement's order: sqlite3 looks
each name up again for every value bound.
Values must already be what the driver takes: str, int, bool, bytes or None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import sqlalchemy as sa

from postback.storage.base import Database, Insert

Row = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Compiled:
    """A statement's SQL for one engine, and how a row of named values becomes its parameters."""

    sql: str
    parameters: Callable[[Row], Any]

    def many(self, rows: Iterable[Row]) -> Iterable[Any]:
        return map(self.parameters, rows)


class Prepared:
    """A statement built from the engine's INSERT; `columns` names an INSERT's bound values."""

    def __init__(
        self, build: Callable[[Insert], sa.Executable], columns: Sequence[str] = ()
    ) -> None:
        self._build = build
        self._columns = list(columns)
        self._compiled: dict[str, Compiled] = {}

    def compiled(self, database: Database) -> Compiled:
        dialect = database.writer.dialect
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            compiled = self._compiled[dialect.name] = self._compile(database, dialect)
        return compiled

    def _compile(self, database: Database, dialect: sa.Dialect) -> Compiled:
        statement: Any = self._build(database.insert)
        compiled = statement.compile(dialect=dialect, column_keys=self._columns or None)
        anonymous = [bind.key for bind in compiled.binds.values() if bind.unique]
        if anonymous:
            raise ValueError(f"every bound value must be named: {anonymous} in {compiled}")
        if not dialect.positional:
            return Compiled(compiled.string, _as_given)
        return Compiled(compiled.string, _in_order(compiled.positiontup or []))


def _as_given(row: Row) -> Row:
    return row


def _in_order(names: list[str]) -> Callable[[Row], tuple[Any, ...]]:
    if len(names) == 1:
        (name,) = names
        return lambda row: (row[name],)
    if not names:
        return lambda _: ()
    return itemgetter(*names)


def execute(
    connection: sa.Connection, database: Database, prepared: Prepared, row: Row
) -> list[tuple[Any, ...]]:
    """Run the statement with one row of values; return the rows it answers (SELECT, RETURNING)."""
    compiled = prepared.compiled(database)
    cursor = _cursor(connection)
    cursor.execute(compiled.sql, compiled.parameters(row))
    return [] if cursor.description is None else list(cursor.fetchall())


def execute_many(
    connection: sa.Connection, database: Database, prepared: Prepared, rows: Sequence[Row]
) -> None:
    """Run the statement once per row, in one driver call; nothing is returned."""
    if rows:
        compiled = prepared.compiled(database)
        _cursor(connection).executemany(compiled.sql, compiled.many(rows))


def insert_returning_ids(
    connection: sa.Connection, database: Database, prepared: Prepared, rows: Sequence[Row]
) -> list[int]:
    """Run an INSERT … RETURNING id once per row; the ids, in the rows' order.

    sqlite3's executemany answers no rows, but its statements cost no round trip;
    psycopg sends the rows in one pipeline.
    """
    cursor = _cursor(connection)
    compiled = prepared.compiled(database)
    if database.engine_name == "sqlite":
        ids = []
        for parameters in compiled.many(rows):
            cursor.execute(compiled.sql, parameters)
            ids.append(int(cursor.fetchone()[0]))
        return ids
    if not rows:
        return []
    cursor.executemany(compiled.sql, compiled.many(rows), returning=True)
    ids = [int(cursor.fetchone()[0])]
    while cursor.nextset():
        ids.append(int(cursor.fetchone()[0]))
    return ids


def insert_into(
    table: sa.Table, returning: str | None = None, skip_existing: bool = False
) -> Prepared:
    """An INSERT naming every column but those the database numbers.

    `returning` names a column to answer; `skip_existing` inserts nothing (and answers no row)
    when a row with the same key exists.
    """
    columns = [column for column in table.columns if column.autoincrement is not True]

    def build(insert: Insert) -> Any:
        statement = insert(table)
        if skip_existing:
            statement = statement.on_conflict_do_nothing()
        return statement if returning is None else statement.returning(table.c[returning])

    return Prepared(build, [column.name for column in columns])


def add_counts(table: sa.Table, key: Sequence[str], counters: Sequence[str]) -> Prepared:
    """An upsert that adds the row's counters to those of the row with the same key."""

    def build(insert: Insert) -> Any:
        statement = insert(table)
        return statement.on_conflict_do_update(
            index_elements=list(key),
            set_={name: table.c[name] + statement.excluded[name] for name in counters},
        )

    return Prepared(build, [*key, *counters])


def _cursor(connection: sa.Connection) -> Any:
    return connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
