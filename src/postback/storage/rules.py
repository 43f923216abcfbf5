"""Rules the database enforces inside the write transaction, so they hold across nodes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from postback.model import Event, Requirement
from postback.storage.base import Database
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


def _count_after(
    connection: sa.Connection, database: Database, window: tuple[str, str, int], requests: int
) -> int:
    """Add `requests` to the window's count and return the new count."""
    app, dialect, window_start = window
    statement = database.insert(rate_windows).values(
        app=app, dialect=dialect, window_start_ms=window_start, requests=requests
    )
    statement = statement.on_conflict_do_update(
        index_elements=["app", "dialect", "window_start_ms"],
        set_={"requests": rate_windows.c.requests + statement.excluded.requests},
    ).returning(rate_windows.c.requests)
    return int(connection.execute(statement).scalar_one())


def claim_dedup_key(connection: sa.Connection, database: Database, event: Event) -> bool:
    """True when the event's dedup key is new for its app and dialect (and is now taken)."""
    statement = (
        database.insert(dedup_keys)
        .values(
            app=event.app,
            dialect=event.dialect,
            key=event.dedup_key,
            created_at_ms=event.received_at_ms,
        )
        .on_conflict_do_nothing()
        .returning(dedup_keys.c.key)
    )
    return connection.execute(statement).first() is not None


def unmet_requirement(connection: sa.Connection, event: Event) -> Requirement | None:
    """The first of the event's requirements whose key is not a dedup key of its app yet."""
    for requirement in event.requires:
        query = sa.select(dedup_keys.c.key).where(
            dedup_keys.c.app == event.app,
            dedup_keys.c.dialect == event.dialect,
            dedup_keys.c.key == requirement.key,
        )
        if connection.execute(query).first() is None:
            return requirement
    return None


def claim_sequence(connection: sa.Connection, database: Database, event: Event) -> bool:
    """True when (major, minor) is the scope's first value or strictly above its current one."""
    claim = event.sequence
    assert claim is not None
    statement = database.insert(sequence_state).values(
        app=event.app,
        scope=claim.scope,
        major=claim.major,
        minor=claim.minor,
        updated_at_ms=event.received_at_ms,
    )
    current = sa.tuple_(sequence_state.c.major, sequence_state.c.minor)
    proposed = sa.tuple_(statement.excluded.major, statement.excluded.minor)
    statement = statement.on_conflict_do_update(
        index_elements=["app", "scope"],
        set_={
            "major": statement.excluded.major,
            "minor": statement.excluded.minor,
            "updated_at_ms": statement.excluded.updated_at_ms,
        },
        where=proposed > current,
    ).returning(sequence_state.c.major)
    return connection.execute(statement).first() is not None
