"""A live server from the client's side: one HTTP client and the admin API's reads.

Each dialect's tests subclass LiveClient with the dialect's own endpoints.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import httpx

from support.config import ADMIN_TOKEN, make_settings
from support.live import FakeClock, live_server

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
ClientT = TypeVar("ClientT", bound="LiveClient")


class LiveClient:
    def __init__(self, url: str, clock: FakeClock) -> None:
        self.url = url
        self.clock = clock
        self.client = httpx.Client(base_url=url, timeout=60)

    def admin(self, path: str, **params: str) -> dict[str, Any]:
        """GET an admin API path; it must answer 200."""
        answer = self.client.get(path, params=params, headers=ADMIN)
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found

    def events(self, **params: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.admin("/api/v1/events", **{"limit": "1000", **params})[
            "events"
        ]
        return found

    def outcomes(self, **params: str) -> list[dict[str, Any]]:
        answer = self.admin("/api/v1/outcomes", **{"limit": "1000", **params})
        found: list[dict[str, Any]] = answer["outcomes"]
        return found


@contextmanager
def serve_as(
    client_type: type[ClientT],
    database_url: str,
    clock: FakeClock,
    document: dict[str, Any] | None = None,
) -> Iterator[ClientT]:
    """The app on `database_url` (optionally with an edited test configuration), on loopback."""
    with live_server(make_settings(database_url, document), clock) as live:
        client = client_type(live.url, clock)
        try:
            yield client
        finally:
            client.client.close()
