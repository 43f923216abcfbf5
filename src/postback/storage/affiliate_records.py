"""What the affiliate admin API reads and writes: offers, events, affiliates, tokens, reports."""

from __future__ import annotations

from decimal import Decimal

import msgspec
from msgspec import UNSET, UnsetType

from postback.dialects.affiliate.credentials import (
    Money,
    check_app,
    check_currency,
    check_id,
    check_name,
    check_token,
    check_url,
)

# --- what the API and the CLI send -----------------------------------------------------------


class OfferInput(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A new offer; without `id` it gets the next free one."""

    id: int | None = None
    name: str
    url: str
    revenue: Money
    payout: Money
    app: str | None = None
    currency: str = "USD"
    active: bool = True

    def __post_init__(self) -> None:
        if self.id is not None:
            check_id("id", self.id)
        check_name("name", self.name)
        check_url(self.url)
        check_app(self.app)
        check_currency(self.currency)


class OfferUpdate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The fields to change; `app` and `currency` only while the offer has no clicks."""

    name: str | UnsetType = UNSET
    url: str | UnsetType = UNSET
    revenue: Money | UnsetType = UNSET
    payout: Money | UnsetType = UNSET
    app: str | UnsetType | None = UNSET
    currency: str | UnsetType = UNSET
    active: bool | UnsetType = UNSET

    def __post_init__(self) -> None:
        if not isinstance(self.name, UnsetType):
            check_name("name", self.name)
        if not isinstance(self.url, UnsetType):
            check_url(self.url)
        if not isinstance(self.app, UnsetType):
            check_app(self.app)
        if not isinstance(self.currency, UnsetType):
            check_currency(self.currency)


class EventInput(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A new event of an offer; without `id` it gets the offer's next free one."""

    id: int | None = None
    name: str
    revenue: Money
    payout: Money
    allow_multiple: bool = False
    active: bool = True

    def __post_init__(self) -> None:
        if self.id is not None:
            check_id("id", self.id)
        check_name("name", self.name)


class EventUpdate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: str | UnsetType = UNSET
    revenue: Money | UnsetType = UNSET
    payout: Money | UnsetType = UNSET
    allow_multiple: bool | UnsetType = UNSET
    active: bool | UnsetType = UNSET

    def __post_init__(self) -> None:
        if not isinstance(self.name, UnsetType):
            check_name("name", self.name)


class AffiliateInput(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: int | None = None
    name: str
    active: bool = True

    def __post_init__(self) -> None:
        if self.id is not None:
            check_id("id", self.id)
        check_name("name", self.name)


class AffiliateUpdate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: str | UnsetType = UNSET
    active: bool | UnsetType = UNSET

    def __post_init__(self) -> None:
        if not isinstance(self.name, UnsetType):
            check_name("name", self.name)


class TokenInput(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A postback token: global, or an offer's (`offer_id`), or one offer event's (both).

    Without `token`, a random one is made.
    """

    token: str | None = None
    offer_id: int | None = None
    event_id: int | None = None

    def __post_init__(self) -> None:
        check_token(self.token)
        if self.event_id is not None and self.offer_id is None:
            raise ValueError("event_id needs the offer_id of its offer")


class TokenUpdate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    active: bool | UnsetType = UNSET


# --- what the API serves ----------------------------------------------------------------------


class OfferEventRecord(msgspec.Struct, kw_only=True):
    offer_id: int
    id: int
    name: str
    revenue: Money
    payout: Money
    allow_multiple: bool
    active: bool
    postback_url: str | None
    created_at: str
    updated_at: str


class OfferRecord(msgspec.Struct, kw_only=True):
    id: int
    name: str
    url: str
    app: str | None
    currency: str
    revenue: Money
    payout: Money
    active: bool
    postback_url: str | None
    events: list[OfferEventRecord]
    created_at: str
    updated_at: str


class AffiliateRecord(msgspec.Struct, kw_only=True):
    id: int
    name: str
    active: bool
    created_at: str
    updated_at: str


class TokenRecord(msgspec.Struct, kw_only=True):
    id: int
    token: str
    offer_id: int | None
    event_id: int | None
    active: bool
    provisioned: bool
    created_at: str
    updated_at: str


class OfferList(msgspec.Struct, kw_only=True):
    offers: list[OfferRecord]


class OfferEventList(msgspec.Struct, kw_only=True):
    events: list[OfferEventRecord]


class AffiliateList(msgspec.Struct, kw_only=True):
    affiliates: list[AffiliateRecord]


class TokenList(msgspec.Struct, kw_only=True):
    tokens: list[TokenRecord]


class ClickRecord(msgspec.Struct, kw_only=True):
    transaction_id: str
    offer_id: int
    aff_id: int
    aff_sub: str | None
    aff_sub2: str | None
    aff_sub3: str | None
    aff_sub4: str | None
    aff_sub5: str | None
    source: str | None
    ip: str | None
    user_agent: str | None
    referrer: str | None
    destination: str | None
    clicked_at: str
    stored_event_id: int
    outcome_id: int


class ConversionRecord(msgspec.Struct, kw_only=True):
    """A postback on a click: approved, or rejected with the reason; money in `currency`."""

    id: int
    transaction_id: str
    offer_id: int
    aff_id: int
    event_id: int | None
    event_name: str | None
    status: str
    reason: str | None
    currency: str
    purchase_value: Decimal | None
    revenue: Decimal
    payout: Decimal
    profit: Decimal
    adv_sub_id: str | None
    adv_sub_id_2: str | None
    adv_sub_id_3: str | None
    adv_sub_id_4: str | None
    adv_sub_id_5: str | None
    adv_sub_id_6: str | None
    external_transaction_id: str | None
    user_email: str | None
    device_id: str | None
    received_at: str
    stored_event_id: int | None
    outcome_id: int


class ConversionPage(msgspec.Struct, kw_only=True):
    conversions: list[ConversionRecord]
    next_cursor: str | None


class ReportRow(msgspec.Struct, kw_only=True):
    """One day x offer x affiliate x event (event null: clicks and base conversions).

    `conversion_rate` is a percentage of the row's day, offer and affiliate clicks.
    """

    day: str
    offer_id: int | None
    offer_name: str | None
    aff_id: int | None
    affiliate_name: str | None
    event_id: int | None
    event_name: str | None
    currency: str | None
    clicks: int
    conversions: int
    events: int
    refusals: dict[str, int]
    conversion_rate: Decimal | None
    revenue: Decimal
    payout: Decimal
    profit: Decimal


class AffiliateReport(msgspec.Struct, kw_only=True):
    rows: list[ReportRow]
