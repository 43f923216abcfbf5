"""install_postback test helpers: a live server seen by a client, and the dialect on its own.

Imported by name (pytest puts this folder on sys.path); the fixtures are in conftest.py.
"""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import urlencode

import httpx

from postback.dialects._common import AppCredentials, DialectEnv, IngestRequest
from postback.dialects.install_postback import InstallPostback
from postback.dialects.install_postback.credentials import InstallPostbackCredentials
from postback.model import Rejection, Submission
from support.client import LiveClient, serve_as
from support.config import (
    ADMIN_TOKEN,
    APP,
    APPSFLYER_BUNDLE,
    APPSFLYER_KEY,
    INSTALL_API_KEY,
)
from support.live import FakeClock

DIALECT = "install_postback"
PATH = "/track/install/v1/custom/"
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
NOW_MS = 1_700_000_000_000
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
GAID = "0123456789ab-cdef-0123-456789abcdef"
CANONICAL_GAID = "01234567-89ab-cdef-0123-456789abcdef"
EXAMPLE: dict[str, Any] = {
    "install_timestamp": "2019-01-02 18:01:23",
    "click_timestamp": "2019-01-02 18:01:01",
    "publisher_name": "Publisher",
    "campaign_name": "Campaign",
    "country_code": "US",
    "s_campaign_name": "Advertising campaign name",
    "s_site_name": "Advertisement site",
    "s_adgroup_name": "Ad group",
    "s_ad_name": "Ad",
    "device_model": "Pixel 4",
    "device_brand": "Google",
    "google_aid": GAID,
    "cost": 0.12,
}


def example(**fields: Any) -> dict[str, Any]:
    """The document's example with `fields` added or replaced; a field set to None is left out."""
    payload = {**EXAMPLE, **fields}
    return {name: value for name, value in payload.items() if value is not None}


def refused(status: int, message: str) -> dict[str, Any]:
    return {"status": status, "error": message}


OK = {"status": 200, "message": "install recorded", "duplicate": False}
DUPLICATE = {"status": 200, "message": "duplicate: already recorded", "duplicate": True}


class Wire(LiveClient):
    """One live server, from the client's side: the install endpoint, appsflyer, the admin API."""

    def post_json(self, payload: Any, key: str | None = INSTALL_API_KEY) -> httpx.Response:
        return self.send("POST", json.dumps(payload).encode(), key=key)

    def post_form(
        self, fields: dict[str, Any], key: str | None = INSTALL_API_KEY
    ) -> httpx.Response:
        return self.send("POST", urlencode(fields).encode(), key=key, content_type=FORM)

    def get(self, fields: dict[str, Any], key: str | None = INSTALL_API_KEY) -> httpx.Response:
        query = urlencode({**fields, **({} if key is None else {"apikey": key})})
        return self.client.get(f"{PATH}?{query}")

    def send(
        self,
        method: str,
        body: bytes = b"",
        *,
        key: str | None = INSTALL_API_KEY,
        path: str = PATH,
        content_type: str | None = JSON,
        query: str | None = None,
    ) -> httpx.Response:
        if query is None:
            query = "" if key is None else urlencode({"apikey": key})
        headers = {} if content_type is None else {"Content-Type": content_type}
        return self.client.request(method, f"{path}?{query}", content=body, headers=headers)

    def appsflyer_event(self, **fields: Any) -> httpx.Response:
        payload = {"webDevKey": APPSFLYER_KEY, "eventType": "EVENT", **fields}
        return self.client.post(
            f"/v1/{APPSFLYER_BUNDLE}/event",
            content=json.dumps(payload),
            headers={"Content-Type": JSON},
        )

    def report(self, **params: str) -> dict[str, Any]:
        return self.admin("/api/v1/reports/attribution", **params)


def serve(database_url: str, clock: FakeClock) -> AbstractContextManager[Wire]:
    return serve_as(Wire, database_url, clock)


class Lookup:
    """The CredentialLookup a dialect receives: here a dict holding the test key."""

    def __init__(self) -> None:
        credentials = InstallPostbackCredentials(api_key=INSTALL_API_KEY)
        self.apps = {(DIALECT, INSTALL_API_KEY): AppCredentials(APP, credentials)}

    def find(self, dialect: str, lookup_key: str) -> AppCredentials[Any] | None:
        return self.apps.get((dialect, lookup_key))


def handle(
    method: str,
    query: dict[str, str],
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    slash: str = "/",
) -> Submission | Rejection:
    """The dialect alone, no server."""
    request = IngestRequest(
        method=method,
        path=PATH,
        path_params={"slash": slash},
        query=query,
        headers=headers or {},
        body=body,
        body_complete=True,
        client_ip="192.0.2.1",
        received_at_ms=NOW_MS,
    )
    env = DialectEnv(credentials=Lookup(), clock=FakeClock(NOW_MS))
    return InstallPostback().handle(request, env)
