"""On SQLite, a worker's event loop defers parsing while its writer is writing."""

import asyncio
import contextlib
import sqlite3
import time

from postback.model import Reason
from postback.storage.base import Database, open_database
from postback.storage.migrate import migrate
from postback.storage.sqlite import sqlite_path
from postback.storage.writer import GroupCommitWriter
from support.jobs import event, job

WAIT_SECONDS = 30


async def _until_parsing_waits(writer: GroupCommitWriter) -> asyncio.Future[None]:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        parsing = asyncio.ensure_future(writer.ready_to_parse())
        await asyncio.sleep(0.01)
        if not parsing.done():
            return parsing
    raise AssertionError("parsing was never deferred")


async def _write_while_another_connection_writes(database: Database) -> list[str]:
    writer = GroupCommitWriter(database, max_batch_size=8, pause_parsing=True)
    writer.start()
    other = sqlite3.connect(sqlite_path(database.url), isolation_level=None)
    happened = []
    try:
        other.execute("BEGIN IMMEDIATE")  # the writer's transaction waits for this one
        writing = asyncio.ensure_future(writer.submit(job(event("a"))))
        parsing = await _until_parsing_waits(writer)
        happened.append(f"parsing deferred, write pending: {not writing.done()}")
        other.execute("ROLLBACK")
        outcome = await asyncio.wait_for(writing, WAIT_SECONDS)
        await asyncio.wait_for(parsing, WAIT_SECONDS)
        happened.append(f"written ({outcome.reason.value}), then parsing resumed")
        await asyncio.wait_for(writer.ready_to_parse(), WAIT_SECONDS)
    finally:
        with contextlib.suppress(sqlite3.Error):
            other.execute("ROLLBACK")
        other.close()
        writer.stop()
    return happened


def test_parsing_waits_while_this_process_writes(sqlite_url: str) -> None:
    database = open_database(sqlite_url)
    migrate(database)
    try:
        assert database.writes_in_process
        assert asyncio.run(_write_while_another_connection_writes(database)) == [
            "parsing deferred, write pending: True",
            f"written ({Reason.ACCEPTED.value}), then parsing resumed",
        ]
    finally:
        database.dispose()
