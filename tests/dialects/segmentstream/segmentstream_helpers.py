"""SegmentStream test helpers: a live server seen by a client, and the dialect on its own.

Imported by name (pytest puts this folder on sys.path); the fixtures are in conftest.py.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from decimal import Decimal
from typing import Any

import httpx

from postback.dialects._common import AppCredentials, DialectEnv, IngestRequest
from postback.dialects.segmentstream import Segmentstream
from postback.dialects.segmentstream.credentials import SegmentstreamCredentials
from postback.model import Rejection, Submission
from support.client import LiveClient, serve_as
from support.config import ADMIN_TOKEN, APP, SEGMENTSTREAM_TOKEN, base_document
from support.live import FakeClock

DIALECT = "segmentstream"
JSON = "application/json"
NOW_MS = 1_700_000_000_000
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
SENT_AT = "2023-11-14T22:00:00.000Z"


def basic(token: str, password: str = "") -> str:
    return "Basic " + base64.b64encode(f"{token}:{password}".encode()).decode()


AUTH = basic(SEGMENTSTREAM_TOKEN)


def hit_id() -> str:
    """A fresh version-1 UUID, as the vendor's clients make them."""
    return str(uuid.uuid1())


def hit(name: str = "Viewed Page", **event: Any) -> dict[str, Any]:
    """A valid hit with a fresh hitId; `event` fields added to its event record."""
    return {"hitId": hit_id(), "sentAt": SENT_AT, "event": {"name": name, **event}}


def transaction_hit(name: str, order_id: str, **transaction: Any) -> dict[str, Any]:
    return hit(name, transaction={"orderId": order_id, **transaction})


def compact(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


class Wire(LiveClient):
    """One live server, from the client's side: /track and the admin API."""

    def post(
        self, body: bytes, headers: dict[str, str] | None = None, method: str = "POST"
    ) -> httpx.Response:
        sent = {"Authorization": AUTH, "Content-Type": JSON, **(headers or {})}
        return self.client.request(method, "/track", content=body, headers=sent)

    def track(self, payload: dict[str, Any]) -> httpx.Response:
        return self.post(compact(payload))

    def accepted(self, payload: dict[str, Any]) -> None:
        answer = self.track(payload)
        assert (answer.status_code, answer.content) == (204, b""), answer.text

    def orders(self, **params: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.admin(
            "/api/v1/orders", **{"app": APP, "limit": "1000", **params}
        )["orders"]
        return found

    def order(self, order_id: str) -> dict[str, Any]:
        [found] = self.orders(order_id=order_id)
        return found

    def reported_revenue(self) -> dict[str, Decimal]:
        """Revenue in the reporting currency by event name, from the daily report."""
        totals: dict[str, Decimal] = {}
        for row in self.admin("/api/v1/reports/daily", app=APP)["events"]:
            revenue = Decimal(str(row["reporting_revenue"]))
            totals[row["name"]] = totals.get(row["name"], Decimal(0)) + revenue
        return totals


def serve(
    database_url: str, clock: FakeClock, document: dict[str, Any] | None = None
) -> AbstractContextManager[Wire]:
    return serve_as(Wire, database_url, clock, document)


@contextmanager
def nodes(database_url: str, clock: FakeClock, count: int = 2) -> Iterator[list[Wire]]:
    """Several servers sharing one database, as stateless nodes do."""
    with ExitStack() as stack:
        yield [stack.enter_context(serve(database_url, clock)) for _ in range(count)]


def document_with_second_app(database_url: str) -> dict[str, Any]:
    """The test configuration plus an app `shop` with its own SegmentStream token."""
    document = base_document(database_url)
    document["apps"].append({"id": "shop", "name": "Shop", DIALECT: {"api_token": "shop-token"}})
    return document


class Lookup:
    """The CredentialLookup a dialect receives: here a dict holding the test token."""

    def __init__(self) -> None:
        credentials = SegmentstreamCredentials(api_token=SEGMENTSTREAM_TOKEN)
        self.apps = {(DIALECT, SEGMENTSTREAM_TOKEN): AppCredentials(APP, credentials)}

    def find(self, dialect: str, lookup_key: str) -> AppCredentials[Any] | None:
        return self.apps.get((dialect, lookup_key))


def ingest_request(
    body: bytes,
    *,
    authorization: str | None = AUTH,
    content_type: str | None = JSON,
    method: str = "POST",
    complete: bool = True,
    now_ms: int = NOW_MS,
) -> IngestRequest:
    headers = {"authorization": authorization, "content-type": content_type}
    return IngestRequest(
        method=method,
        path="/track",
        path_params={},
        query={},
        headers={name: value for name, value in headers.items() if value is not None},
        body=body,
        body_complete=complete,
        client_ip="192.0.2.1",
        received_at_ms=now_ms,
    )


def handle(body: bytes, **options: Any) -> Submission | Rejection:
    """The dialect alone, no server: `options` as for `ingest_request`."""
    request = ingest_request(body, **options)
    env = DialectEnv(credentials=Lookup(), clock=FakeClock(request.received_at_ms))
    return Segmentstream().handle(request, env)


def accepted(result: Submission | Rejection) -> Submission:
    assert isinstance(result, Submission), result
    return result


def rejected(result: Submission | Rejection) -> Rejection:
    assert isinstance(result, Rejection), result
    return result
