"""AppsFlyer Web-S2S behaviour the database carries, on SQLite and on PostgreSQL."""

from __future__ import annotations

from typing import Any

from appsflyer_helpers import VALID_SETCUID, Wire, compact, error, event_body, serve

from support.config import base_document
from support.live import FakeClock

MINUTE_START = 1_700_000_040_000  # a whole minute
WEB_ID = "9999999-f848-4963-a091-568f0bf9a361"
CUSTOMER_ID = "1234567890abcdef"
RATE_LIMITED = error(429, "rate limit exceeded: too many requests this minute")


def rate_limited_document(database_url: str, per_minute: int) -> dict[str, Any]:
    """The test configuration with the bundle limited, and a second bundle left alone."""
    document = base_document(database_url)
    document["apps"][0]["appsflyer_web"]["rate_limit_per_minute"] = per_minute
    other = {"bundle_id": "com.example.other", "web_dev_key": "other-key"}
    document["apps"].append({"id": "other", "name": "Other", "appsflyer_web": other})
    return document


def test_rate_limit_per_bundle_and_minute(database_url: str, clock: FakeClock) -> None:
    clock.now = MINUTE_START
    with serve(database_url, clock, rate_limited_document(database_url, 3)) as wire:
        assert [wire.event().status_code for _ in range(3)] == [200, 200, 200]
        clock.now = MINUTE_START + 59_999
        fourth = wire.event()
        assert (fourth.status_code, fourth.json()) == (429, RATE_LIMITED)
        other = wire.post(event_body(webDevKey="other-key"), bundle="com.example.other")
        assert other.status_code == 200
        clock.now = MINUTE_START + 60_000
        assert wire.event().status_code == 200
        reasons = [outcome["reason"] for outcome in wire.outcomes(app="gems")]
        assert reasons == ["accepted", "rate_limited", "accepted", "accepted", "accepted"]
        assert len(wire.events(app="gems")) == 4


def test_setcuid_stitches_events_before_and_after_the_link(engine_wire: Wire) -> None:
    wire = engine_wire
    wire.event(customerUserId=None, afUserId=WEB_ID, eventName="visit")
    wire.event(customerUserId=None, afUserId=WEB_ID, eventName="add_to_cart")
    wire.event(customerUserId="someone-else", eventName="visit")
    assert wire.events(user=CUSTOMER_ID) == []
    link = {**VALID_SETCUID, "customerUserId": CUSTOMER_ID, "afUserId": WEB_ID}
    assert wire.post(compact(link), "setCuId").status_code == 200
    wire.event(customerUserId=CUSTOMER_ID, eventName="web_purchase", eventRevenue="9.99")
    wire.event(customerUserId=CUSTOMER_ID, eventName="refund", eventRevenue="-9.99")
    expected = ["refund", "web_purchase", "setCuId", "add_to_cart", "visit"]
    for user in (WEB_ID, CUSTOMER_ID):
        assert [event["name"] for event in wire.events(user=user)] == expected
        assert [event["name"] for event in wire.events(user=user, app="gems")] == expected
    assert [event["name"] for event in wire.events(user="someone-else")] == ["visit"]


def test_names_and_ids_up_to_500_characters_are_stored(engine_wire: Wire) -> None:
    wire, long_id, other_id = engine_wire, "i" * 500, "c" * 400
    assert wire.event(eventName="n" * 500).status_code == 200
    assert wire.event(customerUserId=long_id, afUserId="a" * 300).status_code == 200
    link = compact({**VALID_SETCUID, "customerUserId": other_id, "afUserId": long_id})
    assert wire.post(link, "setcuid").status_code == 200
    assert wire.event(customerUserId=other_id, eventName="after").status_code == 200
    after, linked, first = wire.events(user=long_id)
    assert (after["name"], linked["name"]) == ("after", "setCuId")
    assert first["ids"] == {"customer_user_id": long_id, "af_web_id": "a" * 300}
    assert len(wire.events(name="n" * 500)) == 1


def test_over_long_or_nul_names_and_ids_are_400(engine_wire: Wire) -> None:
    answers = [
        engine_wire.event(eventName="n" * 501),
        engine_wire.event(afUserId="a" * 501),
        engine_wire.event(eventName="web\u0000purchase"),
        engine_wire.post(compact({**VALID_SETCUID, "afUserId": "\u0000"}), "setcuid"),
    ]
    assert [(answer.status_code, answer.json()) for answer in answers] == [
        (400, error(400, "eventName: must be at most 500 characters")),
        (400, error(400, "afUserId: must be at most 500 characters")),
        (400, error(400, "eventName: must not contain NUL characters")),
        (400, error(400, "afUserId: must not contain NUL characters")),
    ]
    assert engine_wire.events() == []


def test_nul_inside_event_value_and_unknown_fields_is_kept(engine_wire: Wire) -> None:
    body = event_body(eventValue={"note": "a\u0000b"}, extra="\u0000")
    assert engine_wire.post(body).status_code == 200
    [event] = engine_wire.events()
    assert event["properties"] == {
        "event_value": {"note": "a\u0000b"},
        "unknown_fields": {"extra": "\u0000"},
    }
