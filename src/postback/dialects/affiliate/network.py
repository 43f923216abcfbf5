"""The dialect's view of the network as stored: what it looks up by id or token."""

from __future__ import annotations

from typing import Protocol

import msgspec

from postback.dialects.affiliate.credentials import Money


class EventView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    name: str
    revenue: Money
    payout: Money
    allow_multiple: bool


class OfferView(msgspec.Struct, frozen=True, kw_only=True):
    """An offer and its active events (by id and by name)."""

    id: int
    name: str
    url: str
    app: str | None
    currency: str
    revenue: Money
    payout: Money
    active: bool
    events: dict[int, EventView]
    events_by_name: dict[str, EventView]


class AffiliateView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    name: str
    active: bool


class TokenView(msgspec.Struct, frozen=True, kw_only=True):
    """An active postback token: global (no offer), an offer's, or one offer event's."""

    offer_id: int | None = None
    event_id: int | None = None

    def allows(self, offer_id: int, event_id: int | None) -> bool:
        if self.offer_id is None:
            return True
        if self.offer_id != offer_id:
            return False
        return self.event_id is None or self.event_id == event_id


class NetworkLookup(Protocol):
    """What storage provides (postback.storage.affiliate_cache); inactive tokens are unknown."""

    def offer(self, offer_id: int) -> OfferView | None: ...

    def affiliate(self, affiliate_id: int) -> AffiliateView | None: ...

    def token(self, token: str) -> TokenView | None: ...


class EmptyNetwork:
    """No network configured: no offers, no affiliates, no tokens."""

    def offer(self, offer_id: int) -> OfferView | None:
        return None

    def affiliate(self, affiliate_id: int) -> AffiliateView | None:
        return None

    def token(self, token: str) -> TokenView | None:
        return None
