"""The migrations build exactly the schema `schema.py` declares, and undo it, on both engines."""

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from postback.storage.base import open_database
from postback.storage.migrate import alembic_config, migrate
from postback.storage.schema import metadata


def test_migrated_schema_matches_the_declared_one(database_url: str) -> None:
    database = open_database(database_url)
    try:
        migrate(database)
        with database.reader.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), metadata)
        assert differences == []
    finally:
        database.dispose()


def test_every_migration_downgrades_to_an_empty_database(database_url: str) -> None:
    database = open_database(database_url)
    try:
        migrate(database)
        with database.reader.connect() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
            connection.commit()
            left = set(sa.inspect(connection).get_table_names()) - {"alembic_version"}
        assert left == set()
    finally:
        database.dispose()
