"""install_postback over real HTTP: the path, the methods, the key, and how fields arrive."""

from __future__ import annotations

import json

import pytest
from install_helpers import CANONICAL_GAID, EXAMPLE, FORM, OK, PATH, Wire, example, refused

EXAMPLE_JSON = json.dumps(EXAMPLE).encode()


@pytest.mark.parametrize("path", ["/track/install/v1/custom/", "/track/install/v1/custom"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_both_spellings_of_the_path_answer_directly(wire: Wire, path: str, method: str) -> None:
    if method == "GET":
        answer = wire.client.get(path, params={**EXAMPLE, "apikey": "test-install-key"})
    else:
        answer = wire.send("POST", EXAMPLE_JSON, path=path)
    assert answer.status_code == 200, answer.text
    assert answer.json() == OK
    assert [event["name"] for event in wire.events()] == ["install"]


def test_other_paths_under_the_prefix_are_not_found(wire: Wire) -> None:
    answer = wire.send("POST", EXAMPLE_JSON, path="/track/install/v1/custom/extra")
    assert answer.status_code == 404
    assert wire.events() == []


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "OPTIONS"])
def test_other_methods_are_refused_with_405(wire: Wire, method: str) -> None:
    answer = wire.send(method, EXAMPLE_JSON)
    assert answer.status_code == 405
    assert answer.headers["allow"] == "GET, POST"
    assert answer.json() == refused(405, f"method {method} not allowed: use GET or POST")
    assert wire.events() == []


def test_head_is_refused_and_stores_nothing(wire: Wire) -> None:
    answer = wire.client.head(PATH, params={**EXAMPLE, "apikey": "test-install-key"})
    assert answer.status_code == 405
    assert wire.events() == []
    assert [outcome["reason"] for outcome in wire.outcomes()] == ["method_not_allowed"]


@pytest.mark.parametrize(
    ("key", "message", "reason"),
    [
        (None, "apikey: missing from the query string", "unauthenticated"),
        ("", "apikey: missing from the query string", "unauthenticated"),
        ("wrong-key", "apikey: not a known key", "forbidden"),
        ("TEST-INSTALL-KEY", "apikey: not a known key", "forbidden"),
    ],
)
def test_missing_or_unknown_key_is_403(
    wire: Wire, key: str | None, message: str, reason: str
) -> None:
    for answer in (wire.get(EXAMPLE, key=key), wire.post_json(EXAMPLE, key=key)):
        assert answer.status_code == 403
        assert answer.json() == refused(403, message)
    assert wire.events() == []
    assert [outcome["reason"] for outcome in wire.outcomes()] == [reason, reason]


def test_the_key_in_a_json_body_does_not_count(wire: Wire) -> None:
    answer = wire.post_json(example(apikey="test-install-key"), key=None)
    assert answer.status_code == 403


def test_get_decodes_plus_and_percent_20_as_spaces(wire: Wire) -> None:
    query = (
        "apikey=test-install-key&publisher_name=Big+Pub&campaign_name=Spring%20Sale"
        "&s_ad_name=caf%C3%A9+ad%2B1&google_aid=" + EXAMPLE["google_aid"]
    )
    assert wire.send("GET", query=query, content_type=None).status_code == 200
    properties = wire.events()[0]["properties"]
    assert properties["publisher_name"] == "Big Pub"
    assert properties["campaign_name"] == "Spring Sale"
    assert properties["s_ad_name"] == "café ad+1"


def test_get_repeated_keys_last_wins(wire: Wire) -> None:
    query = (
        "apikey=wrong&apikey=test-install-key&publisher_name=first&publisher_name=last"
        "&user_id=u1&user_id=u2"
    )
    assert wire.send("GET", query=query, content_type=None).status_code == 200
    [event] = wire.events()
    assert event["properties"]["publisher_name"] == "last"
    assert event["ids"] == {"customer_user_id": "u2"}


def test_post_form_body_is_read_like_a_query(wire: Wire) -> None:
    body = b"publisher_name=Big+Pub&publisher_name=Form%20Pub&os_id=device-1&cost=1.5"
    assert wire.send("POST", body, content_type=f"{FORM}; charset=utf-8").status_code == 200
    [event] = wire.events()
    assert event["properties"]["publisher_name"] == "Form Pub"
    assert event["properties"]["cost"] == 1.5
    assert event["ids"] == {"uuid": "device-1"}


def test_post_without_content_type_is_read_as_json(wire: Wire) -> None:
    assert wire.send("POST", EXAMPLE_JSON, content_type=None).status_code == 200
    assert wire.send("POST", EXAMPLE_JSON, content_type="text/plain").status_code == 200
    assert [event["ids"] for event in wire.events()] == [{"gaid": CANONICAL_GAID}] * 2


def test_post_ignores_fields_in_the_query(wire: Wire) -> None:
    query = "apikey=test-install-key&publisher_name=FromQuery"
    assert wire.send("POST", EXAMPLE_JSON, query=query).status_code == 200
    assert wire.events()[0]["properties"]["publisher_name"] == "Publisher"


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (b"", "application/json", "body: invalid JSON: Input data was truncated"),
        (b"{", "application/json", "body: invalid JSON: Input data was truncated"),
        (b'"install"', "application/json", "body: the body must be a JSON object"),
        (b"\xff\xfe", FORM, "body: the form is not valid UTF-8"),
    ],
)
def test_unreadable_bodies_are_400(
    wire: Wire, body: bytes, content_type: str, message: str
) -> None:
    answer = wire.send("POST", body, content_type=content_type)
    assert answer.status_code == 400
    assert answer.json() == refused(400, message)


def test_a_body_over_16_kib_is_413(wire: Wire) -> None:
    body = json.dumps(example(padding="x" * 17_000)).encode()
    answer = wire.send("POST", body)
    assert answer.status_code == 413
    assert answer.json() == refused(413, "body: larger than 16384 bytes")
    assert wire.events() == []


def test_every_request_gets_one_outcome_keeping_the_raw_request(wire: Wire) -> None:
    wire.post_json(EXAMPLE)
    wire.post_json(example(cost=-1))
    wire.get(EXAMPLE, key="nope")
    outcomes = wire.outcomes()
    assert [outcome["reason"] for outcome in outcomes] == ["forbidden", "invalid", "accepted"]
    assert outcomes[1]["raw"]["body"] == json.dumps(example(cost=-1))
    assert "apikey=nope" in outcomes[0]["raw"]["query"]
