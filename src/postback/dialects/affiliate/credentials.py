"""The `[affiliate]` configuration: the token, affiliates, offers and their events."""

import msgspec

MONEY_TYPES = ("CPA", "CPL", "CPS", "Fixed")


class Money(msgspec.Struct, forbid_unknown_fields=True):
    type: str
    value: float

    def __post_init__(self) -> None:
        if self.type not in MONEY_TYPES:
            raise ValueError(f"type must be one of {', '.join(MONEY_TYPES)}")
        if self.value < 0:
            raise ValueError("value must be at least 0")


class OfferEvent(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: int
    name: str
    revenue: Money
    payout: Money
    allow_multiple: bool = False
    secure_token: str | None = None


class Offer(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: int
    name: str
    url: str
    revenue: Money
    payout: Money
    app: str | None = None
    currency: str = "USD"
    secure_token: str | None = None
    active: bool = True
    events: list[OfferEvent] = msgspec.field(default_factory=list)


class Affiliate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: int
    name: str
    active: bool = True


class AffiliateNetwork(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    secure_token: str | None = None
    affiliates: list[Affiliate] = msgspec.field(default_factory=list)
    offers: list[Offer] = msgspec.field(default_factory=list)
