"""AppsFlyer Web-S2S over real HTTP: what an accepted event becomes in storage."""

from __future__ import annotations

from typing import Any

from appsflyer_helpers import APPSFLYER_KEY, Wire, event_body

OK_EVENT = {"status": "OK", "message": "event recorded"}
SKU_VALUE = {"Purchase": {"sku": "ABC123", "color": "blue", "unit_price": 3.99, "currency": "USD"}}


def stored_one(wire: Wire, body: bytes) -> dict[str, Any]:
    answer = wire.post(body)
    assert (answer.status_code, answer.json()) == (200, OK_EVENT), answer.text
    [event] = wire.events()
    return event


def test_numeric_strings_are_stored_as_numbers(wire: Wire) -> None:
    wire.clock.now = 1_234_612_800_000  # 2009-02-14T12:00:00Z: the timestamp is on time
    event = stored_one(wire, event_body(eventRevenue="1.99", timestamp="1234567890123"))
    assert (event["revenue"], event["currency"]) == (1.99, "USD")
    assert event["event_time"] == "2009-02-13T23:31:30.123Z"
    assert event["original_event_time"] is None


def test_negative_revenue_is_a_refund(wire: Wire) -> None:
    event = stored_one(wire, event_body(eventRevenue=-1234.20, eventRevenueCurrency="EUR"))
    assert (event["kind"], event["revenue"], event["currency"]) == ("purchase", -1234.2, "EUR")


def test_event_without_revenue(wire: Wire) -> None:
    event = stored_one(wire, event_body(eventRevenueCurrency="EUR"))
    assert (event["kind"], event["revenue"], event["currency"]) == ("event", None, None)


def test_event_value_object_is_kept_as_an_object(wire: Wire) -> None:
    event = stored_one(wire, event_body(eventValue=SKU_VALUE))
    assert event["properties"] == {"event_value": SKU_VALUE}
    assert event["flags"] == []


def test_event_value_near_the_payload_limit_is_kept_whole(wire: Wire) -> None:
    value = {"note": "n" * 850}
    event = stored_one(wire, event_body(eventValue=value))
    assert event["properties"]["event_value"] == value
    assert event["flags"] == []


def test_event_value_as_json_text_is_an_object(wire: Wire) -> None:
    text = '{"Purchase": {"sku": "ABC123", "quantity": "3"}}'
    event = stored_one(wire, event_body(eventValue=text))
    assert event["properties"] == {"event_value": {"Purchase": {"sku": "ABC123", "quantity": "3"}}}


def test_event_value_text_over_1000_characters_is_cut_and_flagged(wire: Wire) -> None:
    """Within 1 KB: `1e9` (3 bytes) is `1E+9` (4 characters) in the stored text."""
    numbers = ",".join(["1e9"] * 210)
    body = event_body(eventValue="?").replace(b'"?"', f'{{"n":[{numbers}]}}'.encode())
    assert len(body) <= 1024
    event = stored_one(wire, body)
    text = '{"n":[' + ",".join(["1E+9"] * 210) + "]}"
    assert event["properties"]["event_value"] == text[:1000]
    assert event["flags"] == ["event_value_truncated"]


def test_user_agent_in_either_spelling(wire: Wire) -> None:
    stored_one(wire, event_body(userAgent="Chrome/80.0.3987"))
    wire.event(UserAgent="Firefox/124.0")
    newest, oldest = wire.events()
    assert oldest["properties"] == {"user_agent": "Chrome/80.0.3987"}
    assert newest["properties"] == {"user_agent": "Firefox/124.0"}


def test_documented_optional_fields_become_raw_data_names(wire: Wire) -> None:
    body = event_body(
        afUserId="unique_cookie_uuid",
        referrer="https://www.google.com/",
        userAgent="Chrome/80.0.3987",
        ip="192.0.2.1",
        eventCategory="shop",
        eventLabel="shoes",
    )
    event = stored_one(wire, body)
    assert event["ids"] == {"customer_user_id": "663274", "af_web_id": "unique_cookie_uuid"}
    assert event["properties"] == {
        "http_referrer": "https://www.google.com/",
        "user_agent": "Chrome/80.0.3987",
        "ip": "192.0.2.1",
        "event_category": "shop",
        "event_label": "shoes",
    }


def test_unknown_fields_are_kept_and_the_key_is_not(wire: Wire) -> None:
    extra = {"eventRevenenuCurrency": "EUR", "page": {"path": "/checkout"}}
    event = stored_one(wire, event_body(**extra))
    assert event["properties"] == {"unknown_fields": extra}
    assert APPSFLYER_KEY not in str(event["properties"])


def test_user_ids_are_trimmed(wire: Wire) -> None:
    event = stored_one(wire, event_body(customerUserId=" 663274 ", afUserId=""))
    assert event["ids"] == {"customer_user_id": "663274"}
