"""The canonical model: what every dialect turns a request into, and what storage keeps."""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Any

import msgspec


class Reason(enum.StrEnum):
    """The one recorded outcome of a request."""

    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    DISCARDED = "discarded"
    INVALID = "invalid"
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    UNKNOWN_APP = "unknown_app"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    TOO_LARGE = "too_large"
    RATE_LIMITED = "rate_limited"
    INTERNAL_ERROR = "internal_error"

    @property
    def is_success(self) -> bool:
        return self in _SUCCESSES


_SUCCESSES = frozenset({Reason.ACCEPTED, Reason.DUPLICATE, Reason.DISCARDED})


class EventKind(enum.StrEnum):
    EVENT = "event"
    PURCHASE = "purchase"
    IDENTIFY = "identify"
    INSTALL = "install"
    LEVEL = "level"
    CLICK = "click"
    CONVERSION = "conversion"


class IdentityLink(msgspec.Struct, frozen=True):
    """Two user ids of one app that belong to the same person."""

    left_type: str
    left_value: str
    right_type: str
    right_value: str


class SequenceClaim(msgspec.Struct, frozen=True):
    """Store the event only if (major, minor) is strictly above the scope's current value."""

    scope: str
    major: int
    minor: int


class Requirement(msgspec.Struct, frozen=True):
    """Store the event only if `key` is already a dedup key of its app and dialect.

    Checked by the database inside the write transaction, before the event's own dedup key;
    when the key is missing the request gets `reason` and `message` (e.g. the click an
    affiliate conversion needs: NOT_FOUND; the conversion an event needs: CONFLICT).
    """

    key: str
    reason: Reason
    message: str


class AttributionSource(msgspec.Struct, kw_only=True):
    """An install that becomes the attribution of its device ids (storage/attribution.py).

    Later events of the app carrying one of the install's ids are reported under its
    publisher and campaign. `cost` is in USD; the pipeline sets `reporting_cost`.
    """

    publisher: str
    campaign: str | None = None
    campaign_id: str | None = None
    sub_parameters: dict[str, str] = msgspec.field(default_factory=dict)
    cost: Decimal | None = None
    reporting_cost: Decimal | None = None


class OrderAction(enum.StrEnum):
    COMPLETE = "complete"
    UPDATE = "update"
    REFUND = "refund"


class OrderChange(msgspec.Struct, frozen=True, kw_only=True):
    """What an event does to an order of its app (storage/orders.py keeps state and history).

    The event arrives with the order's new total as its revenue (the pipeline converts it);
    storage replaces the event's revenue with what it changes in the order's counted revenue.
    """

    order_id: str
    action: OrderAction
    status: str | None = None


class Event(msgspec.Struct, kw_only=True):
    """One canonical event, whatever dialect it arrived in."""

    app: str
    dialect: str
    kind: EventKind
    name: str
    event_time_ms: int
    received_at_ms: int
    original_time_ms: int | None = None
    ids: dict[str, str] = msgspec.field(default_factory=dict)
    revenue: Decimal | None = None
    currency: str | None = None
    reporting_revenue: Decimal | None = None
    properties: dict[str, Any] = msgspec.field(default_factory=dict)
    flags: list[str] = msgspec.field(default_factory=list)
    dedup_key: str | None = None
    sequence: SequenceClaim | None = None
    attribution_source: AttributionSource | None = None
    order: OrderChange | None = None
    requires: list[Requirement] = msgspec.field(default_factory=list)


class RawRequest(msgspec.Struct, kw_only=True):
    """What arrived on the wire, kept (bounded) with the outcome for audit and replay."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    body_truncated: bool
    client_ip: str | None


class Submission(msgspec.Struct, kw_only=True):
    """A request a dialect has authenticated and validated: what to store for it."""

    app: str
    events: list[Event]
    links: list[IdentityLink] = msgspec.field(default_factory=list)
    rate_limit_per_minute: int | None = None
    message: str = "OK"
    # What the dialect wants carried to its respond() and its storage hooks (e.g. a redirect
    # target); copied into the Outcome whatever the verdict. Not a column of its own.
    context: dict[str, str] = msgspec.field(default_factory=dict)


class Rejection(msgspec.Struct, kw_only=True):
    """A request a dialect refused, with the typed reason and a message for the client."""

    reason: Reason
    message: str
    app: str | None = None
    context: dict[str, str] = msgspec.field(default_factory=dict)


class Outcome(msgspec.Struct, kw_only=True):
    """The verdict on one request, as answered and as recorded."""

    reason: Reason
    message: str
    app: str | None = None
    event_ids: list[int] = msgspec.field(default_factory=list)
    outcome_id: int | None = None
    context: dict[str, str] = msgspec.field(default_factory=dict)
