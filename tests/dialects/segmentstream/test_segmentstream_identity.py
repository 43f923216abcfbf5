"""event.user ids join the identity stitching: events are found by any id of the person."""

from __future__ import annotations

import json

from segmentstream_helpers import Wire, hit

from support.config import APPSFLYER_BUNDLE, APPSFLYER_KEY


def names_for(wire: Wire, user: str) -> list[str]:
    return [event["name"] for event in wire.events(user=user)]


def test_ids_are_kept_under_their_types(wire: Wire) -> None:
    user = {"userId": "u-1", "anonymousId": "anon-1", "emailHash": "h-1"}
    wire.accepted(hit("Signed In", user=user))
    [event] = wire.events()
    assert event["ids"] == {
        "customer_user_id": "u-1",
        "anonymous_id": "anon-1",
        "email_hash": "h-1",
    }


def test_empty_ids_are_left_out(wire: Wire) -> None:
    wire.accepted(
        hit("Viewed Page", user={"userId": " ", "anonymousId": "anon-1", "emailHash": ""})
    )
    assert wire.events()[0]["ids"] == {"anonymous_id": "anon-1"}


def test_a_person_is_found_by_any_of_their_ids_across_hits(engine_wire: Wire) -> None:
    engine_wire.accepted(hit("Viewed Page", user={"anonymousId": "anon-1"}))
    engine_wire.accepted(hit("Signed In", user={"userId": "u-1", "anonymousId": "anon-1"}))
    engine_wire.accepted(hit("Subscribed", user={"userId": "u-1", "emailHash": "h-1"}))
    engine_wire.accepted(hit("Viewed Page", user={"anonymousId": "someone-else"}))
    expected = ["Subscribed", "Signed In", "Viewed Page"]
    for user in ("anon-1", "u-1", "h-1"):
        assert names_for(engine_wire, user) == expected
    assert names_for(engine_wire, "someone-else") == ["Viewed Page"]


def test_ids_are_stitched_across_dialects(engine_wire: Wire) -> None:
    """An AppsFlyer Web-S2S event by customer user id is found by the SegmentStream web id."""
    engine_wire.accepted(hit("Signed In", user={"userId": "u-1", "anonymousId": "anon-1"}))
    appsflyer = {
        "webDevKey": APPSFLYER_KEY,
        "eventType": "EVENT",
        "eventName": "web_purchase",
        "customerUserId": "u-1",
    }
    answer = engine_wire.client.post(
        f"/v1/{APPSFLYER_BUNDLE}/event",
        content=json.dumps(appsflyer),
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 200, answer.text
    assert names_for(engine_wire, "anon-1") == ["web_purchase", "Signed In"]
