"""hitId de-duplicates per app, enforced by the database: retries answer 204, store nothing new."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from segmentstream_helpers import (
    Wire,
    basic,
    compact,
    document_with_second_app,
    hit,
    nodes,
    serve,
    transaction_hit,
)

from support.live import FakeClock

RETRIES = 16


def test_a_retry_answers_204_and_stores_nothing_new(engine_wire: Wire) -> None:
    payload = transaction_hit("Completed Transaction", "A1", total=10, currency="USD")
    engine_wire.accepted(payload)
    engine_wire.accepted(payload)
    [event] = engine_wire.events()
    assert [o["reason"] for o in engine_wire.outcomes()] == ["duplicate", "accepted"]
    assert engine_wire.outcomes()[0]["event_ids"] == []
    assert engine_wire.reported_revenue() == {"Completed Transaction": 10}
    assert len(engine_wire.order("A1")["history"]) == 1
    assert event["revenue"] == 10


def test_a_retry_with_another_body_is_still_the_same_hit(engine_wire: Wire) -> None:
    """The hitId names the hit: a retry carrying other fields does not store a second one."""
    first = hit("Viewed Page")
    engine_wire.accepted(first)
    engine_wire.accepted({**first, "event": {"name": "Viewed Pricing"}})
    assert [event["name"] for event in engine_wire.events()] == ["Viewed Page"]


def test_the_hit_id_is_compared_without_regard_to_case(wire: Wire) -> None:
    payload = hit()
    wire.accepted(payload)
    wire.accepted({**payload, "hitId": payload["hitId"].upper()})
    assert len(wire.events()) == 1


def test_concurrent_retries_on_one_node_store_one(engine_wire: Wire) -> None:
    body = compact(transaction_hit("Completed Transaction", "A1", total=25, currency="USD"))
    with ThreadPoolExecutor(RETRIES) as pool:
        statuses = list(pool.map(lambda _: engine_wire.post(body).status_code, range(RETRIES)))
    assert statuses == [204] * RETRIES
    assert len(engine_wire.events()) == 1
    reasons = sorted(o["reason"] for o in engine_wire.outcomes())
    assert reasons == ["accepted"] + ["duplicate"] * (RETRIES - 1)
    assert engine_wire.reported_revenue() == {"Completed Transaction": 25}


def test_concurrent_retries_across_nodes_store_one(database_url: str, clock: FakeClock) -> None:
    """Two servers on one database (two nodes): the database, not a process, decides."""
    body = compact(transaction_hit("Completed Transaction", "A1", total=25, currency="USD"))
    with nodes(database_url, clock) as (left, right), ThreadPoolExecutor(RETRIES) as pool:
        senders = [left, right] * (RETRIES // 2)
        statuses = list(pool.map(lambda node: node.post(body).status_code, senders))
        assert statuses == [204] * RETRIES
        assert len(left.events()) == 1
        assert [o["reason"] for o in right.outcomes()].count("accepted") == 1
        assert left.reported_revenue() == {"Completed Transaction": 25}
        assert left.order("A1")["reporting_revenue"] == 25


def test_the_same_hit_id_in_two_apps_is_two_hits(sqlite_url: str, clock: FakeClock) -> None:
    payload = hit()
    with serve(sqlite_url, clock, document_with_second_app(sqlite_url)) as wire:
        wire.accepted(payload)
        answer = wire.post(compact(payload), headers={"Authorization": basic("shop-token")})
        assert answer.status_code == 204
        assert sorted(event["app"] for event in wire.events()) == ["gems", "shop"]
