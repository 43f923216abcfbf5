"""AppsFlyer Web-S2S test helpers: a live server seen by a client, and the dialect on its own.

Imported by name (pytest puts this folder on sys.path); the fixtures are in conftest.py.
"""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from typing import Any

import httpx

from postback.dialects._common import AppCredentials, DialectEnv, IngestRequest
from postback.dialects.appsflyer_web import AppsflyerWeb
from postback.dialects.appsflyer_web.credentials import AppsflyerWebCredentials
from postback.model import Rejection, Submission
from support.client import LiveClient, serve_as
from support.config import ADMIN_TOKEN, APP, APPSFLYER_BUNDLE, APPSFLYER_KEY
from support.live import FakeClock

DIALECT = "appsflyer_web"
JSON = "application/json"
NOW_MS = 1_700_000_000_000
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
VALID_EVENT: dict[str, Any] = {
    "webDevKey": APPSFLYER_KEY,
    "eventType": "EVENT",
    "eventName": "web_purchase",
    "customerUserId": "663274",
}
VALID_SETCUID: dict[str, Any] = {
    "customerUserId": "663274",
    "afUserId": "9999999-f848-4963-a091-568f0bf9a361",
    "webDevKey": APPSFLYER_KEY,
}


def compact(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


def event_body(**fields: Any) -> bytes:
    """A valid event with `fields` added or replaced; a field set to None is left out."""
    payload = {**VALID_EVENT, **fields}
    return compact({name: value for name, value in payload.items() if value is not None})


def error(status: int, message: str) -> dict[str, Any]:
    """The vendor's error shape."""
    phrases = {
        400: "Bad Request",
        403: "Forbidden",
        404: "Not Found",
        405: "Method Not Allowed",
        429: "Too Many Requests",
    }
    return {"error": message, "message": phrases[status], "status": status}


class Wire(LiveClient):
    """One live server, from the client's side: the dialect's endpoints and the admin API."""

    def post(
        self,
        body: bytes,
        method: str = "event",
        *,
        bundle: str = APPSFLYER_BUNDLE,
        http_method: str = "POST",
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        sent = {"Content-Type": JSON, **(headers or {})}
        path = f"/v1/{bundle}/{method}"
        return self.client.request(http_method, path, content=body, headers=sent)

    def event(self, **fields: Any) -> httpx.Response:
        return self.post(event_body(**fields))


def serve(
    database_url: str, clock: FakeClock, document: dict[str, Any] | None = None
) -> AbstractContextManager[Wire]:
    return serve_as(Wire, database_url, clock, document)


class Lookup:
    """The CredentialLookup a dialect receives: here a dict holding the test bundle."""

    def __init__(self, rate_limit_per_minute: int = 60_000) -> None:
        credentials = AppsflyerWebCredentials(
            bundle_id=APPSFLYER_BUNDLE,
            web_dev_key=APPSFLYER_KEY,
            rate_limit_per_minute=rate_limit_per_minute,
        )
        self.apps = {(DIALECT, APPSFLYER_BUNDLE): AppCredentials(APP, credentials)}

    def find(self, dialect: str, lookup_key: str) -> AppCredentials[Any] | None:
        return self.apps.get((dialect, lookup_key))


def ingest_request(
    body: bytes,
    method: str = "event",
    *,
    now_ms: int = NOW_MS,
    bundle: str = APPSFLYER_BUNDLE,
    http_method: str = "POST",
    content_type: str | None = JSON,
    complete: bool = True,
) -> IngestRequest:
    headers = {} if content_type is None else {"content-type": content_type}
    return IngestRequest(
        method=http_method,
        path=f"/v1/{bundle}/{method}",
        path_params={"bundle_id": bundle, "method": method},
        query={},
        headers=headers,
        body=body,
        body_complete=complete,
        client_ip="192.0.2.1",
        received_at_ms=now_ms,
    )


def handle(body: bytes, method: str = "event", **options: Any) -> Submission | Rejection:
    """The dialect alone, no server: `options` as for `ingest_request`."""
    request = ingest_request(body, method, **options)
    env = DialectEnv(credentials=Lookup(), clock=FakeClock(request.received_at_ms))
    return AppsflyerWeb().handle(request, env)


def accepted(result: Submission | Rejection) -> Submission:
    assert isinstance(result, Submission), result
    return result


def rejected(result: Submission | Rejection) -> Rejection:
    assert isinstance(result, Rejection), result
    return result
