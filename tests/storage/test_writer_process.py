"""The writer process: killed, it is started again, later each time it keeps ending."""

import logging
import multiprocessing
import os
import signal
import socket
import time

import pytest

from postback.model import Outcome, RawRequest, Reason, Rejection
from postback.storage.base import open_database
from postback.storage.batch import WriteJob
from postback.storage.migrate import migrate
from postback.storage.queries import OutcomeFilter, find_outcomes
from postback.storage.write_service import WriterOptions, writer_process
from postback.storage.write_wire import ANSWER_DECODER, JobFrame, frame, split_frames
from postback.web.metrics import batch_observer

pytestmark = pytest.mark.slow

JOB = WriteJob(
    dialect="appsflyer_web",
    raw=RawRequest(
        method="POST",
        path="/v1/com.gems/event",
        query="",
        headers={"content-type": "application/json"},
        body=b"{",
        body_truncated=False,
        client_ip="127.0.0.1",
    ),
    received_at_ms=1_700_000_000_000,
    result=Rejection(reason=Reason.INVALID, message="body is not JSON"),
)


def test_a_killed_writer_process_is_started_again_later_each_time_it_keeps_ending(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    database = open_database(sqlite_url)
    migrate(database)
    options = WriterOptions(sqlite_url, "normal", 64, "warning", batch_observer)
    caplog.set_level(logging.ERROR, logger="postback.storage.write_service")
    with writer_process(options) as path:
        assert path is not None
        killed: set[int] = set()
        for _ in range(3):
            writer = _serving(path, killed)
            os.kill(writer, signal.SIGKILL)
            killed.add(writer)
        _serving(path, killed)
        answer = _write_through(path, JOB)
    restarts = [record.args for record in caplog.records if "ended" in record.getMessage()]
    assert restarts == [(-signal.SIGKILL, 0.5), (-signal.SIGKILL, 1.0), (-signal.SIGKILL, 2.0)]
    assert answer.reason == Reason.INVALID
    (stored,) = find_outcomes(database, OutcomeFilter()).outcomes
    assert (stored.id, stored.reason, stored.raw.body) == (answer.outcome_id, "invalid", "{")
    database.dispose()


def _serving(path: str, killed: set[int]) -> int:
    """The writer process serving the socket, once one other than those killed does."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        writers = [
            process.pid
            for process in multiprocessing.active_children()
            if process.name == "postback-writer" and process.pid not in killed
        ]
        if writers and writers[0] is not None and _accepts(path):
            return writers[0]
        time.sleep(0.05)
    raise AssertionError("no writer process served the socket within 60 s")


def _accepts(path: str) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        try:
            client.connect(path)
        except OSError:
            return False
    return True


def _write_through(path: str, job: WriteJob) -> Outcome:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(30)
        client.connect(path)
        client.sendall(frame(JobFrame.of(7, job)))
        buffer = bytearray()
        while not (frames := split_frames(buffer)):
            buffer += client.recv(1 << 16)
    answer = ANSWER_DECODER.decode(frames[0])
    assert answer.ticket == 7
    return answer.outcome
