"""The sequential rule on both engines: per (app, player, field) only the first value and strict
increases of (main_level, sub_level) are stored; the rest are answered 200 "discarded".
"""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

from chartboost_helpers import DIALECT, DISCARDED, GAID, IFA, OK, Wire, levels_stored, serve

from support.live import FakeClock

UUID = "9774d56d682e549c"


def test_only_the_first_level_and_strict_increases_are_stored(engine_wire: Wire) -> None:
    sent = [(12, 0), (12, 0), (12, 1), (11, 5), (13, 0), (13, 0), (12, 9), (14, 2)]
    answers = [engine_wire.level(main, sub) for main, sub in sent]
    assert answers == [OK, DISCARDED, OK, DISCARDED, OK, DISCARDED, DISCARDED, OK]
    assert levels_stored(engine_wire) == [(12, 0), (12, 1), (13, 0), (14, 2)]
    reasons = [outcome["reason"] for outcome in engine_wire.outcomes()][::-1]
    assert reasons == [
        "accepted", "discarded", "accepted", "discarded",
        "accepted", "discarded", "discarded", "accepted",
    ]  # fmt: skip
    report = engine_wire.admin("/api/v1/reports/daily")["outcomes"]
    counted = {row["reason"]: row["requests"] for row in report if row["dialect"] == DIALECT}
    assert counted == {"accepted": 4, "discarded": 4}


def test_fields_1_3_4_are_sequential_each_on_its_own(engine_wire: Wire) -> None:
    for field in (1, 3, 4):
        assert engine_wire.level(5, 0, field=field) == OK
        assert engine_wire.level(4, 0, field=field) == DISCARDED
        assert engine_wire.level(5, 0, field=field) == DISCARDED
    assert engine_wire.level(1, 0, field=1, ids={"gaid": "another player"}) == OK
    assert levels_stored(engine_wire, field=3) == [(5, 0)]


def test_fields_2_and_5_store_every_event(engine_wire: Wire) -> None:
    for field in (2, 5):
        answers = [engine_wire.level(main, 0, field=field) for main in (5, 3, 3, 1)]
        assert answers == [OK] * 4
        assert levels_stored(engine_wire, field=field) == [(5, 0), (3, 0), (3, 0), (1, 0)]


def test_the_player_is_the_first_present_of_ifa_gaid_uuid(engine_wire: Wire) -> None:
    assert engine_wire.level(10, ids={"uuid": UUID, "gaid": GAID}) == OK
    assert engine_wire.level(5, ids={"gaid": GAID}) == DISCARDED
    assert engine_wire.level(5, ids={"gaid": GAID, "ifa": IFA}) == OK
    assert engine_wire.level(5, ids={"uuid": UUID}) == OK
    assert engine_wire.level(5, ids={"uuid": UUID, "ifa": IFA}) == DISCARDED
    players = [event["properties"]["player"] for event in engine_wire.events()][::-1]
    assert players == [GAID, IFA, UUID]


def test_current_levels_are_queryable_and_counted(engine_wire: Wire) -> None:
    for n in range(1, 6):
        engine_wire.level(n, 0, ids={"ifa": f"player-{n}"})
    engine_wire.level(2, 0, ids={"ifa": "player-5"})
    engine_wire.level(9, 0, field=2, ids={"ifa": "player-1"})
    engine_wire.level(3, 0, field=2, ids={"ifa": "player-1"})
    at_least_3 = engine_wire.levels(app="gems", field="1", min_main_level="3")
    assert at_least_3["total"] == 3
    assert [(row["player"], row["main_level"]) for row in at_least_3["levels"]] == [
        ("player-3", 3), ("player-4", 4), ("player-5", 5),
    ]  # fmt: skip
    field_2 = engine_wire.levels(field="2")["levels"]
    assert [(row["player"], row["main_level"]) for row in field_2] == [("player-1", 3)]
    one = engine_wire.levels(player="player-1")
    assert [(row["event_field"], row["main_level"]) for row in one["levels"]] == [(1, 1), (2, 3)]


def test_the_levels_listing_pages_with_a_cursor(engine_wire: Wire) -> None:
    for n in range(5):
        engine_wire.level(1, n, ids={"gaid": f"p{n}"})
    first = engine_wire.levels(field="1", limit="2")
    second = engine_wire.levels(field="1", limit="2", cursor=first["next_cursor"])
    third = engine_wire.levels(field="1", limit="2", cursor=second["next_cursor"])
    pages = [[row["player"] for row in page["levels"]] for page in (first, second, third)]
    assert pages == [["p0", "p1"], ["p2", "p3"], ["p4"]]
    assert (first["total"], third["next_cursor"]) == (5, None)


def test_concurrent_level_events_for_one_player_store_an_increasing_chain(
    database_url: str,
) -> None:
    """Two nodes on one database, each answering many requests at once for the same player."""
    sent = [(main, sub) for main in range(1, 16) for sub in range(4)]
    random.Random(7).shuffle(sent)
    with ExitStack() as stack:
        nodes = [stack.enter_context(serve(database_url, FakeClock())) for _ in range(2)]

        def fire(index: int) -> dict[str, object]:
            main, sub = sent[index]
            return nodes[index % 2].level(main, sub, field=4)

        with ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(fire, range(len(sent))))
        stored = levels_stored(nodes[0], field=4)
        current = nodes[1].levels(field="4", player=GAID)["levels"]
    assert stored == sorted(set(stored)), "stored levels must strictly increase in commit order"
    assert stored[-1] == max(sent)
    assert [(row["main_level"], row["sub_level"]) for row in current] == [max(sent)]
    assert answers.count(OK) == len(stored)
    assert answers.count(DISCARDED) == len(sent) - len(stored)


def test_ids_sent_together_are_stitched_to_one_player(engine_wire: Wire) -> None:
    engine_wire.level(1, field=2, ids={"gaid": GAID})
    engine_wire.level(2, field=2, ids={"uuid": UUID})
    engine_wire.level(3, field=2, ids={"gaid": GAID, "uuid": UUID})
    found = [event["properties"]["main_level"] for event in engine_wire.events(user=UUID)]
    assert found == [3, 2, 1]
