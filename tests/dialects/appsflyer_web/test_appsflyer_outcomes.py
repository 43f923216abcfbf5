"""Every AppsFlyer Web-S2S request, accepted or refused, has exactly one recorded outcome.

Each outcome names its reason and keeps the raw request. Run on both engines: an outcome
must be recordable whatever arrived (a NUL in the path included).
"""

from __future__ import annotations

from typing import NamedTuple

from appsflyer_helpers import Wire, event_body, serve

from support.config import base_document
from support.live import FakeClock


class Sent(NamedTuple):
    reason: str
    status: int
    method: str
    path: str
    body: bytes
    app: str | None = "gems"


def send_one_of_each(wire: Wire) -> list[Sent]:
    """One request per reason; the bundle allows one accepted request a minute."""
    too_large = event_body(padding="x" * 1000)
    sent = [
        Sent("accepted", 200, "POST", "/v1/bundleId/event", event_body()),
        Sent("rate_limited", 429, "POST", "/v1/bundleId/event", event_body()),
        Sent("invalid", 400, "POST", "/v1/bundleId/event", b'{"eventName": '),
        Sent("forbidden", 403, "POST", "/v1/bundleId/setcuid", event_body(webDevKey="x")),
        Sent("unknown_app", 404, "POST", "/v1/nobundle/event", event_body(), None),
        Sent("not_found", 404, "POST", "/v1/bundleId/purchase", event_body()),
        Sent("not_found", 404, "POST", "/v1/bundleId/%00", event_body()),
        Sent("method_not_allowed", 405, "GET", "/v1/bundleId/event", b""),
        Sent("too_large", 400, "POST", "/v1/bundleId/event", too_large),
    ]
    for request in sent:
        answer = wire.client.request(
            request.method,
            request.path,
            content=request.body,
            headers={"Content-Type": "application/json"},
        )
        assert answer.status_code == request.status, (request, answer.text)
        assert answer.json()["status"] == ("OK" if request.status == 200 else request.status)
    return sent


def check_outcome(outcome: dict[str, object], request: Sent) -> None:
    raw = outcome["raw"]
    assert isinstance(raw, dict)
    assert (outcome["reason"], outcome["app"], outcome["dialect"]) == (
        request.reason,
        request.app,
        "appsflyer_web",
    )
    assert (raw["method"], raw["path"], raw["body"]) == (
        request.method,
        request.path,
        request.body.decode(),
    )
    assert raw["body_truncated"] is False
    assert bool(outcome["event_ids"]) == (request.reason == "accepted")


def test_each_request_has_exactly_one_outcome(database_url: str, clock: FakeClock) -> None:
    document = base_document(database_url)
    document["apps"][0]["appsflyer_web"]["rate_limit_per_minute"] = 1
    with serve(database_url, clock, document) as wire:
        sent = send_one_of_each(wire)
        outcomes = wire.outcomes()
        assert len(outcomes) == len(sent)
        for outcome, request in zip(reversed(outcomes), sent, strict=True):
            check_outcome(outcome, request)
        [event] = wire.events()
        assert event["outcome_id"] == outcomes[-1]["id"]


def test_refusal_messages_are_recorded(wire: Wire) -> None:
    answer = wire.event(eventType="PURCHASE")
    [outcome] = wire.outcomes()
    assert outcome["message"] == answer.json()["error"] == "eventType: must be EVENT"
