"""Chartboost PIA over real HTTP: signed raw bytes, HTTP 200 always, the check order, 413, 429."""

from __future__ import annotations

import hashlib
import json

from chartboost_helpers import (
    DIALECT,
    GAID,
    OK,
    Wire,
    compact,
    document_with,
    level_body,
    purchase_body,
    refused,
    serve,
    sign,
)

from support.config import CHARTBOOST_APP_ID, CHARTBOOST_APP_SIGNATURE, base_document
from support.live import FakeClock

LIMIT = 64 * 1024
TOO_LARGE = refused(413, f"body too large: the limit is {LIMIT} bytes")
NO_TOKEN = refused(401, "missing X-Chartboost-Token header")
UNKNOWN_TOKEN = refused(401, "unknown X-Chartboost-Token")
BAD_SIGNATURE = refused(403, "X-Chartboost-Signature does not match the body")
NOT_JSON = refused(400, "Content-Type must be application/json")
UNKNOWN_APP = refused(404, "unknown app_id")
RATE_LIMITED = refused(429, "rate limit exceeded: too many requests this minute")


def python_sample_request(localized_title: str, ensure_ascii: bool = True) -> tuple[bytes, str]:
    """The document's Python purchase sample, ported to Python 3 only where Python 2 forces it."""
    CB_API_SECRET = "test-chartboost-secret"
    app_id = "54ecc0535beacdc1e1eff778"  # replace this with your app id
    app_signature = (
        "601be68e3bb4e7eb953024eb4f2ac03376e2c2fb"  # replace this with your app signature
    )
    gaid = "8df6c9bf-d647-4400-bc13-7ff317ff0003"  # example Google Advertising ID
    product_id = "bag_of_gems"  # example `product_id`
    currency = "USD"  # example `currency` code
    price = 1.99  # example `price`
    localized_description = "un bolsa de gemas"

    data = json.dumps(
        {
            "app_id": app_id,
            "gaid": gaid,
            "iap": {
                "product_id": product_id,
                "currency": currency,
                "price": price,
                "localized_title": localized_title,
                "localized_description": localized_description,
            },
        },
        ensure_ascii=ensure_ascii,
    )

    # Create the header signature
    descriptor_template = "action:pia\n{}\n{}\n{}"
    descriptor = descriptor_template.format(CB_API_SECRET, app_signature, data)
    signature = hashlib.sha256(descriptor.encode("utf-8")).hexdigest()  # Python 3: bytes
    return data.encode("utf-8"), signature


def test_the_python_sample_is_accepted_and_stored_as_a_purchase(wire: Wire) -> None:
    body, signature = python_sample_request("bolsa de gemas")
    assert wire.post(body, signature=signature) == OK
    [event] = wire.events()
    assert (event["kind"], event["name"], event["revenue"], event["currency"]) == (
        "purchase", "iap", 1.99, "USD",
    )  # fmt: skip
    assert event["ids"] == {"gaid": GAID}
    assert event["raw"]["body"] == body.decode()


def test_non_ascii_titles_sign_and_verify_escaped_or_raw(wire: Wire) -> None:
    title = "bolsa de gemas — edición"
    escaped, escaped_signature = python_sample_request(title)
    raw, raw_signature = python_sample_request(title, ensure_ascii=False)
    assert b"\\u2014" in escaped
    assert "—".encode() in raw
    assert wire.post(escaped, signature=escaped_signature) == OK
    assert wire.post(raw, signature=raw_signature) == OK
    titles = [event["properties"]["localized_title"] for event in wire.events()]
    assert titles == [title, title]


def test_the_signature_covers_the_raw_bytes_not_the_parsed_json(wire: Wire) -> None:
    signed = purchase_body()
    reserialised = json.dumps(json.loads(signed), indent=2).encode()
    assert wire.post(reserialised, signature=sign(signed)) == BAD_SIGNATURE
    assert wire.post(signed + b"\n", signature=sign(signed)) == BAD_SIGNATURE
    assert wire.post(reserialised) == OK
    assert wire.post(signed + b"\n") == OK


def test_a_wrong_signature_is_refused_whatever_its_form(wire: Wire) -> None:
    body = purchase_body()
    right = sign(body)
    for wrong in (
        right.upper(),
        right[:-1],
        right + "0",
        sign(body, secret="{{your_api_secret}}"),
        sign(body, app_signature="0" * 40),
        hashlib.sha256(body).hexdigest(),
        "é".encode() * 32,
    ):
        assert wire.post(body, signature=wrong) == BAD_SIGNATURE, wrong
    assert wire.post(body, signature=None) == refused(403, "missing X-Chartboost-Signature header")
    assert [o["reason"] for o in wire.outcomes()] == ["forbidden"] * 8
    assert wire.events() == []


def test_refusals_are_recorded_with_their_reason_and_app(wire: Wire) -> None:
    body = purchase_body()
    wire.post(body, token=None)
    wire.post(body, token="someone-else")
    wire.post(compact({"app_id": "unknown", "gaid": GAID, "iap": {}}))
    wire.post(purchase_body(price=-1))
    recorded = [(o["reason"], o["app"]) for o in wire.outcomes()][::-1]
    assert recorded == [
        ("unauthenticated", None),
        ("unauthenticated", "gems"),
        ("unknown_app", None),
        ("invalid", "gems"),
    ]
    assert all(o["dialect"] == DIALECT for o in wire.outcomes())


def test_the_checks_run_in_the_documented_order(wire: Wire) -> None:
    """method → size → token present → Content-Type → app_id → known app → token → signature."""
    too_large = b" " * (LIMIT + 1)
    bad_body = b"not json"
    assert wire.post(too_large, http_method="GET") == refused(
        405, "method GET not allowed: use POST"
    )
    assert wire.post(too_large, token=None, content_type="text/plain") == TOO_LARGE
    assert wire.post(bad_body, token=None, content_type="text/plain") == NO_TOKEN
    assert wire.post(bad_body, content_type="text/plain", signature="x") == NOT_JSON
    unknown_app = compact({"app_id": "nope", "iap": True})
    assert wire.post(unknown_app, token="wrong", signature="x") == UNKNOWN_APP
    invalid = compact({"app_id": CHARTBOOST_APP_ID, "iap": True})
    assert wire.post(invalid, token="wrong", signature="x") == UNKNOWN_TOKEN
    assert wire.post(invalid, signature="x") == BAD_SIGNATURE
    assert wire.post(invalid) == refused(400, "iap: Expected `object | null`, got `bool`")


def test_content_type_must_be_json_with_any_parameters(wire: Wire) -> None:
    body = purchase_body()
    for content_type in ("application/json", "application/json; charset=utf-8", "Application/JSON"):
        assert wire.post(body, content_type=content_type) == OK, content_type
    for content_type in ("text/plain", "application/jsonx", "text/json", "", None):
        assert wire.post(body, content_type=content_type) == NOT_JSON, content_type


def test_bodies_up_to_the_limit_are_read_and_larger_ones_refused(wire: Wire) -> None:
    at_limit = purchase_body()
    at_limit = at_limit[:-1] + b" " * (LIMIT - len(at_limit)) + b"}"
    assert len(at_limit) == LIMIT
    assert wire.post(at_limit) == OK
    assert wire.post(at_limit + b" ") == TOO_LARGE
    assert wire.post(b"{" + b" " * (4 * LIMIT) + b"}") == TOO_LARGE
    [too_large, *_] = wire.outcomes()
    assert (too_large["reason"], too_large["raw"]["body_truncated"]) == ("too_large", True)


def test_one_account_token_serves_its_apps_and_no_other(sqlite_url: str, clock: FakeClock) -> None:
    """The token names the account; app_id the app. A token of another account is unknown."""
    document = base_document(sqlite_url)
    same_account = {**document["apps"][0]["chartboost"], "app_id": "a2", "app_signature": "s2"}
    other_account = {"app_id": "a3", "app_signature": "s3", "api_token": "t3", "api_secret": "k3"}
    document["apps"] += [
        {"id": "gems2", "name": "Gems 2", "chartboost": same_account},
        {"id": "other", "name": "Other", "chartboost": other_account},
    ]
    with serve(sqlite_url, clock, document) as wire:
        second = compact({"app_id": "a2", "ifa": "i", "iap": {"product_id": "p", "price": 1}})
        assert wire.post(second, signature=sign(second, app_signature="s2")) == OK
        assert wire.post(second, signature=sign(second)) == BAD_SIGNATURE
        third = compact({"app_id": "a3", "ifa": "i", "iap": {"product_id": "p", "price": 1}})
        signature = sign(third, secret="k3", app_signature="s3")
        assert wire.post(third, signature=signature) == UNKNOWN_TOKEN
        assert wire.post(third, signature=signature, token="t3") == OK
        assert [event["app"] for event in wire.events()] == ["other", "gems2"]


def test_over_the_rate_limit_the_answer_is_429(database_url: str, clock: FakeClock) -> None:
    with serve(database_url, clock, document_with(database_url, rate_limit_per_minute=3)) as wire:
        answers = [wire.post(level_body(1, n, field=2)) for n in range(5)]
        assert answers == [OK] * 3 + [RATE_LIMITED] * 2
        clock.now += 60_000
        assert wire.post(level_body(1, 9, field=2)) == OK
        assert len(wire.events()) == 4
        reasons = sorted(outcome["reason"] for outcome in wire.outcomes())
        assert reasons == ["accepted"] * 4 + ["rate_limited"] * 2


def test_the_level_event_samples_keep_label_field_levels_and_description(wire: Wire) -> None:
    description = "Hidden Caverns"
    body = compact(
        {
            "app_id": CHARTBOOST_APP_ID,
            "gaid": GAID,
            "event": {
                "event_label": "Level Completed",
                "event_field": 1,
                "main_level": 12,
                "sub_level": 0,
                "description": description,
            },
        }
    )
    assert wire.post(body) == OK
    [event] = wire.events()
    assert (event["kind"], event["name"], event["revenue"]) == ("level", "Level Completed", None)
    assert event["properties"] == {
        "event_label": "Level Completed",
        "event_field": 1,
        "main_level": 12,
        "sub_level": 0,
        "description": description,
        "player": GAID,
    }
    assert CHARTBOOST_APP_SIGNATURE not in json.dumps(event)
