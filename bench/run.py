"""`make bench`: postback and a bare ASGI app under the same load, in the same run.

Prints requests/s, p50/p99/max latency, errors, the ratio postback / bare, each server
process's memory over the run and CPU time per request, and acknowledged vs stored counts
(they must match). `--preload N` first stores N events with bench.load, to measure postback
on a full database.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import sqlalchemy as sa

from bench.corpus import BENCH_APP, write_corpus
from postback.dialects import REGISTRY
from postback.model import Outcome, Reason
from postback.storage.base import open_database
from postback.storage.schema import events, outcomes
from postback.web.services import WRITER_SOCKET_ENV

ROOT = Path(__file__).parents[1]
ADMIN_TOKEN = "bench-admin-token"
SUCCESSES = ("accepted", "duplicate", "discarded")
CLICKS_FOR_POSTBACKS = 500
RSS_EVERY_SECONDS = 1.0


@dataclass
class Figures:
    requests: int
    ok: int
    not_ok: int
    p50_us: int
    p99_us: int
    max_us: int
    duration_us: int
    socket_errors: int

    @property
    def per_second(self) -> float:
        return self.requests / (self.duration_us / 1e6)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument("--corpus-size", type=int, default=200_000)
    parser.add_argument(
        "--preload", type=int, default=0, help="store N events with bench.load before the run"
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        help="keep the SQLite database and the corpus here (default: a temporary directory)",
    )
    options = parser.parse_args()
    subprocess.run([ROOT / "scripts/install-system-packages.sh", "wrk"], check=True)
    with _work_dir(options.work_dir) as work:
        corpus = work / "corpus.tsv"
        database_url = options.database_url or f"sqlite:///{work.resolve()}/bench.db"
        if options.preload:
            _preload(database_url, options.preload)
        with _postback(work, database_url, options.workers) as (url, pids):
            clicks = _clicks(url, CLICKS_FOR_POSTBACKS)
            write_corpus(str(corpus), options.corpus_size, clicks)
            before_load = _last_outcome_id(database_url)
            warm = _wrk(url, corpus, 2, options.connections)
            with _sampling(_server_processes(pids)) as processes:
                postback = _wrk(url, corpus, options.seconds, options.connections)
        with _bare(options.workers) as (url, pids):
            _wrk(url, corpus, 2, options.connections)
            with _sampling(_server_processes(pids)) as bare_processes:
                bare = _wrk(url, corpus, options.seconds, options.connections)
        stored = _stored(database_url, before_load)
    runs = 2
    _report(
        postback,
        bare,
        warm.ok + postback.ok,
        stored,
        {"postback": processes, "bare": bare_processes},
        database_url,
        runs * options.connections,
    )


@contextmanager
def _work_dir(kept: Path | None) -> Iterator[Path]:
    if kept is None:
        with tempfile.TemporaryDirectory(prefix="postback-bench-") as directory:
            yield Path(directory)
        return
    if (kept / "bench.db").exists():
        raise SystemExit(f"{kept / 'bench.db'} exists: remove it, or name another --work-dir")
    kept.mkdir(parents=True, exist_ok=True)
    yield kept


def _preload(database_url: str, events: int) -> None:
    print(f"preloading {events:,} events (bench.load)", flush=True)
    command = [sys.executable, "-m", "bench.load", "--database-url", database_url]
    subprocess.run([*command, "--events", str(events)], check=True, cwd=ROOT)


@dataclass
class ProcessSamples:
    """Each server process's RSS in MiB, sampled every RSS_EVERY_SECONDS during the run, and
    the CPU seconds it had used at each sample."""

    roles: dict[int, str]  # pid: "worker" or "writer"
    samples: list[list[float]] = field(default_factory=list)
    cpu_seconds: list[list[float]] = field(default_factory=list)

    @property
    def pids(self) -> list[int]:
        return list(self.roles)

    def take(self) -> None:
        self.samples.append([_rss_mib(pid) for pid in self.pids])
        self.cpu_seconds.append([_cpu_seconds(pid) for pid in self.pids])

    def lines(self, requests: int) -> list[str]:
        if not self.samples:
            return []
        first, middle, last = (
            self.samples[0],
            self.samples[len(self.samples) // 2],
            self.samples[-1],
        )
        started, ended = self.cpu_seconds[0], self.cpu_seconds[-1]
        used = [end - start for start, end in zip(started, ended, strict=True)]
        per_request = [1e6 * seconds / max(requests, 1) for seconds in used]
        return [
            f"  {self.roles[pid]} {pid}: RSS start {first[n]:.0f}, middle {middle[n]:.0f},"
            f" end {last[n]:.0f}, peak {max(sample[n] for sample in self.samples):.0f} MiB;"
            f" CPU {per_request[n]:.0f} us per request of the run"
            for n, pid in enumerate(self.pids)
        ] + [f"  all of them: CPU {sum(per_request):.0f} us per request"]


@contextmanager
def _sampling(roles: dict[int, str]) -> Iterator[ProcessSamples]:
    processes = ProcessSamples(roles)
    stopping = threading.Event()

    def sample() -> None:
        processes.take()
        while not stopping.wait(RSS_EVERY_SECONDS):
            processes.take()

    thread = threading.Thread(target=sample, name="process-sampler", daemon=True)
    thread.start()
    try:
        yield processes
    finally:
        stopping.set()
        thread.join()
        processes.take()


@contextmanager
def _serving(command: list[str], env: dict[str, str], url: str, ready: str) -> Iterator[int]:
    process = subprocess.Popen(command, env=env, start_new_session=True, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + ready, timeout=1).status_code < 500:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"{command[2]} did not start") from None
                time.sleep(0.2)
        yield process.pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


@contextmanager
def _postback(work: Path, database_url: str, workers: int) -> Iterator[tuple[str, list[int]]]:
    config = work / "postback.toml"
    config.write_text(f'[server]\nadmin_token = "{ADMIN_TOKEN}"\n{BENCH_APP}')
    port = _free_port()
    env = {**os.environ, "POSTBACK_DATABASE_URL": database_url, "POSTBACK_LOG_LEVEL": "warning"}
    command = [sys.executable, "-m", "postback", "serve", "--config", str(config)]
    command += ["--port", str(port), "--workers", str(workers)]
    url = f"http://127.0.0.1:{port}"
    with _serving(command, env, url, "/readyz") as pid:
        yield url, _children(pid)


@contextmanager
def _bare(workers: int) -> Iterator[tuple[str, list[int]]]:
    port = _free_port()
    command = [sys.executable, "-m", "uvicorn", "bench.bare_app:app", "--port", str(port)]
    command += ["--workers", str(workers), "--loop", "uvloop", "--http", "httptools"]
    command += ["--no-access-log", "--log-level", "warning"]
    url = f"http://127.0.0.1:{port}"
    with _serving(command, dict(os.environ), url, "/") as pid:
        yield url, _children(pid)


def _clicks(url: str, count: int) -> list[str]:
    """Clicks issued by the server, so the corpus can convert them."""
    ids = []
    with httpx.Client(base_url=url) as client:
        for _ in range(count):
            location = client.get("/click", params={"offer_id": 1, "aff_id": 7}).headers["location"]
            ids.append(location.rsplit("click=", 1)[1])
    return ids


def _wrk(url: str, corpus: Path, seconds: int, connections: int) -> Figures:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["-s", str(ROOT / "bench/workload.lua"), url]
    env = {**os.environ, "BENCH_CORPUS": str(corpus)}
    output = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    return Figures(**json.loads(line.removeprefix("BENCH ")))


def _last_outcome_id(database_url: str) -> int:
    database = open_database(database_url)
    with database.reader.connect() as connection:
        last = connection.execute(sa.select(sa.func.max(outcomes.c.id))).scalar_one()
    database.dispose()
    return int(last or 0)


def _stored(database_url: str, after_outcome_id: int) -> dict[str, int]:
    """Outcomes of the load by reason, events stored, and how many were answered below 400."""
    database = open_database(database_url)
    load = outcomes.c.id > after_outcome_id
    with database.reader.connect() as connection:
        rows = connection.execute(
            sa.select(outcomes.c.dialect, outcomes.c.reason, sa.func.count())
            .where(load)
            .group_by(outcomes.c.dialect, outcomes.c.reason)
        ).all()
        stored_events = connection.execute(
            sa.select(sa.func.count())
            .select_from(events)
            .where(events.c.outcome_id > after_outcome_id)
        ).scalar_one()
    database.dispose()
    by_reason: dict[str, int] = {}
    answered_ok = 0
    for dialect, reason, count in rows:
        by_reason[reason] = by_reason.get(reason, 0) + count
        status = REGISTRY[dialect].respond(Outcome(reason=Reason(reason), message="")).status
        answered_ok += count if status < 400 else 0
    return {**by_reason, "events": stored_events, "answered_ok": answered_ok}


def _report(
    postback: Figures,
    bare: Figures,
    acknowledged: int,
    stored: dict[str, int],
    processes: dict[str, ProcessSamples],
    database_url: str,
    most_in_flight: int,
) -> None:
    def row(name: str, figures: Figures) -> str:
        return (
            f"{name:<9}{figures.per_second:>10.0f} req/s   p50 {figures.p50_us / 1000:6.2f} ms"
            f"   p99 {figures.p99_us / 1000:6.2f} ms   max {figures.max_us / 1000:7.2f} ms"
            f"   answers >= 400: {figures.not_ok}   socket errors {figures.socket_errors}"
        )

    answered_ok = stored.pop("answered_ok")
    unanswered = answered_ok - acknowledged
    expected = (*SUCCESSES, "invalid", "conflict", "events")
    unexpected = {r: n for r, n in stored.items() if r not in expected}
    print(f"database: {database_url.split(':', 1)[0]}")
    print(row("postback", postback))
    print(row("bare", bare))
    print(f"ratio postback / bare: {postback.per_second / bare.per_second:.2f}")
    for name, figures in (("postback", postback), ("bare", bare)):
        samples = processes[name]
        print(
            f"{name}'s processes during its run ({len(samples.samples)} samples,"
            f" {RSS_EVERY_SECONDS:.0f} s apart):"
        )
        print("\n".join(samples.lines(figures.requests)))
    print(
        f"acknowledged (answers < 400): {acknowledged}   recorded as answered < 400: {answered_ok}"
        f"   committed but unanswered when wrk stopped: {unanswered}"
        f" (at most {most_in_flight})   consistent: {0 <= unanswered <= most_in_flight}"
    )
    print(f"outcomes by reason: {json.dumps(stored)}   unexpected rejections: {unexpected or 0}")


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(child) for child in found.split()] or [pid]


def _server_processes(pids: list[int]) -> dict[int, str]:
    """The server's processes (not multiprocessing's resource tracker): workers, and the writer
    process, the one started before the workers were told its socket."""
    server = [
        pid for pid in pids if b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]
    told = {pid: WRITER_SOCKET_ENV.encode() + b"=" in _environment(pid) for pid in server}
    writer_runs = any(told.values())
    return {pid: "writer" if writer_runs and not told[pid] else "worker" for pid in server}


def _environment(pid: int) -> bytes:
    return Path(f"/proc/{pid}/environ").read_bytes()


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used (/proc/<pid>/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


if __name__ == "__main__":
    main()
