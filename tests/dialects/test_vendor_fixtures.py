"""Replays every vendor-document fixture (tests/fixtures/<dialect>/<case>.json) over real HTTP.

The format is described in tests/fixtures/README.md. Each case gets a fresh live server on
SQLite; engine-specific behaviour is tested elsewhere on both engines.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

from support.config import ADMIN_TOKEN, make_settings
from support.live import FakeClock, live_server

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CASES = sorted(FIXTURES.glob("*/*.json"))
REQUIRED_KEYS = {"description", "source", "request", "expected"}
CASE_KEYS = REQUIRED_KEYS | {"body_file", "clock_ms", "outcome", "stored"}
REQUEST_KEYS = {"method", "path", "query", "headers"}
EXPECTED_KEYS = {"status", "json", "body", "headers"}
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def _case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.mark.parametrize("case_file", CASES, ids=_case_id)
def test_vendor_fixture(case_file: Path, sqlite_url: str) -> None:
    case = _load(case_file)
    body = _body(case, case_file.parent)
    clock = FakeClock(case["clock_ms"]) if "clock_ms" in case else FakeClock()
    with live_server(make_settings(sqlite_url), clock) as server, httpx.Client() as client:
        answer = _send(client, server.url, case["request"], body)
        _check_answer(answer, case["expected"])
        _check_outcome(client, server.url, case, body)
        _check_stored(client, server.url, case, body)


def _load(case_file: Path) -> dict[str, Any]:
    case: dict[str, Any] = json.loads(case_file.read_text(encoding="utf-8"))
    assert set(case) <= CASE_KEYS, f"unknown keys: {sorted(set(case) - CASE_KEYS)}"
    assert {"description", "source", "request", "expected"} <= set(case), (
        "a required key is missing"
    )
    assert set(case["request"]) <= REQUEST_KEYS, "unknown keys in request"
    assert {"method", "path"} <= set(case["request"]), "request needs method and path"
    assert set(case["expected"]) <= EXPECTED_KEYS, "unknown keys in expected"
    assert not {"json", "body"} <= set(case["expected"]), "expected has json or body, not both"
    return case


def _body(case: dict[str, Any], folder: Path) -> bytes:
    return (folder / case["body_file"]).read_bytes() if "body_file" in case else b""


def _send(client: httpx.Client, base: str, request: dict[str, Any], body: bytes) -> httpx.Response:
    url = base + request["path"]
    if request.get("query"):
        url += "?" + request["query"]
    return client.request(request["method"], url, content=body, headers=request.get("headers"))


def _check_answer(answer: httpx.Response, expected: dict[str, Any]) -> None:
    assert answer.status_code == expected["status"], answer.text
    if "json" in expected:
        assert answer.json() == expected["json"]
    if "body" in expected:
        assert answer.text == expected["body"]
    for name, value in expected.get("headers", {}).items():
        assert answer.headers.get(name) == value, f"header {name}"


def _check_outcome(client: httpx.Client, base: str, case: dict[str, Any], body: bytes) -> None:
    """Every request has exactly one recorded outcome, which keeps the raw body."""
    outcomes = _admin(client, base, "/api/v1/outcomes")["outcomes"]
    assert len(outcomes) == 1, outcomes
    outcome = outcomes[0]
    _check_raw(outcome["raw"], case["request"], body)
    expected = case.get("outcome", {})
    assert {name: outcome.get(name, "<missing>") for name in expected} == expected


def _check_stored(client: httpx.Client, base: str, case: dict[str, Any], body: bytes) -> None:
    stored = _admin(client, base, "/api/v1/events", limit="1000")["events"]
    for event in stored:
        _check_raw(event["raw"], case["request"], body)
    if "stored" not in case:
        return
    assert len(stored) == len(case["stored"]), [event["name"] for event in stored]
    for event, expected in zip(stored, case["stored"], strict=True):
        assert {name: event.get(name, "<missing>") for name in expected} == expected


def _check_raw(raw: dict[str, Any], request: dict[str, Any], body: bytes) -> None:
    assert raw["method"] == request["method"]
    assert raw["path"] == unquote(request["path"])
    sent = body.decode("utf-8", errors="replace")
    if raw["body_truncated"]:
        assert sent.startswith(raw["body"][:-1])
    else:
        assert raw["body"] == sent


def _admin(client: httpx.Client, base: str, path: str, **params: str) -> dict[str, Any]:
    answer = client.get(base + path, params=params, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found
