"""The reads behind the orders API: each order's latest state, with its history."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import msgspec
import sqlalchemy as sa

from postback.storage.base import Database
from postback.storage.queries import iso
from postback.storage.rows import from_micros
from postback.storage.schema import events, order_history, orders

DECODER = msgspec.json.Decoder(list[str])


class OrderChangeRecord(msgspec.Struct, kw_only=True):
    """One change of an order: the order as it stood after it, and what reports gained."""

    action: str
    status: str | None
    total: Decimal | None
    currency: str | None
    reporting_revenue_change: Decimal
    reporting_revenue: Decimal
    flags: list[str]
    changed_at: str
    outcome_id: int
    event_id: int | None


class OrderRecord(msgspec.Struct, kw_only=True):
    """An order's latest state; `reporting_revenue` is what the revenue reports count for it."""

    app: str
    order_id: str
    status: str | None
    total: Decimal | None
    currency: str | None
    reporting_revenue: Decimal
    completed: bool
    refunded: bool
    created_at: str
    updated_at: str
    history: list[OrderChangeRecord]


class OrderPage(msgspec.Struct, kw_only=True):
    reporting_currency: str
    orders: list[OrderRecord]
    next_cursor: str | None


@dataclass(frozen=True, kw_only=True)
class OrderFilter:
    app: str
    order_id: str | None = None
    after: str | None = None
    limit: int = 100


def find_orders(database: Database, where: OrderFilter, reporting_currency: str) -> OrderPage:
    """The app's orders by order id (or the one named), each with its history, oldest first."""
    query = sa.select(orders).where(orders.c.app == where.app)
    if where.order_id is not None:
        query = query.where(orders.c.order_id == where.order_id)
    if where.after is not None:
        query = query.where(orders.c.order_id > where.after)
    query = query.order_by(orders.c.order_id).limit(where.limit + 1)
    with database.reader.connect() as connection:
        found = connection.execute(query).all()
        page = found[: where.limit]
        history = _history(connection, where.app, [row.order_id for row in page])
    more = len(found) > where.limit
    return OrderPage(
        reporting_currency=reporting_currency,
        orders=[_order(row, history.get(row.order_id, [])) for row in page],
        next_cursor=page[-1].order_id if more else None,
    )


def _history(
    connection: sa.Connection, app: str, order_ids: list[str]
) -> dict[str, list[OrderChangeRecord]]:
    if not order_ids:
        return {}
    query = (
        sa.select(order_history, events.c.id.label("event_id"))
        .outerjoin(events, events.c.outcome_id == order_history.c.outcome_id)
        .where(order_history.c.app == app, order_history.c.order_id.in_(order_ids))
        .order_by(order_history.c.id)
    )
    changes: dict[str, list[OrderChangeRecord]] = {}
    for row in connection.execute(query):
        changes.setdefault(row.order_id, []).append(_change(row))
    return changes


def _order(row: Any, history: list[OrderChangeRecord]) -> OrderRecord:
    return OrderRecord(
        app=row.app,
        order_id=row.order_id,
        status=row.status,
        total=from_micros(row.total_micros),
        currency=row.currency,
        reporting_revenue=from_micros(row.reporting_revenue_micros) or Decimal(0),
        completed=bool(row.completed),
        refunded=bool(row.refunded),
        created_at=iso(row.created_at_ms),
        updated_at=iso(row.updated_at_ms),
        history=history,
    )


def _change(row: Any) -> OrderChangeRecord:
    return OrderChangeRecord(
        action=row.action,
        status=row.status,
        total=from_micros(row.total_micros),
        currency=row.currency,
        reporting_revenue_change=from_micros(row.revenue_change_micros) or Decimal(0),
        reporting_revenue=from_micros(row.reporting_revenue_micros) or Decimal(0),
        flags=DECODER.decode(row.flags),
        changed_at=iso(row.changed_at_ms),
        outcome_id=row.outcome_id,
        event_id=row.event_id,
    )
