"""A /track hit into one canonical event: hitId, sentAt, user ids, the transaction, the order."""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from typing import Any

from postback.dialects._common import Refusal, check_amount, is_currency_code, non_empty
from postback.dialects.segmentstream.wire import (
    Context,
    EventInfo,
    LineItem,
    TrackPayload,
    Transaction,
    User,
    typed_fields,
)
from postback.model import Event, EventKind, IdentityLink, OrderAction, OrderChange, Reason

DIALECT = "segmentstream"
UNNAMED = "(not set)"
DEFAULT_CURRENCY = "USD"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MILLISECOND = dt.timedelta(milliseconds=1)
ORDER_ACTIONS = {
    "Completed Transaction": OrderAction.COMPLETE,
    "Updated Transaction": OrderAction.UPDATE,
    "Refunded Transaction": OrderAction.REFUND,
}
USER_ID_TYPES = {
    "userId": "customer_user_id",
    "anonymousId": "anonymous_id",
    "emailHash": "email_hash",
}
UUID_V1 = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", re.IGNORECASE
)


def event_from_payload(
    app: str, payload: TrackPayload, data: dict[str, Any], now_ms: int
) -> tuple[Event, list[IdentityLink]]:
    """The canonical event of a typed hit; `data` is the decoded body, for the fields kept as is."""
    info = payload.event or EventInfo()
    event = Event(
        app=app,
        dialect=DIALECT,
        kind=EventKind.EVENT,
        name=column_text("event.name", non_empty(info.name)) or UNNAMED,
        event_time_ms=now_ms,
        received_at_ms=now_ms,
        ids=_user_ids(info.user),
        properties=_with_unknown(typed_fields(payload), data),
        dedup_key=_hit_id(payload.hit_id),
    )
    _apply_sent_at(event, _sent_at_ms(payload.sent_at), now_ms)
    _apply_ip(event, payload.context)
    _apply_transaction(event, info)
    return event, _links(event.ids)


def column_text(field: str, value: str | None) -> str | None:
    """A text kept in its own column: NUL characters are refused (PostgreSQL cannot store them)."""
    if value is not None and "\x00" in value:
        raise Refusal(Reason.INVALID, f"{field}: must not contain NUL characters")
    return value


def _hit_id(hit_id: str) -> str:
    if not UUID_V1.fullmatch(hit_id):
        raise Refusal(Reason.INVALID, "hitId: must be a version-1 UUID (8-4-4-4-12 hex digits)")
    return hit_id.lower()


def _sent_at_ms(sent_at: str) -> int:
    """ISO 8601 with a time of day; UTC unless it names an offset."""
    try:
        if len(sent_at) <= len("YYYY-MM-DD"):
            raise ValueError(sent_at)
        moment = dt.datetime.fromisoformat(sent_at)
    except ValueError:
        raise Refusal(Reason.INVALID, "sentAt: must be an ISO 8601 date and time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    try:
        return (moment.astimezone(dt.UTC) - EPOCH) // MILLISECOND
    except OverflowError:
        raise Refusal(Reason.INVALID, "sentAt: must be within the years 1 to 9999 (UTC)") from None


def _apply_sent_at(event: Event, sent_at_ms: int, now_ms: int) -> None:
    """The client's clock names the event time, unless it is in the future: then server time."""
    if sent_at_ms > now_ms:
        event.original_time_ms = sent_at_ms
        event.flags.append("future_timestamp")
    else:
        event.event_time_ms = sent_at_ms


def _user_ids(user: User | None) -> dict[str, str]:
    if user is None:
        return {}
    sent = {"userId": user.user_id, "anonymousId": user.anonymous_id, "emailHash": user.email_hash}
    ids = {}
    for field, value in sent.items():
        kept = column_text(f"event.user.{field}", non_empty(value))
        if kept is not None:
            ids[USER_ID_TYPES[field]] = kept
    return ids


def _links(ids: dict[str, str]) -> list[IdentityLink]:
    """The ids one hit carries belong to one person: link each to the first (userId first)."""
    kinds = list(ids)
    return [IdentityLink(kinds[0], ids[kinds[0]], kind, ids[kind]) for kind in kinds[1:]]


def _apply_ip(event: Event, context: Context | None) -> None:
    """A parseable IP is kept as `ip` (for geo); one that does not parse stays text in context."""
    if context is None or context.ip is None:
        return
    try:
        event.properties["ip"] = str(ipaddress.ip_address(context.ip.strip()))
    except ValueError:
        event.flags.append("invalid_ip")


def _apply_transaction(event: Event, info: EventInfo) -> None:
    """Completed, Updated and Refunded Transaction change an order; other names are custom."""
    transaction = info.transaction
    if transaction is not None:
        _check_amounts(transaction)
    action = ORDER_ACTIONS.get(event.name)
    if action is None:
        return
    if action is OrderAction.COMPLETE:
        event.kind = EventKind.PURCHASE
    order_id = _order_id(transaction)
    if order_id is None and action is not OrderAction.COMPLETE:
        event.flags.append("unknown_order")
        return
    if transaction is not None and action is not OrderAction.REFUND:
        _apply_revenue(event, transaction, info)
    if order_id is not None and transaction is not None:
        status = column_text("event.transaction.status", non_empty(transaction.status))
        event.order = OrderChange(order_id=order_id, action=action, status=status)


def _order_id(transaction: Transaction | None) -> str | None:
    order_id = non_empty(transaction.order_id) if transaction is not None else None
    return column_text("event.transaction.orderId", order_id)


def _apply_revenue(event: Event, transaction: Transaction, info: EventInfo) -> None:
    """The transaction's total is the event's revenue, in the transaction's currency."""
    if transaction.total is None:
        return
    event.revenue = transaction.total
    event.currency = _currency(event, transaction, info)


def _currency(event: Event, transaction: Transaction, info: EventInfo) -> str:
    """The transaction's currency, else the website's, else USD (flagged)."""
    sent = [
        ("event.transaction.currency", transaction.currency),
        ("event.website.currency", info.website.currency if info.website else None),
    ]
    for field, value in sent:
        code = non_empty(value)
        if code is None:
            continue
        if not is_currency_code(code.upper()):
            raise Refusal(Reason.INVALID, f"{field}: must be an ISO 4217 currency code")
        return code.upper()
    event.flags.append("currency_defaulted")
    return DEFAULT_CURRENCY


def _check_amounts(transaction: Transaction) -> None:
    prefix = "event.transaction"
    amounts = [
        (f"{prefix}.total", transaction.total),
        (f"{prefix}.subtotal", transaction.subtotal),
        (f"{prefix}.shippingCost", transaction.shipping_cost),
    ]
    for index, item in enumerate(transaction.line_items or []):
        amounts += _line_item_amounts(f"{prefix}.lineItems[{index}]", item)
    for field, amount in amounts:
        if amount is not None:
            try:
                check_amount(field, amount)
            except ValueError as error:
                raise Refusal(Reason.INVALID, str(error)) from None


def _line_item_amounts(prefix: str, item: LineItem) -> list[tuple[str, Any]]:
    amounts = [(f"{prefix}.subtotal", item.subtotal)]
    if item.product is not None:
        amounts.append((f"{prefix}.product.unitSalePrice", item.product.unit_sale_price))
        amounts.append((f"{prefix}.product.unitPrice", item.product.unit_price))
    return amounts


def _with_unknown(typed: Any, sent: Any) -> Any:
    """The typed values, plus whatever was sent beside them (custom dimensions and metrics)."""
    if isinstance(typed, dict) and isinstance(sent, dict):
        merged = dict(typed)
        for name, value in sent.items():
            merged[name] = _with_unknown(typed[name], value) if name in typed else value
        return merged
    if isinstance(typed, list) and isinstance(sent, list) and len(typed) == len(sent):
        return [_with_unknown(t, s) for t, s in zip(typed, sent, strict=True)]
    return typed
