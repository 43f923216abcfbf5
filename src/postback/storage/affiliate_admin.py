"""Offers, offer events, affiliates and postback tokens: created, changed and deactivated.

Used by the admin API, the CLI and provisioning. Nothing is deleted: clicks and
conversions refer to these rows; deactivating stops new clicks (offers, affiliates),
makes an event unknown to postbacks, or refuses a token.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any, TypeVar

import msgspec
import sqlalchemy as sa

from postback.storage.affiliate_records import (
    AffiliateInput,
    AffiliateUpdate,
    EventInput,
    EventUpdate,
    OfferInput,
    OfferUpdate,
    TokenInput,
    TokenUpdate,
)
from postback.storage.base import Database
from postback.storage.rows import to_micros
from postback.storage.schema import (
    affiliate_clicks,
    affiliate_tokens,
    affiliates,
    offer_events,
    offers,
)

T = TypeVar("T")
Write = Callable[[sa.Connection], T]
FIXED_AFTER_CLICKS = ("app", "currency")


class AdminError(Exception):
    """A change that cannot be made; `status` is the HTTP status the API answers."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(AdminError):
    status = 404


class Conflict(AdminError):
    status = 409


def write(database: Database, change: Write[T]) -> T:
    """Run one change in its own write transaction; a lost race on a unique key is a Conflict."""
    try:
        with database.writer.begin() as connection:
            return change(connection)
    except sa.exc.IntegrityError:
        raise Conflict("the id, name or token is already taken") from None


# --- offers -----------------------------------------------------------------------------------


def create_offer(connection: sa.Connection, data: OfferInput, now_ms: int) -> int:
    offer_id = data.id or _next_id(connection, offers.c.id)
    if _exists(connection, offers, offers.c.id == offer_id):
        raise Conflict(f"offer {offer_id} exists")
    values = _fields(data, exclude=("id", "revenue", "payout"))
    values.update(_money(data.revenue, data.payout), id=offer_id)
    connection.execute(offers.insert().values(_stamped(values, now_ms, created=True)))
    return offer_id


def update_offer(connection: sa.Connection, offer_id: int, data: OfferUpdate, now_ms: int) -> None:
    current = _row(connection, offers, offers.c.id == offer_id, f"offer {offer_id}")
    values = _changes(data, current)
    _check_fixed_after_clicks(connection, current, values)
    if values:
        statement = offers.update().where(offers.c.id == offer_id)
        connection.execute(statement.values(_stamped(values, now_ms)))


def _check_fixed_after_clicks(
    connection: sa.Connection, current: Any, values: dict[str, Any]
) -> None:
    changed = [
        name
        for name in FIXED_AFTER_CLICKS
        if name in values and values[name] != getattr(current, name)
    ]
    if changed and _exists(connection, affiliate_clicks, affiliate_clicks.c.offer_id == current.id):
        raise Conflict(
            f"offer {current.id} has clicks: its {' and '.join(changed)} cannot change "
            "(create a new offer instead)"
        )


# --- offer events -----------------------------------------------------------------------------


def create_event(connection: sa.Connection, offer_id: int, data: EventInput, now_ms: int) -> int:
    _row(connection, offers, offers.c.id == offer_id, f"offer {offer_id}")
    event_id = data.id or _next_id(
        connection, offer_events.c.id, offer_events.c.offer_id == offer_id
    )
    if _exists(connection, offer_events, _event_is(offer_id, event_id)):
        raise Conflict(f"offer {offer_id} has an event {event_id}")
    _check_free_name(connection, offer_id, data.name, event_id)
    values = _fields(data, exclude=("id", "revenue", "payout"))
    values.update(_money(data.revenue, data.payout), offer_id=offer_id, id=event_id)
    connection.execute(offer_events.insert().values(_stamped(values, now_ms, created=True)))
    return event_id


def update_event(
    connection: sa.Connection, offer_id: int, event_id: int, data: EventUpdate, now_ms: int
) -> None:
    where = _event_is(offer_id, event_id)
    current = _row(connection, offer_events, where, f"event {event_id} of offer {offer_id}")
    values = _changes(data, current)
    if "name" in values:
        _check_free_name(connection, offer_id, values["name"], event_id)
    if values:
        connection.execute(offer_events.update().where(where).values(_stamped(values, now_ms)))


def _check_free_name(connection: sa.Connection, offer_id: int, name: str, event_id: int) -> None:
    taken = sa.and_(
        offer_events.c.offer_id == offer_id,
        offer_events.c.name == name,
        offer_events.c.id != event_id,
    )
    if _exists(connection, offer_events, taken):
        raise Conflict(f"offer {offer_id} has another event named {name!r}")


def _event_is(offer_id: int, event_id: int) -> sa.ColumnElement[bool]:
    return sa.and_(offer_events.c.offer_id == offer_id, offer_events.c.id == event_id)


# --- affiliates -------------------------------------------------------------------------------


def create_affiliate(connection: sa.Connection, data: AffiliateInput, now_ms: int) -> int:
    affiliate_id = data.id or _next_id(connection, affiliates.c.id)
    if _exists(connection, affiliates, affiliates.c.id == affiliate_id):
        raise Conflict(f"affiliate {affiliate_id} exists")
    values = _fields(data, exclude=("id",))
    values["id"] = affiliate_id
    connection.execute(affiliates.insert().values(_stamped(values, now_ms, created=True)))
    return affiliate_id


def update_affiliate(
    connection: sa.Connection, affiliate_id: int, data: AffiliateUpdate, now_ms: int
) -> None:
    where = affiliates.c.id == affiliate_id
    values = _changes(data, _row(connection, affiliates, where, f"affiliate {affiliate_id}"))
    if values:
        connection.execute(affiliates.update().where(where).values(_stamped(values, now_ms)))


# --- postback tokens --------------------------------------------------------------------------


def create_token(
    connection: sa.Connection, data: TokenInput, now_ms: int, provisioned: bool = False
) -> int:
    if data.offer_id is not None:
        _row(connection, offers, offers.c.id == data.offer_id, f"offer {data.offer_id}")
    if data.offer_id is not None and data.event_id is not None:
        where = _event_is(data.offer_id, data.event_id)
        _row(connection, offer_events, where, f"event {data.event_id} of offer {data.offer_id}")
    token = data.token or secrets.token_urlsafe(24)
    if _exists(connection, affiliate_tokens, affiliate_tokens.c.token == token):
        raise Conflict("this token exists")
    values = {
        "token": token,
        "offer_id": data.offer_id,
        "event_id": data.event_id,
        "active": True,
        "provisioned": provisioned,
    }
    statement = affiliate_tokens.insert().values(_stamped(values, now_ms, created=True))
    return int(connection.execute(statement.returning(affiliate_tokens.c.id)).scalar_one())


def update_token(connection: sa.Connection, token_id: int, data: TokenUpdate, now_ms: int) -> None:
    where = affiliate_tokens.c.id == token_id
    values = _changes(data, _row(connection, affiliate_tokens, where, f"token {token_id}"))
    if values:
        statement = affiliate_tokens.update().where(where)
        connection.execute(statement.values(_stamped(values, now_ms)))


# --- helpers ----------------------------------------------------------------------------------


def _money(revenue: Any, payout: Any) -> dict[str, Any]:
    return {
        "revenue_type": revenue.type,
        "revenue_micros": to_micros(revenue.value),
        "payout_type": payout.type,
        "payout_micros": to_micros(payout.value),
    }


def _fields(data: msgspec.Struct, exclude: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(data, name) for name in data.__struct_fields__ if name not in exclude}


def _changes(data: msgspec.Struct, current: Any) -> dict[str, Any]:
    """The column values an update sets that differ from the current row's."""
    values = _set_fields(data)
    return {name: value for name, value in values.items() if getattr(current, name) != value}


def _set_fields(data: msgspec.Struct) -> dict[str, Any]:
    """The fields an update sets, as column values."""
    values: dict[str, Any] = {}
    for name in data.__struct_fields__:
        value = getattr(data, name)
        if value is msgspec.UNSET:
            continue
        if name in ("revenue", "payout"):
            values.update({f"{name}_type": value.type, f"{name}_micros": to_micros(value.value)})
        else:
            values[name] = value
    return values


def _stamped(values: dict[str, Any], now_ms: int, created: bool = False) -> dict[str, Any]:
    stamped = {**values, "updated_at_ms": now_ms}
    if created:
        stamped["created_at_ms"] = now_ms
    return stamped


def _next_id(
    connection: sa.Connection,
    column: sa.Column[Any],
    where: sa.ColumnElement[bool] | None = None,
) -> int:
    query = sa.select(sa.func.max(column))
    if where is not None:
        query = query.where(where)
    return int(connection.execute(query).scalar() or 0) + 1


def _exists(connection: sa.Connection, table: sa.Table, where: sa.ColumnElement[bool]) -> bool:
    return (
        connection.execute(sa.select(sa.literal(1)).select_from(table).where(where)).first()
        is not None
    )


def _row(
    connection: sa.Connection, table: sa.Table, where: sa.ColumnElement[bool], what: str
) -> Any:
    found = connection.execute(sa.select(table).where(where)).first()
    if found is None:
        raise NotFound(f"{what} does not exist")
    return found
