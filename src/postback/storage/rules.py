"""Rules the database enforces inside the write transaction, so they hold across nodes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from postback.model import Event, Requirement
from postback.storage.base import Database, Insert
from postback.storage.driver import Prepared, execute, insert_into
from postback.storage.schema import dedup_keys, rate_windows, sequence_state

MINUTE_MS = 60_000


@dataclass(frozen=True, slots=True)
class RateClaim:
    """One request counted against its app's per-minute limit for a dialect."""

    app: str
    dialect: str
    received_at_ms: int
    limit_per_minute: int

    @property
    def window(self) -> tuple[str, str, int]:
        return self.app, self.dialect, self.received_at_ms - self.received_at_ms % MINUTE_MS


def claim_rate_limits(
    connection: sa.Connection, database: Database, claims: Sequence[RateClaim | None]
) -> list[bool]:
    """Count each claim in its minute window; refuse those past the limit, in arrival order."""
    counts = Counter(claim.window for claim in claims if claim is not None)
    limits = {claim.window: claim.limit_per_minute for claim in claims if claim is not None}
    remaining = {
        window: limits[window] - _count_after(connection, database, window, n) + n
        for window, n in sorted(counts.items())
    }
    allowed = []
    for claim in claims:
        if claim is None:
            allowed.append(True)
            continue
        allowed.append(remaining[claim.window] > 0)
        remaining[claim.window] -= 1
    return allowed


def _add_requests(insert: Insert) -> Any:
    statement = insert(rate_windows)
    return statement.on_conflict_do_update(
        index_elements=["app", "dialect", "window_start_ms"],
        set_={"requests": rate_windows.c.requests + statement.excluded.requests},
    ).returning(rate_windows.c.requests)


ADD_REQUESTS = Prepared(_add_requests, ["app", "dialect", "window_start_ms", "requests"])


def _count_after(
    connection: sa.Connection, database: Database, window: tuple[str, str, int], requests: int
) -> int:
    """Add `requests` to the window's count and return the new count."""
    app, dialect, window_start = window
    row = {"app": app, "dialect": dialect, "window_start_ms": window_start, "requests": requests}
    return int(execute(connection, database, ADD_REQUESTS, row)[0][0])


CLAIM_DEDUP_KEY = insert_into(dedup_keys, returning="key", skip_existing=True)


def claim_dedup_key(connection: sa.Connection, database: Database, event: Event) -> bool:
    """True when the event's dedup key is new for its app and dialect (and is now taken)."""
    row = {
        "app": event.app,
        "dialect": event.dialect,
        "key": event.dedup_key,
        "created_at_ms": event.received_at_ms,
    }
    return bool(execute(connection, database, CLAIM_DEDUP_KEY, row))


DEDUP_KEY_TAKEN = Prepared(
    lambda _: sa.select(dedup_keys.c.key).where(
        dedup_keys.c.app == sa.bindparam("app"),
        dedup_keys.c.dialect == sa.bindparam("dialect"),
        dedup_keys.c.key == sa.bindparam("key"),
    )
)


def unmet_requirement(
    connection: sa.Connection, database: Database, event: Event
) -> Requirement | None:
    """The first of the event's requirements whose key is not a dedup key of its app yet."""
    for requirement in event.requires:
        row = {"app": event.app, "dialect": event.dialect, "key": requirement.key}
        if not execute(connection, database, DEDUP_KEY_TAKEN, row):
            return requirement
    return None


def _raise_sequence(insert: Insert) -> Any:
    statement = insert(sequence_state)
    current = sa.tuple_(sequence_state.c.major, sequence_state.c.minor)
    proposed = sa.tuple_(statement.excluded.major, statement.excluded.minor)
    return statement.on_conflict_do_update(
        index_elements=["app", "scope"],
        set_={
            "major": statement.excluded.major,
            "minor": statement.excluded.minor,
            "updated_at_ms": statement.excluded.updated_at_ms,
        },
        where=proposed > current,
    ).returning(sequence_state.c.major)


RAISE_SEQUENCE = Prepared(_raise_sequence, ["app", "scope", "major", "minor", "updated_at_ms"])


def claim_sequence(connection: sa.Connection, database: Database, event: Event) -> bool:
    """True when (major, minor) is the scope's first value or strictly above its current one."""
    claim = event.sequence
    assert claim is not None
    row = {
        "app": event.app,
        "scope": claim.scope,
        "major": claim.major,
        "minor": claim.minor,
        "updated_at_ms": event.received_at_ms,
    }
    return bool(execute(connection, database, RAISE_SEQUENCE, row))
