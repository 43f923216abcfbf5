"""The reads behind the affiliate admin API: offers with their postback URLs, affiliates,
tokens, clicks and conversions."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from postback.dialects.affiliate.credentials import PERCENTAGE
from postback.storage.affiliate_admin import NotFound
from postback.storage.affiliate_cache import money
from postback.storage.affiliate_records import (
    AffiliateList,
    AffiliateRecord,
    ClickRecord,
    ConversionPage,
    ConversionRecord,
    OfferEventRecord,
    OfferList,
    OfferRecord,
    TokenList,
    TokenRecord,
)
from postback.storage.base import Database
from postback.storage.queries import iso
from postback.storage.rows import MICROS, from_micros
from postback.storage.schema import (
    affiliate_clicks,
    affiliate_conversions,
    affiliate_tokens,
    affiliates,
    offer_events,
    offers,
)

POSTBACK_PATH = "postback"


@dataclass(frozen=True, kw_only=True)
class ConversionFilter:
    transaction_id: str | None = None
    offer_id: int | None = None
    aff_id: int | None = None
    status: str | None = None
    before_id: int | None = None
    limit: int = 100


# --- offers and their events ------------------------------------------------------------------


def list_offers(database: Database, base_url: str) -> OfferList:
    with database.reader.connect() as connection:
        return OfferList(offers=_offers(connection, base_url, None))


def get_offer(database: Database, offer_id: int, base_url: str) -> OfferRecord:
    with database.reader.connect() as connection:
        found = _offers(connection, base_url, offer_id)
    if not found:
        raise NotFound(f"offer {offer_id} does not exist")
    return found[0]


def get_event(database: Database, offer_id: int, event_id: int, base_url: str) -> OfferEventRecord:
    offer = get_offer(database, offer_id, base_url)
    for event in offer.events:
        if event.id == event_id:
            return event
    raise NotFound(f"event {event_id} of offer {offer_id} does not exist")


def _offers(connection: sa.Connection, base_url: str, offer_id: int | None) -> list[OfferRecord]:
    offer_query = sa.select(offers).order_by(offers.c.id)
    event_query = sa.select(offer_events).order_by(offer_events.c.offer_id, offer_events.c.id)
    if offer_id is not None:
        offer_query = offer_query.where(offers.c.id == offer_id)
        event_query = event_query.where(offer_events.c.offer_id == offer_id)
    urls = _PostbackUrls(base_url, _active_tokens(connection))
    events: dict[int, list[OfferEventRecord]] = {}
    for row in connection.execute(event_query):
        events.setdefault(row.offer_id, []).append(_event_record(row, urls))
    return [
        _offer_record(row, urls, events.get(row.id, [])) for row in connection.execute(offer_query)
    ]


def _offer_record(row: Any, urls: _PostbackUrls, events: list[OfferEventRecord]) -> OfferRecord:
    revenue, payout = money(row, "revenue"), money(row, "payout")
    return OfferRecord(
        id=row.id,
        name=row.name,
        url=row.url,
        app=row.app,
        currency=row.currency,
        revenue=revenue,
        payout=payout,
        active=row.active,
        postback_url=urls.url(row.id, None, PERCENTAGE in (revenue.type, payout.type)),
        events=events,
        created_at=iso(row.created_at_ms),
        updated_at=iso(row.updated_at_ms),
    )


def _event_record(row: Any, urls: _PostbackUrls) -> OfferEventRecord:
    revenue, payout = money(row, "revenue"), money(row, "payout")
    return OfferEventRecord(
        offer_id=row.offer_id,
        id=row.id,
        name=row.name,
        revenue=revenue,
        payout=payout,
        allow_multiple=row.allow_multiple,
        active=row.active,
        postback_url=urls.url(row.offer_id, row.id, PERCENTAGE in (revenue.type, payout.type)),
        created_at=iso(row.created_at_ms),
        updated_at=iso(row.updated_at_ms),
    )


class _PostbackUrls:
    """The dedicated postback URL of an offer (its conversion) or of one of its events.

    Its token is the event's own, else the offer's, else the network's global token.
    """

    def __init__(self, base_url: str, tokens: list[Any]) -> None:
        self._base = base_url.rstrip("/") + "/" + POSTBACK_PATH
        self._tokens: dict[tuple[int | None, int | None], str] = {}
        for row in reversed(tokens):
            self._tokens[(row.offer_id, row.event_id)] = row.token

    def url(self, offer_id: int, event_id: int | None, percentage: bool) -> str | None:
        token = self._token(offer_id, event_id)
        if token is None:
            return None
        url = f"{self._base}?secure={urllib.parse.quote(token, safe='')}"
        if event_id is not None:
            url += f"&event_id={event_id}"
        url += "&transaction_id={transaction_id}"
        return url + ("&purchase_value={purchase_value}" if percentage else "")

    def _token(self, offer_id: int, event_id: int | None) -> str | None:
        scopes: list[tuple[int | None, int | None]] = [(offer_id, None), (None, None)]
        if event_id is not None:
            scopes.insert(0, (offer_id, event_id))
        return next((self._tokens[s] for s in scopes if s in self._tokens), None)


def _active_tokens(connection: sa.Connection) -> list[Any]:
    query = sa.select(affiliate_tokens).where(affiliate_tokens.c.active.is_(True))
    return list(connection.execute(query.order_by(affiliate_tokens.c.id)))


# --- affiliates and tokens --------------------------------------------------------------------


def list_affiliates(database: Database) -> AffiliateList:
    with database.reader.connect() as connection:
        found = connection.execute(sa.select(affiliates).order_by(affiliates.c.id))
        return AffiliateList(affiliates=[_affiliate_record(row) for row in found])


def get_affiliate(database: Database, affiliate_id: int) -> AffiliateRecord:
    query = sa.select(affiliates).where(affiliates.c.id == affiliate_id)
    return _affiliate_record(_one(database, query, f"affiliate {affiliate_id}"))


def list_tokens(database: Database) -> TokenList:
    with database.reader.connect() as connection:
        found = connection.execute(sa.select(affiliate_tokens).order_by(affiliate_tokens.c.id))
        return TokenList(tokens=[_token_record(row) for row in found])


def get_token(database: Database, token_id: int) -> TokenRecord:
    query = sa.select(affiliate_tokens).where(affiliate_tokens.c.id == token_id)
    return _token_record(_one(database, query, f"token {token_id}"))


def _affiliate_record(row: Any) -> AffiliateRecord:
    return AffiliateRecord(
        id=row.id,
        name=row.name,
        active=row.active,
        created_at=iso(row.created_at_ms),
        updated_at=iso(row.updated_at_ms),
    )


def _token_record(row: Any) -> TokenRecord:
    return TokenRecord(
        id=row.id,
        token=row.token,
        offer_id=row.offer_id,
        event_id=row.event_id,
        active=row.active,
        provisioned=row.provisioned,
        created_at=iso(row.created_at_ms),
        updated_at=iso(row.updated_at_ms),
    )


# --- clicks and conversions -------------------------------------------------------------------


def get_click(database: Database, transaction_id: str) -> ClickRecord:
    query = sa.select(affiliate_clicks).where(affiliate_clicks.c.transaction_id == transaction_id)
    row = _one(database, query, f"click {transaction_id}")
    values = {
        name: getattr(row, name) for name in ClickRecord.__struct_fields__ if name in row._fields
    }
    return ClickRecord(**values, clicked_at=iso(row.clicked_at_ms), stored_event_id=row.event_id)


def find_conversions(database: Database, where: ConversionFilter) -> ConversionPage:
    table = affiliate_conversions
    conditions = [
        table.c[name] == value
        for name, value in (
            ("transaction_id", where.transaction_id),
            ("offer_id", where.offer_id),
            ("aff_id", where.aff_id),
            ("status", where.status),
        )
        if value is not None
    ]
    if where.before_id is not None:
        conditions.append(table.c.id < where.before_id)
    query = sa.select(table).where(*conditions).order_by(table.c.id.desc()).limit(where.limit + 1)
    with database.reader.connect() as connection:
        found = list(connection.execute(query))
    cursor = str(found[where.limit - 1].id) if len(found) > where.limit else None
    return ConversionPage(
        conversions=[_conversion_record(row) for row in found[: where.limit]], next_cursor=cursor
    )


def _conversion_record(row: Any) -> ConversionRecord:
    names = set(ConversionRecord.__struct_fields__) & set(row._fields)
    values = {name: getattr(row, name) for name in names - {"event_id"}}
    return ConversionRecord(
        **values,
        event_id=row.offer_event_id,
        purchase_value=from_micros(row.purchase_value_micros),
        revenue=amount(row.revenue_micros),
        payout=amount(row.payout_micros),
        profit=amount(row.profit_micros),
        received_at=iso(row.received_at_ms),
        stored_event_id=row.event_id,
    )


def amount(micros: int) -> Decimal:
    return Decimal(micros) / MICROS


def _one(database: Database, query: sa.Select[Any], what: str) -> Any:
    with database.reader.connect() as connection:
        found = connection.execute(query).first()
    if found is None:
        raise NotFound(f"{what} does not exist")
    return found
