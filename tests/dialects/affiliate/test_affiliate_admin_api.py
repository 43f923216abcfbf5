"""The affiliate admin API: offers, events, affiliates and tokens created, changed and
deactivated through HTTP, taking effect on clicks and postbacks at once."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from affiliate_helpers import OFFER2_TOKEN, SALE_TOKEN, TOKEN, Net

NEW_OFFER = {
    "name": "New offer",
    "url": "https://new.example/?t={transaction_id}",
    "revenue": {"type": "CPA", "value": "3.10"},
    "payout": {"type": "CPA", "value": 2},
}


def created(answer: httpx.Response) -> Any:
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_the_api_needs_the_admin_token(net: Net) -> None:
    answer = net.client.get("/api/v1/affiliate/offers")
    assert answer.status_code == 401
    answer = net.client.get("/api/v1/affiliate/offers", headers={"Authorization": "Bearer no"})
    assert answer.status_code == 401


def test_provisioned_offers_show_their_dedicated_postback_urls(net: Net) -> None:
    offers = {offer["id"]: offer for offer in net.read("/offers")["offers"]}
    assert sorted(offers) == [1, 2, 3]
    base = net.url + "/postback"
    one = offers[1]
    assert one["postback_url"] == f"{base}?secure={TOKEN}&transaction_id={{transaction_id}}"
    purchase = next(event for event in one["events"] if event["id"] == 5)
    assert purchase["postback_url"] == (
        f"{base}?secure={TOKEN}&event_id=5&transaction_id={{transaction_id}}"
        "&purchase_value={purchase_value}"
    )
    two = offers[2]
    assert f"secure={OFFER2_TOKEN}&" in two["postback_url"]
    urls = {event["name"]: event["postback_url"] for event in two["events"]}
    assert f"secure={SALE_TOKEN}&event_id=8&" in urls["sale"]
    assert f"secure={OFFER2_TOKEN}&event_id=9&" in urls["upsell"]
    assert (offers[3]["active"], one["revenue"]) == (False, {"type": "CPA", "value": 2})


def test_a_dedicated_event_url_works_as_shown(net: Net) -> None:
    transaction_id = net.converted(offer_id=2, purchase_value=10)
    [sale] = [e for e in net.read("/offers/2/events")["events"] if e["name"] == "sale"]
    url = sale["postback_url"].format(transaction_id=transaction_id, purchase_value="12.00")
    answer = httpx.get(url)
    assert answer.status_code == 200, answer.text
    assert answer.json()["event_name"] == "sale"


def test_an_offer_is_created_changed_and_deactivated(net: Net) -> None:
    offer = created(net.admin("POST", "/offers", json=NEW_OFFER))
    assert (offer["id"], offer["app"], offer["currency"], offer["active"]) == (4, None, "USD", True)
    assert offer["revenue"] == {"type": "CPA", "value": 3.1}
    transaction_id = net.transaction(offer_id=4)
    assert net.postback(transaction_id=transaction_id).status_code == 200
    [conversion] = net.conversions()
    assert (conversion["offer_id"], conversion["revenue"]) == (4, 3.1)
    [stored, _] = net.events()
    assert stored["app"] == ""

    changed = net.admin("PATCH", "/offers/4", json={"url": "https://other.example/{aff_id}"})
    assert changed.status_code == 200, changed.text
    assert net.click(offer_id=4, aff_id=8).headers["location"] == "https://other.example/8"

    assert net.admin("DELETE", "/offers/4").json()["active"] is False
    assert net.click(offer_id=4, aff_id=7).status_code == 404
    assert net.admin("PATCH", "/offers/4", json={"active": True}).json()["active"] is True
    assert net.click(offer_id=4, aff_id=7).status_code == 302


def test_an_event_is_created_changed_and_deactivated(net: Net) -> None:
    event = {
        "name": "signup",
        "revenue": {"type": "CPL", "value": 1},
        "payout": {"type": "CPL", "value": 0.5},
    }
    made = created(net.admin("POST", "/offers/1/events", json=event))
    assert (made["id"], made["offer_id"], made["allow_multiple"]) == (7, 1, False)
    assert "event_id=7&" in made["postback_url"]
    transaction_id = net.converted()
    assert net.postback(transaction_id=transaction_id, event_name="signup").status_code == 200

    renamed = net.admin(
        "PATCH", "/offers/1/events/7", json={"name": "sign_up", "allow_multiple": True}
    )
    assert renamed.json()["name"] == "sign_up"
    assert net.postback(transaction_id=transaction_id, event_name="signup").status_code == 404
    assert net.postback(transaction_id=transaction_id, event_name="sign_up").status_code == 200

    assert net.admin("DELETE", "/offers/1/events/7").json()["active"] is False
    assert net.postback(transaction_id=transaction_id, event_id=7).status_code == 404


def test_an_affiliate_is_created_changed_and_deactivated(net: Net) -> None:
    made = created(net.admin("POST", "/affiliates", json={"name": "Publisher Ten", "id": 10}))
    assert made["id"] == 10
    assert net.click(offer_id=1, aff_id=10).status_code == 302
    assert net.admin("PATCH", "/affiliates/10", json={"name": "Ten"}).json()["name"] == "Ten"
    assert net.admin("DELETE", "/affiliates/10").json()["active"] is False
    assert net.click(offer_id=1, aff_id=10).status_code == 404
    listed = {a["id"]: a["active"] for a in net.read("/affiliates")["affiliates"]}
    assert listed == {7: True, 8: True, 9: False, 10: False}


def test_tokens_are_created_scoped_and_deactivated(net: Net) -> None:
    made = created(net.admin("POST", "/tokens", json={"offer_id": 1}))
    assert (made["offer_id"], made["event_id"], made["active"], made["provisioned"]) == (
        1,
        None,
        True,
        False,
    )
    secret = made["token"]
    assert len(secret) >= 24
    mine, other = net.transaction(offer_id=1), net.transaction(offer_id=2)
    assert net.postback(secure=secret, transaction_id=mine).status_code == 200
    assert net.postback(secure=secret, transaction_id=other, amount=1).status_code == 403

    rotated = created(net.admin("POST", "/tokens", json={"token": "rotated-global"}))
    assert net.postback(secure="rotated-global", transaction_id=other, amount=1).status_code == 200
    assert net.admin("DELETE", f"/tokens/{rotated['id']}").json()["active"] is False
    assert net.postback(secure="rotated-global", transaction_id=mine).status_code == 403
    tokens = net.read("/tokens")["tokens"]
    assert {t["token"] for t in tokens if t["provisioned"]} == {TOKEN, OFFER2_TOKEN, SALE_TOKEN}


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "names"),
    [
        ("POST", "/offers", {**NEW_OFFER, "currency": "XXQ"}, 400, "currency"),
        ("POST", "/offers", {**NEW_OFFER, "url": "ftp://x"}, 400, "url"),
        (
            "POST",
            "/offers",
            {**NEW_OFFER, "payout": {"type": "CPS", "value": 150}},
            400,
            "percentage",
        ),
        ("POST", "/offers", {**NEW_OFFER, "payout": {"type": "CPM", "value": 1}}, 400, "type"),
        ("POST", "/offers", {**NEW_OFFER, "colour": "red"}, 400, "colour"),
        ("POST", "/offers", {"name": "x"}, 400, "url"),
        ("POST", "/offers", {**NEW_OFFER, "id": 1}, 409, "offer 1"),
        (
            "POST",
            "/offers/1/events",
            {
                "name": "purchase",
                "revenue": {"type": "CPA", "value": 1},
                "payout": {"type": "CPA", "value": 1},
            },
            409,
            "purchase",
        ),
        (
            "POST",
            "/offers/99/events",
            {
                "name": "x",
                "revenue": {"type": "CPA", "value": 1},
                "payout": {"type": "CPA", "value": 1},
            },
            404,
            "offer 99",
        ),
        ("PATCH", "/offers/99", {"name": "x"}, 404, "offer 99"),
        ("PATCH", "/offers/1/events/99", {"name": "x"}, 404, "event 99"),
        ("PATCH", "/offers/1/events/6", {"name": "purchase"}, 409, "purchase"),
        ("DELETE", "/affiliates/99", None, 404, "affiliate 99"),
        ("POST", "/tokens", {"token": TOKEN}, 409, "token"),
        ("POST", "/tokens", {"event_id": 5}, 400, "offer_id"),
        ("POST", "/tokens", {"offer_id": 1, "event_id": 99}, 404, "event 99"),
        ("GET", "/clicks/nope", None, 404, "click"),
        ("GET", "/offers/99999999999", None, 404, "offer_id"),
    ],
)
def test_invalid_changes_are_refused_naming_the_problem(
    net: Net, method: str, path: str, body: Any, status: int, names: str
) -> None:
    answer = net.admin(method, path, json=body)
    assert answer.status_code == status, answer.text
    assert names in answer.json()["error"]


def test_an_offer_with_clicks_keeps_its_app_and_currency(net: Net) -> None:
    made = created(net.admin("POST", "/offers", json=NEW_OFFER))
    path = f"/offers/{made['id']}"
    assert net.admin("PATCH", path, json={"currency": "EUR", "app": "gems"}).status_code == 200
    net.transaction(offer_id=made["id"])
    for change in ({"currency": "USD"}, {"app": None}):
        answer = net.admin("PATCH", path, json=change)
        assert answer.status_code == 409
        assert "has clicks" in answer.json()["error"]
    assert net.admin("PATCH", path, json={"currency": "EUR", "name": "Renamed"}).status_code == 200


def test_the_openapi_document_describes_the_affiliate_api(net: Net) -> None:
    document = net.client.get("/openapi.json").json()
    offers = document["paths"]["/api/v1/affiliate/offers"]
    assert set(offers) == {"get", "post"}
    assert set(document["paths"]["/api/v1/affiliate/offers/{offer_id}"]) == {
        "get",
        "patch",
        "delete",
    }
    assert "/api/v1/affiliate/reports/daily" in document["paths"]
    assert "OfferInput" in document["components"]["schemas"]
