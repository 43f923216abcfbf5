"""Concurrent postbacks for one transaction on two nodes sharing one database: the database
decides, so exactly one base conversion (and one event without multiples) is stored."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from affiliate_helpers import TOKEN, Net, nodes

from support.live import FakeClock

REQUESTS = 24


def _race(servers: list[Net], **params: Any) -> Counter[int]:
    """REQUESTS identical postbacks at once, spread over the nodes; the statuses answered."""

    def send(index: int) -> int:
        url = servers[index % len(servers)].url + "/postback"
        return httpx.get(url, params={"secure": TOKEN, **params}, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
        return Counter(pool.map(send, range(REQUESTS)))


def test_concurrent_duplicate_conversions_store_exactly_one(
    database_url: str, clock: FakeClock
) -> None:
    with nodes(database_url, clock) as servers:
        transaction_id = servers[0].transaction()
        statuses = _race(servers, transaction_id=transaction_id)
        assert statuses == {200: 1, 409: REQUESTS - 1}
        conversions = servers[1].conversions(transaction_id=transaction_id)
        assert Counter(c["status"] for c in conversions) == {
            "approved": 1,
            "rejected": REQUESTS - 1,
        }
        assert {c["reason"] for c in conversions if c["status"] == "rejected"} == {"duplicate"}
        row = servers[0].report_row(1, 7, None)
        assert (row["conversions"], row["refusals"]) == (1, {"duplicate": REQUESTS - 1})
        assert [e["kind"] for e in servers[0].events()] == ["conversion", "click"]


def test_concurrent_duplicate_events_store_exactly_one(database_url: str, clock: FakeClock) -> None:
    with nodes(database_url, clock) as servers:
        transaction_id = servers[0].converted()
        statuses = _race(servers, transaction_id=transaction_id, event_id=5, purchase_value="10")
        assert statuses == {200: 1, 409: REQUESTS - 1}
        row = servers[1].report_row(1, 7, 5)
        assert (row["events"], row["refusals"]) == (1, {"duplicate": REQUESTS - 1})


def test_concurrent_events_that_allow_multiples_are_all_stored(
    database_url: str, clock: FakeClock
) -> None:
    with nodes(database_url, clock) as servers:
        transaction_id = servers[0].converted()
        statuses = _race(servers, transaction_id=transaction_id, event_id=6)
        assert statuses == {200: REQUESTS}
        assert servers[1].report_row(1, 7, 6)["events"] == REQUESTS
