"""Everything a running app holds, built from the settings and started by the lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
from dataclasses import dataclass, field

from postback.dialects._common import Clock, DialectEnv
from postback.heap import freeze_start_up_objects
from postback.pipeline import Pipeline
from postback.settings import Settings
from postback.storage.affiliate_cache import AffiliateCache
from postback.storage.base import Database, open_database
from postback.storage.credentials import CredentialCache
from postback.storage.migrate import migrate
from postback.storage.provisioning import provision
from postback.storage.remote_writer import RemoteWriter
from postback.storage.writer import GroupCommitWriter, Writer
from postback.web.metrics import Metrics

log = logging.getLogger(__name__)

# Set by `postback serve` for its workers when a writer process writes for them all.
WRITER_SOCKET_ENV = "POSTBACK_WRITER_SOCKET"


@dataclass
class Services:
    settings: Settings
    clock: Clock
    metrics: Metrics = field(default_factory=Metrics)
    database: Database = field(init=False)
    credentials: CredentialCache = field(init=False)
    affiliate: AffiliateCache = field(init=False)
    writer: Writer = field(init=False)
    pipeline: Pipeline = field(init=False)
    env: DialectEnv = field(init=False)
    _refresher: asyncio.Task[None] | None = None
    _refreshing: threading.Lock = field(default_factory=threading.Lock)
    _upkeep: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)
    _stopped: bool = False

    def start(self) -> None:
        server = self.settings.server
        self.database = open_database(server.database_url, server.sqlite_synchronous)
        migrate(self.database)
        self._upkeep.enter_context(self.database.upkeep())
        provision(self.database, self.settings)
        self.credentials = CredentialCache(self.database)
        self.credentials.refresh()
        self.affiliate = AffiliateCache(self.database)
        self.affiliate.refresh()
        self.pipeline = Pipeline(server.reporting_currency)
        self.env = DialectEnv(
            credentials=self.credentials, clock=self.clock, affiliate=self.affiliate
        )
        local = GroupCommitWriter(
            self.database,
            server.max_batch_size,
            self.metrics.observe_batch,
            pause_parsing=self.database.writes_in_process,
        )
        writer_socket = os.environ.get(WRITER_SOCKET_ENV)
        self.writer = RemoteWriter(writer_socket, local) if writer_socket else local
        self.writer.start()
        self._refresher = asyncio.get_running_loop().create_task(self._refresh_credentials())
        freeze_start_up_objects()

    def stop(self) -> None:
        if self._refresher is not None:
            self._refresher.cancel()
        with self._refreshing:
            self._stopped = True
        self.writer.stop()
        self._upkeep.close()
        self.database.dispose()

    async def _refresh_credentials(self) -> None:
        while True:
            await asyncio.sleep(self.settings.server.credentials_refresh_seconds)
            await asyncio.to_thread(self._refresh_caches)

    def _refresh_caches(self) -> None:
        """Reload what the admin API or another node changed; never after `stop`."""
        with self._refreshing:
            if self._stopped:
                return
            for cache in (self.credentials, self.affiliate):
                try:
                    cache.refresh()
                except Exception:
                    log.warning("could not refresh %s", type(cache).__name__, exc_info=True)
