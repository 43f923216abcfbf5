"""The affiliate network as the dialect sees it, read from the database and kept in memory.

Reloaded every `credentials_refresh_seconds`, on a miss (at most once a second), and at
once after an admin change on this node.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

import sqlalchemy as sa

from postback.dialects.affiliate.credentials import Money
from postback.dialects.affiliate.network import AffiliateView, EventView, OfferView, TokenView
from postback.storage.base import Database
from postback.storage.rows import MICROS
from postback.storage.schema import affiliate_tokens, affiliates, offer_events, offers

MISS_REFRESH_INTERVAL_SECONDS = 1.0
T = TypeVar("T")


@dataclass(frozen=True)
class _Snapshot:
    offers: dict[int, OfferView] = field(default_factory=dict)
    affiliates: dict[int, AffiliateView] = field(default_factory=dict)
    tokens: dict[str, TokenView] = field(default_factory=dict)


class AffiliateCache:
    """The NetworkLookup of dialects/affiliate: offers, affiliates, active tokens."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._snapshot = _Snapshot()
        self._loaded_at = 0.0
        self._lock = threading.Lock()

    def offer(self, offer_id: int) -> OfferView | None:
        return self._find(lambda snapshot: snapshot.offers.get(offer_id))

    def affiliate(self, affiliate_id: int) -> AffiliateView | None:
        return self._find(lambda snapshot: snapshot.affiliates.get(affiliate_id))

    def token(self, token: str) -> TokenView | None:
        return self._find(lambda snapshot: snapshot.tokens.get(token))

    def refresh(self) -> None:
        with self._lock:
            self._loaded_at = time.monotonic()
            with self._database.reader.connect() as connection:
                self._snapshot = _load(connection)

    def _find(self, pick: Callable[[_Snapshot], T | None]) -> T | None:
        found = pick(self._snapshot)
        if found is None and time.monotonic() - self._loaded_at > MISS_REFRESH_INTERVAL_SECONDS:
            self.refresh()
            found = pick(self._snapshot)
        return found


def _load(connection: sa.Connection) -> _Snapshot:
    events: dict[int, list[EventView]] = {}
    query = sa.select(offer_events).where(offer_events.c.active.is_(True))
    for row in connection.execute(query):
        events.setdefault(row.offer_id, []).append(_event(row))
    return _Snapshot(
        offers={row.id: _offer(row, events.get(row.id, [])) for row in _all(connection, offers)},
        affiliates={
            row.id: AffiliateView(id=row.id, name=row.name, active=row.active)
            for row in _all(connection, affiliates)
        },
        tokens={
            row.token: TokenView(offer_id=row.offer_id, event_id=row.event_id)
            for row in connection.execute(
                sa.select(affiliate_tokens).where(affiliate_tokens.c.active.is_(True))
            )
        },
    )


def _all(connection: sa.Connection, table: sa.Table) -> list[Any]:
    return list(connection.execute(sa.select(table)))


def money(row: Any, prefix: str) -> Money:
    """The (type, micros) column pair `prefix` of a row."""
    micros = getattr(row, f"{prefix}_micros")
    return Money(getattr(row, f"{prefix}_type"), Decimal(micros) / MICROS)


def _event(row: Any) -> EventView:
    return EventView(
        id=row.id,
        name=row.name,
        revenue=money(row, "revenue"),
        payout=money(row, "payout"),
        allow_multiple=row.allow_multiple,
    )


def _offer(row: Any, events: list[EventView]) -> OfferView:
    return OfferView(
        id=row.id,
        name=row.name,
        url=row.url,
        app=row.app,
        currency=row.currency,
        revenue=money(row, "revenue"),
        payout=money(row, "payout"),
        active=row.active,
        events={event.id: event for event in events},
        events_by_name={event.name: event for event in events},
    )
