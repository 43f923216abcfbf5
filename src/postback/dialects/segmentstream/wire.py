"""The /track payload as the vendor document's data schema defines it, every field typed."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import msgspec

COLUMN_LIMIT = 500
Text = Annotated[str, msgspec.Meta(max_length=COLUMN_LIMIT)]
Count = Annotated[int, msgspec.Meta(ge=0)]


class Product(msgspec.Struct, rename="camel", omit_defaults=True):
    id: str | None = None
    name: str | None = None
    currency: str | None = None
    unit_sale_price: Decimal | None = None
    unit_price: Decimal | None = None
    category: str | None = None
    category_id: str | None = None
    manufacturer: str | None = None
    sku_code: str | None = None
    stock: int | None = None


class LineItem(msgspec.Struct, rename="camel", omit_defaults=True):
    product: Product | None = None
    quantity: int | None = None
    subtotal: Decimal | None = None


class Transaction(msgspec.Struct, rename="camel", omit_defaults=True):
    total: Decimal | None = None
    subtotal: Decimal | None = None
    status: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    currency: str | None = None
    voucher: str | None = None
    voucher_discount: str | None = None
    shipping_cost: Decimal | None = None
    payment_method: str | None = None
    order_id: Text | None = None
    line_items: list[LineItem] | None = None


class User(msgspec.Struct, rename="camel", omit_defaults=True):
    email_hash: Text | None = None
    user_id: Text | None = None
    anonymous_id: Text | None = None


class Website(msgspec.Struct, rename="camel", omit_defaults=True):
    region: str | None = None
    region_id: str | None = None
    environment: str | None = None
    currency: str | None = None


class EventInfo(msgspec.Struct, rename="camel", omit_defaults=True):
    category: str | None = None
    name: Text | None = None
    source: str | None = None
    label: str | None = None
    value: Count | None = None
    user: User | None = None
    transaction: Transaction | None = None
    non_interaction: bool | None = None
    website: Website | None = None


class Context(msgspec.Struct, rename="camel", omit_defaults=True):
    ip: str | None = None


class GoogleAnalytics(msgspec.Struct, rename="camel", omit_defaults=True):
    client_id: str | None = None


class Integrations(msgspec.Struct, omit_defaults=True):
    """Named integrations; each is a record of parameters (or a Segment-style on/off switch)."""

    google_analytics: GoogleAnalytics | bool | None = msgspec.field(
        default=None, name="Google Analytics"
    )


class TrackPayload(msgspec.Struct, rename="camel", omit_defaults=True):
    hit_id: str
    sent_at: str
    event: EventInfo | None = None
    context: Context | None = None
    integrations: Integrations | None = None


def typed_fields(payload: msgspec.Struct) -> dict[str, Any]:
    """The payload's fields as JSON values, under their wire names; absent fields left out."""
    value = msgspec.to_builtins(payload, builtin_types=(Decimal,))
    assert isinstance(value, dict)
    return value
