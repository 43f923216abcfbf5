"""Apps' credentials, read from the database and kept in memory, refreshed now and then."""

from __future__ import annotations

import threading
import time
from typing import Any

import msgspec
import sqlalchemy as sa

from postback.dialects import CREDENTIALS
from postback.dialects._common import AppCredentials
from postback.storage.base import Database
from postback.storage.schema import app_credentials

MISS_REFRESH_INTERVAL_SECONDS = 1.0

Index = dict[tuple[str, str], AppCredentials[Any]]


class CredentialCache:
    """The CredentialLookup dialects use: (dialect, lookup key) → app and its credentials."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._index: Index = {}
        self._loaded_at = 0.0
        self._lock = threading.Lock()

    def find(self, dialect: str, lookup_key: str) -> AppCredentials[Any] | None:
        found = self._index.get((dialect, lookup_key))
        if found is None and time.monotonic() - self._loaded_at > MISS_REFRESH_INTERVAL_SECONDS:
            self.refresh()
            found = self._index.get((dialect, lookup_key))
        return found

    def refresh(self) -> None:
        with self._lock:
            self._loaded_at = time.monotonic()
            with self._database.reader.connect() as connection:
                rows = connection.execute(sa.select(app_credentials)).all()
            self._index = {
                (row.dialect, row.lookup_key): AppCredentials(
                    row.app, _decode(row.dialect, row.config)
                )
                for row in rows
                if row.dialect in CREDENTIALS
            }


def _decode(dialect: str, config: str) -> Any:
    return msgspec.json.decode(config, type=CREDENTIALS[dialect])
