"""The writer process: with several workers on one SQLite file, one process writes for all.

SQLite takes one writer at a time. When each worker writes for itself, the workers hand the
write lock back and forth, and each one re-reads the pages the other changed. Instead, the
workers send their jobs here over a Unix socket (`RemoteWriter`); this process commits them
in batches, as `GroupCommitWriter` does in a worker, and answers each job once committed.
"""

from __future__ import annotations

import logging
import multiprocessing
import selectors
import signal
import socket
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import msgspec

from postback.heap import freeze_start_up_objects
from postback.logs import configure_logging
from postback.storage.base import Database, open_database
from postback.storage.batch import WriteJob
from postback.storage.write_wire import (
    JOB_DECODER,
    AnswerFrame,
    frame,
    split_frames,
)
from postback.storage.writer import BatchObserver, commit_jobs

log = logging.getLogger(__name__)

READY_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 10.0
WATCH_EVERY_SECONDS = 0.2
FIRST_RESTART_DELAY_SECONDS = 0.5
LAST_RESTART_DELAY_SECONDS = 30.0
# A writer process that served this long before it ended is restarted after the first delay.
STABLE_AFTER_SECONDS = 60.0
SEND_TIMEOUT_SECONDS = 10.0
# Below malloc's mmap threshold: a larger read buffer costs an mmap and munmap per read.
RECEIVE_BYTES = 1 << 16


@dataclass(frozen=True)
class WriterOptions:
    database_url: str
    sqlite_synchronous: str
    max_batch_size: int
    log_level: str
    # Made in the writer process (a module-level function, so it can be sent there).
    observer: Callable[[], BatchObserver]


@contextmanager
def writer_process(options: WriterOptions) -> Iterator[str | None]:
    """While held, a writer process serves the Unix socket whose path is yielded.

    None is yielded if it could not start: the workers then write for themselves. If it dies,
    another is started on the same socket, and the workers connect to it again. The process
    stops when this ends (or when this process dies): the end of a pipe tells it, not a
    signal, so a signal sent to the whole process group leaves it to the workers' last requests.
    """
    with tempfile.TemporaryDirectory(prefix="postback-writer-") as directory:
        supervisor = _Supervisor(options, str(Path(directory) / "writes.sock"))
        if not supervisor.start():
            supervisor.stop()
            yield None
            return
        watching = threading.Thread(target=supervisor.watch, name="postback-writer-watch")
        watching.start()
        try:
            yield supervisor.path
        finally:
            supervisor.stopping.set()
            watching.join()


class _Supervisor:
    """Starts the writer process, and starts another whenever it dies, until told to stop."""

    def __init__(self, options: WriterOptions, path: str) -> None:
        self.path = path
        self.stopping = threading.Event()
        self._options = options
        self._context = multiprocessing.get_context("spawn")
        self._process: BaseProcess | None = None
        self._held: Connection | None = None

    def start(self) -> bool:
        """Start a writer process; whether it is ready to serve."""
        Path(self.path).unlink(missing_ok=True)
        ready = self._context.Event()
        until, self._held = self._context.Pipe(duplex=False)
        self._process = self._context.Process(
            target=serve_writes,
            args=(self._options, self.path, ready, until),
            name="postback-writer",
        )
        self._process.start()
        until.close()
        return _started(self._process, ready)

    def watch(self) -> None:
        """Until stopping, start a new writer process each time the last one ends.

        The delay before a restart doubles while each new process ends soon after it started.
        """
        delay = FIRST_RESTART_DELAY_SECONDS
        while True:
            started_at = time.monotonic()
            while not self.stopping.wait(WATCH_EVERY_SECONDS) and self._is_alive():
                pass
            self.stop()
            if self.stopping.is_set():
                return
            if time.monotonic() - started_at >= STABLE_AFTER_SECONDS:
                delay = FIRST_RESTART_DELAY_SECONDS
            log.error(
                "the writer process ended (exit code %s); starting another in %.1f s",
                self._exit_code(),
                delay,
            )
            if self.stopping.wait(delay):
                return
            self.start()
            delay = min(delay * 2, LAST_RESTART_DELAY_SECONDS)

    def stop(self) -> None:
        if self._held is not None:
            self._held.close()
        if self._process is not None:
            self._process.join(STOP_TIMEOUT_SECONDS)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()

    def _is_alive(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def _exit_code(self) -> int | None:
        return None if self._process is None else self._process.exitcode


def _started(process: BaseProcess, ready: Any) -> bool:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while process.is_alive() and time.monotonic() < deadline:
        if ready.wait(0.05):
            return True
    log.error("the writer process did not start; each worker writes for itself")
    return False


def serve_writes(options: WriterOptions, path: str, ready: Any, until: Connection) -> None:
    """The writer process: serve the socket until the other end of `until` closes."""
    configure_logging(options.log_level)
    for name in (signal.SIGINT, signal.SIGTERM):
        signal.signal(name, signal.SIG_IGN)
    loop = _WriteLoop(
        open_database(options.database_url, options.sqlite_synchronous),
        options.max_batch_size,
        options.observer(),
    )
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind(path)
        listener.listen()
        ready.set()
        freeze_start_up_objects()
        loop.run(listener, until)


class _WriteLoop:
    def __init__(self, database: Database, max_batch_size: int, observe: BatchObserver) -> None:
        self._database = database
        self._max_batch_size = max_batch_size
        self._observe = observe
        self._selector = selectors.DefaultSelector()
        self._buffers: dict[socket.socket, bytearray] = {}
        self._queued: deque[tuple[socket.socket, int, WriteJob]] = deque()
        self._stopping = False

    def run(self, listener: socket.socket, until: Connection) -> None:
        self._selector.register(listener, selectors.EVENT_READ)
        self._selector.register(until, selectors.EVENT_READ)
        try:
            while self._queued or not self._stopping:
                self._receive(listener, until, timeout=0 if self._queued else None)
                if self._queued:
                    self._commit_next_batch()
        finally:
            for connection in list(self._buffers):
                self._drop(connection)
            self._database.dispose()

    def _receive(self, listener: socket.socket, until: Connection, timeout: float | None) -> None:
        for key, _ in self._selector.select(timeout):
            if key.fileobj is until:
                self._stopping = True
                self._selector.unregister(until)
            elif key.fileobj is listener:
                connection, _ = listener.accept()
                connection.settimeout(SEND_TIMEOUT_SECONDS)
                self._buffers[connection] = bytearray()
                self._selector.register(connection, selectors.EVENT_READ)
            else:
                self._read(key.fileobj)  # type: ignore[arg-type]

    def _read(self, connection: socket.socket) -> None:
        try:
            data = connection.recv(RECEIVE_BYTES)
        except OSError:
            data = b""
        if not data:
            self._drop(connection)
            return
        buffer = self._buffers[connection]
        buffer += data
        try:
            received = [JOB_DECODER.decode(body) for body in split_frames(buffer)]
            jobs = [(connection, job.ticket, job.job()) for job in received]
        except (msgspec.DecodeError, ValueError):
            log.exception("a worker sent a frame that is not a job; disconnecting it")
            self._drop(connection)
            return
        self._queued.extend(jobs)

    def _commit_next_batch(self) -> None:
        count = min(len(self._queued), self._max_batch_size)
        batch = [self._queued.popleft() for _ in range(count)]
        outcomes = commit_jobs(self._database, [job for _, _, job in batch], self._observe)
        answers: dict[socket.socket, list[bytes]] = {}
        for (connection, ticket, _), outcome in zip(batch, outcomes, strict=True):
            answers.setdefault(connection, []).append(frame(AnswerFrame(ticket, outcome)))
        for connection, frames in answers.items():
            try:
                connection.sendall(b"".join(frames))
            except OSError:
                log.warning("a worker left before %d answers were sent", len(frames))
                self._drop(connection)

    def _drop(self, connection: socket.socket) -> None:
        if self._buffers.pop(connection, None) is not None:
            self._selector.unregister(connection)
            connection.close()
