"""Canonical events and write jobs for storage tests, built without a dialect."""

import sqlalchemy as sa

from postback.model import Event, EventKind, RawRequest, Submission
from postback.storage.base import Database
from postback.storage.batch import WriteJob

NOW = 1_700_000_000_000


def job(*found: Event, app: str = "gems", rate_limit: int | None = None) -> WriteJob:
    submission = Submission(app=app, events=list(found), rate_limit_per_minute=rate_limit)
    return WriteJob("test", raw(), NOW, submission)


def raw() -> RawRequest:
    return RawRequest(
        method="POST", path="/t", query="", headers={}, body=b"{}", body_truncated=False,
        client_ip="127.0.0.1",
    )  # fmt: skip


def event(name: str = "e", **fields: object) -> Event:
    return Event(
        app="gems", dialect="test", kind=EventKind.EVENT, name=name,
        event_time_ms=NOW, received_at_ms=NOW, **fields,  # type: ignore[arg-type]
    )  # fmt: skip


def count(database: Database, table: sa.Table) -> int:
    with database.reader.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
