"""Chartboost PIA test helpers: signing, a live server seen by a client, the dialect alone.

Imported by name (pytest puts this folder on sys.path); the fixtures are in conftest.py.
The signature is computed here from the document's recipe, independently of the dialect's code.
"""

from __future__ import annotations

import copy
import hashlib
import json
from contextlib import AbstractContextManager
from typing import Any

from postback.dialects._common import AppCredentials, DialectEnv, IngestRequest
from postback.dialects.chartboost import Chartboost
from postback.dialects.chartboost.credentials import ChartboostCredentials
from postback.model import Rejection, Submission
from support.client import LiveClient, serve_as
from support.config import (
    ADMIN_TOKEN,
    APP,
    CHARTBOOST_APP_ID,
    CHARTBOOST_APP_SIGNATURE,
    CHARTBOOST_SECRET,
    CHARTBOOST_TOKEN,
    base_document,
)
from support.live import FakeClock

DIALECT = "chartboost"
PATH = "/event_service/v3/track"
JSON = "application/json"
NOW_MS = 1_700_000_000_000
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
GAID = "8df6c9bf-d647-4400-bc13-7ff317ff0003"
IFA = "8df6c9bf-d647-4400-bc13-7ff317ff0004"
OK = {"status": 200, "message": "OK"}
DISCARDED = {"status": 200, "message": "discarded: not above the current value"}
UNSET = object()


def sign(
    body: bytes, secret: str = CHARTBOOST_SECRET, app_signature: str = CHARTBOOST_APP_SIGNATURE
) -> str:
    """Hex SHA-256 of "action:pia", secret, app signature and body, joined by newlines."""
    descriptor = b"action:pia\n" + secret.encode() + b"\n" + app_signature.encode() + b"\n" + body
    return hashlib.sha256(descriptor).hexdigest()


def compact(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def level_body(
    main: int,
    sub: int = 0,
    *,
    field: int = 1,
    label: str = "Level Completed",
    ids: dict[str, str] | None = None,
) -> bytes:
    event = {"event_label": label, "event_field": field, "main_level": main, "sub_level": sub}
    return compact({"app_id": CHARTBOOST_APP_ID, **(ids or {"gaid": GAID}), "event": event})


def purchase_body(**iap: Any) -> bytes:
    fields = {"product_id": "bag_of_gems", "currency": "USD", "price": 1.99, **iap}
    return compact({"app_id": CHARTBOOST_APP_ID, "gaid": GAID, "iap": fields})


def refused(status: int, message: str) -> dict[str, Any]:
    return {"status": status, "message": message}


class Wire(LiveClient):
    """One live server, from the client's side: the track endpoint and the admin API."""

    def post(
        self,
        body: bytes,
        *,
        signature: Any = UNSET,
        token: str | None = CHARTBOOST_TOKEN,
        content_type: str | None = JSON,
        http_method: str = "POST",
    ) -> dict[str, Any]:
        """Send `body` (signed with the test secret unless told otherwise); the JSON answer."""
        headers = {"Content-Type": content_type, "X-Chartboost-Token": token}
        headers["X-Chartboost-Signature"] = sign(body) if signature is UNSET else signature
        sent = {name: value for name, value in headers.items() if value is not None}
        answer = self.client.request(http_method, PATH, content=body, headers=sent)
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == JSON
        found: dict[str, Any] = answer.json()
        return found

    def level(self, main: int, sub: int = 0, **options: Any) -> dict[str, Any]:
        return self.post(level_body(main, sub, **options))

    def levels(self, **params: str) -> dict[str, Any]:
        return self.admin("/api/v1/chartboost/levels", **params)

    def label_conflicts(self, **params: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.admin("/api/v1/chartboost/label-conflicts", **params)[
            "conflicts"
        ]
        return found


def serve(
    database_url: str, clock: FakeClock, document: dict[str, Any] | None = None
) -> AbstractContextManager[Wire]:
    return serve_as(Wire, database_url, clock, document)


def document_with(database_url: str, **chartboost: Any) -> dict[str, Any]:
    """The test configuration with the app's chartboost credentials changed."""
    document = copy.deepcopy(base_document(database_url))
    document["apps"][0]["chartboost"].update(chartboost)
    return document


def levels_stored(wire: Wire, player: str = GAID, field: int = 1) -> list[tuple[int, int]]:
    """(main_level, sub_level) of the player's stored events on a field, oldest first."""
    stored = [
        (event["properties"]["main_level"], event["properties"]["sub_level"])
        for event in wire.events(dialect=DIALECT, user=player)
        if event["properties"].get("event_field") == field
    ]
    return stored[::-1]


class Lookup:
    """The CredentialLookup a dialect receives: here a dict holding the test app."""

    def __init__(self, rate_limit_per_minute: int = 60_000) -> None:
        credentials = ChartboostCredentials(
            app_id=CHARTBOOST_APP_ID,
            app_signature=CHARTBOOST_APP_SIGNATURE,
            api_token=CHARTBOOST_TOKEN,
            api_secret=CHARTBOOST_SECRET,
            rate_limit_per_minute=rate_limit_per_minute,
        )
        self.apps = {(DIALECT, CHARTBOOST_APP_ID): AppCredentials(APP, credentials)}

    def find(self, dialect: str, lookup_key: str) -> AppCredentials[Any] | None:
        return self.apps.get((dialect, lookup_key))


def ingest_request(
    body: bytes,
    *,
    headers: dict[str, str] | None = None,
    http_method: str = "POST",
    complete: bool = True,
) -> IngestRequest:
    """A request as the edge reads it: signed and typed JSON unless `headers` says otherwise."""
    sent = {
        "content-type": JSON,
        "x-chartboost-token": CHARTBOOST_TOKEN,
        "x-chartboost-signature": sign(body),
        **(headers or {}),
    }
    return IngestRequest(
        method=http_method,
        path=PATH,
        path_params={},
        query={},
        headers=sent,
        body=body,
        body_complete=complete,
        client_ip="192.0.2.1",
        received_at_ms=NOW_MS,
    )


def handle(body: bytes, **options: Any) -> Submission | Rejection:
    """The dialect alone, no server: `options` as for `ingest_request`."""
    request = ingest_request(body, **options)
    env = DialectEnv(credentials=Lookup(), clock=FakeClock(NOW_MS))
    return Chartboost().handle(request, env)


def accepted(result: Submission | Rejection) -> Submission:
    assert isinstance(result, Submission), result
    return result


def rejected(result: Submission | Rejection) -> Rejection:
    assert isinstance(result, Rejection), result
    return result
