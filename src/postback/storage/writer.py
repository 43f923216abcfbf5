"""Group commit: one thread writes whatever requests are waiting in one transaction, then answers.

There is no timer: while one commit runs, new requests queue up and form the next batch, so a
lone request is written at once and a busy worker writes large batches.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

from postback.model import Outcome, Reason, Rejection
from postback.storage.base import Database
from postback.storage.batch import WriteJob, write_batch

log = logging.getLogger(__name__)

# Told of each committed batch: every request's dialect and outcome, and the commit's seconds.
BatchObserver = Callable[[list[tuple[str, Outcome]], float], None]
INTERNAL_ERROR_MESSAGE = "internal error: nothing was stored, please retry"


class Writer(Protocol):
    """What the ingest edge writes through: this process's group commit, or the writer process."""

    def start(self) -> None: ...

    def stop(self) -> None: ...

    async def ready_to_parse(self) -> None: ...

    async def submit(self, job: WriteJob) -> Outcome: ...


@dataclass(slots=True)
class _Pending:
    job: WriteJob
    future: asyncio.Future[Outcome]
    loop: asyncio.AbstractEventLoop


class GroupCommitWriter:
    def __init__(
        self,
        database: Database,
        max_batch_size: int,
        observe: BatchObserver | None = None,
        pause_parsing: bool = False,
    ) -> None:
        self._database = database
        self._max_batch_size = max_batch_size
        self._observe = observe
        self._pause_parsing = pause_parsing
        self._queue: queue.SimpleQueue[_Pending | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="postback-writer", daemon=True)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._writing = False
        self._gate: asyncio.Future[None] | None = None

    def start(self) -> None:
        if self._pause_parsing:
            self._loop = asyncio.get_running_loop()
        self._thread.start()

    async def ready_to_parse(self) -> None:
        """Return once this process is not writing, when writes pause parsing.

        A write in this process is CPU work in a second thread: parsing requests meanwhile
        would take the GIL from it and slow the write, which every process waits for.
        """
        if not self._writing or asyncio.get_running_loop() is not self._loop:
            return
        if self._gate is None:
            self._gate = self._loop.create_future()
        await asyncio.shield(self._gate)

    @contextlib.contextmanager
    def _parsing_paused(self) -> Iterator[None]:
        loop = self._loop
        if loop is None:
            yield
            return
        self._writing = True
        try:
            yield
        finally:
            self._writing = False
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._open_gate)

    def _open_gate(self) -> None:
        gate, self._gate = self._gate, None
        if gate is not None and not gate.done():
            gate.set_result(None)

    def stop(self) -> None:
        """Write what is queued, then end the thread."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    async def submit(self, job: WriteJob) -> Outcome:
        """Queue the job; return its outcome once the batch holding it is committed."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Outcome] = loop.create_future()
        self._queue.put(_Pending(job, future, loop))
        return await future

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch, stopping = self._drain(first)
            self._answer(batch, self._write(batch))
            if stopping:
                return

    def _drain(self, first: _Pending) -> tuple[list[_Pending], bool]:
        batch = [first]
        while len(batch) < self._max_batch_size:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is None:
                return batch, True
            batch.append(item)
        return batch, False

    def _write(self, batch: list[_Pending]) -> list[Outcome]:
        jobs = [pending.job for pending in batch]
        return commit_jobs(self._database, jobs, self._observe, self._parsing_paused)

    @staticmethod
    def _answer(batch: list[_Pending], outcomes: list[Outcome]) -> None:
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[_Pending, Outcome]]] = {}
        for pending, outcome in zip(batch, outcomes, strict=True):
            by_loop.setdefault(pending.loop, []).append((pending, outcome))
        for loop, answers in by_loop.items():
            try:
                loop.call_soon_threadsafe(_resolve, answers)
            except RuntimeError:
                log.warning("event loop closed before %d answers were delivered", len(answers))


def commit_jobs(
    database: Database,
    jobs: list[WriteJob],
    observe: BatchObserver | None = None,
    while_locked: Callable[[], contextlib.AbstractContextManager[None]] = contextlib.nullcontext,
) -> list[Outcome]:
    """Write the jobs in one transaction; if that fails, one by one, so one bad job fails alone."""
    started = time.perf_counter()
    try:
        outcomes = write_batch(database, jobs, while_locked)
    except Exception:
        log.exception("group commit of %d requests failed; writing them one by one", len(jobs))
        outcomes = [_write_alone(database, job) for job in jobs]
    if observe is not None:
        recorded = [(job.dialect, outcome) for job, outcome in zip(jobs, outcomes, strict=True)]
        observe(recorded, time.perf_counter() - started)
    return outcomes


def _write_alone(database: Database, job: WriteJob) -> Outcome:
    try:
        return write_batch(database, [job])[0]
    except Exception:
        log.exception("request of dialect %s failed to write", job.dialect)
    failed = Rejection(
        reason=Reason.INTERNAL_ERROR, message=INTERNAL_ERROR_MESSAGE, app=job.result.app
    )
    recorded_failure = WriteJob(job.dialect, job.raw, job.received_at_ms, failed)
    try:
        return write_batch(database, [recorded_failure])[0]
    except Exception:
        log.exception("could not record the internal error either")
        return Outcome(reason=failed.reason, message=failed.message, app=failed.app)


def _resolve(answers: list[tuple[_Pending, Outcome]]) -> None:
    for pending, outcome in answers:
        if not pending.future.done():
            pending.future.set_result(outcome)
