import httpx

from support.config import ADMIN_TOKEN
from support.live import LiveServer


def test_health_and_ready(server: LiveServer) -> None:
    assert httpx.get(f"{server.url}/healthz").json() == {"status": "ok"}
    assert httpx.get(f"{server.url}/readyz").json() == {"status": "ready"}


def test_event_is_stored_and_listed(server: LiveServer) -> None:
    body = (
        b'{"customerUserId":"u1","webDevKey":"99999999-9999-9999-9999-999999999999",'
        b'"eventType":"EVENT","eventName":"x"}'
    )
    answer = httpx.post(
        f"{server.url}/v1/bundleId/event",
        content=body,
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 200
    listed = httpx.get(
        f"{server.url}/api/v1/events", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}
    ).json()
    assert [event["name"] for event in listed["events"]] == ["x"]
