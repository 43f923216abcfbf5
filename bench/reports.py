"""`python -m bench.reports`: how fast the dashboard's queries answer on a database.

Starts `postback serve` on the database (filled by `python -m bench.load`, say) and calls
each report and listing the dashboard uses, the way it would: last 7 and 30 days, per app,
first and second pages, filtered pages. Prints the median and the max of each, in ms,
flagging those above the target.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from bench.run import ADMIN_TOKEN, _postback
from postback.storage.rows import DAY_MS

TARGET_MS = 100.0
SPENT_ON_ONE_SECONDS = 30.0  # stop calling a slow query once it has taken this long


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="sqlite:///path or postgresql://…")
    parser.add_argument("--calls", type=int, default=20, help="timed calls per query")
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="postback-reports-") as directory,
        _postback(Path(directory), options.database_url, options.workers) as (url, _),
        httpx.Client(base_url=url, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}) as client,
    ):
        _report(client, options.database_url, options.calls)


def _report(client: httpx.Client, database_url: str, calls: int) -> None:
    stored = sum(total["events"] for total in _get(client, "/api/v1/reports/daily")["events"])
    print(f"database: {database_url.split(':', 1)[0]}   events stored: {stored:,}")
    print(f"{'query':<78}{'median':>10}{'max':>10}  calls")
    slow = []
    now = int(time.time() * 1000)
    moments = {f"d{days}": now - days * DAY_MS for days in (7, 29, 30)}
    shown = {f"d{days}": f"-{days}d" for days in (7, 29, 30)}  # printed: days before now
    for query in _queries(client):
        times = _timed(client, _fill(query, moments), calls)
        median, most = statistics.median(times), max(times)
        flag = f"  SLOW (> {TARGET_MS:.0f} ms)" if median > TARGET_MS else ""
        line = f"{_fill(query, shown):<78}{median:>8.1f}ms{most:>8.1f}ms  {len(times)}{flag}"
        print(line, flush=True)
        slow += [query] if flag else []
    print(f"{len(slow)} of the queries answer in more than {TARGET_MS:.0f} ms (median)")


def _queries(client: httpx.Client) -> Iterator[str]:
    """Paths, with {d7}, {d29}, {d30}: that many days before now (Unix ms)."""
    month = "since={d30}"
    day_a_month_ago = "since={d30}&until={d29}"
    yield "/api/v1/reports/daily?since={d7}"
    yield f"/api/v1/reports/daily?{month}"
    yield f"/api/v1/reports/daily?{month}&app=bench"
    yield "/api/v1/reports/daily"
    events = "/api/v1/events?limit=50"
    yield events
    yield f"{events}&cursor={_get(client, events)['next_cursor']}"
    yield f"{events}&app=gems"
    yield f"{events}&app=shop&name=purchase"
    yield f"{events}&dialect=chartboost"
    yield f"{events}&name=setCuId"
    user = _a_user(client)
    yield f"{events}&user={user}"
    yield f"{events}&user={user}&app=bench"
    yield f"{events}&{day_a_month_ago}"
    yield f"{events}&app=arcade&{day_a_month_ago}"
    outcomes = "/api/v1/outcomes?limit=50"
    yield outcomes
    yield f"{outcomes}&app=shop"
    yield f"{outcomes}&reason=invalid"
    yield f"{outcomes}&reason=internal_error"
    yield f"{outcomes}&dialect=segmentstream"
    yield f"{outcomes}&{day_a_month_ago}"
    yield "/api/v1/reports/attribution"
    yield f"/api/v1/reports/attribution?{month}"
    yield f"/api/v1/reports/attribution?{month}&app=bench"
    yield "/api/v1/chartboost/levels?limit=50"
    yield "/api/v1/chartboost/levels?limit=50&app=bench&field=1&min_main_level=10"
    yield "/api/v1/chartboost/label-conflicts"
    yield "/api/v1/orders?app=bench&limit=50"
    yield "/api/v1/affiliate/reports/daily"
    yield f"/api/v1/affiliate/reports/daily?{month}"
    yield "/api/v1/affiliate/conversions?limit=50"


def _fill(query: str, values: dict[str, Any]) -> str:
    for name, value in values.items():
        query = query.replace("{" + name + "}", str(value))
    return query


def _a_user(client: httpx.Client) -> str:
    """A customer of the app bench who linked a web id a day ago or more (before a benchmark
    run's users): their events are found through the link too."""
    day_ago = int(time.time() * 1000) - DAY_MS
    query = f"limit=1&app=bench&name=setCuId&until={day_ago}"
    found = _get(client, f"/api/v1/events?{query}")["events"]
    ids: dict[str, str] = found[0]["ids"] if found else {}
    return ids.get("customer_user_id", "nobody")


def _timed(client: httpx.Client, path: str, calls: int) -> list[float]:
    _get(client, path)  # warm: the first call pays for connections and cold pages
    times: list[float] = []
    while len(times) < calls and sum(times) < SPENT_ON_ONE_SECONDS * 1000:
        started = time.perf_counter()
        _get(client, path)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _get(client: httpx.Client, path: str) -> Any:
    response = client.get(path, timeout=300)
    response.raise_for_status()
    return response.json()


if __name__ == "__main__":
    main()
