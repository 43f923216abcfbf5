"""Apply the config file's apps and affiliate network to the database, idempotently."""

from __future__ import annotations

import time

import msgspec
import sqlalchemy as sa

from postback.settings import Settings
from postback.storage.affiliate_provisioning import provision_affiliate
from postback.storage.base import Database
from postback.storage.schema import affiliate_network, app_credentials, apps

ENCODER = msgspec.json.Encoder()


class ProvisioningError(ValueError):
    """The configuration conflicts with what the database holds."""


def provision(database: Database, settings: Settings) -> None:
    """Make the database hold each configured app with exactly its configured dialects."""
    now_ms = int(time.time() * 1000)
    with database.writer.begin() as connection:
        for app in settings.apps:
            _upsert_app(connection, database, app.id, app.name, now_ms)
            connection.execute(app_credentials.delete().where(app_credentials.c.app == app.id))
            for dialect, credentials in app.dialects.items():
                _check_free(connection, app.id, dialect, credentials.lookup_key())
                connection.execute(
                    app_credentials.insert().values(
                        app=app.id,
                        dialect=dialect,
                        lookup_key=credentials.lookup_key(),
                        config=ENCODER.encode(credentials).decode(),
                    )
                )
        if settings.affiliate is not None:
            _store_affiliate_network(connection, database, settings)
            provision_affiliate(connection, settings.affiliate, now_ms)


def _upsert_app(
    connection: sa.Connection, database: Database, app_id: str, name: str, now_ms: int
) -> None:
    statement = database.insert(apps).values(id=app_id, name=name, created_at_ms=now_ms)
    connection.execute(statement.on_conflict_do_update(index_elements=["id"], set_={"name": name}))


def _check_free(connection: sa.Connection, app_id: str, dialect: str, lookup_key: str) -> None:
    owner = connection.execute(
        sa.select(app_credentials.c.app).where(
            app_credentials.c.dialect == dialect, app_credentials.c.lookup_key == lookup_key
        )
    ).scalar()
    if owner is not None and owner != app_id:
        raise ProvisioningError(f"app {app_id}: its {dialect} key is already used by app {owner}")


def _store_affiliate_network(
    connection: sa.Connection, database: Database, settings: Settings
) -> None:
    config = ENCODER.encode(settings.affiliate).decode()
    statement = database.insert(affiliate_network).values(id=1, config=config)
    connection.execute(
        statement.on_conflict_do_update(index_elements=["id"], set_={"config": config})
    )
