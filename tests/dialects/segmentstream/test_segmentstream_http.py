"""SegmentStream /track over real HTTP: the answers, each failure with its status, outcomes."""

from __future__ import annotations

import pytest
from segmentstream_helpers import AUTH, JSON, Wire, basic, compact, hit

from support.config import APP

ERROR = "application/json"
CHALLENGE = 'Basic realm="segmentstream"'
MISSING = "Authorization: missing; send Basic base64(API token + ':')"
MALFORMED = "Authorization: malformed; expected Basic base64(API token + ':')"


def test_success_is_204_with_no_body_and_no_content_type(wire: Wire) -> None:
    answer = wire.track(hit())
    assert answer.status_code == 204
    assert answer.content == b""
    assert "content-type" not in answer.headers
    [outcome] = wire.outcomes()
    assert (outcome["reason"], outcome["app"], outcome["message"]) == (
        "accepted",
        APP,
        "hit recorded",
    )


@pytest.mark.parametrize(
    ("authorization", "message"),
    [
        ("", MISSING),
        ("Basic", MALFORMED),
        ("Basic abc123", MALFORMED),
        ("Basic YWJjMTIz", MALFORMED),  # base64 of "abc123": no colon
        ("Basic OmFiYzEyMw==", MALFORMED),  # ":abc123": the token sent as the password
        ("Basic //79", MALFORMED),  # not UTF-8
        ("Bearer abc123", MALFORMED),
        ("Digest YWJjMTIzOg==", MALFORMED),
        (basic("ABC123"), "Authorization: unknown API token"),
        (basic("abc1234"), "Authorization: unknown API token"),
    ],
)
def test_missing_malformed_or_unknown_token_is_401(
    wire: Wire, authorization: str, message: str
) -> None:
    answer = wire.post(compact(hit()), headers={"Authorization": authorization})
    assert answer.status_code == 401
    assert answer.json() == {"error": message}
    assert answer.headers["content-type"] == ERROR
    assert answer.headers["www-authenticate"] == CHALLENGE
    [outcome] = wire.outcomes()
    assert (outcome["reason"], outcome["app"]) == ("unauthenticated", None)
    assert wire.events() == []


def test_no_authorization_header_at_all_is_401(wire: Wire) -> None:
    answer = wire.client.post("/track", content=compact(hit()), headers={"Content-Type": JSON})
    assert (answer.status_code, answer.json()) == (401, {"error": MISSING})


@pytest.mark.parametrize(
    "authorization",
    [
        AUTH,
        "basic YWJjMTIzOg==",
        "BASIC YWJjMTIzOg==",
        "Basic   YWJjMTIzOg==",
        basic("abc123", "x"),
    ],
)
def test_accepted_spellings_of_the_basic_header(wire: Wire, authorization: str) -> None:
    """The scheme is case-insensitive (RFC 7617); a password, if any, is not used."""
    answer = wire.post(compact(hit()), headers={"Authorization": authorization})
    assert answer.status_code == 204, answer.text


def test_authentication_comes_before_the_body_is_read(wire: Wire) -> None:
    answer = wire.post(b"not json", headers={"Authorization": basic("nobody")})
    assert answer.status_code == 401


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("text/plain", 400),
        ("application/x-www-form-urlencoded", 400),
        ("application/jsonp", 400),
        ("application/json; charset=utf-8", 204),
        ("Application/JSON", 204),
    ],
)
def test_content_type(wire: Wire, content_type: str, status: int) -> None:
    answer = wire.post(compact(hit()), headers={"Content-Type": content_type})
    assert answer.status_code == status, answer.text
    if status == 400:
        assert answer.json() == {"error": "Content-Type: must be application/json"}


def test_missing_content_type_is_400(wire: Wire) -> None:
    headers = {"Authorization": AUTH}
    answer = wire.client.post("/track", content=compact(hit()), headers=headers)
    assert (answer.status_code, answer.json()) == (
        400,
        {"error": "Content-Type: must be application/json"},
    )


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"", "body: invalid JSON: Input data was truncated"),
        (b"{", "body: invalid JSON: Input data was truncated"),
        (b"null", "body: the body must be a JSON object"),
        (b'"hit"', "body: the body must be a JSON object"),
        (b"\xff\xfe{}", "body: invalid JSON: JSON is malformed: invalid character (byte 0)"),
        (b"[" * 5000 + b"]" * 5000, "body: invalid JSON: nested too deeply"),
    ],
)
def test_invalid_json_is_400(wire: Wire, body: bytes, error: str) -> None:
    answer = wire.post(body)
    assert (answer.status_code, answer.json()) == (400, {"error": error})
    [outcome] = wire.outcomes()
    assert (outcome["reason"], outcome["app"]) == ("invalid", APP)


@pytest.mark.parametrize(
    ("event", "error"),
    [
        ({"name": 7}, "event.name: Expected `str | null`, got `int`"),
        ({"name": "n" * 501}, "event.name: Expected `str` of length <= 500"),
        ({"name": "a\u0000b"}, "event.name: must not contain NUL characters"),
        ({"value": -3}, "event.value: Expected `int` >= 0"),
        ({"value": "-3"}, "event.value: Expected `int` >= 0"),
        ({"value": "three"}, "event.value: Expected `int | null`, got `str`"),
        ({"value": True}, "event.value: Expected `int | null`, got `bool`"),
        ({"nonInteraction": "maybe"}, "event.nonInteraction: Expected `bool | null`, got `str`"),
        ({"user": "u1"}, "event.user: Expected `object | null`, got `str`"),
        ({"user": {"userId": 42}}, "event.user.userId: Expected `str | null`, got `int`"),
        (
            {"website": {"regionId": 8113}},
            "event.website.regionId: Expected `str | null`, got `int`",
        ),
        (
            {"transaction": {"total": "lots"}},
            "event.transaction.total: Invalid decimal string",
        ),
        (
            {"transaction": {"total": 1e15}},
            "event.transaction.total: must be a finite number below 10^12 in magnitude",
        ),
        (
            {"transaction": {"lineItems": {"quantity": 1}}},
            "event.transaction.lineItems: Expected `array | null`, got `object`",
        ),
        (
            {"transaction": {"lineItems": [{"product": {"unitPrice": "NaN"}}]}},
            "event.transaction.lineItems[0].product.unitPrice: "
            "must be a finite number below 10^12 in magnitude",
        ),
        (
            {"transaction": {"lineItems": [{"product": {"stock": 1.5}}]}},
            "event.transaction.lineItems[0].product.stock: Expected `int | null`, got `decimal`",
        ),
    ],
)
def test_schema_violations_are_400_naming_the_field(
    wire: Wire, event: dict[str, object], error: str
) -> None:
    payload = hit()
    payload["event"] = event
    answer = wire.track(payload)
    assert (answer.status_code, answer.json()) == (400, {"error": error})
    assert wire.events() == []


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"hitId": None}, "hitId: Expected `str`, got `null`"),
        ({"hitId": "not-a-uuid"}, "hitId: must be a version-1 UUID (8-4-4-4-12 hex digits)"),
        (
            {"hitId": "4c59d33035c711e98f278d1d7d4690e7"},
            "hitId: must be a version-1 UUID (8-4-4-4-12 hex digits)",
        ),
        (
            {"hitId": "4c59d330-35c7-11e9-cf27-8d1d7d4690e7"},  # not the RFC 4122 variant
            "hitId: must be a version-1 UUID (8-4-4-4-12 hex digits)",
        ),
        ({"sentAt": 1550746570723}, "sentAt: Expected `str`, got `int`"),
        ({"sentAt": "2019-02-21"}, "sentAt: must be an ISO 8601 date and time"),
        ({"sentAt": "yesterday"}, "sentAt: must be an ISO 8601 date and time"),
        (
            {"sentAt": "0001-01-01T00:00:00+01:00"},
            "sentAt: must be within the years 1 to 9999 (UTC)",
        ),
        (
            {"sentAt": "9999-12-31T23:59:59-01:00"},
            "sentAt: must be within the years 1 to 9999 (UTC)",
        ),
        ({"context": {"ip": 2130706433}}, "context.ip: Expected `str | null`, got `int`"),
        ({"integrations": []}, "integrations: Expected `object | null`, got `array`"),
        (
            {"integrations": {"OWOX BI Streaming": 1}},
            "integrations.OWOX BI Streaming: must be an object or a boolean",
        ),
    ],
)
def test_top_level_violations_are_400_naming_the_field(
    wire: Wire, fields: dict[str, object], error: str
) -> None:
    payload = {**hit(), **fields}
    answer = wire.track(payload)
    assert (answer.status_code, answer.json()) == (400, {"error": error})


@pytest.mark.parametrize(
    ("number", "path"),
    [
        (b"1e400", "custom"),
        (b"-2.5e308", "custom"),
        (b'[1, {"deep": 1e308}]', "custom[1].deep"),
    ],
)
def test_numbers_a_json_reader_cannot_read_back_are_400(
    wire: Wire, number: bytes, path: str
) -> None:
    """Kept fields are stored as JSON; 1e308 and beyond would not decode again as doubles."""
    body = compact(hit())[:-1] + b',"custom":' + number + b"}"
    answer = wire.post(body)
    assert (answer.status_code, answer.json()) == (400, {"error": f"{path}: number out of range"})


@pytest.mark.parametrize(
    "sent_at",
    [
        "2023-11-14T22:00:00Z",
        "2023-11-14T22:00:00.123456+00:00",
        "2023-11-15T01:00:00+03:00",
        "2023-11-14 22:00:00",
        "20231114T220000Z",
    ],
)
def test_sent_at_in_iso_8601_spellings(wire: Wire, sent_at: str) -> None:
    payload = {**hit(), "sentAt": sent_at}
    wire.accepted(payload)
    [event] = wire.events()
    assert event["event_time"].startswith("2023-11-14T22:00:00")


def test_body_of_64_kb_is_accepted_one_byte_more_is_400(wire: Wire) -> None:
    body = compact(hit())
    padded = body + b" " * (65536 - len(body))
    assert wire.post(padded).status_code == 204
    answer = wire.post(padded + b" ")
    assert (answer.status_code, answer.json()) == (
        400,
        {"error": "body: larger than the 64 KB (65536 bytes) limit"},
    )
    assert [outcome["reason"] for outcome in wire.outcomes()] == ["too_large", "accepted"]


def test_a_body_far_over_the_limit_is_400_and_its_raw_body_kept_bounded(wire: Wire) -> None:
    answer = wire.post(b"{" + b" " * 1_000_000 + b"}")
    assert answer.status_code == 400
    [outcome] = wire.outcomes()
    assert outcome["reason"] == "too_large"
    assert outcome["raw"]["body_truncated"] is True
    assert len(outcome["raw"]["body"]) <= 65536


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(wire: Wire, method: str) -> None:
    answer = wire.post(b"", method=method)
    assert (answer.status_code, answer.json()) == (
        405,
        {"error": f"method {method} not allowed: use POST"},
    )
    assert answer.headers["allow"] == "POST"
