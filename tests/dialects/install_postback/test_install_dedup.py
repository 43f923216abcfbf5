"""install_postback `id` de-duplicates per app, enforced by the database, on both engines."""

from __future__ import annotations

import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import httpx
from install_helpers import DUPLICATE, OK, PATH, Wire, example, serve

from support.config import base_document, make_settings
from support.live import FakeClock, live_server

REQUESTS = 24


def test_a_repeated_id_is_an_idempotent_success_stored_once(engine_wire: Wire) -> None:
    first = engine_wire.post_json(example(id="install-1"))
    again = engine_wire.post_json(example(id="install-1", cost=9))
    by_get = engine_wire.get(example(id="install-1"))
    assert [first.json(), again.json(), by_get.json()] == [OK, DUPLICATE, DUPLICATE]
    assert {first.status_code, again.status_code, by_get.status_code} == {200}
    [stored] = engine_wire.events()
    assert stored["properties"]["cost"] == 0.12
    reasons = [outcome["reason"] for outcome in engine_wire.outcomes()]
    assert reasons == ["duplicate", "duplicate", "accepted"]
    [group] = engine_wire.report()["groups"]
    assert (group["installs"], group["cost"]) == (1, 0.12)


def test_without_id_every_install_is_stored(engine_wire: Wire) -> None:
    assert engine_wire.post_json(example()).json() == OK
    assert engine_wire.post_json(example()).json() == OK
    assert len(engine_wire.events()) == 2


def test_ids_are_per_app(database_url: str, clock: FakeClock) -> None:
    document = base_document(database_url)
    document["apps"].append(
        {"id": "other", "name": "Other", "install_postback": {"api_key": "other-key"}}
    )
    with live_server(make_settings(database_url, document), clock) as live:
        wire = Wire(live.url, clock)
        assert wire.post_json(example(id="shared")).json() == OK
        assert wire.post_json(example(id="shared"), key="other-key").json() == OK
        assert wire.post_json(example(id="shared"), key="other-key").json() == DUPLICATE
        assert sorted(event["app"] for event in wire.events()) == ["gems", "other"]
        wire.client.close()


def test_concurrent_repeats_store_one_install(engine_wire: Wire) -> None:
    answers = _fire([engine_wire.url], example(id="burst"))
    assert Counter(answer["duplicate"] for answer in answers) == {False: 1, True: REQUESTS - 1}
    assert len(engine_wire.events()) == 1
    [group] = engine_wire.report()["groups"]
    assert group["installs"] == 1


def test_concurrent_repeats_across_two_nodes_store_one_install(
    database_url: str, clock: FakeClock
) -> None:
    with ExitStack() as nodes:
        wires = [nodes.enter_context(serve(database_url, clock)) for _ in range(2)]
        answers = _fire([wire.url for wire in wires], example(id="two-nodes"))
        assert Counter(answer["duplicate"] for answer in answers) == {False: 1, True: REQUESTS - 1}
        assert len(wires[0].events()) == 1
        assert len(wires[1].outcomes()) == REQUESTS


def _fire(urls: list[str], payload: dict[str, object]) -> list[dict[str, object]]:
    body = json.dumps(payload).encode()

    def send(index: int) -> dict[str, object]:
        url = f"{urls[index % len(urls)]}{PATH}?apikey=test-install-key"
        answer = httpx.post(url, content=body, headers={"Content-Type": "application/json"})
        assert answer.status_code == 200, answer.text
        found: dict[str, object] = answer.json()
        return found

    with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
        return list(pool.map(send, range(REQUESTS)))
