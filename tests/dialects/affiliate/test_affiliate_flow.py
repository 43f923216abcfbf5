"""The whole Integr8 path over HTTP: click, base conversion, events; money and reports."""

from __future__ import annotations

from decimal import Decimal

import pytest
from affiliate_helpers import OFFER2_TOKEN, SALE_TOKEN, TOKEN, Net, money


def test_click_conversion_and_event_through_http(engine_net: Net) -> None:
    net = engine_net
    transaction_id = net.transaction(offer_id=1, aff_id=7, aff_sub="campaign-a")

    converted = net.postback("/", transaction_id=transaction_id)
    assert converted.status_code == 200
    assert converted.json() == {
        "status": "accepted",
        "reason": "accepted",
        "message": "conversion recorded",
        "transaction_id": transaction_id,
        "offer_id": 1,
    }
    event = net.postback("/", event_id=5, transaction_id=transaction_id, purchase_value="80")
    assert event.status_code == 200
    assert event.json()["event_name"] == "purchase"

    [purchase, conversion] = net.conversions(transaction_id=transaction_id)
    assert (conversion["status"], conversion["event_id"], conversion["aff_id"]) == (
        "approved",
        None,
        7,
    )
    assert (money(conversion["revenue"]), money(conversion["payout"])) == (
        Decimal(2),
        Decimal("1.5"),
    )
    assert money(conversion["profit"]) == Decimal("0.5")
    assert (purchase["event_id"], purchase["event_name"], purchase["currency"]) == (
        5,
        "purchase",
        "USD",
    )
    assert money(purchase["purchase_value"]) == Decimal(80)
    assert (money(purchase["revenue"]), money(purchase["payout"])) == (Decimal(8), Decimal(4))
    assert money(purchase["profit"]) == Decimal(4)

    base = net.report_row(1, 7, None)
    assert (base["clicks"], base["conversions"], base["events"]) == (1, 1, 0)
    assert money(base["conversion_rate"]) == Decimal(100)
    assert (money(base["revenue"]), money(base["payout"]), money(base["profit"])) == (
        Decimal(2),
        Decimal("1.5"),
        Decimal("0.5"),
    )
    row = net.report_row(1, 7, 5)
    assert (row["event_name"], row["events"], money(row["revenue"])) == ("purchase", 1, Decimal(8))
    assert (row["offer_name"], row["affiliate_name"], row["currency"]) == (
        "Gems install",
        "Publisher Seven",
        "USD",
    )


def test_stored_events_carry_the_conversion_parameters(engine_net: Net) -> None:
    net = engine_net
    transaction_id = net.transaction()
    params = {
        "transaction_id": f"  {transaction_id}\t",
        "adv_sub_id": "a1",
        "adv_sub_id_2": "a2",
        "adv_sub_id_3": "a3",
        "adv_sub_id_4": "a4",
        "adv_sub_id_5": "a5",
        "adv_sub_id_6": "a6",
        "external_transaction_id": "order-77",
        "user_email": "someone@example.com",
        "device_id": "device-1",
        "amount": "19.99",
    }
    assert net.postback(**params).status_code == 200
    [conversion] = net.conversions()
    assert conversion["transaction_id"] == transaction_id
    for name in ("adv_sub_id", "external_transaction_id", "user_email", "device_id"):
        assert conversion[name] == params[name]
    assert [conversion[f"adv_sub_id_{n}"] for n in range(2, 7)] == ["a2", "a3", "a4", "a5", "a6"]
    assert money(conversion["purchase_value"]) == Decimal("19.99")
    [stored, _click] = net.events()
    assert (stored["kind"], stored["name"], stored["app"]) == ("conversion", "conversion", "gems")
    assert stored["ids"] == {"transaction_id": transaction_id, "device_id": "device-1"}
    assert (money(stored["revenue"]), stored["currency"]) == (Decimal(2), "USD")
    assert stored["properties"]["adv_sub_id_6"] == "a6"
    assert net.events(user="device-1")[0]["id"] == stored["id"]


@pytest.mark.parametrize(
    "selector",
    [{"event_id": 5}, {"event_name": "purchase"}, {"event_id": 5, "event_name": "purchase"}],
    ids=["by-id", "by-name", "both"],
)
def test_an_event_is_named_by_id_or_name_or_both(net: Net, selector: dict[str, object]) -> None:
    transaction_id = net.converted()
    answer = net.postback(transaction_id=transaction_id, purchase_value=10, **selector)
    assert answer.status_code == 200, answer.text
    assert (answer.json()["event_id"], answer.json()["event_name"]) == (5, "purchase")


def test_postbacks_answer_at_postback_and_at_the_root(net: Net) -> None:
    first, second = net.transaction(), net.transaction()
    assert net.postback("/postback", transaction_id=first).status_code == 200
    assert net.postback("/", transaction_id=second).status_code == 200


def test_a_post_form_body_is_a_postback_too(net: Net) -> None:
    transaction_id = net.transaction()
    for path in ("/", "/postback"):
        answer = net.client.post(path, data={"secure": TOKEN, "transaction_id": transaction_id})
        assert answer.status_code in (200, 409), answer.text
    assert [c["status"] for c in net.conversions()] == ["rejected", "approved"]
    event = net.client.post(
        "/postback?secure=TOKEN",
        data={"transaction_id": transaction_id, "event_name": "purchase", "purchase_value": "5"},
    )
    assert event.status_code == 200, event.text


def test_events_that_allow_multiples_are_all_stored(engine_net: Net) -> None:
    net = engine_net
    transaction_id = net.converted()
    answers = [net.postback(transaction_id=transaction_id, event_id=6) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    level_ups = net.conversions(transaction_id=transaction_id, status="approved")[:3]
    assert [c["event_name"] for c in level_ups] == ["level_up"] * 3
    row = net.report_row(1, 7, 6)
    assert (row["events"], money(row["revenue"]), money(row["payout"])) == (
        3,
        Decimal("0.75"),
        Decimal("0.3"),
    )


def test_offer_token_is_valid_for_its_own_offer(net: Net) -> None:
    transaction_id = net.converted(offer_id=2, aff_id=8, purchase_value="40")
    [conversion] = net.conversions()
    assert (conversion["currency"], money(conversion["revenue"])) == ("EUR", Decimal(5))
    assert money(conversion["payout"]) == Decimal(1)
    sale = net.postback(secure=OFFER2_TOKEN, transaction_id=transaction_id, event_id=8, amount=3)
    assert sale.status_code == 200, sale.text


def test_event_token_is_valid_for_its_event(net: Net) -> None:
    transaction_id = net.converted(offer_id=2, purchase_value="1")
    answer = net.postback(
        secure=SALE_TOKEN, transaction_id=transaction_id, event_name="sale", purchase_value="9.99"
    )
    assert answer.status_code == 200, answer.text
    [sale, _] = net.conversions()
    assert (money(sale["revenue"]), money(sale["payout"])) == (Decimal("0.999"), Decimal("0.32967"))


def test_the_global_token_is_valid_for_every_offer(net: Net) -> None:
    transaction_id = net.transaction(offer_id=2)
    assert net.postback(transaction_id=transaction_id, purchase_value=1).status_code == 200


def test_postbacks_on_a_click_of_a_since_deactivated_offer_are_honoured(net: Net) -> None:
    transaction_id = net.transaction(offer_id=1)
    assert net.admin("DELETE", "/offers/1").status_code == 200
    assert net.click(offer_id=1, aff_id=7).status_code == 404
    assert net.postback(transaction_id=transaction_id).status_code == 200


def test_the_report_is_by_day_and_filters_by_offer_and_affiliate(net: Net) -> None:
    day_ms = 86_400_000
    first = net.transaction(offer_id=1, aff_id=7)
    net.transaction(offer_id=1, aff_id=8)
    net.clock.now += day_ms
    assert net.postback(transaction_id=first).status_code == 200
    rows = [(r["day"], r["aff_id"], r["clicks"], r["conversions"]) for r in net.report(offer_id=1)]
    assert rows == [
        ("2023-11-14", 7, 1, 0),
        ("2023-11-14", 8, 1, 0),
        ("2023-11-15", 7, 0, 1),
    ]
    [later] = net.report(since="2023-11-15", aff_id=7)
    assert (later["conversions"], later["conversion_rate"]) == (1, None)
    assert net.report(offer_id=2) == []
    bad = net.admin("GET", "/reports/daily", params={"offer_id": "x"})
    assert bad.status_code == 400
