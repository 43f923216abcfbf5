"""Hypothesis fuzzing of the /track parser: no input crashes it, every answer is well-formed."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from segmentstream_helpers import compact, handle

from postback.dialects._common import JSON_ENCODER, Refusal
from postback.dialects.segmentstream import Segmentstream
from postback.dialects.segmentstream.auth import api_token
from postback.model import Outcome, Reason, Rejection, Submission
from postback.storage.queries import iso
from support.config import SEGMENTSTREAM_TOKEN

EXAMPLE = (Path(__file__).parents[2] / "fixtures/segmentstream/document_example.body").read_bytes()
READER = msgspec.json.Decoder()  # what the query API reads stored properties with
FUZZ = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
COLUMN_LIMIT = 500

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
names = st.sampled_from(
    ["Completed Transaction", "Updated Transaction", "Refunded Transaction", "Viewed Page"]
)
texts = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=30)
money = st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False)


def check_well_formed(result: Submission | Rejection) -> None:
    """A rejection names a reason and a message; a submission can be stored and read back."""
    if isinstance(result, Rejection):
        assert result.reason in {Reason.INVALID, Reason.TOO_LARGE}
        assert result.message
        answer = Segmentstream().respond(Outcome(reason=result.reason, message=result.message))
        assert answer.status == 400
        assert json.loads(answer.body) == {"error": result.message}
        return
    [event] = result.events
    assert READER.decode(JSON_ENCODER.encode(event.properties)) is not None
    assert iso(event.event_time_ms)
    assert event.original_time_ms is None or iso(event.original_time_ms)
    assert 0 < len(event.name) <= COLUMN_LIMIT
    columns = [event.name, event.dedup_key or "", *event.ids.values()]
    if event.order is not None:
        columns += [event.order.order_id, event.order.status or ""]
    assert all("\x00" not in text and len(text) <= COLUMN_LIMIT for text in columns)
    assert event.dedup_key is not None


@FUZZ
@given(st.binary(max_size=2000))
def test_any_bytes(body: bytes) -> None:
    check_well_formed(handle(body))


@FUZZ
@given(st.dictionaries(st.text(max_size=12), json_values, max_size=6))
def test_any_json_object(data: dict[str, Any]) -> None:
    check_well_formed(handle(compact(data)))


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for name, inner in value.items():
            found += _paths(inner, (*prefix, name))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*prefix, index))
    return found


EXAMPLE_PATHS = _paths(json.loads(EXAMPLE))


@FUZZ
@given(st.sampled_from(EXAMPLE_PATHS), json_values)
def test_the_example_with_any_field_replaced(path: tuple[Any, ...], value: Any) -> None:
    data = json.loads(EXAMPLE)
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    result = handle(compact(data))
    check_well_formed(result)
    if isinstance(result, Rejection):
        assert ": " in result.message  # names the field, then what is wrong


@FUZZ
@given(st.binary(max_size=len(EXAMPLE)))
def test_the_example_with_bytes_cut_or_spliced(noise: bytes) -> None:
    cut = len(noise) % len(EXAMPLE)
    check_well_formed(handle(EXAMPLE[:cut] + noise + EXAMPLE[cut:]))


@st.composite
def valid_hits(draw: st.DrawFn) -> dict[str, Any]:
    transaction = {
        "orderId": draw(texts.filter(str.strip)),
        "total": draw(money),
        "currency": draw(st.sampled_from(["USD", "EUR", "gbp"])),
        "status": draw(st.none() | st.sampled_from(["started", "paid"])),
        "voucherDiscount": draw(st.none() | money | st.just("10%")),
        "lineItems": [{"quantity": draw(st.integers(0, 10)), "subtotal": draw(money)}],
    }
    user = {"userId": draw(texts), "anonymousId": draw(texts)}
    sent_at = draw(st.datetimes(min_value=dt.datetime(2000, 1, 1)))
    hit_id = str(draw(st.uuids(version=1)))
    return {
        "hitId": hit_id.upper() if draw(st.booleans()) else hit_id,
        "sentAt": sent_at.isoformat() + "Z",
        "event": {
            "name": draw(names),
            "value": draw(st.integers(min_value=0, max_value=2**40)),
            "user": user,
            "transaction": transaction,
        },
        "integrations": {"Google Analytics": {"clientId": draw(texts)}},
    }


def _as_json(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


@FUZZ
@given(valid_hits())
def test_every_valid_hit_is_accepted(payload: dict[str, Any]) -> None:
    sent = copy.deepcopy(payload)
    body = json.dumps(payload, default=lambda d: float(d) if isinstance(d, Decimal) else str(d))
    result = handle(body.encode())
    check_well_formed(result)
    assert isinstance(result, Submission), result
    [event] = result.events
    assert event.dedup_key == sent["hitId"].lower()
    assert event.name == sent["event"]["name"]
    transaction = sent["event"]["transaction"]
    if event.name == "Viewed Page":
        assert (event.order, event.revenue) == (None, None)
    else:
        assert event.order is not None
        assert event.order.order_id == transaction["orderId"].strip()
    if event.name in {"Completed Transaction", "Updated Transaction"}:
        assert event.revenue == Decimal(str(float(transaction["total"])))
        assert event.currency == transaction["currency"].upper()
    else:
        assert event.revenue is None
    assert event.properties["integrations"] == _as_json(sent["integrations"])


def _token_or_refusal(header: str) -> str | Refusal:
    try:
        return api_token(header)
    except Refusal as refusal:
        return refusal


@FUZZ
@given(st.datetimes(timezones=st.timezones()) | st.datetimes())
def test_any_sent_at(moment: dt.datetime) -> None:
    """Any date and time, any offset: stored, or refused naming sentAt; never a crash."""
    result = handle(compact({**json.loads(EXAMPLE), "sentAt": moment.isoformat()}))
    check_well_formed(result)
    if isinstance(result, Rejection):
        assert result.message.startswith("sentAt: ")


@FUZZ
@given(st.text(max_size=60))
def test_any_authorization_header(header: str) -> None:
    found = _token_or_refusal(header)
    if isinstance(found, Refusal):
        assert found.reason is Reason.UNAUTHENTICATED
        assert found.message.startswith("Authorization: ")
    else:
        assert found
        assert ":" not in found


@FUZZ
@given(st.text(max_size=40))
def test_any_token_in_a_basic_header(token: str) -> None:
    header = "Basic " + base64.b64encode(f"{token}:".encode()).decode()
    result = handle(EXAMPLE, authorization=header)
    if token == SEGMENTSTREAM_TOKEN:
        assert isinstance(result, Submission)
    else:
        assert isinstance(result, Rejection)
        assert result.reason is Reason.UNAUTHENTICATED
