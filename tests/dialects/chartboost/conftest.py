"""Fixtures for the Chartboost PIA tests; the helpers they use are in chartboost_helpers.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from chartboost_helpers import Wire, serve

from support.live import FakeClock


@pytest.fixture
def wire(sqlite_url: str, clock: FakeClock) -> Iterator[Wire]:
    """A fresh server on SQLite: for behaviour that does not depend on the engine."""
    with serve(sqlite_url, clock) as serving:
        yield serving


@pytest.fixture
def engine_wire(database_url: str, clock: FakeClock) -> Iterator[Wire]:
    """A fresh server on each engine (SQLite and PostgreSQL)."""
    with serve(database_url, clock) as serving:
        yield serving
