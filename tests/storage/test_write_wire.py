"""Jobs reach the writer process exactly as the dialect made them, however the bytes arrive."""

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from postback.dialects._common import MAX_AMOUNT
from postback.model import (
    AttributionSource,
    Event,
    EventKind,
    IdentityLink,
    OrderAction,
    OrderChange,
    Outcome,
    RawRequest,
    Reason,
    Rejection,
    Requirement,
    SequenceClaim,
    Submission,
)
from postback.storage.batch import WriteJob
from postback.storage.rows import event_row
from postback.storage.write_wire import (
    ANSWER_DECODER,
    JOB_DECODER,
    AnswerFrame,
    JobFrame,
    frame,
    split_frames,
)

texts = st.text(max_size=20)
decimals = st.decimals(allow_nan=False, allow_infinity=False, places=None)
# Revenue and cost as the dialects let them through (stored as micros).
amounts = st.decimals(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT, places=None).filter(
    lambda amount: amount.copy_abs() < MAX_AMOUNT
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | decimals | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)
events = st.builds(
    Event,
    app=texts,
    dialect=texts,
    kind=st.sampled_from(EventKind),
    name=texts,
    event_time_ms=st.integers(0, 2**53),
    received_at_ms=st.integers(0, 2**53),
    original_time_ms=st.none() | st.integers(0, 2**53),
    ids=st.dictionaries(texts, texts, max_size=3),
    revenue=st.none() | amounts,
    currency=st.none() | texts,
    reporting_revenue=st.none() | amounts,
    properties=st.dictionaries(texts, json_values, max_size=5),
    flags=st.lists(texts, max_size=3),
    dedup_key=st.none() | texts,
    sequence=st.none() | st.builds(SequenceClaim, texts, st.integers(), st.integers()),
    attribution_source=st.none()
    | st.builds(AttributionSource, publisher=texts, cost=st.none() | amounts),
    order=st.none() | st.builds(OrderChange, order_id=texts, action=st.sampled_from(OrderAction)),
    requires=st.lists(st.builds(Requirement, texts, st.sampled_from(Reason), texts), max_size=2),
)
submissions = st.builds(
    Submission,
    app=texts,
    events=st.lists(events, max_size=3),
    links=st.lists(st.builds(IdentityLink, texts, texts, texts, texts), max_size=2),
    rate_limit_per_minute=st.none() | st.integers(1, 10_000),
    context=st.dictionaries(texts, texts, max_size=2),
)
rejections = st.builds(
    Rejection, reason=st.sampled_from(Reason), message=texts, app=st.none() | texts
)
raws = st.builds(
    RawRequest,
    method=texts,
    path=texts,
    query=texts,
    headers=st.dictionaries(texts, texts, max_size=4),
    body=st.binary(max_size=200),
    body_truncated=st.booleans(),
    client_ip=st.none() | texts,
)
jobs = st.builds(WriteJob, texts, raws, st.integers(0, 2**53), submissions | rejections)


@settings(max_examples=200, deadline=None)
@given(job=jobs, ticket=st.integers(0, 2**62))
def test_a_job_arrives_exactly_as_sent(job: WriteJob, ticket: int) -> None:
    (body,) = split_frames(bytearray(frame(JobFrame.of(ticket, job))))
    arrived = JOB_DECODER.decode(body)
    assert arrived.ticket == ticket
    assert arrived.job() == job
    assert _stored(arrived.job()) == _stored(job)


def _stored(job: WriteJob) -> list[dict[str, Any]]:
    """The rows the job's events become: numbers in properties keep their exact text."""
    result = job.result
    found = result.events if isinstance(result, Submission) else []
    return [event_row(event, outcome_id=1) for event in found]


@settings(max_examples=50, deadline=None)
@given(
    outcomes=st.lists(
        st.builds(
            Outcome,
            reason=st.sampled_from(Reason),
            message=texts,
            event_ids=st.lists(st.integers(1, 2**62)),
        ),
        min_size=1,
        max_size=8,
    ),
    cuts=st.lists(st.integers(1, 50), max_size=30),
)
def test_answers_split_across_reads_are_put_back_together(
    outcomes: list[Outcome], cuts: list[int]
) -> None:
    stream = b"".join(frame(AnswerFrame(n, outcome)) for n, outcome in enumerate(outcomes))
    buffer, received, start = bytearray(), [], 0
    for size in [*cuts, len(stream)]:
        buffer += stream[start : start + size]
        start += size
        received += [ANSWER_DECODER.decode(body) for body in split_frames(buffer)]
    assert received == [AnswerFrame(n, outcome) for n, outcome in enumerate(outcomes)]
    assert buffer == bytearray()


def test_a_decimal_keeps_its_digits() -> None:
    properties = {"price": Decimal("0.10"), "whole": Decimal("5"), "big": 10**30}
    event = Event(
        app="gems", dialect="test", kind=EventKind.PURCHASE, name="buy", event_time_ms=1,
        received_at_ms=1, revenue=Decimal("1.50"), properties=properties,
    )  # fmt: skip
    job = WriteJob("test", _raw(), 1, Submission(app="gems", events=[event]))
    (body,) = split_frames(bytearray(frame(JobFrame.of(1, job))))
    arrived = JOB_DECODER.decode(body).job().result
    assert isinstance(arrived, Submission)
    assert str(arrived.events[0].revenue) == "1.50"
    assert str(arrived.events[0].properties["price"]) == "0.10"
    stored = event_row(arrived.events[0], 1)["properties"]
    assert stored == '{"price":0.10,"whole":5,"big":' + str(10**30) + "}"


def _raw() -> RawRequest:
    return RawRequest(
        method="POST", path="/", query="", headers={}, body=b"", body_truncated=False,
        client_ip=None,
    )  # fmt: skip
