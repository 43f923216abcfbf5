"""The reads behind the query API: events and outcomes newest first, daily totals.

Listings are newest first by arrival (id). Given a time window (`since`/`until`), they are
newest first by that time instead, so the time index finds a page without sorting the window.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import msgspec
import sqlalchemy as sa

from postback.storage.base import Database
from postback.storage.records import (
    AttributionRecord,
    DailyEventTotal,
    DailyOutcomeTotal,
    EventPage,
    EventRecord,
    OutcomePage,
    OutcomeRecord,
    RawRecord,
)
from postback.storage.rows import DAY_MS, from_micros
from postback.storage.schema import (
    daily_event_totals,
    daily_outcome_totals,
    event_attribution,
    event_identities,
    events,
    identity_links,
    outcomes,
)

MAX_STITCH_HOPS = 6
MAX_STITCHED_IDS = 1000
DECODER = msgspec.json.Decoder(float_hook=Decimal)


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: below `id`, or in a time window below (`time_ms`, `id`)."""

    id: int
    time_ms: int | None = None

    @classmethod
    def decode(cls, text: str, windowed: bool) -> Cursor:
        """The `next_cursor` of a previous page; ValueError when it is not one of this listing."""
        parts = text.split(".")
        if len(parts) != (2 if windowed else 1) or not all(map(_is_whole, parts)):
            raise ValueError("not a cursor of this listing")
        *time_ms, id_ = (int(part) for part in parts)
        return cls(id=id_, time_ms=time_ms[0] if time_ms else None)

    def encode(self) -> str:
        return str(self.id) if self.time_ms is None else f"{self.time_ms}.{self.id}"


@dataclass(frozen=True, kw_only=True)
class EventFilter:
    app: str | None = None
    dialect: str | None = None
    name: str | None = None
    user: str | None = None
    since_ms: int | None = None
    until_ms: int | None = None
    cursor: Cursor | None = None
    limit: int = 100

    @property
    def windowed(self) -> bool:
        return self.since_ms is not None or self.until_ms is not None


@dataclass(frozen=True, kw_only=True)
class OutcomeFilter:
    app: str | None = None
    dialect: str | None = None
    reason: str | None = None
    since_ms: int | None = None
    until_ms: int | None = None
    cursor: Cursor | None = None
    limit: int = 100

    @property
    def windowed(self) -> bool:
        return self.since_ms is not None or self.until_ms is not None


def iso(time_ms: int) -> str:
    moment = dt.datetime.fromtimestamp(time_ms / 1000, tz=dt.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@functools.lru_cache(maxsize=4096)
def day_text(day: int) -> str:
    """The date of a day number (days since 1970-01-01), as YYYY-MM-DD."""
    return iso(day * DAY_MS)[:10]


def find_events(database: Database, where: EventFilter) -> EventPage:
    query = (
        sa.select(events, *_raw_columns(), *_attribution_columns())
        .join(outcomes, outcomes.c.id == events.c.outcome_id)
        .outerjoin(event_attribution, event_attribution.c.event_id == events.c.id)
    )
    conditions = _equal(events, app=where.app, dialect=where.dialect, name=where.name)
    conditions += _window(events.c.event_time_ms, where.since_ms, where.until_ms)
    keys = _page_keys(events.c.event_time_ms, events.c.id, where.windowed)
    conditions += _below(keys, where.cursor)
    with database.reader.connect() as connection:
        if where.user is not None:
            ids = stitched_ids(connection, where.user, where.app)
            carriers = sa.select(event_identities.c.event_id).where(
                event_identities.c.id_value.in_(ids)
            )
            conditions.append(events.c.id.in_(carriers))
        query = query.where(*conditions).order_by(*(key.desc() for key in keys))
        found = connection.execute(query.limit(where.limit + 1)).all()
    page = [_event_record(row) for row in found[: where.limit]]
    return EventPage(events=page, next_cursor=_next_cursor(found, where.limit, keys))


def find_outcomes(database: Database, where: OutcomeFilter) -> OutcomePage:
    conditions = _equal(outcomes, app=where.app, dialect=where.dialect, reason=where.reason)
    conditions += _window(outcomes.c.received_at_ms, where.since_ms, where.until_ms)
    keys = _page_keys(outcomes.c.received_at_ms, outcomes.c.id, where.windowed)
    conditions += _below(keys, where.cursor)
    query = sa.select(outcomes).where(*conditions).order_by(*(key.desc() for key in keys))
    with database.reader.connect() as connection:
        found = connection.execute(query.limit(where.limit + 1)).all()
        page_ids = [row.id for row in found[: where.limit]]
        stored = connection.execute(
            sa.select(events.c.outcome_id, events.c.id)
            .where(events.c.outcome_id.in_(page_ids))
            .order_by(events.c.id)
        ).all()
    event_ids: dict[int, list[int]] = {}
    for outcome_id, event_id in stored:
        event_ids.setdefault(outcome_id, []).append(event_id)
    page = [_outcome_record(row, event_ids.get(row.id, [])) for row in found[: where.limit]]
    return OutcomePage(outcomes=page, next_cursor=_next_cursor(found, where.limit, keys))


def stitched_ids(connection: sa.Connection, user: str, app: str | None) -> set[str]:
    """The id and every id linked to it, directly or through other ids (bounded)."""
    seen, frontier = {user}, {user}
    for _ in range(MAX_STITCH_HOPS):
        linked = {value for row in connection.execute(_links_of(frontier, app)) for value in row}
        frontier = linked - seen
        if not frontier or len(seen) >= MAX_STITCHED_IDS:
            break
        seen |= frontier
    return seen


def _links_of(values: set[str], app: str | None) -> sa.CompoundSelect[str, str]:
    """The links with any of the values on either side: one index look-up per side."""
    links = identity_links.c
    sides = []
    for side in (links.left_value, links.right_value):
        query = sa.select(links.left_value, links.right_value).where(side.in_(values))
        sides.append(query if app is None else query.where(links.app == app))
    return sa.union_all(*sides)


def daily_events(
    database: Database, app: str | None, since_ms: int | None, until_ms: int | None
) -> list[DailyEventTotal]:
    table = daily_event_totals
    conditions = _equal(table, app=app) + _days(table.c.day, since_ms, until_ms)
    query = (
        sa.select(
            table.c.day,
            table.c.app,
            table.c.dialect,
            table.c.kind,
            table.c.name,
            table.c.events,
            table.c.reporting_revenue_micros,
        )
        .where(*conditions)
        .order_by(table.c.day, table.c.app, table.c.name)
    )
    with database.reader.connect() as connection:
        found = connection.execute(query).all()
    return [
        DailyEventTotal(
            day=day_text(day),
            app=app,
            dialect=dialect,
            kind=kind,
            name=name,
            events=count,
            reporting_revenue=from_micros(revenue_micros) or Decimal(0),
        )
        for day, app, dialect, kind, name, count, revenue_micros in found
    ]


def daily_outcomes(
    database: Database, app: str | None, since_ms: int | None, until_ms: int | None
) -> list[DailyOutcomeTotal]:
    table = daily_outcome_totals
    conditions = _equal(table, app=app) + _days(table.c.day, since_ms, until_ms)
    query = (
        sa.select(table.c.day, table.c.app, table.c.dialect, table.c.reason, table.c.requests)
        .where(*conditions)
        .order_by(table.c.day, table.c.app, table.c.reason)
    )
    with database.reader.connect() as connection:
        found = connection.execute(query).all()
    return [
        DailyOutcomeTotal(
            day=day_text(day), app=app or None, dialect=dialect, reason=reason, requests=requests
        )
        for day, app, dialect, reason, requests in found
    ]


def _equal(table: sa.Table, **values: str | None) -> list[sa.ColumnElement[bool]]:
    return [table.c[name] == value for name, value in values.items() if value is not None]


def _window(
    column: sa.ColumnElement[int], since_ms: int | None, until_ms: int | None
) -> list[sa.ColumnElement[bool]]:
    conditions = []
    if since_ms is not None:
        conditions.append(column >= since_ms)
    if until_ms is not None:
        conditions.append(column < until_ms)
    return conditions


def _days(
    column: sa.ColumnElement[int], since_ms: int | None, until_ms: int | None
) -> list[sa.ColumnElement[bool]]:
    since_day = None if since_ms is None else since_ms // DAY_MS
    until_day = None if until_ms is None else -(-until_ms // DAY_MS)
    return _window(column, since_day, until_day)


PageKeys = tuple[sa.Column[int], ...]


def _page_keys(time: sa.Column[int], id_: sa.Column[int], windowed: bool) -> PageKeys:
    """The listing's order, newest first: (time, id) in a time window, else id."""
    return (time, id_) if windowed else (id_,)


def _below(keys: PageKeys, cursor: Cursor | None) -> list[sa.ColumnElement[bool]]:
    """The rows after the cursor's, in the listing's order (spelled so an index range serves it)."""
    if cursor is None:
        return []
    *time, id_ = keys
    if not time:
        return [id_ < cursor.id]
    return [time[0] <= cursor.time_ms, sa.or_(time[0] < cursor.time_ms, id_ < cursor.id)]


def _next_cursor(found: Sequence[Any], limit: int, keys: PageKeys) -> str | None:
    if len(found) <= limit:
        return None
    last = found[limit - 1]
    *time, id_ = (getattr(last, key.name) for key in keys)
    return Cursor(id=id_, time_ms=time[0] if time else None).encode()


def _is_whole(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _raw_columns() -> list[sa.ColumnElement[Any]]:
    names = ("method", "path", "query", "headers", "body", "body_truncated", "client_ip")
    return [outcomes.c[name].label(f"raw_{name}") for name in names]


def _raw(row: Any, prefix: str) -> RawRecord:
    def value(name: str) -> Any:
        return getattr(row, prefix + name)

    return RawRecord(
        method=value("method"),
        path=value("path"),
        query=value("query"),
        headers=DECODER.decode(value("headers")),
        body=bytes(value("body")).decode("utf-8", errors="replace"),
        body_truncated=bool(value("body_truncated")),
        client_ip=value("client_ip"),
    )


def _event_record(row: Any) -> EventRecord:
    return EventRecord(
        id=row.id,
        app=row.app,
        dialect=row.dialect,
        kind=row.kind,
        name=row.name,
        event_time=iso(row.event_time_ms),
        received_at=iso(row.received_at_ms),
        original_event_time=None if row.original_time_ms is None else iso(row.original_time_ms),
        ids=DECODER.decode(row.ids),
        revenue=from_micros(row.revenue_micros),
        currency=row.currency,
        reporting_revenue=from_micros(row.reporting_revenue_micros),
        properties=DECODER.decode(row.properties),
        flags=DECODER.decode(row.flags),
        outcome_id=row.outcome_id,
        raw=_raw(row, "raw_"),
        attribution=_attribution(row),
    )


def _outcome_record(row: Any, event_ids: list[int]) -> OutcomeRecord:
    return OutcomeRecord(
        id=row.id,
        received_at=iso(row.received_at_ms),
        dialect=row.dialect,
        app=row.app,
        reason=row.reason,
        message=row.message,
        event_ids=event_ids,
        raw=_raw(row, ""),
    )


ATTRIBUTION_COLUMNS = ("install_event_id", "publisher", "campaign", "campaign_id")


def _attribution_columns() -> list[sa.ColumnElement[Any]]:
    return [event_attribution.c[name].label(f"attribution_{name}") for name in ATTRIBUTION_COLUMNS]


def _attribution(row: Any) -> AttributionRecord | None:
    if row.attribution_install_event_id is None:
        return None
    return AttributionRecord(
        install_event_id=row.attribution_install_event_id,
        publisher=row.attribution_publisher,
        campaign=row.attribution_campaign,
        campaign_id=row.attribution_campaign_id,
    )
