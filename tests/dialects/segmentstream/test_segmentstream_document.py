"""The document's example, byte for byte, on both engines: stored, ordered, stitched, deduped."""

from __future__ import annotations

from pathlib import Path

from segmentstream_helpers import Wire

EXAMPLE = (Path(__file__).parents[2] / "fixtures/segmentstream/document_example.body").read_bytes()
AS_PRINTED = {"Authorization": "Basic YWJjMTIzOg =="}


def test_the_document_example_on_each_engine(engine_wire: Wire) -> None:
    answer = engine_wire.post(EXAMPLE, headers=AS_PRINTED)
    assert (answer.status_code, answer.content) == (204, b"")
    [event] = engine_wire.events()
    assert (event["kind"], event["name"], event["revenue"], event["currency"]) == (
        "purchase",
        "Completed Transaction",
        3029,
        "USD",
    )
    assert event["raw"]["body"] == EXAMPLE.decode()
    assert event["properties"]["integrations"] == {
        "Google Analytics": {"clientId": "13332315.454547"}
    }
    assert len(event["properties"]["event"]["transaction"]["lineItems"]) == 2
    order = engine_wire.order("4686570087")
    assert (order["status"], order["total"], order["reporting_revenue"]) == ("started", 3029, 3029)
    assert engine_wire.reported_revenue() == {"Completed Transaction": 3029}
    email_hash = "eff8c37862c7a2f0019448289bdd0869c30ae7f07060e4be9d"
    assert [found["id"] for found in engine_wire.events(user=email_hash)] == [event["id"]]


def test_the_document_example_sent_twice_is_stored_once(engine_wire: Wire) -> None:
    assert engine_wire.post(EXAMPLE).status_code == 204
    assert engine_wire.post(EXAMPLE).status_code == 204
    assert len(engine_wire.events()) == 1
    assert [o["reason"] for o in engine_wire.outcomes()] == ["duplicate", "accepted"]
    assert len(engine_wire.order("4686570087")["history"]) == 1
    assert engine_wire.reported_revenue() == {"Completed Transaction": 3029}
