"""Web-S2S payloads into canonical events: ids, the late and future timestamp rules, revenue."""

from typing import Any

from postback.dialects._common import (
    JSON_DECODER,
    JSON_ENCODER,
    Refusal,
    check_amount,
    is_currency_code,
    non_empty,
)
from postback.dialects.appsflyer_web.wire import EventPayload, SetCuidPayload
from postback.model import Event, EventKind, IdentityLink, Reason

DIALECT = "appsflyer_web"
DAY_MS = 86_400_000
EVENT_VALUE_LIMIT = 1000
SMALLEST_13_DIGITS = 10**12
LARGEST_13_DIGITS = 10**13 - 1
MAX_TEXT_CHARS = 500  # what storage keeps of a name or a user id
CUSTOMER_USER_ID = "customer_user_id"
WEB_ID = "af_web_id"


def event_from_payload(
    app: str, payload: EventPayload, unknown: dict[str, Any], now_ms: int
) -> Event:
    if payload.event_type != "EVENT":
        raise Refusal(Reason.INVALID, "eventType: must be EVENT")
    name = _text("eventName", payload.event_name)
    if name is None:
        raise Refusal(Reason.INVALID, "eventName: must not be empty")
    event = Event(
        app=app,
        dialect=DIALECT,
        kind=EventKind.EVENT,
        name=name,
        event_time_ms=now_ms,
        received_at_ms=now_ms,
        ids=_user_ids(payload.customer_user_id, payload.af_user_id),
        properties=_properties(payload, unknown),
    )
    if not event.ids:
        raise Refusal(Reason.INVALID, "send at least one of customerUserId, afUserId")
    _apply_timestamp(event, payload.timestamp, now_ms)
    _apply_event_value(event, payload.event_value)
    _apply_revenue(event, payload)
    return event


def identify_from_payload(
    app: str, payload: SetCuidPayload, unknown: dict[str, Any], now_ms: int
) -> tuple[Event, IdentityLink]:
    customer_user_id = _text("customerUserId", payload.customer_user_id)
    web_id = _text("afUserId", payload.af_user_id)
    if customer_user_id is None or web_id is None:
        raise Refusal(Reason.INVALID, "customerUserId and afUserId must not be empty")
    event = Event(
        app=app,
        dialect=DIALECT,
        kind=EventKind.IDENTIFY,
        name="setCuId",
        event_time_ms=now_ms,
        received_at_ms=now_ms,
        ids={CUSTOMER_USER_ID: customer_user_id, WEB_ID: web_id},
        properties={"unknown_fields": unknown} if unknown else {},
    )
    return event, IdentityLink(CUSTOMER_USER_ID, customer_user_id, WEB_ID, web_id)


def _user_ids(customer_user_id: str | None, web_id: str | None) -> dict[str, str]:
    ids = {
        CUSTOMER_USER_ID: _text("customerUserId", customer_user_id),
        WEB_ID: _text("afUserId", web_id),
    }
    return {kind: value for kind, value in ids.items() if value is not None}


def _text(field_name: str, value: str | None) -> str | None:
    """A name or id without surrounding whitespace, or None when empty; refused if unstorable."""
    value = non_empty(value)
    if value is not None and len(value) > MAX_TEXT_CHARS:
        raise Refusal(Reason.INVALID, f"{field_name}: must be at most {MAX_TEXT_CHARS} characters")
    if value is not None and "\x00" in value:
        raise Refusal(Reason.INVALID, f"{field_name}: must not contain NUL characters")
    return value


def _properties(payload: EventPayload, unknown: dict[str, Any]) -> dict[str, Any]:
    properties = {
        "http_referrer": payload.referrer,
        "user_agent": payload.user_agent,
        "ip": payload.ip,
        "event_category": payload.event_category,
        "event_label": payload.event_label,
    }
    kept: dict[str, Any] = {name: value for name, value in properties.items() if value}
    if unknown:
        kept["unknown_fields"] = unknown
    return kept


def _apply_timestamp(event: Event, timestamp: int | None, now_ms: int) -> None:
    """Late (after the end of the UTC day after the event's day) or future: server time."""
    if timestamp is None:
        return
    if not SMALLEST_13_DIGITS <= timestamp <= LARGEST_13_DIGITS:
        raise Refusal(Reason.INVALID, "timestamp: must be a Unix time in milliseconds (13 digits)")
    deadline_ms = (timestamp // DAY_MS + 2) * DAY_MS
    if timestamp > now_ms:
        event.flags.append("future_timestamp")
    elif now_ms >= deadline_ms:
        event.flags.append("late_timestamp")
    else:
        event.event_time_ms = timestamp
        return
    event.original_time_ms = timestamp


def _apply_event_value(event: Event, event_value: dict[str, Any] | str | None) -> None:
    if isinstance(event_value, str):
        event_value = _event_value_from_text(event_value)
    if event_value is None:
        return
    text = JSON_ENCODER.encode(event_value).decode()
    if len(text) > EVENT_VALUE_LIMIT:
        event.properties["event_value"] = text[:EVENT_VALUE_LIMIT]
        event.flags.append("event_value_truncated")
    else:
        event.properties["event_value"] = event_value


def _event_value_from_text(text: str) -> dict[str, Any] | None:
    """Some clients send eventValue as the JSON text of an object."""
    if not text.strip():
        return None
    try:
        value = JSON_DECODER.decode(text)
    except (ValueError, UnicodeDecodeError):
        value = None
    if not isinstance(value, dict):
        raise Refusal(Reason.INVALID, "eventValue: must be a JSON object")
    return value


def _apply_revenue(event: Event, payload: EventPayload) -> None:
    currency = (non_empty(payload.event_revenue_currency) or "USD").upper()
    if not is_currency_code(currency):
        raise Refusal(Reason.INVALID, "eventRevenueCurrency: must be an ISO 4217 currency code")
    if payload.event_revenue is None:
        return
    try:
        event.revenue = check_amount("eventRevenue", payload.event_revenue)
    except ValueError as error:
        raise Refusal(Reason.INVALID, str(error)) from None
    event.currency = currency
    event.kind = EventKind.PURCHASE
