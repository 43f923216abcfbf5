"""The Web-S2S payloads as the vendor document defines them."""

from decimal import Decimal
from typing import Any

import msgspec


class EventPayload(msgspec.Struct, rename="camel"):
    web_dev_key: str
    event_type: str
    event_name: str
    customer_user_id: str | None = None
    af_user_id: str | None = None
    timestamp: int | None = None
    event_value: dict[str, Any] | str | None = None
    event_revenue_currency: str | None = None
    event_revenue: Decimal | None = None
    event_category: str | None = None
    event_label: str | None = None
    referrer: str | None = None
    user_agent: str | None = None
    ip: str | None = None


class SetCuidPayload(msgspec.Struct, rename="camel"):
    customer_user_id: str
    af_user_id: str
    web_dev_key: str


def field_names(struct: type[msgspec.Struct]) -> frozenset[str]:
    """The wire names of a payload's fields."""
    return frozenset(field.encode_name for field in msgspec.structs.fields(struct))
