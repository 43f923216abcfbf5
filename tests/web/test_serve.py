"""`postback serve` as a user runs it: several workers on one database, and a killed process."""

import asyncio
import itertools
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from support.config import ADMIN_TOKEN, APPSFLYER_BUNDLE, APPSFLYER_KEY
from support.postgres import free_port

pytestmark = pytest.mark.slow

CONFIG = f"""
[server]
admin_token = "{ADMIN_TOKEN}"

[[apps]]
id = "gems"
name = "Bag of Gems"
[apps.appsflyer_web]
bundle_id = "{APPSFLYER_BUNDLE}"
web_dev_key = "{APPSFLYER_KEY}"
"""


@contextmanager
def serving(
    tmp_path: Path, database_url: str, workers: int, temp_dir: Path | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`postback serve`, with its own TMPDIR: what a killed server leaves there goes with it."""
    with tempfile.TemporaryDirectory(prefix="pb-") as own_temp_dir:
        config = tmp_path / "postback.toml"
        config.write_text(CONFIG)
        port = free_port()
        environ = {
            **os.environ,
            "POSTBACK_DATABASE_URL": database_url,
            "POSTBACK_LOG_LEVEL": "warning",
            "TMPDIR": str(temp_dir or own_temp_dir),
        }
        command = [sys.executable, "-m", "postback", "serve", "--config", str(config)]
        command += ["--port", str(port), "--workers", str(workers)]
        process = subprocess.Popen(command, env=environ, start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(url, process)
            yield url, process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)


def _wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "postback serve exited"
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError("postback serve did not become ready")


async def _send(url: str, user_ids: list[str], acknowledged: list[str]) -> None:
    """Post one event per user, 64 at a time; note the users whose event was acknowledged.

    At most 64 requests wait for the client's 64 connections: with hundreds waiting, httpx's
    pool slows down until requests time out on the client's side.
    """
    limits = httpx.Limits(max_connections=64)
    at_once = asyncio.Semaphore(64)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:

        async def one(user: str) -> None:
            payload = {"webDevKey": APPSFLYER_KEY, "eventType": "EVENT", "eventName": "visit"}
            try:
                async with at_once:
                    answer = await client.post(
                        f"/v1/{APPSFLYER_BUNDLE}/event", json={**payload, "customerUserId": user}
                    )
            except httpx.TransportError:
                return
            if answer.status_code == 200:
                acknowledged.append(user)

        await asyncio.gather(*(one(user) for user in user_ids))


def test_workers_write_for_themselves_when_the_writer_process_cannot_start(
    tmp_path: Path, sqlite_url: str
) -> None:
    too_long_for_a_socket = tmp_path / ("t" * 110)
    too_long_for_a_socket.mkdir()
    with serving(tmp_path, sqlite_url, workers=2, temp_dir=too_long_for_a_socket) as (url, process):
        users = [f"user-{n}" for n in range(100)]
        acknowledged: list[str] = []
        asyncio.run(_send(url, users, acknowledged))
        assert sorted(acknowledged) == sorted(users)
        assert sorted(_stored_users(url)) == sorted(users)
        assert len(_spawned(process.pid)) == 2  # the workers, and no writer process


def _spawned(serve_pid: int) -> list[int]:
    """The children multiprocessing spawned: workers, and the writer process if one runs."""
    return [
        pid
        for pid in _children(serve_pid)
        if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]


async def _until_acknowledged(
    acknowledged: list[str], count: int, sending: asyncio.Task[None]
) -> None:
    deadline = time.monotonic() + 60
    while len(acknowledged) < count:
        assert not sending.done(), f"only {len(acknowledged)} acknowledged"
        assert time.monotonic() < deadline, f"only {len(acknowledged)} acknowledged in 60 s"
        await asyncio.sleep(0.01)


def _children(pid: int) -> list[int]:
    """Children started by any thread of the process (the writer's watcher starts some)."""
    tasks = Path(f"/proc/{pid}/task").iterdir()
    return [int(child) for task in tasks for child in (task / "children").read_text().split()]


def _left_running(pids: list[int]) -> list[str]:
    """The command lines of those still running a few seconds later."""
    deadline = time.monotonic() + 5
    while (running := [pid for pid in pids if Path(f"/proc/{pid}").exists()]) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.1)
    return [Path(f"/proc/{pid}/cmdline").read_text() for pid in running]


def _is_writer_process(pid: int) -> bool:
    """Whether the process holds the writer's listening socket."""
    listening = {
        fields[6]
        for line in Path("/proc/net/unix").read_text().splitlines()[1:]
        if len(fields := line.split()) == 8 and fields[7].endswith("/writes.sock")
    }
    return any(link.removeprefix("socket:[").removesuffix("]") in listening for link in _fds(pid))


def _fds(pid: int) -> list[str]:
    try:
        return [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
    except FileNotFoundError:  # it ended meanwhile
        return []


def _stored_users(url: str) -> list[str]:
    users, cursor = [], None
    while True:
        params = {"limit": 1000, **({"cursor": cursor} if cursor else {})}
        page = httpx.get(
            f"{url}/api/v1/events",
            params=params,
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        ).json()
        users += [event["ids"]["customer_user_id"] for event in page["events"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return users


def test_two_workers_share_the_database(tmp_path: Path, database_url: str) -> None:
    with serving(tmp_path, database_url, workers=2) as (url, _):
        users = [f"user-{n}" for n in range(400)]
        acknowledged: list[str] = []
        asyncio.run(_send(url, users, acknowledged))
        assert sorted(acknowledged) == sorted(users)
        stored = _stored_users(url)
        metrics = httpx.get(f"{url}/metrics").text
    assert sorted(stored) == sorted(users)
    assert 'postback_requests_total{dialect="appsflyer_web",outcome="accepted"} 400.0' in metrics


def test_a_stopped_server_leaves_no_process_or_directory(tmp_path: Path, sqlite_url: str) -> None:
    temp_dir = tmp_path / "tmp"
    temp_dir.mkdir()
    with serving(tmp_path, sqlite_url, workers=2, temp_dir=temp_dir) as (url, process):
        assert httpx.get(f"{url}/metrics").status_code == 200
        made = sorted(path.name.rsplit("-", 1)[0] for path in temp_dir.iterdir())
        assert made == ["postback-metrics", "postback-writer"]
        children = _children(process.pid)
        os.killpg(process.pid, signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    assert list(temp_dir.iterdir()) == []
    assert _left_running(children) == []


def test_a_killed_writer_process_is_replaced_and_the_workers_write_meanwhile(
    tmp_path: Path, sqlite_url: str
) -> None:
    users = [f"user-{n}" for n in range(1200)]
    acknowledged: list[str] = []
    with serving(tmp_path, sqlite_url, workers=2) as (url, process):
        (writer,) = _writer_processes(process.pid)

        async def send_and_kill_the_writer() -> None:
            sending = asyncio.create_task(_send(url, users[:600], acknowledged))
            await _until_acknowledged(acknowledged, 100, sending)
            os.kill(writer, signal.SIGKILL)
            await sending

        asyncio.run(send_and_kill_the_writer())
        before = len(acknowledged)
        asyncio.run(_send(url, users[600:900], acknowledged))
        assert len(acknowledged) == before + 300
        replacement = _replacement_connected_to_both_workers(url, process.pid, writer)
        asyncio.run(_send(url, users[900:], acknowledged))
        assert len(acknowledged) == before + 600
        assert _writer_processes(process.pid) == [replacement]
        stored = _stored_users(url)
    assert set(acknowledged) <= set(stored)
    assert len(stored) == len(set(stored))


def _writer_processes(serve_pid: int) -> list[int]:
    return [pid for pid in _children(serve_pid) if _is_writer_process(pid)]


def _replacement_connected_to_both_workers(url: str, serve_pid: int, killed: int) -> int:
    """The new writer process, once both workers are connected to it (they try once a second)."""
    deadline = time.monotonic() + 30
    attempts = itertools.count()
    while not (writers := _writers_serving_both_workers(serve_pid, killed)):
        assert time.monotonic() < deadline, "no writer process served both workers within 30 s"
        asyncio.run(_send(url, [f"probe-{next(attempts)}-{n}" for n in range(8)], []))
        time.sleep(0.2)
    return writers[0]


def _writers_serving_both_workers(serve_pid: int, killed: int) -> list[int]:
    writers = [pid for pid in _writer_processes(serve_pid) if pid != killed]
    return [pid for pid in writers if _sockets(pid) == 1 + 2]  # listening, and one per worker


def _sockets(pid: int) -> int:
    return sum(link.startswith("socket:") for link in _fds(pid))


def test_acknowledged_events_survive_a_killed_server(tmp_path: Path, sqlite_url: str) -> None:
    users = [f"user-{n}" for n in range(1500)]
    acknowledged: list[str] = []
    with serving(tmp_path, sqlite_url, workers=2) as (url, process):

        async def send_then_kill() -> None:
            sending = asyncio.create_task(_send(url, users, acknowledged))
            await _until_acknowledged(acknowledged, 200, sending)
            os.killpg(process.pid, signal.SIGKILL)
            await sending

        asyncio.run(send_then_kill())
        process.wait(timeout=30)
    assert 200 <= len(acknowledged) < len(users)
    with serving(tmp_path, sqlite_url, workers=1) as (url, _):
        stored = _stored_users(url)
    assert set(acknowledged) <= set(stored)
    assert len(stored) == len(set(stored))
