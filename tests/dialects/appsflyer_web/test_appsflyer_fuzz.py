"""Fuzzing the AppsFlyer Web-S2S dialect: bad input never raises, never answers 5xx.

handle() directly with arbitrary bytes, arbitrary JSON and mutated valid payloads; then a
small fuzz over real HTTP on each engine.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from appsflyer_helpers import VALID_EVENT, VALID_SETCUID, Wire, handle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postback.dialects._common import JSON_ENCODER
from postback.dialects.appsflyer_web import AppsflyerWeb
from postback.model import Outcome, Rejection, Submission

METHODS = ["event", "Event", "setcuid", "setCuId", "purchase", "\x00", "évent"]
CONTENT_TYPES = ["application/json", "application/json; charset=utf-8", "text/plain", None]
NUMBER_TEXT = r"-?[0-9]{1,20}(\.[0-9]{1,12})?([eE][+-]?[0-9]{1,9})?"

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=20,
)
texts = (
    st.text(max_size=40)
    | st.sampled_from(["", " ", "\x00", "a\x00b", "EVENT", "event"])
    | st.text(alphabet="ab", min_size=499, max_size=502)
)
numeric_texts = st.from_regex(NUMBER_TEXT, fullmatch=True)
raw_numbers = numeric_texts | st.sampled_from(
    ["1e1000000", "-1e1000000", "1e-1000000", "9" * 30, "1234567890123.0", "-0", "1E+12"]
)
PLAUSIBLE = {
    "eventType": st.sampled_from(["EVENT", "event", ""]),
    "timestamp": st.integers(-(10**13), 2 * 10**13) | numeric_texts,
    "eventRevenue": st.integers() | st.floats() | numeric_texts,
    "eventRevenueCurrency": st.sampled_from(["USD", "eur", "ZAR", "XAU", "", "EURO"]),
    "eventValue": json_values | st.dictionaries(st.text(), json_values).map(json.dumps),
}
FIELDS = [*VALID_EVENT, *VALID_SETCUID, *PLAUSIBLE, "eventCategory", "eventLabel", "referrer"]
FIELDS += ["userAgent", "UserAgent", "ip", "eventRevenenuCurrency"]


@st.composite
def mutated_payloads(draw: st.DrawFn) -> bytes:
    """A valid event or setCuId payload with fields replaced, added and dropped."""
    payload: dict[str, Any] = {**VALID_EVENT, **VALID_SETCUID}
    for name in draw(st.lists(st.sampled_from(FIELDS), max_size=4)):
        payload[name] = draw(PLAUSIBLE.get(name, texts) | json_values)
    for name in draw(st.lists(st.sampled_from(sorted(payload)), max_size=2)):
        payload.pop(name, None)
    raw = draw(st.dictionaries(st.sampled_from(["eventRevenue", "timestamp"]), raw_numbers))
    payload.update({name: f"<raw {name}>" for name in raw})
    body = json.dumps(payload)
    for name, number in raw.items():  # numbers no Python float can write, such as 1e1000000
        body = body.replace(f'"<raw {name}>"', number)
    return body.encode()


def check(result: Submission | Rejection) -> None:
    if isinstance(result, Rejection):
        status = AppsflyerWeb().respond(Outcome(reason=result.reason, message=result.message))
        assert 400 <= status.status < 500, result
        return
    for event in result.events:
        for text in (event.name, *event.ids.values()):
            assert 0 < len(text) <= 500
            assert "\x00" not in text
        assert event.event_time_ms <= event.received_at_ms
        assert event.revenue is None or abs(event.revenue) < 10**12
        JSON_ENCODER.encode(event.properties)  # storage can write it


ONE_HUNDRED = settings(max_examples=100, deadline=None)


@ONE_HUNDRED
@given(st.binary(max_size=1100), st.sampled_from(METHODS))
def test_arbitrary_bytes(body: bytes, method: str) -> None:
    check(handle(body, method))


@ONE_HUNDRED
@given(json_values, st.sampled_from(METHODS))
def test_arbitrary_json(value: object, method: str) -> None:
    check(handle(json.dumps(value).encode(), method))


@settings(max_examples=300, deadline=None)
@given(
    mutated_payloads(),
    st.sampled_from(METHODS),
    st.sampled_from(CONTENT_TYPES),
    st.integers(min_value=10**12, max_value=10**13),
)
def test_mutated_payloads(body: bytes, method: str, content_type: str | None, now: int) -> None:
    check(handle(body, method, content_type=content_type, now_ms=now))


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    body=mutated_payloads() | st.binary(max_size=1100),
    method=st.sampled_from(METHODS)
    | st.text(st.characters(codec="utf-8", exclude_characters="/."), min_size=1),
    http_method=st.sampled_from(["POST", "POST", "POST", "GET", "PUT"]),
    content_type=st.sampled_from(CONTENT_TYPES),
)
def test_http_never_answers_5xx(
    engine_wire: Wire, body: bytes, method: str, http_method: str, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type or ""}
    before = len(engine_wire.outcomes())
    answer = engine_wire.post(
        body, quote(method, safe=""), http_method=http_method, headers=headers
    )
    assert answer.status_code < 500, answer.text
    assert answer.json()["status"] in ("OK", answer.status_code)
    assert len(engine_wire.outcomes()) == before + 1
