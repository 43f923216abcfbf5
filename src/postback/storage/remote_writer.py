"""A worker's side of the writer process: jobs go out over its socket, outcomes come back.

While the writer process cannot be reached (it is starting again after it died), the worker
writes for itself (`local`, a `GroupCommitWriter`): slower, but every rule and every commit
the same. It tries the socket again at most once every RECONNECT_EVERY_SECONDS.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from typing import cast

from postback.model import Outcome, Reason
from postback.storage.batch import WriteJob
from postback.storage.write_wire import ANSWER_DECODER, JobFrame, frame, split_frames
from postback.storage.writer import GroupCommitWriter

log = logging.getLogger(__name__)

WRITER_LOST_MESSAGE = "internal error: the write was not confirmed, please retry"
RECONNECT_EVERY_SECONDS = 1.0


class RemoteWriter:
    def __init__(self, socket_path: str, local: GroupCommitWriter) -> None:
        self._socket_path = socket_path
        self._local = local
        self._transport: asyncio.Transport | None = None
        self._connecting: asyncio.Task[None] | None = None
        self._next_attempt = 0.0
        self._writing_locally = False
        self._waiting: dict[int, asyncio.Future[Outcome]] = {}
        self._tickets = itertools.count()

    def start(self) -> None:
        self._local.start()
        self._connect_if_due()

    def stop(self) -> None:
        if self._connecting is not None:
            self._connecting.cancel()
        transport, self._transport = self._transport, None
        if transport is not None:
            transport.close()
        self._local.stop()

    async def ready_to_parse(self) -> None:
        await self._local.ready_to_parse()

    async def submit(self, job: WriteJob) -> Outcome:
        """Send the job; return its outcome once the writer process has committed it."""
        if self._transport is None:
            self._connect_if_due()
            if self._connecting is not None and not self._connecting.done():
                await asyncio.shield(self._connecting)
        if self._transport is None:
            return await self._local.submit(job)
        ticket = next(self._tickets)
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        self._waiting[ticket] = future
        self._transport.write(frame(JobFrame.of(ticket, job)))
        return await future

    def _connect_if_due(self) -> None:
        loop = asyncio.get_running_loop()
        if self._connecting is not None and not self._connecting.done():
            return
        if loop.time() >= self._next_attempt:
            self._next_attempt = loop.time() + RECONNECT_EVERY_SECONDS
            self._connecting = loop.create_task(self._connect())

    async def _connect(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            await loop.create_unix_connection(lambda: _Answers(self), self._socket_path)
        except OSError as error:
            if not self._writing_locally:
                log.error(
                    "cannot reach the writer process (%s); this worker writes for itself", error
                )
            self._writing_locally = True

    def _connection_made(self, transport: asyncio.Transport) -> None:
        self._transport = transport
        if self._writing_locally:
            log.warning("reached the writer process again; it writes for this worker")
        self._writing_locally = False

    def _answered(self, ticket: int, outcome: Outcome) -> None:
        future = self._waiting.pop(ticket, None)
        if future is not None and not future.done():
            future.set_result(outcome)

    def _connection_lost(self) -> None:
        if self._transport is not None:
            log.error("lost the writer process; this worker writes for itself until it is back")
            self._writing_locally = True
        self._transport = None
        waiting, self._waiting = self._waiting, {}
        for future in waiting.values():
            if not future.done():
                future.set_result(
                    Outcome(reason=Reason.INTERNAL_ERROR, message=WRITER_LOST_MESSAGE)
                )


class _Answers(asyncio.Protocol):
    def __init__(self, writer: RemoteWriter) -> None:
        self._writer = writer
        self._buffer = bytearray()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._writer._connection_made(cast(asyncio.Transport, transport))  # uvloop's, too

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        for body in split_frames(self._buffer):
            answer = ANSWER_DECODER.decode(body)
            self._writer._answered(answer.ticket, answer.outcome)

    def connection_lost(self, exc: Exception | None) -> None:
        self._writer._connection_lost()
