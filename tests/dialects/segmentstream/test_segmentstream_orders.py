"""The order lifecycle on both engines: completed, updated, refunded; reports read the latest."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import httpx
from segmentstream_helpers import ADMIN, Wire, compact, hit, nodes, transaction_hit

from support.live import FakeClock

COMPLETED, UPDATED, REFUNDED = (
    "Completed Transaction",
    "Updated Transaction",
    "Refunded Transaction",
)


def send(wire: Wire, name: str, order_id: str = "A1", **transaction: object) -> dict[str, object]:
    """Track one transaction event and return it as stored."""
    wire.accepted(transaction_hit(name, order_id, **transaction))
    return wire.events()[0]


def total_reported(wire: Wire) -> Decimal:
    return sum(wire.reported_revenue().values(), Decimal(0))


def test_completed_updated_refunded(engine_wire: Wire) -> None:
    wire = engine_wire
    completed = send(wire, COMPLETED, total=3029, currency="USD", status="started")
    assert (completed["kind"], completed["revenue"], completed["currency"]) == (
        "purchase",
        3029,
        "USD",
    )
    assert completed["reporting_revenue"] == 3029

    updated = send(wire, UPDATED, total=2500, currency="USD", status="paid")
    assert (updated["kind"], updated["revenue"], updated["reporting_revenue"]) == (
        "event",
        -529,
        -529,
    )
    assert updated["properties"]["event"]["transaction"]["total"] == 2500
    assert wire.reported_revenue() == {COMPLETED: 3029, UPDATED: -529}
    assert wire.order("A1")["reporting_revenue"] == 2500

    refunded = send(wire, REFUNDED)
    assert (refunded["revenue"], refunded["currency"], refunded["reporting_revenue"]) == (
        -2500,
        "USD",
        -2500,
    )
    assert wire.reported_revenue() == {COMPLETED: 3029, UPDATED: -529, REFUNDED: -2500}

    order = wire.order("A1")
    assert {name: order[name] for name in ("status", "total", "currency", "reporting_revenue")} == {
        "status": "paid",
        "total": 2500,
        "currency": "USD",
        "reporting_revenue": 0,
    }
    assert (order["completed"], order["refunded"]) == (True, True)
    history = [
        (change["action"], change["status"], change["total"], change["reporting_revenue_change"])
        for change in order["history"]
    ]
    assert history == [
        ("complete", "started", 3029, 3029),
        ("update", "paid", 2500, -529),
        ("refund", "paid", 2500, -2500),
    ]
    event_ids = [change["event_id"] for change in order["history"]]
    assert event_ids == [event["id"] for event in reversed(wire.events())]


def test_line_items_are_kept_with_the_purchase(engine_wire: Wire) -> None:
    line = {"product": {"id": "64800237", "unitSalePrice": 30.29}, "quantity": 2, "subtotal": 60.58}
    event = send(engine_wire, COMPLETED, total=60.58, currency="USD", lineItems=[line])
    assert event["properties"]["event"]["transaction"]["lineItems"] == [line]
    assert event["revenue"] == 60.58


def test_an_update_of_the_status_alone_changes_no_revenue(engine_wire: Wire) -> None:
    send(engine_wire, COMPLETED, total=100, currency="USD", status="started")
    updated = send(engine_wire, UPDATED, status="shipped")
    assert (updated["revenue"], updated["reporting_revenue"], updated["flags"]) == (None, None, [])
    send(engine_wire, UPDATED, total=100, currency="USD", status="delivered")
    order = engine_wire.order("A1")
    assert (order["status"], order["total"], order["reporting_revenue"]) == ("delivered", 100, 100)
    assert total_reported(engine_wire) == 100


def test_an_update_for_an_unknown_order_is_stored_flagged_and_kept(engine_wire: Wire) -> None:
    updated = send(engine_wire, UPDATED, "B7", total=80, currency="USD", status="paid")
    assert (updated["revenue"], updated["flags"]) == (None, ["unknown_order"])
    order = engine_wire.order("B7")
    assert (order["completed"], order["status"], order["reporting_revenue"]) == (False, "paid", 0)
    assert total_reported(engine_wire) == 0

    completed = send(engine_wire, COMPLETED, "B7", total=75, currency="USD")
    assert (completed["revenue"], completed["flags"]) == (75, [])
    order = engine_wire.order("B7")
    assert (order["completed"], order["status"], order["reporting_revenue"]) == (True, "paid", 75)
    assert total_reported(engine_wire) == 75


def test_an_update_without_an_order_id_is_stored_flagged(engine_wire: Wire) -> None:
    engine_wire.accepted(hit(UPDATED, transaction={"total": 10, "currency": "USD"}))
    [event] = engine_wire.events()
    assert (event["revenue"], event["flags"]) == (None, ["unknown_order"])
    assert engine_wire.orders() == []


def test_a_purchase_without_an_order_id_counts_but_keeps_no_order(engine_wire: Wire) -> None:
    engine_wire.accepted(hit(COMPLETED, transaction={"total": 10, "currency": "USD"}))
    assert engine_wire.events()[0]["revenue"] == 10
    assert engine_wire.orders() == []
    assert total_reported(engine_wire) == 10


def test_a_refund_before_its_purchase_leaves_the_order_counting_nothing(
    engine_wire: Wire,
) -> None:
    refunded = send(engine_wire, REFUNDED, "C3")
    assert (refunded["revenue"], refunded["flags"]) == (None, ["unknown_order"])
    completed = send(engine_wire, COMPLETED, "C3", total=40, currency="USD")
    assert (completed["revenue"], completed["flags"]) == (None, ["order_refunded"])
    assert total_reported(engine_wire) == 0


def test_a_second_refund_takes_nothing_more_out(engine_wire: Wire) -> None:
    send(engine_wire, COMPLETED, total=40, currency="USD")
    send(engine_wire, REFUNDED)
    again = send(engine_wire, REFUNDED)
    assert (again["revenue"], again["flags"]) == (None, ["order_refunded"])
    assert total_reported(engine_wire) == 0


def test_a_second_completion_replaces_the_total(engine_wire: Wire) -> None:
    send(engine_wire, COMPLETED, total=40, currency="USD")
    again = send(engine_wire, COMPLETED, total=45, currency="USD")
    assert (again["revenue"], again["flags"]) == (5, ["order_already_completed"])
    assert total_reported(engine_wire) == 45


def test_an_order_in_another_currency_is_reported_in_the_reporting_currency(
    engine_wire: Wire,
) -> None:
    completed = send(engine_wire, COMPLETED, total=100, currency="EUR")
    assert (completed["revenue"], completed["currency"]) == (100, "EUR")
    first = Decimal(str(completed["reporting_revenue"]))
    assert first > 0
    updated = send(engine_wire, UPDATED, total=150, currency="EUR")
    assert (updated["revenue"], updated["currency"]) == (50, "EUR")
    counted = Decimal(str(engine_wire.order("A1")["reporting_revenue"]))
    assert Decimal(str(updated["reporting_revenue"])) == counted - first
    refunded = send(engine_wire, REFUNDED)
    assert (refunded["revenue"], refunded["currency"]) == (-150, "EUR")
    assert Decimal(str(refunded["reporting_revenue"])) == -counted
    assert total_reported(engine_wire) == 0


def test_an_update_in_another_currency_is_counted_in_the_reporting_currency(
    engine_wire: Wire,
) -> None:
    send(engine_wire, COMPLETED, total=100, currency="USD")
    updated = send(engine_wire, UPDATED, total=100, currency="EUR")
    assert (updated["revenue"], updated["currency"]) == (None, None)
    assert updated["flags"] == ["order_currency_changed"]
    counted = Decimal(str(engine_wire.order("A1")["reporting_revenue"]))
    assert Decimal(str(updated["reporting_revenue"])) == counted - 100
    assert total_reported(engine_wire) == counted


def test_the_currency_defaults_to_the_website_then_usd(wire: Wire) -> None:
    wire.accepted(hit(COMPLETED, transaction={"total": 5}, website={"currency": "eur"}))
    wire.accepted(hit(COMPLETED, transaction={"total": 6}))
    defaulted, from_website = wire.events()
    assert (from_website["currency"], from_website["flags"]) == ("EUR", [])
    assert (defaulted["currency"], defaulted["flags"]) == ("USD", ["currency_defaulted"])


def test_concurrent_updates_across_nodes_keep_reports_and_order_in_step(
    database_url: str, clock: FakeClock
) -> None:
    """Each change reads the order under a row lock: the counted revenue never drifts."""
    totals = [100 + step for step in range(12)]
    with nodes(database_url, clock) as (left, right), ThreadPoolExecutor(len(totals)) as pool:
        left.accepted(transaction_hit(COMPLETED, "A1", total=50, currency="USD"))
        bodies = [compact(transaction_hit(UPDATED, "A1", total=t, currency="USD")) for t in totals]
        senders = [(left, right)[index % 2] for index in range(len(bodies))]
        statuses = list(
            pool.map(
                lambda pair: pair[0].post(pair[1]).status_code, zip(senders, bodies, strict=True)
            )
        )
        assert statuses == [204] * len(totals)
        order = left.order("A1")
        last = order["history"][-1]
        assert order["total"] == last["total"] == order["reporting_revenue"]
        assert len(order["history"]) == 1 + len(totals)
        assert (
            sum(change["reporting_revenue_change"] for change in order["history"]) == order["total"]
        )
        assert total_reported(right) == order["total"]


def test_orders_api_needs_the_admin_token_and_an_app(wire: Wire) -> None:
    assert httpx.get(f"{wire.url}/api/v1/orders?app=gems").status_code == 401
    answer = httpx.get(f"{wire.url}/api/v1/orders", headers=ADMIN)
    assert (answer.status_code, answer.json()) == (400, {"error": "app: required"})
    assert wire.orders(order_id="nope") == []


def test_orders_api_pages_by_order_id(wire: Wire) -> None:
    for order_id in ("c", "a", "b"):
        wire.accepted(transaction_hit(COMPLETED, order_id, total=1, currency="USD"))
    first = wire.admin("/api/v1/orders", app="gems", limit="2")
    assert [order["order_id"] for order in first["orders"]] == ["a", "b"]
    rest = wire.admin("/api/v1/orders", app="gems", limit="2", cursor=first["next_cursor"])
    assert ([order["order_id"] for order in rest["orders"]], rest["next_cursor"]) == (["c"], None)
    assert first["reporting_currency"] == "USD"


def test_the_orders_api_is_in_the_openapi_document(wire: Wire) -> None:
    document = httpx.get(f"{wire.url}/openapi.json").json()
    get = document["paths"]["/api/v1/orders"]["get"]
    assert [p["name"] for p in get["parameters"]] == ["app", "order_id", "limit", "cursor"]
    schemas = document["components"]["schemas"]
    assert {"order_id", "status", "total", "reporting_revenue", "history"} <= set(
        schemas["OrderRecord"]["properties"]
    )
    assert "reporting_revenue_change" in schemas["OrderChangeRecord"]["properties"]
