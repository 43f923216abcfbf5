"""What a click or a postback carries to storage (event properties, request context).

Storage (postback.storage.affiliate) reads these to write the click and conversion rows
and the report totals in the same transaction.
"""

from __future__ import annotations

import re
import secrets
from decimal import Decimal
from typing import Any

import msgspec

from postback.model import Reason

DIALECT = "affiliate"

# Request context keys (model.Submission.context / Rejection.context / Outcome.context).
REQUEST = "request"
CLICK = "click"
POSTBACK = "postback"
LOCATION = "location"
TRANSACTION_ID = "transaction_id"
OFFER_ID = "offer_id"
EVENT_ID = "event_id"
EVENT_NAME = "event_name"

AFF_SUBS = ("aff_sub", "aff_sub2", "aff_sub3", "aff_sub4", "aff_sub5")
ADV_SUBS = (
    "adv_sub_id",
    "adv_sub_id_2",
    "adv_sub_id_3",
    "adv_sub_id_4",
    "adv_sub_id_5",
    "adv_sub_id_6",
)

# The transaction id names its offer, then 128 random bits: `{offer_id}-{32 hex digits}`.
_TRANSACTION_ID = re.compile(r"([1-9][0-9]{0,9})-[0-9a-f]{32}")
RANDOM_BYTES = 16

# The wire name of each reason a postback can be refused or rejected with.
WIRE_REASONS = {Reason.CONFLICT: "no_conversion", Reason.TOO_LARGE: "invalid"}


def wire_reason(reason: Reason) -> str:
    return WIRE_REASONS.get(reason, reason.value)


def new_transaction_id(offer_id: int) -> str:
    return f"{offer_id}-{secrets.token_hex(RANDOM_BYTES)}"


def offer_of_transaction(transaction_id: str) -> int | None:
    """The offer a transaction id was issued for, or None when no click could have issued it."""
    match = _TRANSACTION_ID.fullmatch(transaction_id)
    return int(match.group(1)) if match else None


def click_key(transaction_id: str) -> str:
    return f"click:{transaction_id}"


def conversion_key(transaction_id: str) -> str:
    return f"conversion:{transaction_id}"


def event_key(transaction_id: str, event_id: int) -> str:
    return f"event:{transaction_id}:{event_id}"


class ClickFacts(msgspec.Struct, kw_only=True):
    transaction_id: str
    offer_id: int
    aff_id: int
    aff_sub: str | None = None
    aff_sub2: str | None = None
    aff_sub3: str | None = None
    aff_sub4: str | None = None
    aff_sub5: str | None = None
    source: str | None = None
    ip: str | None = None
    user_agent: str | None = None
    referrer: str | None = None
    destination: str | None = None


class ConversionFacts(msgspec.Struct, kw_only=True):
    """A base conversion (event_id None) or an offer event, with its money."""

    transaction_id: str
    offer_id: int
    event_id: int | None = None
    event_name: str | None = None
    currency: str
    purchase_value: Decimal | None = None
    revenue: Decimal
    payout: Decimal
    profit: Decimal
    adv_sub_id: str | None = None
    adv_sub_id_2: str | None = None
    adv_sub_id_3: str | None = None
    adv_sub_id_4: str | None = None
    adv_sub_id_5: str | None = None
    adv_sub_id_6: str | None = None
    external_transaction_id: str | None = None
    user_email: str | None = None
    device_id: str | None = None


def as_properties(facts: msgspec.Struct) -> dict[str, Any]:
    """The facts as event properties: every field that has a value."""
    return {
        name: value for name, value in msgspec.structs.asdict(facts).items() if value is not None
    }


def click_facts(properties: dict[str, Any]) -> ClickFacts:
    return msgspec.convert(properties, ClickFacts)


def conversion_facts(properties: dict[str, Any]) -> ConversionFacts:
    return msgspec.convert(properties, ConversionFacts)
