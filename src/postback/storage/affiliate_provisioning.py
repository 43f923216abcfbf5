"""The config file's `[affiliate]` into the tables, idempotently (called by provisioning).

Configured affiliates, offers and events are created or updated to match the file; rows
made through the API are left alone. Tokens named in the file are active with the scope the
file gives them; a token the file provisioned earlier and no longer names is deactivated.
"""

from __future__ import annotations

import msgspec
import sqlalchemy as sa

from postback.dialects.affiliate.credentials import AffiliateNetwork, Offer, OfferEvent
from postback.storage import affiliate_admin as admin
from postback.storage.affiliate_records import (
    AffiliateInput,
    AffiliateUpdate,
    EventInput,
    EventUpdate,
    OfferInput,
    OfferUpdate,
    TokenInput,
)
from postback.storage.schema import affiliate_tokens, affiliates, offer_events, offers

Scope = tuple[int | None, int | None]


class AffiliateProvisioningError(ValueError):
    """The `[affiliate]` table conflicts with what the database holds."""


def provision_affiliate(connection: sa.Connection, network: AffiliateNetwork, now_ms: int) -> None:
    try:
        for affiliate in network.affiliates:
            _put_affiliate(connection, affiliate.id, affiliate.name, affiliate.active, now_ms)
        for offer in network.offers:
            _put_offer(connection, offer, now_ms)
            for event in offer.events:
                _put_event(connection, offer.id, event, now_ms)
        _put_tokens(connection, _scopes(network), now_ms)
    except admin.AdminError as error:
        raise AffiliateProvisioningError(f"[affiliate]: {error.message}") from None


def _put_affiliate(
    connection: sa.Connection, affiliate_id: int, name: str, active: bool, now_ms: int
) -> None:
    if _exists(connection, affiliates, affiliates.c.id == affiliate_id):
        change = AffiliateUpdate(name=name, active=active)
        admin.update_affiliate(connection, affiliate_id, change, now_ms)
    else:
        data = AffiliateInput(id=affiliate_id, name=name, active=active)
        admin.create_affiliate(connection, data, now_ms)


def _put_offer(connection: sa.Connection, offer: Offer, now_ms: int) -> None:
    fields = {
        "name": offer.name,
        "url": offer.url,
        "revenue": offer.revenue,
        "payout": offer.payout,
        "app": offer.app,
        "currency": offer.currency,
        "active": offer.active,
    }
    if _exists(connection, offers, offers.c.id == offer.id):
        admin.update_offer(connection, offer.id, msgspec.convert(fields, OfferUpdate), now_ms)
    else:
        admin.create_offer(
            connection, msgspec.convert({**fields, "id": offer.id}, OfferInput), now_ms
        )


def _put_event(connection: sa.Connection, offer_id: int, event: OfferEvent, now_ms: int) -> None:
    fields = {
        "name": event.name,
        "revenue": event.revenue,
        "payout": event.payout,
        "allow_multiple": event.allow_multiple,
        "active": True,
    }
    where = sa.and_(offer_events.c.offer_id == offer_id, offer_events.c.id == event.id)
    if _exists(connection, offer_events, where):
        admin.update_event(
            connection, offer_id, event.id, msgspec.convert(fields, EventUpdate), now_ms
        )
    else:
        admin.create_event(
            connection, offer_id, msgspec.convert({**fields, "id": event.id}, EventInput), now_ms
        )


def _scopes(network: AffiliateNetwork) -> dict[str, Scope]:
    """Each token the file names, with its scope (offer, event)."""
    scopes: dict[str, Scope] = {}
    if network.secure_token is not None:
        scopes[network.secure_token] = (None, None)
    for offer in network.offers:
        if offer.secure_token is not None:
            scopes[offer.secure_token] = (offer.id, None)
        for event in offer.events:
            if event.secure_token is not None:
                scopes[event.secure_token] = (offer.id, event.id)
    return scopes


def _put_tokens(connection: sa.Connection, scopes: dict[str, Scope], now_ms: int) -> None:
    table = affiliate_tokens
    for token, (offer_id, event_id) in scopes.items():
        wanted = {"offer_id": offer_id, "event_id": event_id, "active": True, "provisioned": True}
        current = connection.execute(sa.select(table).where(table.c.token == token)).first()
        if current is not None and any(getattr(current, k) != v for k, v in wanted.items()):
            statement = table.update().where(table.c.token == token)
            connection.execute(statement.values(**wanted, updated_at_ms=now_ms))
        elif current is None:
            data = TokenInput(token=token, offer_id=offer_id, event_id=event_id)
            admin.create_token(connection, data, now_ms, provisioned=True)
    dropped = table.c.provisioned.is_(True) & table.c.active.is_(True)
    if scopes:
        dropped &= table.c.token.not_in(list(scopes))
    connection.execute(table.update().where(dropped).values(active=False, updated_at_ms=now_ms))


def _exists(connection: sa.Connection, table: sa.Table, where: sa.ColumnElement[bool]) -> bool:
    query = sa.select(sa.literal(1)).select_from(table).where(where)
    return connection.execute(query).first() is not None
