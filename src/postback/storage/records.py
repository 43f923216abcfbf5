"""What the query API serves: stored events and outcomes, as typed records."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec


class RawRecord(msgspec.Struct, kw_only=True):
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: str
    body_truncated: bool
    client_ip: str | None


class AttributionRecord(msgspec.Struct, kw_only=True):
    """The install an event is attributed to (see storage/attribution.py)."""

    install_event_id: int
    publisher: str
    campaign: str | None
    campaign_id: str | None


class EventRecord(msgspec.Struct, kw_only=True):
    id: int
    app: str
    dialect: str
    kind: str
    name: str
    event_time: str
    received_at: str
    original_event_time: str | None
    ids: dict[str, str]
    revenue: Decimal | None
    currency: str | None
    reporting_revenue: Decimal | None
    properties: dict[str, Any]
    flags: list[str]
    outcome_id: int
    raw: RawRecord
    attribution: AttributionRecord | None = None


class OutcomeRecord(msgspec.Struct, kw_only=True):
    id: int
    received_at: str
    dialect: str
    app: str | None
    reason: str
    message: str
    event_ids: list[int]
    raw: RawRecord


class EventPage(msgspec.Struct, kw_only=True):
    events: list[EventRecord]
    next_cursor: str | None


class OutcomePage(msgspec.Struct, kw_only=True):
    outcomes: list[OutcomeRecord]
    next_cursor: str | None


class DailyEventTotal(msgspec.Struct, kw_only=True):
    day: str
    app: str
    dialect: str
    kind: str
    name: str
    events: int
    reporting_revenue: Decimal


class DailyOutcomeTotal(msgspec.Struct, kw_only=True):
    day: str
    app: str | None
    dialect: str
    reason: str
    requests: int


class DailyReport(msgspec.Struct, kw_only=True):
    reporting_currency: str
    events: list[DailyEventTotal]
    outcomes: list[DailyOutcomeTotal]
