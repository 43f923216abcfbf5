"""The AppsFlyer Web-S2S dialect on its own: handle() with a credentials dict and a set clock."""

from __future__ import annotations

from decimal import Decimal
from http import HTTPStatus

import msgspec
import pytest
from appsflyer_helpers import (
    NOW_MS,
    VALID_SETCUID,
    Lookup,
    accepted,
    compact,
    event_body,
    handle,
    ingest_request,
    rejected,
)

from postback.dialects._common import DialectEnv
from postback.dialects.appsflyer_web import AppsflyerWeb
from postback.dialects.appsflyer_web.normalize import event_from_payload
from postback.dialects.appsflyer_web.wire import EventPayload
from postback.model import EventKind, IdentityLink, Outcome, Reason
from support.live import FakeClock

DAY = 86_400_000
MONDAY = 1_704_067_200_000  # 2024-01-01T00:00:00.000Z


def test_event_becomes_one_canonical_event() -> None:
    body = event_body(
        afUserId="unique_cookie_uuid",
        timestamp=MONDAY + 1,
        eventRevenue="1234.20",
        eventRevenueCurrency="eur",
        eventValue={"sku": "ABC123"},
        ip="192.0.2.1",
    )
    submission = accepted(handle(body, now_ms=MONDAY + DAY))
    assert (submission.app, submission.message, submission.links) == ("gems", "event recorded", [])
    assert submission.rate_limit_per_minute == 60_000
    [event] = submission.events
    assert (event.dialect, event.kind, event.name) == (
        "appsflyer_web",
        EventKind.PURCHASE,
        "web_purchase",
    )
    assert (event.event_time_ms, event.received_at_ms, event.original_time_ms) == (
        MONDAY + 1,
        MONDAY + DAY,
        None,
    )
    assert event.ids == {"customer_user_id": "663274", "af_web_id": "unique_cookie_uuid"}
    assert (event.revenue, event.currency) == (Decimal("1234.20"), "EUR")
    assert event.properties == {"ip": "192.0.2.1", "event_value": {"sku": "ABC123"}}
    assert event.flags == []


def test_setcuid_links_the_two_ids() -> None:
    submission = accepted(handle(compact(VALID_SETCUID), "setcuid"))
    [event] = submission.events
    assert (event.kind, event.name, event.event_time_ms) == (EventKind.IDENTIFY, "setCuId", NOW_MS)
    assert submission.links == [
        IdentityLink(
            "customer_user_id", "663274", "af_web_id", "9999999-f848-4963-a091-568f0bf9a361"
        )
    ]
    assert submission.message == "customer user id linked"


def test_rate_limit_comes_from_the_bundle() -> None:
    env = DialectEnv(credentials=Lookup(rate_limit_per_minute=3), clock=FakeClock())
    result = AppsflyerWeb().handle(ingest_request(event_body()), env)
    assert accepted(result).rate_limit_per_minute == 3


TIMES = {
    "Monday 00:00 arriving Tuesday 23:59:59.999": (MONDAY, MONDAY + 2 * DAY - 1, None),
    "Monday 23:59:59.999 arriving Tuesday 23:59:59.999": (
        MONDAY + DAY - 1,
        MONDAY + 2 * DAY - 1,
        None,
    ),
    "Monday 23:59:59.999 arriving Wednesday 00:00": (
        MONDAY + DAY - 1,
        MONDAY + 2 * DAY,
        "late_timestamp",
    ),
    "Sunday 23:59:59.999 arriving Monday 23:59:59.999": (MONDAY - 1, MONDAY + DAY - 1, None),
    "Sunday 23:59:59.999 arriving Tuesday 00:00": (MONDAY - 1, MONDAY + DAY, "late_timestamp"),
    "smallest 13 digits (2001)": (10**12, MONDAY, "late_timestamp"),
    "largest 13 digits (2286)": (10**13 - 1, MONDAY, "future_timestamp"),
    "one millisecond ahead": (MONDAY + 1, MONDAY, "future_timestamp"),
}


@pytest.mark.parametrize(("timestamp", "now", "flag"), TIMES.values(), ids=TIMES.keys())
def test_late_and_future_timestamps(timestamp: int, now: int, flag: str | None) -> None:
    [event] = accepted(handle(event_body(timestamp=timestamp), now_ms=now)).events
    if flag is None:
        assert (event.event_time_ms, event.original_time_ms, event.flags) == (timestamp, None, [])
    else:
        assert (event.event_time_ms, event.original_time_ms, event.flags) == (
            now,
            timestamp,
            [flag],
        )


@pytest.mark.parametrize("timestamp", [10**12 - 1, 10**13, 0, -(10**12), "123456789012"])
def test_timestamps_need_13_digits(timestamp: int | str) -> None:
    rejection = rejected(handle(event_body(timestamp=timestamp)))
    assert (rejection.reason, rejection.message) == (
        Reason.INVALID,
        "timestamp: must be a Unix time in milliseconds (13 digits)",
    )


def normalized_event_value(event_value: object) -> tuple[object, list[str]]:
    """The dialect's eventValue rule alone, for values too large for a 1 KB request."""
    payload = msgspec.convert({"eventValue": event_value, **_required()}, EventPayload)
    event = event_from_payload("gems", payload, {}, NOW_MS)
    return event.properties["event_value"], event.flags


def _required() -> dict[str, str]:
    return {"webDevKey": "k", "eventType": "EVENT", "eventName": "n", "customerUserId": "u"}


def test_event_value_of_1000_characters_is_kept_whole() -> None:
    value = {"note": "x" * (1000 - len('{"note":""}'))}
    assert normalized_event_value(value) == (value, [])


def test_event_value_over_1000_characters_is_cut_to_1000() -> None:
    value = {"note": "x" * 1500}
    text = msgspec.json.encode(value).decode()
    assert normalized_event_value(value) == (text[:1000], ["event_value_truncated"])


def test_event_value_text_over_1000_characters_is_cut_to_1000() -> None:
    text = '{"note": "' + "é" * 1200 + '"}'
    cut = ('{"note":"' + "é" * 1200)[:1000]
    assert normalized_event_value(text) == (cut, ["event_value_truncated"])


def test_event_value_cut_within_a_1kb_request() -> None:
    """handle() refuses bodies over 1 KB, but `1e9` (3 bytes) is stored as `1E+9`."""
    numbers = ",".join(["1e9"] * 210)
    body = event_body(eventValue="?").replace(b'"?"', f'{{"n":[{numbers}]}}'.encode())
    [event] = accepted(handle(body)).events
    text = '{"n":[' + ",".join(["1E+9"] * 210) + "]}"
    assert (event.properties["event_value"], event.flags) == (
        text[:1000],
        ["event_value_truncated"],
    )


@pytest.mark.parametrize("value", ["", "   "])
def test_empty_event_value_text_is_no_event_value(value: str) -> None:
    [event] = accepted(handle(event_body(eventValue=value))).events
    assert "event_value" not in event.properties


def test_both_user_agent_spellings_keep_both() -> None:
    body = event_body(userAgent="Chrome/80.0.3987", UserAgent="Firefox/124.0")
    [event] = accepted(handle(body)).events
    assert event.properties == {
        "user_agent": "Chrome/80.0.3987",
        "unknown_fields": {"UserAgent": "Firefox/124.0"},
    }


def test_currency_without_revenue_is_checked_but_not_stored() -> None:
    [event] = accepted(handle(event_body(eventRevenueCurrency="ZAR"))).events
    assert (event.kind, event.revenue, event.currency) == (EventKind.EVENT, None, None)
    rejection = rejected(handle(event_body(eventRevenueCurrency="RAND")))
    assert rejection.message == "eventRevenueCurrency: must be an ISO 4217 currency code"


def test_refusals_name_the_app_when_the_bundle_is_known() -> None:
    assert rejected(handle(event_body(), "purchase")).app == "gems"
    assert rejected(handle(event_body(), http_method="GET")).app == "gems"
    assert rejected(handle(event_body(webDevKey="x"))).app == "gems"
    assert rejected(handle(event_body(), bundle="other")).app is None


def test_incomplete_body_is_too_large_whatever_its_size() -> None:
    rejection = rejected(handle(event_body(), complete=False))
    assert rejection.reason == Reason.TOO_LARGE


def test_missing_content_type_is_invalid() -> None:
    rejection = rejected(handle(event_body(), content_type=None))
    assert (rejection.reason, rejection.message) == (
        Reason.INVALID,
        "Content-Type must be application/json",
    )


STATUSES = {
    Reason.INVALID: 400,
    Reason.TOO_LARGE: 400,
    Reason.UNAUTHENTICATED: 403,
    Reason.FORBIDDEN: 403,
    Reason.UNKNOWN_APP: 404,
    Reason.NOT_FOUND: 404,
    Reason.METHOD_NOT_ALLOWED: 405,
    Reason.RATE_LIMITED: 429,
    Reason.INTERNAL_ERROR: 500,
}


@pytest.mark.parametrize(("reason", "status"), STATUSES.items())
def test_refusals_answer_in_the_vendor_shape(reason: Reason, status: int) -> None:
    wire = AppsflyerWeb().respond(Outcome(reason=reason, message="what is wrong"))
    assert wire.status == status
    phrase = HTTPStatus(status).phrase
    expected = {"error": "what is wrong", "message": phrase, "status": status}
    assert msgspec.json.decode(wire.body) == expected
    assert dict(wire.headers) == ({"Allow": "POST"} if status == 405 else {})


@pytest.mark.parametrize("reason", [Reason.ACCEPTED, Reason.DUPLICATE, Reason.DISCARDED])
def test_successes_answer_ok(reason: Reason) -> None:
    wire = AppsflyerWeb().respond(Outcome(reason=reason, message="event recorded"))
    assert (wire.status, wire.media_type) == (200, "application/json")
    assert msgspec.json.decode(wire.body) == {"status": "OK", "message": "event recorded"}
