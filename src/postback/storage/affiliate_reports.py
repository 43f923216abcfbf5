"""The affiliate report: day x offer x affiliate x event, from the totals kept in the write
transaction (O(days x groups), not O(clicks))."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import sqlalchemy as sa

from postback.storage.affiliate import UNKNOWN
from postback.storage.affiliate_records import AffiliateReport, ReportRow
from postback.storage.base import Database
from postback.storage.queries import day_text
from postback.storage.rows import DAY_MS, MICROS
from postback.storage.schema import (
    affiliate_daily_refusals,
    affiliate_daily_totals,
    affiliates,
    offer_events,
    offers,
)

RATE_PLACES = Decimal("0.01")
Key = tuple[int, int, int, int]


@dataclass(frozen=True, kw_only=True)
class ReportFilter:
    since_ms: int | None = None
    until_ms: int | None = None
    offer_id: int | None = None
    aff_id: int | None = None


@dataclass
class _Group:
    clicks: int = 0
    conversions: int = 0
    events: int = 0
    revenue_micros: int = 0
    payout_micros: int = 0
    refusals: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class _Names:
    offers: dict[int, Any]
    affiliates: dict[int, str]
    events: dict[tuple[int, int], str]


def daily_report(database: Database, where: ReportFilter) -> AffiliateReport:
    groups: dict[Key, _Group] = {}
    with database.reader.connect() as connection:
        for row in connection.execute(_select(affiliate_daily_totals, where)):
            group = groups.setdefault(_key(row), _Group())
            group.clicks += row.clicks
            group.conversions += row.conversions
            group.events += row.events
            group.revenue_micros += row.revenue_micros
            group.payout_micros += row.payout_micros
        for row in connection.execute(_select(affiliate_daily_refusals, where)):
            groups.setdefault(_key(row), _Group()).refusals[row.reason] += row.requests
        names = _names(connection)
    return AffiliateReport(rows=[_row(key, groups, names) for key in sorted(groups)])


def _select(table: sa.Table, where: ReportFilter) -> sa.Select[Any]:
    conditions = []
    if where.since_ms is not None:
        conditions.append(table.c.day >= where.since_ms // DAY_MS)
    if where.until_ms is not None:
        conditions.append(table.c.day < -(-where.until_ms // DAY_MS))
    if where.offer_id is not None:
        conditions.append(table.c.offer_id == where.offer_id)
    if where.aff_id is not None:
        conditions.append(table.c.aff_id == where.aff_id)
    return sa.select(table).where(*conditions)


def _key(row: Any) -> Key:
    return (row.day, row.offer_id, row.aff_id, row.offer_event_id)


def _names(connection: sa.Connection) -> _Names:
    return _Names(
        offers={row.id: row for row in connection.execute(sa.select(offers))},
        affiliates={row.id: row.name for row in connection.execute(sa.select(affiliates))},
        events={
            (row.offer_id, row.id): row.name for row in connection.execute(sa.select(offer_events))
        },
    )


def _row(key: Key, groups: dict[Key, _Group], names: _Names) -> ReportRow:
    day, offer_id, aff_id, event_id = key
    group = groups[key]
    base = groups.get((day, offer_id, aff_id, UNKNOWN))
    clicks = base.clicks if base is not None else 0
    offer = names.offers.get(offer_id)
    revenue = Decimal(group.revenue_micros) / MICROS
    payout = Decimal(group.payout_micros) / MICROS
    return ReportRow(
        day=day_text(day),
        offer_id=_known(offer_id),
        offer_name=offer.name if offer is not None else None,
        aff_id=_known(aff_id),
        affiliate_name=names.affiliates.get(aff_id),
        event_id=_known(event_id),
        event_name=names.events.get((offer_id, event_id)),
        currency=offer.currency if offer is not None else None,
        clicks=group.clicks,
        conversions=group.conversions,
        events=group.events,
        refusals=dict(sorted(group.refusals.items())),
        conversion_rate=_rate(group.events if event_id else group.conversions, clicks),
        revenue=revenue,
        payout=payout,
        profit=revenue - payout,
    )


def _known(value: int) -> int | None:
    return None if value == UNKNOWN else value


def _rate(count: int, clicks: int) -> Decimal | None:
    if not clicks:
        return None
    return (Decimal(count) * 100 / clicks).quantize(RATE_PLACES, rounding=ROUND_HALF_EVEN)
