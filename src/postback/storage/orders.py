"""Orders' latest state and history, kept inside the write transaction (so across nodes too).

An event carrying an `OrderChange` (`Event.order`) arrives with the order's new total as its
revenue, converted to the reporting currency by the pipeline. Here, with the order's row
locked, the change is applied in arrival order and the event's revenue becomes what it
changes in the order's counted revenue: a completion adds the total, an update that changes
the total adds the difference, a refund subtracts what the order counts. The daily totals
add the event's revenue, so reports always read the orders' latest state.

- An update or refund of an order never completed (or with no order id) is stored and
  flagged `unknown_order`; the order is kept (counting nothing) for a completion to come.
- A second completion of an order replaces its total (`order_already_completed`).
- A refunded order counts nothing from then on (`order_refunded` on later changes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

import msgspec
import sqlalchemy as sa

from postback.model import Event, OrderAction, OrderChange
from postback.storage.base import Database
from postback.storage.driver import Prepared, execute, insert_into
from postback.storage.rows import from_micros, to_micros
from postback.storage.schema import order_history, orders

ENCODER = msgspec.json.Encoder()
UNKNOWN_ORDER = "unknown_order"
ALREADY_COMPLETED = "order_already_completed"
REFUNDED = "order_refunded"
CURRENCY_CHANGED = "order_currency_changed"


@dataclass(frozen=True, slots=True)
class OrderState:
    status: str | None = None
    total_micros: int | None = None
    currency: str | None = None
    reporting_micros: int = 0
    completed: bool = False
    refunded: bool = False

    def counted(self) -> tuple[int, str] | None:
        """The total this order adds to revenue, in its own currency; None when it adds none."""
        if not self.completed or self.refunded or self.total_micros is None:
            return None
        return (self.total_micros, self.currency or "")


@dataclass(frozen=True, slots=True)
class Sent:
    """What one event says about its order: the change, and the new total if it names one."""

    change: OrderChange
    total_micros: int | None
    currency: str | None
    reporting_micros: int | None

    @classmethod
    def of(cls, event: Event) -> Sent:
        assert event.order is not None
        return cls(
            event.order,
            to_micros(event.revenue),
            event.currency,
            to_micros(event.reporting_revenue),
        )


def apply_order_changes(
    connection: sa.Connection, database: Database, pending: Sequence[tuple[int | None, Event]]
) -> None:
    """Apply, in order, the order change of each (outcome id, event) about to be stored."""
    for outcome_id, event in pending:
        if event.order is not None:
            _apply(connection, database, event, outcome_id or 0)


def next_state(before: OrderState | None, sent: Sent) -> tuple[OrderState, list[str]]:
    """The order after the change, and the flags the change earns."""
    base = before or OrderState()
    action = sent.change.action
    after = replace(
        base,
        status=sent.change.status or base.status,
        completed=base.completed or action is OrderAction.COMPLETE,
        refunded=base.refunded or action is OrderAction.REFUND,
    )
    if sent.total_micros is not None:
        after = replace(after, total_micros=sent.total_micros, currency=sent.currency)
    if after.counted() is None:
        after = replace(after, reporting_micros=0)
    elif sent.total_micros is not None and (not base.completed or _total_changed(base, sent)):
        after = replace(after, reporting_micros=sent.reporting_micros or 0)
    return after, _flags(base, after, action)


def _total_changed(base: OrderState, sent: Sent) -> bool:
    return (sent.total_micros, sent.currency) != (base.total_micros, base.currency)


def _flags(base: OrderState, after: OrderState, action: OrderAction) -> list[str]:
    flags = []
    if not after.completed:
        flags.append(UNKNOWN_ORDER)
    if action is OrderAction.COMPLETE and base.completed:
        flags.append(ALREADY_COMPLETED)
    if base.refunded:
        flags.append(REFUNDED)
    return flags


def revenue_change(before: OrderState | None, after: OrderState) -> tuple[int, str] | None:
    """What the change adds to the order's revenue in its own currency.

    None when it adds nothing, or when the currency changed (then only the reporting
    currency can say what changed).
    """
    old, new = (before or OrderState()).counted(), after.counted()
    if old is None:
        return new
    if new is None:
        return (-old[0], old[1])
    if old[1] != new[1] or old[0] == new[0]:
        return None
    return (new[0] - old[0], new[1])


@dataclass(frozen=True, slots=True)
class EventRevenue:
    """What an event adds to revenue, in the order's currency and in the reporting currency."""

    revenue: Decimal | None
    currency: str | None
    reporting_revenue: Decimal | None
    reporting_micros: int
    flags: list[str]


def event_revenue(before: OrderState | None, after: OrderState, sent: Sent) -> EventRevenue:
    """What the event adds: the daily totals add exactly `reporting_micros`."""
    change = revenue_change(before, after)
    reporting = after.reporting_micros - (before.reporting_micros if before else 0)
    unconverted = sent.total_micros is not None and sent.reporting_micros is None
    quiet = reporting == 0 and (change is None or unconverted)
    return EventRevenue(
        revenue=None if change is None else from_micros(change[0]),
        currency=None if change is None else change[1],
        reporting_revenue=None if quiet else from_micros(reporting),
        reporting_micros=reporting,
        flags=[CURRENCY_CHANGED] if change is None and reporting else [],
    )


def _apply(connection: sa.Connection, database: Database, event: Event, outcome_id: int) -> None:
    """Change the order's row, set the event's revenue to what it adds, keep the history."""
    sent = Sent.of(event)
    before, after, flags = _change_state(connection, database, event, sent)
    counted = event_revenue(before, after, sent)
    event.revenue, event.currency = counted.revenue, counted.currency
    event.reporting_revenue = counted.reporting_revenue
    flags += counted.flags
    event.flags.extend(flags)
    row = _history_row(event, outcome_id, after, counted.reporting_micros)
    row["flags"] = ENCODER.encode(flags).decode()
    execute(connection, database, INSERT_HISTORY, row)


def _change_state(
    connection: sa.Connection, database: Database, event: Event, sent: Sent
) -> tuple[OrderState | None, OrderState, list[str]]:
    """The order before and after (its row locked until commit), and the change's flags."""
    assert event.order is not None
    key = {"app": event.app, "order_id": event.order.order_id}
    before = _locked_state(connection, database, key)
    if before is None:
        after, flags = next_state(None, sent)
        if _insert_state(connection, database, event, after):
            return None, after, flags
        before = _locked_state(connection, database, key)
        assert before is not None, "a concurrent writer created the order"
    after, flags = next_state(before, sent)
    values = {**key, **_state_values(after, event.received_at_ms)}
    execute(connection, database, UPDATE_STATE, values)
    return before, after, flags


STATE_COLUMNS = (
    "status",
    "total_micros",
    "currency",
    "reporting_revenue_micros",
    "completed",
    "refunded",
    "updated_at_ms",
)
ORDER_KEY = (orders.c.app == sa.bindparam("app"), orders.c.order_id == sa.bindparam("order_id"))
LOCKED_STATE = Prepared(
    lambda _: (
        sa.select(*(orders.c[name] for name in STATE_COLUMNS[:-1]))
        .where(*ORDER_KEY)
        .with_for_update()
    )
)
INSERT_STATE = insert_into(orders, returning="order_id", skip_existing=True)
UPDATE_STATE = Prepared(lambda _: orders.update().where(*ORDER_KEY), STATE_COLUMNS)
INSERT_HISTORY = insert_into(order_history)


def _locked_state(
    connection: sa.Connection, database: Database, key: dict[str, str]
) -> OrderState | None:
    found = execute(connection, database, LOCKED_STATE, key)
    if not found:
        return None
    status, total_micros, currency, reporting_micros, completed, refunded = found[0]
    return OrderState(
        status=status,
        total_micros=total_micros,
        currency=currency,
        reporting_micros=reporting_micros,
        completed=bool(completed),
        refunded=bool(refunded),
    )


def _state_values(state: OrderState, at_ms: int) -> dict[str, object]:
    return {
        "status": state.status,
        "total_micros": state.total_micros,
        "currency": state.currency,
        "reporting_revenue_micros": state.reporting_micros,
        "completed": state.completed,
        "refunded": state.refunded,
        "updated_at_ms": at_ms,
    }


def _insert_state(
    connection: sa.Connection, database: Database, event: Event, state: OrderState
) -> bool:
    """Create the order; False when it already exists (a concurrent writer created it)."""
    assert event.order is not None
    row = {
        "app": event.app,
        "order_id": event.order.order_id,
        "created_at_ms": event.received_at_ms,
        **_state_values(state, event.received_at_ms),
    }
    return bool(execute(connection, database, INSERT_STATE, row))


def _history_row(
    event: Event, outcome_id: int, after: OrderState, reporting_change: int
) -> dict[str, object]:
    assert event.order is not None
    return {
        "app": event.app,
        "order_id": event.order.order_id,
        "outcome_id": outcome_id,
        "action": event.order.action.value,
        "status": after.status,
        "total_micros": after.total_micros,
        "currency": after.currency,
        "revenue_change_micros": reporting_change,
        "reporting_revenue_micros": after.reporting_micros,
        "changed_at_ms": event.received_at_ms,
    }
