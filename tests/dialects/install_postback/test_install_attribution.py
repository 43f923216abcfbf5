"""End to end on both engines: an install by postback attributes later events of its device."""

from __future__ import annotations

from typing import Any

from install_helpers import OK, Wire, example

from support.config import base_document, make_settings
from support.live import FakeClock, live_server

PLAYER = "player-1"
DAY_MS = 86_400_000


def purchase(wire: Wire, revenue: float, currency: str = "USD", user: str = PLAYER) -> None:
    answer = wire.appsflyer_event(
        eventName="af_purchase",
        customerUserId=user,
        eventRevenue=revenue,
        eventRevenueCurrency=currency,
    )
    assert answer.status_code == 200, answer.text


def by_name(wire: Wire) -> dict[str, dict[str, Any]]:
    return {f"{event['name']}#{event['id']}": event for event in wire.events()}


def test_install_then_purchase_in_another_dialect_then_the_report(engine_wire: Wire) -> None:
    install = example(user_id=PLAYER, campaign_id="cmp-1", id="trk-1")
    assert engine_wire.post_json(install).json() == OK
    purchase(engine_wire, 1.99)
    purchase(engine_wire, 0.99)
    install_event, *purchases = sorted(engine_wire.events(), key=lambda event: event["id"])
    expected = {
        "install_event_id": install_event["id"],
        "publisher": "Publisher",
        "campaign": "Campaign",
        "campaign_id": "cmp-1",
    }
    assert install_event["ids"] == {
        "gaid": "01234567-89ab-cdef-0123-456789abcdef",
        "customer_user_id": PLAYER,
    }
    assert install_event["attribution"] == expected
    assert [event["dialect"] for event in purchases] == ["appsflyer_web", "appsflyer_web"]
    assert [event["attribution"] for event in purchases] == [expected, expected]
    assert engine_wire.report() == {
        "reporting_currency": "USD",
        "cost_currency": "USD",
        "groups": [
            {
                "app": "gems",
                "publisher": "Publisher",
                "campaign": "Campaign",
                "installs": 1,
                "cost": 0.12,
                "reporting_cost": 0.12,
                "events": 2,
                "revenue": 2.98,
                "roas": 24.8333,
            }
        ],
    }


def test_events_before_the_install_and_of_other_users_stay_unattributed(
    engine_wire: Wire,
) -> None:
    purchase(engine_wire, 5)
    engine_wire.post_json(example(user_id=PLAYER))
    purchase(engine_wire, 7, user="someone-else")
    unattributed = [event for event in engine_wire.events() if event["attribution"] is None]
    assert sorted(event["revenue"] for event in unattributed) == [5, 7]
    [group] = engine_wire.report()["groups"]
    assert (group["installs"], group["events"], group["revenue"], group["roas"]) == (1, 0, 0, 0)


def test_the_first_install_of_a_device_keeps_it(engine_wire: Wire) -> None:
    engine_wire.post_json(example(user_id=PLAYER, publisher_name="First", cost=1))
    engine_wire.post_json(example(user_id=PLAYER, publisher_name="Second", cost=2))
    purchase(engine_wire, 3)
    newest = engine_wire.events()[0]
    assert newest["attribution"]["publisher"] == "First"
    groups = {group["publisher"]: group for group in engine_wire.report()["groups"]}
    assert {name: (g["installs"], g["cost"], g["revenue"]) for name, g in groups.items()} == {
        "First": (1, 1, 3),
        "Second": (1, 2, 0),
    }
    assert groups["First"]["roas"] == 3
    assert groups["Second"]["roas"] == 0


def test_refunds_take_revenue_back_and_installs_without_cost_have_no_roas(
    engine_wire: Wire,
) -> None:
    engine_wire.post_json(example(user_id=PLAYER, cost=None, campaign_name=None))
    purchase(engine_wire, 10)
    purchase(engine_wire, -4)
    [group] = engine_wire.report()["groups"]
    assert group["campaign"] is None
    assert (group["events"], group["revenue"], group["cost"], group["roas"]) == (2, 6, 0, None)


def test_the_report_window_selects_install_days_and_app(engine_wire: Wire) -> None:
    engine_wire.post_json(example(user_id="a", install_timestamp="2023-11-01 10:00:00"))
    engine_wire.post_json(
        example(user_id="b", install_timestamp="2023-11-10 10:00:00", campaign_name="Later")
    )
    purchase(engine_wire, 1, user="a")
    purchase(engine_wire, 2, user="b")

    def campaigns(**window: str) -> list[tuple[str, float]]:
        groups = engine_wire.report(**window)["groups"]
        return [(group["campaign"], group["revenue"]) for group in groups]

    assert campaigns() == [("Campaign", 1), ("Later", 2)]
    assert campaigns(since="2023-11-05") == [("Later", 2)]
    assert campaigns(until="2023-11-05") == [("Campaign", 1)]
    assert campaigns(since="2023-11-01", until="2023-11-02") == [("Campaign", 1)]
    assert campaigns(app="gems") == [("Campaign", 1), ("Later", 2)]
    assert campaigns(app="nobody") == []


def test_report_needs_the_admin_token_and_valid_times(engine_wire: Wire) -> None:
    url = "/api/v1/reports/attribution"
    assert engine_wire.client.get(url).status_code == 401
    answer = engine_wire.client.get(
        url, params={"since": "soon"}, headers={"Authorization": "Bearer test-admin-token"}
    )
    assert answer.status_code == 400
    assert answer.json() == {"error": "since: expected ISO 8601 or Unix milliseconds"}


def test_cost_and_revenue_in_another_reporting_currency(
    database_url: str, clock: FakeClock
) -> None:
    document = base_document(database_url)
    document["server"]["reporting_currency"] = "EUR"
    with live_server(make_settings(database_url, document), clock) as live:
        wire = Wire(live.url, clock)
        wire.post_json(example(user_id=PLAYER, cost=10))
        purchase(wire, 20, currency="EUR")
        report = wire.report()
        wire.client.close()
    [group] = report["groups"]
    assert report["reporting_currency"] == "EUR"
    assert (group["cost"], group["revenue"]) == (10, 20)
    assert 0 < group["reporting_cost"] < 10
    assert abs(group["roas"] - 20 / group["reporting_cost"]) < 0.0001


def test_openapi_documents_the_report(engine_wire: Wire) -> None:
    document = engine_wire.client.get("/openapi.json").json()
    assert "/api/v1/reports/attribution" in document["paths"]
    assert "AttributionReport" in document["components"]["schemas"]
    event = document["components"]["schemas"]["EventRecord"]
    assert "attribution" in event["properties"]
