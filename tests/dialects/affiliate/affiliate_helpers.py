"""Affiliate test helpers: a network configuration, and a live server seen by a client.

Imported by name (pytest puts this folder on sys.path); the fixtures are in conftest.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from support.config import ADMIN_TOKEN, AFFILIATE_TOKEN, base_document, make_settings
from support.live import FakeClock, live_server

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
TOKEN = AFFILIATE_TOKEN
OFFER2_TOKEN = "offer-two-token"
SALE_TOKEN = "sale-event-token"
TRANSACTION_ID = re.compile(r"[1-9][0-9]*-[0-9a-f]{32}")
SHOP_URL = (
    "https://shop.example/in?t={transaction_id}&o={offer_id}&a={aff_id}&s1={aff_sub}"
    "&s2={aff_sub2}&s3={aff_sub3}&s4={aff_sub4}&s5={aff_sub5}&src={source}&keep={unknown}"
)


def network_document(database_url: str) -> dict[str, Any]:
    """The test configuration's network, plus: a multiple-allowed event on offer 1; offer 2
    (EUR, CPS, its own token, an event with its own token); inactive offer 3; affiliates 8
    and inactive 9."""
    document = base_document(database_url)
    network = document["affiliate"]
    network["affiliates"] += [
        {"id": 8, "name": "Publisher Eight"},
        {"id": 9, "name": "Publisher Nine", "active": False},
    ]
    network["offers"][0]["events"].append(
        {
            "id": 6,
            "name": "level_up",
            "revenue": {"type": "CPA", "value": 0.25},
            "payout": {"type": "CPL", "value": 0.1},
            "allow_multiple": True,
        }
    )
    network["offers"] += [
        {
            "id": 2,
            "name": "Shop",
            "url": SHOP_URL,
            "currency": "EUR",
            "secure_token": OFFER2_TOKEN,
            "revenue": {"type": "CPS", "value": 12.5},
            "payout": {"type": "Fixed", "value": 1},
            "events": [
                {
                    "id": 8,
                    "name": "sale",
                    "revenue": {"type": "CPS", "value": 10},
                    "payout": {"type": "CPS", "value": 3.3},
                    "secure_token": SALE_TOKEN,
                },
                {
                    "id": 9,
                    "name": "upsell",
                    "revenue": {"type": "CPS", "value": 10},
                    "payout": {"type": "CPS", "value": 5},
                    "allow_multiple": True,
                },
            ],
        },
        {
            "id": 3,
            "name": "Paused",
            "url": "https://paused.example/?t={transaction_id}",
            "active": False,
            "revenue": {"type": "CPA", "value": 1},
            "payout": {"type": "CPA", "value": 1},
        },
    ]
    return document


class Net:
    """One live server, from the client's side: /click, postbacks and the admin API."""

    def __init__(self, url: str, clock: FakeClock) -> None:
        self.url = url
        self.clock = clock
        self.client = httpx.Client(base_url=url, follow_redirects=False)

    def click(self, **params: Any) -> httpx.Response:
        return self.client.get("/click", params=params)

    def transaction(self, offer_id: int = 1, aff_id: int = 7, **params: Any) -> str:
        """A click's transaction id, read from its redirect."""
        answer = self.click(offer_id=offer_id, aff_id=aff_id, **params)
        assert answer.status_code == 302, answer.text
        return transaction_of(answer.headers["location"])

    def postback(self, path: str = "/postback", **params: Any) -> httpx.Response:
        return self.client.get(path, params={"secure": TOKEN, **params})

    def converted(self, offer_id: int = 1, aff_id: int = 7, **params: Any) -> str:
        """A click with its base conversion accepted; its transaction id."""
        transaction_id = self.transaction(offer_id, aff_id)
        secure = TOKEN if offer_id == 1 else OFFER2_TOKEN
        answer = self.postback(transaction_id=transaction_id, **{"secure": secure, **params})
        assert answer.status_code == 200, answer.text
        return transaction_id

    def admin(self, method: str, path: str, **options: Any) -> httpx.Response:
        return self.client.request(method, "/api/v1/affiliate" + path, headers=ADMIN, **options)

    def read(self, path: str, **params: Any) -> Any:
        answer = self.admin("GET", path, params=params)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def conversions(self, **params: Any) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.read("/conversions", limit=1000, **params)["conversions"]
        return found

    def report(self, **params: Any) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.read("/reports/daily", **params)["rows"]
        return found

    def report_row(self, offer_id: int | None, aff_id: int | None, event_id: int | None) -> Any:
        [row] = [
            row
            for row in self.report()
            if (row["offer_id"], row["aff_id"], row["event_id"]) == (offer_id, aff_id, event_id)
        ]
        return row

    def outcomes(self, **params: Any) -> list[dict[str, Any]]:
        answer = self.client.get(
            "/api/v1/outcomes", params={"dialect": "affiliate", **params}, headers=ADMIN
        )
        found: list[dict[str, Any]] = answer.json()["outcomes"]
        return found

    def events(self, **params: Any) -> list[dict[str, Any]]:
        answer = self.client.get(
            "/api/v1/events", params={"dialect": "affiliate", **params}, headers=ADMIN
        )
        found: list[dict[str, Any]] = answer.json()["events"]
        return found


def transaction_of(location: str) -> str:
    """The transaction id a redirect carries (offer 1 names it `click`, the others `t`)."""
    query = parse_qs(urlsplit(location).query)
    [value] = query.get("click") or query["t"]
    assert TRANSACTION_ID.fullmatch(value), value
    return value


def money(value: Any) -> Decimal:
    """A JSON number read back exactly (the API writes Decimals as numbers)."""
    return Decimal(str(value))


@contextmanager
def serve(
    database_url: str, clock: FakeClock, document: dict[str, Any] | None = None
) -> Iterator[Net]:
    settings = make_settings(database_url, document or network_document(database_url))
    with live_server(settings, clock) as live:
        net = Net(live.url, clock)
        try:
            yield net
        finally:
            net.client.close()


@contextmanager
def nodes(database_url: str, clock: FakeClock, count: int = 2) -> Iterator[list[Net]]:
    """Several servers sharing one database, as stateless nodes do."""
    with ExitStack() as stack:
        yield [stack.enter_context(serve(database_url, clock)) for _ in range(count)]
