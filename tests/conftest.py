"""Fixtures: real SQLite files and a real PostgreSQL server, real HTTP over loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.config import make_settings
from support.live import FakeClock, LiveServer, live_server
from support.postgres import fresh_database, postgres_cluster

ENGINES = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    with postgres_cluster() as url:
        yield url


@pytest.fixture(params=ENGINES)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fresh empty database on each engine: the test runs once per engine."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db')}/postback.db"
    return fresh_database(request.getfixturevalue("postgres_server"))


@pytest.fixture
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db')}/postback.db"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def server(database_url: str, clock: FakeClock) -> Iterator[LiveServer]:
    """The app with the test settings on each engine, served on loopback."""
    with live_server(make_settings(database_url), clock) as live:
        yield live
