"""Text the database cannot hold is refused as invalid, in every dialect, on both engines."""

import base64
import uuid

import httpx
import pytest

from postback.model import Event, EventKind, SequenceClaim, Submission
from postback.pipeline.storable import storage_problem
from support.config import SEGMENTSTREAM_TOKEN
from support.live import LiveServer


def submission(**fields: object) -> Submission:
    fields = {"name": "open", **fields}
    event = Event(
        app="gems", dialect="test", kind=EventKind.EVENT,
        event_time_ms=0, received_at_ms=0, **fields,  # type: ignore[arg-type]
    )  # fmt: skip
    return Submission(app="gems", events=[event])


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"name": "n" * 501}, "event name: longer than 500 characters"),
        ({"name": "a\x00b"}, "event name: must not contain a NUL character"),
        ({"ids": {"gaid": "g" * 501}}, "gaid: longer than 500 characters"),
        ({"ids": {"gaid": "\x00"}}, "gaid: must not contain a NUL character"),
        ({"ids": {"t" * 51: "v"}}, "(id type): longer than 50 characters"),
        ({"dedup_key": "k" * 501}, "deduplication id: longer than 500 characters"),
        ({"sequence": SequenceClaim("s\x00", 1, 0)}, "player: must not contain a NUL character"),
    ],
)
def test_unstorable_text_is_named(fields: dict[str, object], problem: str) -> None:
    found = storage_problem(submission(**fields))
    assert found is not None
    assert problem in found


def test_storable_text_passes() -> None:
    assert storage_problem(submission(name="n" * 500, ids={"gaid": "é" * 500})) is None


@pytest.mark.parametrize("name", ["x" * 501, "nul\x00name"])
def test_a_dialect_answers_400_not_500(server: LiveServer, name: str) -> None:
    body = {
        "hitId": str(uuid.uuid1()),
        "sentAt": "2019-02-21T10:56:10.723Z",
        "event": {"name": name},
    }
    token = base64.b64encode(f"{SEGMENTSTREAM_TOKEN}:".encode()).decode()
    answer = httpx.post(
        f"{server.url}/track", json=body, headers={"Authorization": f"Basic {token}"}
    )
    assert answer.status_code == 400
    assert "name" in answer.json()["error"]
