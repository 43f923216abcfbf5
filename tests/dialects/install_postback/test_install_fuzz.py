"""Hypothesis fuzz of the install_postback parser: it never raises, and the server never 5xx."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from install_helpers import FORM, JSON, PATH, handle, serve

from postback.dialects.install_postback.wire import FIELDS
from postback.model import EventKind, Reason, Rejection, Submission
from support.config import INSTALL_API_KEY
from support.live import FakeClock

REFUSALS = {
    Reason.INVALID,
    Reason.UNAUTHENTICATED,
    Reason.FORBIDDEN,
    Reason.TOO_LARGE,
    Reason.NOT_FOUND,
    Reason.METHOD_NOT_ALLOWED,
}
NAMES = st.one_of(
    st.sampled_from([*sorted(FIELDS), "apikey", "utm_source", "custom_args"]), st.text(max_size=12)
)
SPECIAL = st.sampled_from(
    [
        "", " ", "nan", "-1", "1e999", "0.12", "2019-01-02 18:01:23", "1546452083", "US", "gb",
        "install", "0123456789ab-cdef-0123-456789abcdef", "\x00", "x" * 600, "\ufeff", "١٢",
    ]
)  # fmt: skip
TEXTS = st.one_of(SPECIAL, st.text(max_size=40))
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXTS),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
QUERIES = st.dictionaries(NAMES, TEXTS, max_size=12)
OBJECTS = st.dictionaries(NAMES, st.one_of(TEXTS, JSON_VALUES), max_size=12)
VALID = {"publisher_name": "P", "user_id": "u"}  # so many fuzzed requests are stored
RAW_BODIES = st.one_of(st.binary(max_size=200), OBJECTS.map(lambda data: json.dumps(data).encode()))


def check(result: Submission | Rejection) -> None:
    if isinstance(result, Rejection):
        assert result.reason in REFUSALS, result
        return
    [event] = result.events
    assert event.kind == EventKind.INSTALL
    assert event.ids
    assert event.attribution_source is not None
    for value in [*event.ids.values(), event.attribution_source.publisher]:
        assert 0 < len(value) <= 500
        assert all(ord(character) >= 0x20 for character in value)


@settings(max_examples=300, deadline=None)
@given(query=QUERIES, keyed=st.booleans())
def test_get_queries_never_raise(query: dict[str, str], keyed: bool) -> None:
    if keyed:
        query["apikey"] = INSTALL_API_KEY
    check(handle("GET", query))


@settings(max_examples=300, deadline=None)
@given(body=RAW_BODIES, content_type=st.sampled_from([JSON, FORM, "text/plain", ""]))
def test_post_bodies_never_raise(body: bytes, content_type: str) -> None:
    check(handle("POST", {"apikey": INSTALL_API_KEY}, body, {"content-type": content_type}))


@settings(max_examples=200, deadline=None)
@given(fields=QUERIES)
def test_form_bodies_never_raise(fields: dict[str, str]) -> None:
    body = urlencode(fields).encode()
    check(handle("POST", {"apikey": INSTALL_API_KEY}, body, {"content-type": FORM}))


@settings(max_examples=200, deadline=None)
@given(method=st.text(max_size=8), slash=st.text(max_size=8))
def test_any_method_and_path_ending_never_raise(method: str, slash: str) -> None:
    check(handle(method, {"apikey": INSTALL_API_KEY}, b"{}", slash=slash))


def test_the_server_never_answers_5xx(database_url: str, clock: FakeClock) -> None:
    """Over real HTTP on each engine: whatever arrives is stored or refused, never a 5xx."""
    with serve(database_url, clock) as wire:

        @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(query=QUERIES, body=st.one_of(st.none(), OBJECTS))
        def run(query: dict[str, str], body: dict[str, Any] | None) -> None:
            query["apikey"] = INSTALL_API_KEY
            if body is None:
                answer = wire.client.get(PATH, params={**VALID, **query})
            else:
                content = json.dumps({**VALID, **body}).encode()
                answer = wire.client.post(
                    PATH, params=query, content=content, headers={"Content-Type": JSON}
                )
            assert answer.status_code in {200, 400}, answer.text
            assert answer.json()["status"] == answer.status_code

        run()
        assert all(outcome["reason"] != "internal_error" for outcome in wire.outcomes())
