"""Fixtures for the affiliate tests; the helpers they use are in affiliate_helpers.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from affiliate_helpers import Net, serve

from support.live import FakeClock


@pytest.fixture
def net(sqlite_url: str, clock: FakeClock) -> Iterator[Net]:
    """A fresh server on SQLite: for behaviour that does not depend on the engine."""
    with serve(sqlite_url, clock) as serving:
        yield serving


@pytest.fixture
def engine_net(database_url: str, clock: FakeClock) -> Iterator[Net]:
    """A fresh server on each engine (SQLite and PostgreSQL)."""
    with serve(database_url, clock) as serving:
        yield serving
