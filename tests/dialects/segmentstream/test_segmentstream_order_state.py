"""The order state machine on its own: what each change does to an order and to revenue."""

from __future__ import annotations

from decimal import Decimal

import pytest

from postback.model import OrderAction, OrderChange
from postback.storage.orders import OrderState, Sent, event_revenue, next_state, revenue_change

USD = "USD"


def sent(
    action: OrderAction, total: int | None = None, currency: str | None = USD, **options: object
) -> Sent:
    reporting = options.get("reporting", total)
    assert reporting is None or isinstance(reporting, int)
    status = options.get("status")
    assert status is None or isinstance(status, str)
    change = OrderChange(order_id="A1", action=action, status=status)
    return Sent(change, total, currency if total is not None else None, reporting)


COUNTING = OrderState(
    status="paid", total_micros=100, currency=USD, reporting_micros=100, completed=True
)


def test_a_completion_counts_its_total() -> None:
    after, flags = next_state(None, sent(OrderAction.COMPLETE, 100, status="paid"))
    assert (after, flags) == (COUNTING, [])
    assert revenue_change(None, after) == (100, USD)


def test_an_update_counts_the_new_total() -> None:
    after, flags = next_state(COUNTING, sent(OrderAction.UPDATE, 80, reporting=80))
    assert (after.total_micros, after.reporting_micros, after.status, flags) == (80, 80, "paid", [])
    assert revenue_change(COUNTING, after) == (-20, USD)


def test_an_unchanged_total_keeps_the_counted_revenue_at_its_first_rate() -> None:
    """The pipeline converts at each event's day; an unchanged total is not converted again."""
    euros = OrderState(total_micros=100, currency="EUR", reporting_micros=110, completed=True)
    after, _ = next_state(euros, sent(OrderAction.UPDATE, 100, "EUR", reporting=120))
    assert after.reporting_micros == 110
    assert (
        event_revenue(euros, after, sent(OrderAction.UPDATE, 100, "EUR")).reporting_revenue is None
    )


def test_a_refund_takes_out_what_the_order_counts() -> None:
    after, flags = next_state(COUNTING, sent(OrderAction.REFUND))
    assert (after.refunded, after.reporting_micros, after.total_micros, flags) == (True, 0, 100, [])
    assert revenue_change(COUNTING, after) == (-100, USD)


@pytest.mark.parametrize("action", [OrderAction.UPDATE, OrderAction.REFUND])
def test_changes_of_an_unknown_order_count_nothing(action: OrderAction) -> None:
    after, flags = next_state(None, sent(action, 50))
    assert (after.completed, after.reporting_micros, flags) == (False, 0, ["unknown_order"])
    assert revenue_change(None, after) is None


def test_a_refunded_order_counts_nothing_again() -> None:
    refunded = OrderState(total_micros=100, currency=USD, completed=True, refunded=True)
    after, flags = next_state(refunded, sent(OrderAction.COMPLETE, 300))
    assert (after.reporting_micros, flags) == (0, ["order_already_completed", "order_refunded"])
    assert revenue_change(refunded, after) is None


def test_an_unconverted_total_counts_nothing_in_the_reporting_currency() -> None:
    change = sent(OrderAction.COMPLETE, 100, "XTS", reporting=None)
    after, _ = next_state(None, change)
    counted = event_revenue(None, after, change)
    assert (counted.revenue, counted.currency, counted.reporting_revenue) == (
        Decimal("0.0001"),
        "XTS",
        None,
    )
    assert counted.reporting_micros == 0
