"""The attribution report: installs, cost, revenue and ROAS by publisher and campaign.

Read from `daily_attribution_totals`, so it costs O(days x groups). The window selects install
cohorts by install day (UTC); revenue is everything their devices brought in afterwards.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec
import sqlalchemy as sa

from postback.storage.base import Database
from postback.storage.rows import DAY_MS, from_micros
from postback.storage.schema import daily_attribution_totals

COST_CURRENCY = "USD"  # install postbacks send their cost in USD
ROAS_PLACES = Decimal("0.0001")
SUMMED = ("installs", "cost_micros", "reporting_cost_micros", "events", "revenue_micros")


class AttributionGroup(msgspec.Struct, kw_only=True):
    app: str
    publisher: str
    campaign: str | None
    installs: int
    cost: Decimal
    reporting_cost: Decimal
    events: int
    revenue: Decimal
    roas: Decimal | None


class AttributionReport(msgspec.Struct, kw_only=True):
    reporting_currency: str
    cost_currency: str
    groups: list[AttributionGroup]


def attribution_report(
    database: Database,
    app: str | None,
    since_ms: int | None,
    until_ms: int | None,
    reporting_currency: str,
) -> AttributionReport:
    table = daily_attribution_totals
    keys = (table.c.app, table.c.publisher, table.c.campaign)
    sums = [sa.func.sum(table.c[name]).label(name) for name in SUMMED]
    query = sa.select(*keys, *sums).where(*_conditions(app, since_ms, until_ms))
    query = query.group_by(*keys).order_by(*keys)
    with database.reader.connect() as connection:
        found = connection.execute(query).all()
    groups = [_group(row) for row in found]
    return AttributionReport(
        reporting_currency=reporting_currency, cost_currency=COST_CURRENCY, groups=groups
    )


def _conditions(
    app: str | None, since_ms: int | None, until_ms: int | None
) -> list[sa.ColumnElement[bool]]:
    table = daily_attribution_totals
    conditions = []
    if app is not None:
        conditions.append(table.c.app == app)
    if since_ms is not None:
        conditions.append(table.c.day >= since_ms // DAY_MS)
    if until_ms is not None:
        conditions.append(table.c.day < -(-until_ms // DAY_MS))
    return conditions


def _group(row: Any) -> AttributionGroup:
    reporting_cost = _amount(row.reporting_cost_micros)
    revenue = _amount(row.revenue_micros)
    roas = (revenue / reporting_cost).quantize(ROAS_PLACES) if reporting_cost > 0 else None
    return AttributionGroup(
        app=row.app,
        publisher=row.publisher,
        campaign=row.campaign or None,
        installs=int(row.installs),
        cost=_amount(row.cost_micros),
        reporting_cost=reporting_cost,
        events=int(row.events),
        revenue=revenue,
        roas=roas,
    )


def _amount(micros: Any) -> Decimal:
    return from_micros(int(micros)) or Decimal(0)
