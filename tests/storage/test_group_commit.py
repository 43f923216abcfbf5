"""Concurrent requests of one worker share transactions, and each is answered after its commit."""

import asyncio
import re

import httpx

from support.config import ADMIN_TOKEN, APPSFLYER_BUNDLE, APPSFLYER_KEY
from support.live import LiveServer

REQUESTS = 120


async def _send_together(url: str) -> list[int]:
    payload = {"webDevKey": APPSFLYER_KEY, "eventType": "EVENT", "eventName": "visit"}
    limits = httpx.Limits(max_connections=60)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:
        answers = await asyncio.gather(
            *(
                client.post(
                    f"/v1/{APPSFLYER_BUNDLE}/event", json={**payload, "customerUserId": f"u{n}"}
                )
                for n in range(REQUESTS)
            )
        )
    return [answer.status_code for answer in answers]


def _metric(text: str, name: str) -> float:
    match = re.search(rf"^{name} (\S+)$", text, re.MULTILINE)
    assert match, name
    return float(match.group(1))


def test_concurrent_requests_are_committed_in_groups(server: LiveServer) -> None:
    assert asyncio.run(_send_together(server.url)) == [200] * REQUESTS
    metrics = httpx.get(f"{server.url}/metrics").text
    commits = _metric(metrics, "postback_commit_batch_size_count")
    written = _metric(metrics, "postback_commit_batch_size_sum")
    assert written == REQUESTS
    assert commits < REQUESTS
    events = httpx.get(
        f"{server.url}/api/v1/events",
        params={"limit": 1000},
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
    ).json()["events"]
    assert sorted(event["ids"]["customer_user_id"] for event in events) == sorted(
        f"u{n}" for n in range(REQUESTS)
    )
