"""One label per event field per app: a conflicting label is accepted, flagged and reported."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

from chartboost_helpers import OK, Wire, serve

from support.live import FakeClock


def conflicts(wire: Wire) -> list[tuple[int, str, str, int]]:
    return [
        (row["event_field"], row["first_label"], row["label"], row["events"])
        for row in wire.label_conflicts(app="gems")
    ]


def test_the_first_label_of_a_field_wins_and_others_are_flagged(engine_wire: Wire) -> None:
    assert engine_wire.level(1, label="Level Completed") == OK
    assert engine_wire.level(2, label="Level Reached") == OK
    assert engine_wire.level(3, label="Level Reached") == OK
    assert engine_wire.level(4, label="Level Completed") == OK
    flagged = [
        (event["name"], event["flags"], event["properties"].get("first_label"))
        for event in engine_wire.events()
    ][::-1]
    assert flagged == [
        ("Level Completed", [], None),
        ("Level Reached", ["label_conflict"], "Level Completed"),
        ("Level Reached", ["label_conflict"], "Level Completed"),
        ("Level Completed", [], None),
    ]
    assert conflicts(engine_wire) == [(1, "Level Completed", "Level Reached", 2)]


def test_each_field_has_its_own_first_label(engine_wire: Wire) -> None:
    engine_wire.level(1, field=1, label="Level Completed")
    engine_wire.level(1, field=2, label="Area main character is in")
    engine_wire.level(1, field=5, label="FTUE completed?")
    engine_wire.level(1, field=5, label="Tutorial done")
    engine_wire.level(1, field=2, label="Level Completed")
    assert conflicts(engine_wire) == [
        (2, "Area main character is in", "Level Completed", 1),
        (5, "FTUE completed?", "Tutorial done", 1),
    ]
    [conflict, _] = engine_wire.label_conflicts()
    assert conflict["app"] == "gems"
    assert conflict["first_seen"] == conflict["last_seen"] == "2023-11-14T22:13:20.000Z"


def test_nodes_racing_on_a_new_field_agree_on_one_first_label(database_url: str) -> None:
    labels = [f"label {n % 4}" for n in range(40)]
    with ExitStack() as stack:
        nodes = [stack.enter_context(serve(database_url, FakeClock())) for _ in range(2)]

        def fire(index: int) -> dict[str, object]:
            player = {"gaid": f"player-{index}"}
            return nodes[index % 2].level(1, field=3, label=labels[index], ids=player)

        with ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(fire, range(len(labels))))
        found = conflicts(nodes[0])
        events = nodes[1].events()
    assert answers == [OK] * len(labels)
    first_labels = {first for _, first, _, _ in found}
    assert len(first_labels) == 1
    [first] = first_labels
    conflicting = len(labels) - labels.count(first)
    assert sorted(label for _, _, label, _ in found) == sorted(set(labels) - {first})
    assert sum(count for *_, count in found) == conflicting
    assert sum("label_conflict" in event["flags"] for event in events) == conflicting
