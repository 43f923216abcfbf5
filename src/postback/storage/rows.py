"""Canonical objects into table rows, and rows back into the shapes the API serves."""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Any

import msgspec

from postback.model import Event, IdentityLink, Outcome

if TYPE_CHECKING:
    from postback.storage.batch import WriteJob

DAY_MS = 86_400_000
MICROS = Decimal(1_000_000)
ENCODER = msgspec.json.Encoder(decimal_format="number")


def to_micros(amount: Decimal | None) -> int | None:
    if amount is None:
        return None
    return int((amount * MICROS).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def from_micros(micros: int | None) -> Decimal | None:
    return None if micros is None else Decimal(micros) / MICROS


def day_of(time_ms: int) -> int:
    """Days since 1970-01-01 (UTC)."""
    return time_ms // DAY_MS


def outcome_row(job: WriteJob, outcome: Outcome) -> dict[str, Any]:
    """PostgreSQL text holds no NUL: a path or message carrying one (`/v1/%00/event`) is masked."""
    raw = job.raw
    return {
        "received_at_ms": job.received_at_ms,
        "dialect": job.dialect,
        "app": outcome.app,
        "reason": outcome.reason.value,
        "message": outcome.message.replace("\x00", "\ufffd"),
        "method": raw.method,
        "path": raw.path.replace("\x00", "%00"),
        "query": raw.query,
        "headers": ENCODER.encode(raw.headers).decode(),
        "body": raw.body,
        "body_truncated": raw.body_truncated,
        "client_ip": raw.client_ip,
    }


def event_row(event: Event, outcome_id: int | None) -> dict[str, Any]:
    return {
        "outcome_id": outcome_id,
        "app": event.app,
        "dialect": event.dialect,
        "kind": event.kind.value,
        "name": event.name,
        "event_time_ms": event.event_time_ms,
        "received_at_ms": event.received_at_ms,
        "original_time_ms": event.original_time_ms,
        "revenue_micros": to_micros(event.revenue),
        "currency": event.currency,
        "reporting_revenue_micros": to_micros(event.reporting_revenue),
        "ids": ENCODER.encode(event.ids).decode(),
        "properties": ENCODER.encode(event.properties).decode(),
        "flags": ENCODER.encode(event.flags).decode(),
    }


def link_row(app: str, link: IdentityLink, job: WriteJob) -> dict[str, Any]:
    return {
        "app": app,
        "left_type": link.left_type,
        "left_value": link.left_value,
        "right_type": link.right_type,
        "right_value": link.right_value,
        "created_at_ms": job.received_at_ms,
    }


def daily_event_totals(stored: list[Event]) -> list[dict[str, Any]]:
    counts: Counter[tuple[int, str, str, str, str]] = Counter()
    revenue: Counter[tuple[int, str, str, str, str]] = Counter()
    for event in stored:
        key = (day_of(event.event_time_ms), event.app, event.dialect, event.kind.value, event.name)
        counts[key] += 1
        revenue[key] += to_micros(event.reporting_revenue) or 0
    columns = ("day", "app", "dialect", "kind", "name")
    return [
        {
            **dict(zip(columns, key, strict=True)),
            "events": n,
            "reporting_revenue_micros": revenue[key],
        }
        for key, n in sorted(counts.items())
    ]


def daily_outcome_totals(verdicts: list[tuple[WriteJob, Outcome]]) -> list[dict[str, Any]]:
    counts: Counter[tuple[int, str, str, str]] = Counter(
        (day_of(job.received_at_ms), outcome.app or "", job.dialect, outcome.reason.value)
        for job, outcome in verdicts
    )
    columns = ("day", "app", "dialect", "reason")
    return [
        {**dict(zip(columns, key, strict=True)), "requests": n} for key, n in sorted(counts.items())
    ]
