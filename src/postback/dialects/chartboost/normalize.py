"""PIA bodies into canonical events: the player, purchases with revenue, level events."""

from decimal import Decimal
from typing import Any

import msgspec

from postback.dialects._common import Refusal, check_amount, is_currency_code, non_empty
from postback.dialects.chartboost.wire import IapPayload, LevelEventPayload, TrackPayload
from postback.model import Event, EventKind, IdentityLink, Reason, SequenceClaim

DIALECT = "chartboost"
PURCHASE_NAME = "iap"
DEFAULT_CURRENCY = "USD"
PLAYER_ID_ORDER = ("ifa", "gaid", "uuid")
SEQUENTIAL_FIELDS = frozenset({1, 3, 4})


def event_from_payload(app: str, payload: TrackPayload, now_ms: int) -> Event:
    """The one event a body carries; refuses, naming the field, what the document forbids."""
    refuse_nul_characters(payload)
    if (payload.iap is None) == (payload.event is None):
        raise Refusal(Reason.INVALID, "send exactly one of iap, event")
    ids = _device_ids(payload)
    if not ids:
        raise Refusal(Reason.INVALID, "send at least one of gaid, uuid, ifa")
    if payload.iap is not None:
        return _purchase(app, ids, payload.iap, now_ms)
    assert payload.event is not None
    return _level(app, ids, payload.event, now_ms)


def sequence_scope(event_field: int, player: str) -> str:
    """The database scope of one player's sequential field: `chartboost:{field}:{player}`."""
    return f"{DIALECT}:{event_field}:{player}"


def device_links(ids: dict[str, str]) -> list[IdentityLink]:
    """The player's id linked to every other device id sent with it: one person."""
    (player_kind, player), *others = ids.items()
    return [IdentityLink(player_kind, player, kind, value) for kind, value in others]


def refuse_nul_characters(struct: msgspec.Struct, prefix: str = "") -> None:
    """Text with NUL characters cannot be stored in PostgreSQL; refuse it, naming the field."""
    for name in struct.__struct_fields__:
        value = getattr(struct, name)
        if isinstance(value, str) and "\x00" in value:
            raise Refusal(Reason.INVALID, f"{prefix}{name}: must not contain NUL characters")
        if isinstance(value, msgspec.Struct):
            refuse_nul_characters(value, f"{prefix}{name}.")


def _device_ids(payload: TrackPayload) -> dict[str, str]:
    """The device ids present, in player order: ifa, gaid, uuid."""
    ids = {kind: non_empty(getattr(payload, kind)) for kind in PLAYER_ID_ORDER}
    return {kind: value for kind, value in ids.items() if value is not None}


def _purchase(app: str, ids: dict[str, str], iap: IapPayload, now_ms: int) -> Event:
    properties = {
        "product_id": _required_text("iap.product_id", iap.product_id),
        "localized_title": iap.localized_title,
        "localized_description": iap.localized_description,
    }
    return Event(
        app=app,
        dialect=DIALECT,
        kind=EventKind.PURCHASE,
        name=PURCHASE_NAME,
        event_time_ms=now_ms,
        received_at_ms=now_ms,
        ids=ids,
        revenue=_price(iap.price),
        currency=_currency(iap.currency),
        properties=_present(properties),
    )


def _level(app: str, ids: dict[str, str], level: LevelEventPayload, now_ms: int) -> Event:
    label = _required_text("event.event_label", level.event_label)
    player = next(iter(ids.values()))
    properties = {
        "event_label": label,
        "event_field": level.event_field,
        "main_level": level.main_level,
        "sub_level": level.sub_level,
        "description": level.description,
        "player": player,
    }
    event = Event(
        app=app,
        dialect=DIALECT,
        kind=EventKind.LEVEL,
        name=label,
        event_time_ms=now_ms,
        received_at_ms=now_ms,
        ids=ids,
        properties=_present(properties),
    )
    if level.event_field in SEQUENTIAL_FIELDS:
        scope = sequence_scope(level.event_field, player)
        event.sequence = SequenceClaim(scope, level.main_level, level.sub_level)
    return event


def _required_text(field_name: str, value: str) -> str:
    text = non_empty(value)
    if text is None:
        raise Refusal(Reason.INVALID, f"{field_name}: must not be empty")
    return text


def _price(price: Decimal) -> Decimal:
    try:
        amount = check_amount("iap.price", price)
    except ValueError as error:
        raise Refusal(Reason.INVALID, str(error)) from None
    if amount < 0:
        raise Refusal(Reason.INVALID, "iap.price: must be a number >= 0")
    return amount


def _currency(currency: str | None) -> str:
    code = (non_empty(currency) or DEFAULT_CURRENCY).upper()
    if not is_currency_code(code):
        raise Refusal(Reason.INVALID, "iap.currency: must be an ISO 4217 currency code")
    return code


def _present(properties: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in properties.items() if value is not None}
