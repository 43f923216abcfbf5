"""Hypothesis against the chartboost parser: whatever arrives, signed or not, it never raises
and never answers an internal error; over HTTP on both engines, never a status 500.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from chartboost_helpers import Wire, handle, serve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postback.model import Rejection, Submission
from support.config import CHARTBOOST_APP_ID
from support.live import FakeClock
from support.postgres import fresh_database

HTTP_STATUSES = {200, 400, 401, 403, 404, 405, 413, 429}

texts = st.text(st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["", " ", "\x00", "USD", "eur", "1.99", "-1", "NaN", "1e999999", "12", "1.0", "é—"]
)
numeric_strings = st.decimals(allow_nan=False, allow_infinity=False).map(str)
numbers = st.integers() | st.floats() | numeric_strings
scalars = st.none() | st.booleans() | numbers | texts
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(texts, children, max_size=3),
    max_leaves=8,
)
iap_fields = st.fixed_dictionaries(
    {},
    optional={
        "product_id": json_values,
        "price": json_values,
        "currency": json_values,
        "localized_title": json_values,
        "localized_description": json_values,
    },
)
event_fields = st.fixed_dictionaries(
    {},
    optional={
        "event_label": json_values,
        "event_field": st.integers(-1, 7) | json_values,
        "main_level": st.integers(-2, 2**64) | json_values,
        "sub_level": st.integers(-2, 2**64) | json_values,
        "description": json_values,
    },
)
loose_bodies = st.fixed_dictionaries(
    {"app_id": st.just(CHARTBOOST_APP_ID) | json_values},
    optional={
        "gaid": texts | json_values,
        "uuid": texts | json_values,
        "ifa": texts | json_values,
        "iap": iap_fields | json_values,
        "event": event_fields | json_values,
        "extra": json_values,
    },
)


near_valid_levels = st.fixed_dictionaries(
    {
        "app_id": st.just(CHARTBOOST_APP_ID),
        "ifa": texts,
        "event": st.fixed_dictionaries(
            {
                "event_label": texts,
                "event_field": st.integers(1, 5) | st.integers(1, 5).map(str),
                "main_level": st.integers(1, 2**63 - 1) | st.integers(0, 20),
                "sub_level": st.integers(0, 2**63 - 1) | st.integers(0, 20),
            },
            optional={"description": texts},
        ),
    },
    optional={"gaid": texts, "uuid": texts},
)
near_valid_purchases = st.fixed_dictionaries(
    {
        "app_id": st.just(CHARTBOOST_APP_ID),
        "gaid": texts,
        "iap": st.fixed_dictionaries(
            {
                "product_id": texts,
                "price": st.decimals(0, 10**12, allow_nan=False, places=7).map(str)
                | st.floats(0, 1e13),
            },
            optional={
                "currency": st.sampled_from(["USD", "eur", "JPY", "XXX", "", "US"]) | texts,
                "localized_title": texts,
                "localized_description": texts,
            },
        ),
    },
)
bodies = near_valid_levels | near_valid_purchases | loose_bodies


def encode(body: dict[str, Any], ascii_only: bool) -> bytes:
    try:
        return json.dumps(body, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    except ValueError:
        return b"{}"


def assert_handled(result: Submission | Rejection) -> None:
    if isinstance(result, Rejection):
        assert result.reason.value != "internal_error", result
        return
    [event] = result.events
    assert event.dialect == "chartboost"
    assert all("\x00" not in value for value in (event.name, *event.ids.values()))
    assert event.revenue is None or 0 <= event.revenue < 10**12


@settings(max_examples=400, deadline=None)
@given(body=st.binary(max_size=300))
def test_any_bytes_signed_never_raise(body: bytes) -> None:
    assert_handled(handle(body))


@settings(max_examples=600, deadline=None)
@given(body=bodies, ascii_only=st.booleans())
def test_any_json_body_signed_never_raises(body: dict[str, Any], ascii_only: bool) -> None:
    assert_handled(handle(encode(body, ascii_only)))


@settings(max_examples=200, deadline=None)
@given(
    body=bodies,
    headers=st.dictionaries(
        st.sampled_from(["content-type", "x-chartboost-token", "x-chartboost-signature"]),
        st.text(st.characters(codec="latin-1"), max_size=80),
    ),
    http_method=st.sampled_from(["POST", "GET", "PUT"]),
)
def test_any_headers_and_method_never_raise(
    body: dict[str, Any], headers: dict[str, str], http_method: str
) -> None:
    assert_handled(handle(encode(body, True), headers=headers, http_method=http_method))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzz_wire(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Wire]:
    """One server per engine for the whole module: fuzzing only reads the answers."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('fuzz')}/postback.db"
    else:
        url = fresh_database(request.getfixturevalue("postgres_server"))
    with serve(url, FakeClock()) as wire:
        yield wire


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=bodies, ascii_only=st.booleans())
def test_over_http_the_answer_is_never_an_internal_error(
    fuzz_wire: Wire, body: dict[str, Any], ascii_only: bool
) -> None:
    answer = fuzz_wire.post(encode(body, ascii_only))
    assert answer["status"] in HTTP_STATUSES, answer
