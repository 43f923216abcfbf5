"""The query API on both engines: auth, filters, cursor paging, outcomes, reports."""

from typing import Any

import httpx
import pytest

from support.config import ADMIN_TOKEN, APPSFLYER_BUNDLE, APPSFLYER_KEY
from support.live import FakeClock, LiveServer

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
DAY_MS = 86_400_000


def send(server: LiveServer, method: str = "event", **fields: Any) -> httpx.Response:
    payload = {"webDevKey": APPSFLYER_KEY, "eventType": "EVENT", "eventName": "visit", **fields}
    return httpx.post(f"{server.url}/v1/{APPSFLYER_BUNDLE}/{method}", json=payload)


def get(server: LiveServer, path: str, **params: Any) -> Any:
    answer = httpx.get(f"{server.url}{path}", params=params, headers=AUTH)
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.mark.parametrize("path", ["/api/v1/events", "/api/v1/outcomes", "/api/v1/reports/daily"])
@pytest.mark.parametrize("authorization", [None, "Bearer wrong", f"Basic {ADMIN_TOKEN}", "Bearer"])
def test_api_needs_the_admin_token(
    server: LiveServer, path: str, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    answer = httpx.get(f"{server.url}{path}", headers=headers)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"].startswith("Bearer")
    assert "error" in answer.json()


def test_events_carry_the_documented_fields(server: LiveServer) -> None:
    send(server, customerUserId="c1", eventRevenue=2.5, eventRevenueCurrency="EUR")
    (event,) = get(server, "/api/v1/events")["events"]
    for field in ("id", "app", "dialect", "kind", "name", "event_time", "received_at"):
        assert event[field] is not None
    assert event["ids"] == {"customer_user_id": "c1"}
    assert (event["revenue"], event["currency"]) == (2.5, "EUR")
    assert event["raw"]["method"] == "POST"
    assert '"customerUserId"' in event["raw"]["body"]
    assert event["properties"] == {}


def test_filters_narrow_the_events(server: LiveServer, clock: FakeClock) -> None:
    first_day = clock.now
    send(server, customerUserId="a", eventName="open")
    clock.now += DAY_MS
    send(server, customerUserId="b", eventName="buy")
    names = lambda **params: [e["name"] for e in get(server, "/api/v1/events", **params)["events"]]  # noqa: E731
    assert names() == ["buy", "open"]
    assert names(name="open") == ["open"]
    assert names(app="gems", dialect="appsflyer_web") == ["buy", "open"]
    assert names(app="other") == []
    assert names(dialect="chartboost") == []
    assert names(since=first_day + DAY_MS) == ["buy"]
    assert names(until=first_day + 1) == ["open"]
    assert names(user="b") == ["buy"]


def test_cursor_pages_through_everything_once(server: LiveServer) -> None:
    for n in range(25):
        assert send(server, customerUserId=f"user-{n}").status_code == 200
    seen, cursor = [], None
    while True:
        page = get(server, "/api/v1/events", limit=10, **({"cursor": cursor} if cursor else {}))
        seen += [event["id"] for event in page["events"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 25
    assert seen == sorted(seen, reverse=True)


def test_a_time_window_pages_newest_first_by_time(server: LiveServer, clock: FakeClock) -> None:
    start = clock.now
    hours = [5, 1, 9, 1, 30, 7, 1, 3, 12, 0, 7, 2]  # arrival order differs from time order
    for n, hour in enumerate(hours):
        clock.now = start + hour * 3_600_000
        assert send(server, customerUserId=f"user-{n}").status_code == 200
    window = {"since": start + 3_600_000, "until": start + 24 * 3_600_000}
    for path, key in (("/api/v1/events", "events"), ("/api/v1/outcomes", "outcomes")):
        seen, cursor = [], None
        while True:
            params = {**window, "limit": 2, **({"cursor": cursor} if cursor else {})}
            page = get(server, path, **params)
            seen += [(row["event_time" if key == "events" else "received_at"], row["id"])
                     for row in page[key]]  # fmt: skip
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert len(seen) == len([hour for hour in hours if 1 <= hour < 24])
        assert seen == sorted(seen, reverse=True)


@pytest.mark.parametrize("path", ["/api/v1/events", "/api/v1/outcomes"])
def test_a_cursor_only_continues_its_own_kind_of_listing(
    server: LiveServer, clock: FakeClock, path: str
) -> None:
    for n in range(3):
        send(server, customerUserId=f"user-{n}")
    window = {"since": clock.now - DAY_MS}
    by_id = get(server, path, limit=1)["next_cursor"]
    by_time = get(server, path, limit=1, **window)["next_cursor"]
    for params in ({"cursor": by_id, **window}, {"cursor": by_time}, {"cursor": "1.2.3"}):
        answer = httpx.get(f"{server.url}{path}", params=params, headers=AUTH)
        assert answer.status_code == 400
        assert answer.json()["error"].startswith("cursor")


@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": "0"}, "limit"), ({"limit": "x"}, "limit"), ({"since": "yesterday"}, "since"),
     ({"cursor": "abc"}, "cursor"), ({"limit": "²"}, "limit"), ({"cursor": "¹"}, "cursor"),
     ({"since": "²"}, "since")],
)  # fmt: skip
def test_bad_query_parameters_are_named(
    server: LiveServer, params: dict[str, str], field: str
) -> None:
    answer = httpx.get(f"{server.url}/api/v1/events", params=params, headers=AUTH)
    assert answer.status_code == 400
    assert answer.json()["error"].startswith(field)


def test_every_request_has_exactly_one_outcome(server: LiveServer) -> None:
    send(server, customerUserId="ok")
    send(server, customerUserId="x", webDevKey="wrong")
    send(server)
    httpx.post(f"{server.url}/v1/unknown/event", json={})
    outcomes = get(server, "/api/v1/outcomes")["outcomes"]
    assert [o["reason"] for o in outcomes] == ["unknown_app", "invalid", "forbidden", "accepted"]
    assert [len(o["event_ids"]) for o in outcomes] == [0, 0, 0, 1]
    assert outcomes[0]["app"] is None
    assert outcomes[1]["app"] == "gems"
    assert all(o["raw"]["body"] for o in outcomes)
    rejected = get(server, "/api/v1/outcomes", reason="forbidden")["outcomes"]
    assert [o["reason"] for o in rejected] == ["forbidden"]


def test_daily_report_counts_events_revenue_and_outcomes(server: LiveServer) -> None:
    send(server, customerUserId="a", eventName="buy", eventRevenue=3, eventRevenueCurrency="USD")
    send(server, customerUserId="a", eventName="buy", eventRevenue="1.5")
    send(server, customerUserId="a", eventType="CLICK")
    report = get(server, "/api/v1/reports/daily", app="gems")
    assert report["reporting_currency"] == "USD"
    (buys,) = report["events"]
    assert (buys["name"], buys["events"], buys["reporting_revenue"]) == ("buy", 2, 4.5)
    by_reason = {row["reason"]: row["requests"] for row in report["outcomes"]}
    assert by_reason == {"accepted": 2, "invalid": 1}


def test_openapi_documents_the_query_api(server: LiveServer) -> None:
    document = httpx.get(f"{server.url}/openapi.json").json()
    assert document["openapi"].startswith("3.")
    for path in ("/api/v1/events", "/api/v1/outcomes", "/api/v1/reports/daily"):
        assert "get" in document["paths"][path]
    event = document["components"]["schemas"]["EventRecord"]
    assert {"id", "app", "dialect", "kind", "name", "ids", "raw"} <= set(event["properties"])
    assert {"type": "number"} in event["properties"]["revenue"]["anyOf"]
    assert '"format": "decimal"' not in httpx.get(f"{server.url}/openapi.json").text


def test_metrics_count_requests_and_commits(server: LiveServer) -> None:
    send(server, customerUserId="a")
    send(server)
    text = httpx.get(f"{server.url}/metrics").text
    assert 'postback_requests_total{dialect="appsflyer_web",outcome="accepted"} 1.0' in text
    assert 'postback_requests_total{dialect="appsflyer_web",outcome="invalid"} 1.0' in text
    assert "postback_commit_batch_size_count" in text
    assert "postback_commit_seconds_bucket" in text
