"""The chartboost dialect on its own, no server: parsing, normalizing and answering."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from chartboost_helpers import (
    GAID,
    IFA,
    accepted,
    compact,
    handle,
    level_body,
    purchase_body,
    rejected,
)

from postback.dialects.chartboost import Chartboost
from postback.dialects.chartboost.signature import compute_signature
from postback.model import EventKind, Outcome, Reason, SequenceClaim
from support.config import CHARTBOOST_APP_ID, CHARTBOOST_APP_SIGNATURE, CHARTBOOST_SECRET

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "chartboost"


def event_body(**event: Any) -> bytes:
    fields = {"event_label": "Level Completed", "event_field": 1, "main_level": 1, "sub_level": 0}
    return compact({"app_id": CHARTBOOST_APP_ID, "gaid": GAID, "event": {**fields, **event}})


def refusal(body: bytes, **options: Any) -> tuple[Reason, str]:
    found = rejected(handle(body, **options))
    return found.reason, found.message


def test_the_signature_matches_what_the_node_sample_computes() -> None:
    body = (FIXTURES / "node_purchase.body").read_bytes()
    node_signature = "4e10299a47efc4023da5b633de1c6cf610d10ba7179e72bffa2ebd9306ea6452"
    assert compute_signature(CHARTBOOST_SECRET, CHARTBOOST_APP_SIGNATURE, body) == node_signature


def test_a_purchase_is_an_event_with_revenue() -> None:
    submission = accepted(handle(purchase_body(price="0.99", currency="eur")))
    [event] = submission.events
    assert (event.kind, event.name, event.revenue, event.currency) == (
        EventKind.PURCHASE, "iap", Decimal("0.99"), "EUR",
    )  # fmt: skip
    assert (event.sequence, event.ids, submission.rate_limit_per_minute) == (
        None, {"gaid": GAID}, 60_000,
    )  # fmt: skip


@pytest.mark.parametrize("field", [1, 3, 4])
def test_sequential_fields_claim_the_players_scope(field: int) -> None:
    ids = {"uuid": "u", "gaid": GAID, "ifa": IFA}
    [event] = accepted(handle(level_body(7, 2, field=field, ids=ids))).events
    assert event.kind == EventKind.LEVEL
    assert event.sequence == SequenceClaim(f"chartboost:{field}:{IFA}", 7, 2)
    assert event.ids == {"ifa": IFA, "gaid": GAID, "uuid": "u"}


@pytest.mark.parametrize("field", [2, 5])
def test_other_fields_claim_nothing(field: int) -> None:
    [event] = accepted(handle(level_body(7, 2, field=field))).events
    assert event.sequence is None


def test_blank_ids_are_absent_and_null_iap_or_event_is_not_sent() -> None:
    body = compact(
        {"app_id": CHARTBOOST_APP_ID, "ifa": " ", "gaid": "", "uuid": "u", "iap": None,
         "event": {"event_label": "L", "event_field": 2, "main_level": 1, "sub_level": 0}}
    )  # fmt: skip
    [event] = accepted(handle(body)).events
    assert (event.ids, event.properties["player"]) == ({"uuid": "u"}, "u")


APP_ID = CHARTBOOST_APP_ID
NOT_AN_AMOUNT = "iap.price: must be a finite number below 10^12 in magnitude"
INVALID_BODIES = {
    "blank label": (event_body(event_label=" "), "event.event_label: must not be empty"),
    "NUL in label": (
        event_body(event_label="a\x00b"),
        "event.event_label: must not contain NUL characters",
    ),
    "long label": (
        event_body(event_label="x" * 501),
        "event.event_label: Expected `str` of length <= 500",
    ),
    "field a boolean": (
        event_body(event_field=True),
        "event.event_field: Expected `int`, got `bool`",
    ),
    "level past bigint": (
        event_body(main_level=2**63),
        "event.main_level: Expected `int` <= 9223372036854775807",
    ),
    "sub level a word": (event_body(sub_level="one"), "event.sub_level: Expected `int`, got `str`"),
    "description a number": (
        event_body(description=5),
        "event.description: Expected `str | null`, got `int`",
    ),
    "price NaN": (purchase_body(price="NaN"), NOT_AN_AMOUNT),
    "price 10^12": (purchase_body(price=10**12), NOT_AN_AMOUNT),
    "price a boolean": (purchase_body(price=True), "iap.price: Expected `decimal`, got `bool`"),
    "currency unknown": (
        purchase_body(currency="XYZ"),
        "iap.currency: must be an ISO 4217 currency code",
    ),
    "empty product id": (purchase_body(product_id=""), "iap.product_id: must not be empty"),
    "title a list": (
        purchase_body(localized_title=["a"]),
        "iap.localized_title: Expected `str | null`, got `array`",
    ),
    "NUL in an id": (
        compact({"app_id": APP_ID, "gaid": "g\x00", "iap": {"product_id": "p", "price": 1}}),
        "gaid: must not contain NUL characters",
    ),
    "long id": (
        compact({"app_id": APP_ID, "ifa": "i" * 201, "iap": {}}),
        "ifa: Expected `str` of length <= 200",
    ),
    "not UTF-8": (
        b'{"app_id": "54ecc0535beacdc1e1eff778", "gaid": "\xff"}',
        "invalid JSON: the body is not valid UTF-8",
    ),
    "lone surrogate": (
        b'{"app_id": "54ecc0535beacdc1e1eff778", "gaid": "\\ud800"}',
        "invalid JSON: Input data was truncated",
    ),
}


@pytest.mark.parametrize(("body", "message"), INVALID_BODIES.values(), ids=INVALID_BODIES.keys())
def test_invalid_fields_are_refused_naming_them(body: bytes, message: str) -> None:
    assert refusal(body) == (Reason.INVALID, message)


def test_whole_numbers_as_floats_are_integers_and_fractions_are_not() -> None:
    [event] = accepted(handle(event_body(event_field=3.0, main_level=1e1, sub_level=0.0))).events
    assert event.sequence == SequenceClaim(f"chartboost:3:{GAID}", 10, 0)
    assert refusal(event_body(main_level=1.5)) == (
        Reason.INVALID, "event.main_level: Expected `int`, got `decimal`",
    )  # fmt: skip


def test_an_incomplete_body_is_too_large_before_anything_else() -> None:
    found = refusal(purchase_body(), complete=False, headers={"x-chartboost-token": ""})
    assert found == (Reason.TOO_LARGE, "body too large: the limit is 65536 bytes")


@pytest.mark.parametrize(
    ("reason", "status"),
    [
        (Reason.ACCEPTED, 200),
        (Reason.DISCARDED, 200),
        (Reason.DUPLICATE, 200),
        (Reason.INVALID, 400),
        (Reason.UNAUTHENTICATED, 401),
        (Reason.FORBIDDEN, 403),
        (Reason.UNKNOWN_APP, 404),
        (Reason.METHOD_NOT_ALLOWED, 405),
        (Reason.TOO_LARGE, 413),
        (Reason.RATE_LIMITED, 429),
        (Reason.INTERNAL_ERROR, 500),
    ],
)
def test_every_answer_is_http_200_with_the_status_in_json(reason: Reason, status: int) -> None:
    wire = Chartboost().respond(Outcome(reason=reason, message="why"))
    assert (wire.status, wire.media_type) == (200, "application/json")
    assert json.loads(wire.body) == {"status": status, "message": "why"}


def test_the_players_id_is_linked_to_the_other_device_ids_sent() -> None:
    ids = {"uuid": "u", "gaid": GAID, "ifa": IFA}
    submission = accepted(handle(level_body(1, ids=ids)))
    linked = [(link.left_value, link.right_type, link.right_value) for link in submission.links]
    assert linked == [(IFA, "gaid", GAID), (IFA, "uuid", "u")]
    assert accepted(handle(level_body(1))).links == []
