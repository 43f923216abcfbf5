"""Hot statements of the write transaction: compiled once per engine, run on the driver's cursor.

Building and executing a SQLAlchemy statement costs tens of microseconds per call; the
group commit runs several per request. A `Prepared` statement is built once (from the
engine's INSERT, so ON CONFLICT works on both engines), compiled once per engine with named
parameters, and executed with plain dicts on the transaction's own DBAPI connection.
Values must already be what the driver takes: str, int, bool, bytes or None.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from postback.storage.base import Database, Insert

Row = Mapping[str, Any]


class Prepared:
    """A statement built from the engine's INSERT; `columns` names an INSERT's bound values."""

    def __init__(
        self, build: Callable[[Insert], sa.Executable], columns: Sequence[str] = ()
    ) -> None:
        self._build = build
        self._columns = list(columns)
        self._sql: dict[str, str] = {}

    def sql(self, database: Database) -> str:
        dialect = database.writer.dialect
        sql = self._sql.get(dialect.name)
        if sql is None:
            named = _named(dialect)
            statement: Any = self._build(database.insert)
            compiled = statement.compile(dialect=named, column_keys=self._columns or None)
            anonymous = [bind.key for bind in compiled.binds.values() if bind.unique]
            if anonymous:
                raise ValueError(f"every bound value must be named: {anonymous} in {compiled}")
            sql = self._sql[dialect.name] = compiled.string
        return sql


def execute(
    connection: sa.Connection, database: Database, prepared: Prepared, row: Row
) -> list[tuple[Any, ...]]:
    """Run the statement with one row of values; return the rows it answers (SELECT, RETURNING)."""
    cursor = _cursor(connection)
    cursor.execute(prepared.sql(database), row)
    return [] if cursor.description is None else list(cursor.fetchall())


def execute_many(
    connection: sa.Connection, database: Database, prepared: Prepared, rows: Sequence[Row]
) -> None:
    """Run the statement once per row, in one driver call; nothing is returned."""
    if rows:
        _cursor(connection).executemany(prepared.sql(database), rows)


def insert_returning_ids(
    connection: sa.Connection, database: Database, prepared: Prepared, rows: Sequence[Row]
) -> list[int]:
    """Run an INSERT … RETURNING id once per row; the ids, in the rows' order.

    sqlite3's executemany answers no rows, but its statements cost no round trip;
    psycopg sends the rows in one pipeline.
    """
    cursor = _cursor(connection)
    sql = prepared.sql(database)
    if database.engine_name == "sqlite":
        ids = []
        for row in rows:
            cursor.execute(sql, row)
            ids.append(int(cursor.fetchone()[0]))
        return ids
    if not rows:
        return []
    cursor.executemany(sql, rows, returning=True)
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


def _named(dialect: sa.Dialect) -> sa.Dialect:
    """The engine's dialect with named parameters, so every statement binds a dict."""
    if not dialect.positional:
        return dialect
    with_names: Any = type(dialect)
    named: sa.Dialect = with_names(paramstyle="named")
    return named


def _cursor(connection: sa.Connection) -> Any:
    return connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
