"""The late and future timestamp rules over real HTTP, with the server's clock set by the test.

"Events having a Monday timestamp must arrive prior to Tuesday midnight UTC"; a future
timestamp becomes server time. Either way the original is kept and the event is flagged.
"""

from __future__ import annotations

import pytest
from appsflyer_helpers import Wire

MONDAY_10 = 1_704_103_200_000  # 2024-01-01T10:00:00.000Z, a Monday
TUESDAY_LAST_MS = 1_704_239_999_999  # 2024-01-02T23:59:59.999Z
WEDNESDAY_0 = 1_704_240_000_000  # 2024-01-03T00:00:00.000Z

CASES = {
    "arrives Tuesday 23:59:59.999: keeps its time": (
        MONDAY_10,
        TUESDAY_LAST_MS,
        ("2024-01-01T10:00:00.000Z", None, []),
    ),
    "arrives Wednesday 00:00:00.000: server time": (
        MONDAY_10,
        WEDNESDAY_0,
        ("2024-01-03T00:00:00.000Z", "2024-01-01T10:00:00.000Z", ["late_timestamp"]),
    ),
    "one millisecond in the future: server time": (
        MONDAY_10 + 1,
        MONDAY_10,
        ("2024-01-01T10:00:00.000Z", "2024-01-01T10:00:00.001Z", ["future_timestamp"]),
    ),
    "a year in the future: server time": (
        MONDAY_10 + 366 * 86_400_000,
        MONDAY_10,
        ("2024-01-01T10:00:00.000Z", "2025-01-01T10:00:00.000Z", ["future_timestamp"]),
    ),
    "exactly now: keeps its time": (
        MONDAY_10,
        MONDAY_10,
        ("2024-01-01T10:00:00.000Z", None, []),
    ),
}


@pytest.mark.parametrize(("timestamp", "now", "stored"), CASES.values(), ids=CASES.keys())
def test_timestamp_rules(
    wire: Wire, timestamp: int, now: int, stored: tuple[str, str | None, list[str]]
) -> None:
    wire.clock.now = now
    assert wire.event(timestamp=timestamp).status_code == 200
    [event] = wire.events()
    assert (event["event_time"], event["original_event_time"], event["flags"]) == stored


def test_no_timestamp_is_server_time(wire: Wire) -> None:
    wire.clock.now = WEDNESDAY_0
    assert wire.event().status_code == 200
    [event] = wire.events()
    assert (event["event_time"], event["original_event_time"], event["flags"]) == (
        "2024-01-03T00:00:00.000Z",
        None,
        [],
    )
