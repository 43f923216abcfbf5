"""Every hot statement compiles on both engines and binds only named values (a row's keys)."""

import importlib
import pkgutil

import pytest
import sqlalchemy as sa

import postback.storage
from postback.storage.base import Insert, open_database
from postback.storage.driver import Prepared
from postback.storage.postgres import open_postgres
from postback.storage.schema import rate_windows


def _prepared_statements() -> list[tuple[str, Prepared]]:
    found = []
    for module_info in pkgutil.iter_modules(postback.storage.__path__):
        module = importlib.import_module(f"postback.storage.{module_info.name}")
        for name, value in vars(module).items():
            if isinstance(value, Prepared):
                found.append((f"{module_info.name}.{name}", value))
    return found


PREPARED = _prepared_statements()


def test_the_hot_path_statements_are_found() -> None:
    names = {name for name, _ in PREPARED}
    assert {"rules.CLAIM_DEDUP_KEY", "batch.INSERT_EVENT", "orders.UPDATE_STATE"} <= names


@pytest.mark.parametrize(("name", "prepared"), PREPARED, ids=[name for name, _ in PREPARED])
def test_statement_compiles_with_named_values_on_both_engines(
    name: str, prepared: Prepared, sqlite_url: str
) -> None:
    sqlite = open_database(sqlite_url)
    postgres = open_postgres("postgresql://postback@127.0.0.1:9/unused")  # never connected
    try:
        for database in (sqlite, postgres):
            assert prepared.compiled(database).sql.split()[0] in {"INSERT", "SELECT", "UPDATE"}
    finally:
        sqlite.dispose()
        postgres.dispose()


def test_a_statement_with_an_unnamed_value_is_refused(sqlite_url: str) -> None:
    def build(_: Insert) -> sa.Executable:
        return rate_windows.update().values(requests=rate_windows.c.requests + 1)

    database = open_database(sqlite_url)
    try:
        with pytest.raises(ValueError, match="must be named"):
            Prepared(build).compiled(database)
    finally:
        database.dispose()
