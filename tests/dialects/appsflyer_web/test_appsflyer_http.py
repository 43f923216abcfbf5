"""AppsFlyer Web-S2S over real HTTP: every refusal in the vendor's exact shape.

One server (SQLite) serves the whole module: these tests only read the answers.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from appsflyer_helpers import VALID_SETCUID, Wire, compact, error, event_body, serve

from support.live import FakeClock

OK_EVENT = {"status": "OK", "message": "event recorded"}
OK_LINK = {"status": "OK", "message": "customer user id linked"}
NO_USER_ID = "send at least one of customerUserId, afUserId"
NOT_13_DIGITS = "timestamp: must be a Unix time in milliseconds (13 digits)"
NOT_AN_OBJECT = "the body must be a JSON object"
BAD_CURRENCY = "eventRevenueCurrency: must be an ISO 4217 currency code"
BAD_AMOUNT = "eventRevenue: must be a finite number below 10^12 in magnitude"

INVALID_EVENTS = {
    "no user id": (event_body(customerUserId=None), NO_USER_ID),
    "empty user ids": (event_body(customerUserId="", afUserId=""), NO_USER_ID),
    "blank user ids": (event_body(customerUserId="  ", afUserId="\t"), NO_USER_ID),
    "eventType not EVENT": (event_body(eventType="event"), "eventType: must be EVENT"),
    "no eventType": (event_body(eventType=None), "Object missing required field `eventType`"),
    "no eventName": (event_body(eventName=None), "Object missing required field `eventName`"),
    "empty eventName": (event_body(eventName=" "), "eventName: must not be empty"),
    "no webDevKey": (event_body(webDevKey=None), "Object missing required field `webDevKey`"),
    "bad JSON": (b'{"eventName": ', "invalid JSON: Input data was truncated"),
    "empty body": (b"", "invalid JSON: Input data was truncated"),
    "JSON array": (b"[1, 2]", NOT_AN_OBJECT),
    "JSON string": (b'"EVENT"', NOT_AN_OBJECT),
    "JSON null": (b"null", NOT_AN_OBJECT),
    "invalid UTF-8": (
        event_body(eventName="?").replace(b'"?"', b'"\xff\xfe"'),
        "invalid JSON: the body is not valid UTF-8",
    ),
    "currency not a code": (event_body(eventRevenue=1, eventRevenueCurrency="EURO"), BAD_CURRENCY),
    "currency unknown": (event_body(eventRevenue=1, eventRevenueCurrency="XYZ"), BAD_CURRENCY),
    "revenue true": (
        event_body(eventRevenue=True),
        "eventRevenue: Expected `decimal | null`, got `bool`",
    ),
    "revenue not a number": (
        event_body(eventRevenue="1,99"),
        "eventRevenue: Invalid decimal string",
    ),
    "revenue NaN": (event_body(eventRevenue="NaN"), BAD_AMOUNT),
    "revenue too big": (event_body(eventRevenue=10**12), BAD_AMOUNT),
    "revenue 1e1000000": (event_body(eventRevenue=0).replace(b":0", b":1e1000000"), BAD_AMOUNT),
    "customerUserId a number": (
        event_body(customerUserId=123),
        "customerUserId: Expected `str | null`, got `int`",
    ),
    "afUserId a boolean": (
        event_body(afUserId=True),
        "afUserId: Expected `str | null`, got `bool`",
    ),
    "eventName a number": (event_body(eventName=7), "eventName: Expected `str`, got `int`"),
    "timestamp 12 digits": (event_body(timestamp=123456789012), NOT_13_DIGITS),
    "timestamp 14 digits": (event_body(timestamp=12345678901234), NOT_13_DIGITS),
    "timestamp negative": (event_body(timestamp=-1234567890123), NOT_13_DIGITS),
    "timestamp in seconds, as text": (event_body(timestamp="1234567890"), NOT_13_DIGITS),
    "timestamp with a fraction": (
        event_body(timestamp=1234567890123.5),
        "timestamp: Expected `int | null`, got `decimal`",
    ),
    "timestamp words": (
        event_body(timestamp="yesterday"),
        "timestamp: Expected `int | null`, got `str`",
    ),
    "eventValue an array": (
        event_body(eventValue=["sku"]),
        "eventValue: Expected `str | object | null`, got `array`",
    ),
    "eventValue text not an object": (
        event_body(eventValue='["sku"]'),
        "eventValue: must be a JSON object",
    ),
    "eventName over 500 characters": (
        event_body(eventName="e" * 501),
        "eventName: must be at most 500 characters",
    ),
    "customerUserId with NUL": (
        event_body(customerUserId="66\u00003274"),
        "customerUserId: must not contain NUL characters",
    ),
}

INVALID_SETCUIDS = {
    "no customerUserId": (
        {"customerUserId": None},
        "Object missing required field `customerUserId`",
    ),
    "no afUserId": ({"afUserId": None}, "Object missing required field `afUserId`"),
    "no webDevKey": ({"webDevKey": None}, "Object missing required field `webDevKey`"),
    "empty ids": (
        {"customerUserId": "", "afUserId": " "},
        "customerUserId and afUserId must not be empty",
    ),
    "afUserId a number": ({"afUserId": 9}, "afUserId: Expected `str`, got `int`"),
}


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wire]:
    url = f"sqlite:///{tmp_path_factory.mktemp('db')}/postback.db"
    with serve(url, FakeClock()) as wire:
        yield wire


def setcuid_body(**fields: object) -> bytes:
    payload = {**VALID_SETCUID, **fields}
    return compact({name: value for name, value in payload.items() if value is not None})


@pytest.mark.parametrize(("body", "message"), INVALID_EVENTS.values(), ids=INVALID_EVENTS.keys())
def test_invalid_event_is_400(shared: Wire, body: bytes, message: str) -> None:
    answer = shared.post(body)
    assert (answer.status_code, answer.json()) == (400, error(400, message))


@pytest.mark.parametrize(
    ("fields", "message"), INVALID_SETCUIDS.values(), ids=INVALID_SETCUIDS.keys()
)
def test_invalid_setcuid_is_400(shared: Wire, fields: dict[str, object], message: str) -> None:
    answer = shared.post(setcuid_body(**fields), "setcuid")
    assert (answer.status_code, answer.json()) == (400, error(400, message))


@pytest.mark.parametrize("method", ["event", "setcuid"])
def test_wrong_web_dev_key_is_403(shared: Wire, method: str) -> None:
    body = event_body(webDevKey="ffffffff-ffff-ffff-ffff-ffffffffffff")
    if method == "setcuid":
        body = setcuid_body(webDevKey="ffffffff-ffff-ffff-ffff-ffffffffffff")
    answer = shared.post(body, method)
    assert (answer.status_code, answer.json()) == (
        403,
        error(403, "webDevKey is not valid for this bundle"),
    )


def test_wrong_key_wins_over_an_invalid_event(shared: Wire) -> None:
    answer = shared.post(event_body(webDevKey="nope", eventType="bad", customerUserId=None))
    assert answer.status_code == 403


@pytest.mark.parametrize("bundle", ["com.example.unknown", "bundleid", "BUNDLEID"])
def test_unknown_bundle_is_404(shared: Wire, bundle: str) -> None:
    answer = shared.post(event_body(), bundle=bundle)
    assert (answer.status_code, answer.json()) == (404, error(404, "unknown bundle id"))


def test_unknown_method_name_is_404(shared: Wire) -> None:
    answer = shared.post(event_body(), "purchase")
    message = "unknown method 'purchase': use event or setCuId"
    assert (answer.status_code, answer.json()) == (404, error(404, message))


@pytest.mark.parametrize("http_method", ["GET", "PUT", "PATCH", "DELETE"])
def test_other_http_methods_are_405_with_allow_post(shared: Wire, http_method: str) -> None:
    answer = shared.post(b"", http_method=http_method)
    message = f"method {http_method} not allowed: use POST"
    assert (answer.status_code, answer.json()) == (405, error(405, message))
    assert answer.headers["Allow"] == "POST"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_other_content_types_are_400(shared: Wire, content_type: str) -> None:
    answer = shared.post(event_body(), headers={"Content-Type": content_type})
    message = "Content-Type must be application/json"
    assert (answer.status_code, answer.json()) == (400, error(400, message))


@pytest.mark.parametrize(
    "content_type", ["application/json; charset=utf-8", "Application/JSON", "application/json;"]
)
def test_json_content_type_parameters_are_fine(shared: Wire, content_type: str) -> None:
    answer = shared.post(event_body(), headers={"Content-Type": content_type})
    assert (answer.status_code, answer.json()) == (200, OK_EVENT)


def padded_event(size: int) -> bytes:
    """A valid event of exactly `size` bytes, padded with an unknown field."""
    body = event_body(padding="")
    padded = event_body(padding="x" * (size - len(body)))
    assert len(padded) == size
    return padded


def test_payload_of_exactly_1024_bytes_is_accepted(shared: Wire) -> None:
    answer = shared.post(padded_event(1024))
    assert (answer.status_code, answer.json()) == (200, OK_EVENT)


def test_payload_of_1025_bytes_is_400(shared: Wire) -> None:
    answer = shared.post(padded_event(1025))
    message = "payload exceeds the 1KB (1024 bytes) limit"
    assert (answer.status_code, answer.json()) == (400, error(400, message))


def test_body_far_over_the_limit_is_400(shared: Wire) -> None:
    answer = shared.post(b"{" + b" " * 200_000 + b"}")
    assert answer.status_code == 400
    assert answer.json()["error"] == "payload exceeds the 1KB (1024 bytes) limit"


@pytest.mark.parametrize("method", ["event", "Event", "EVENT", "eVeNt"])
def test_event_method_name_is_case_insensitive(shared: Wire, method: str) -> None:
    answer = shared.post(event_body(), method)
    assert (answer.status_code, answer.json()) == (200, OK_EVENT)


@pytest.mark.parametrize("method", ["setcuid", "setCuId", "SETCUID", "setCuID", "SetCuid"])
def test_setcuid_method_name_is_case_insensitive(shared: Wire, method: str) -> None:
    answer = shared.post(setcuid_body(), method)
    assert (answer.status_code, answer.json()) == (200, OK_LINK)
