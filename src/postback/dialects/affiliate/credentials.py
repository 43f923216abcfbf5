"""The `[affiliate]` configuration: the token, affiliates, offers and their events.

Money values are Decimal (a TOML or JSON number is read through its shortest text, so `10.1`
is exactly 10.1); every check here is shared by the config file, the admin API and the CLI.
"""

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

import msgspec

from postback.dialects._common import is_currency_code

MONEY_TYPES = ("CPA", "CPL", "CPS", "Fixed")
PERCENTAGE = "CPS"
MAX_ID = 2**31 - 1
MAX_VALUE = Decimal(10) ** 12
MICRO = Decimal("0.000001")
MAX_NAME = 200
MAX_URL = 4000
MAX_TOKEN = 200
MIN_TOKEN = 4


class Money(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """CPA, CPL and Fixed: an amount in the offer's currency; CPS: a percent of purchase_value."""

    type: str
    value: Decimal

    def __post_init__(self) -> None:
        if self.type not in MONEY_TYPES:
            raise ValueError(f"type must be one of {', '.join(MONEY_TYPES)}")
        if not self.value.is_finite() or not 0 <= self.value < MAX_VALUE:
            raise ValueError("value must be at least 0 and below 10^12")
        if self.value != self.value.quantize(MICRO):
            raise ValueError("value must have at most 6 decimal places")
        if self.type == PERCENTAGE and self.value > 100:
            raise ValueError("a CPS value is a percentage: at most 100")

    @property
    def is_percentage(self) -> bool:
        return self.type == PERCENTAGE


class OfferEvent(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: int
    name: str
    revenue: Money
    payout: Money
    allow_multiple: bool = False
    secure_token: str | None = None

    def __post_init__(self) -> None:
        check_id("event id", self.id)
        check_name("event name", self.name)
        check_token(self.secure_token)


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

    def __post_init__(self) -> None:
        check_id("offer id", self.id)
        check_name("offer name", self.name)
        check_url(self.url)
        check_currency(self.currency)
        check_app(self.app)
        check_token(self.secure_token)
        check_unique(f"offer {self.id}: event id", (event.id for event in self.events))
        check_unique(f"offer {self.id}: event name", (event.name for event in self.events))


class Affiliate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: int
    name: str
    active: bool = True

    def __post_init__(self) -> None:
        check_id("affiliate id", self.id)
        check_name("affiliate name", self.name)


class AffiliateNetwork(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    secure_token: str | None = None
    affiliates: list[Affiliate] = msgspec.field(default_factory=list)
    offers: list[Offer] = msgspec.field(default_factory=list)

    def __post_init__(self) -> None:
        check_token(self.secure_token)
        check_unique("affiliate id", (affiliate.id for affiliate in self.affiliates))
        check_unique("offer id", (offer.id for offer in self.offers))
        check_unique("secure_token", self.tokens())

    def tokens(self) -> list[str]:
        """Every token the file names: the global one, the offers' and the events'."""
        found = [self.secure_token]
        for offer in self.offers:
            found += [offer.secure_token, *(event.secure_token for event in offer.events)]
        return [token for token in found if token is not None]


def check_id(what: str, value: int) -> None:
    if not 1 <= value <= MAX_ID:
        raise ValueError(f"{what} must be from 1 to {MAX_ID}")


def check_name(what: str, value: str) -> None:
    if not value or len(value) > MAX_NAME or has_control_characters(value):
        raise ValueError(f"{what} must be 1 to {MAX_NAME} characters, none of them control")


def check_url(value: str) -> None:
    if not value.startswith(("http://", "https://")) or len(value) > MAX_URL:
        raise ValueError(f"url must be an http:// or https:// URL of at most {MAX_URL} characters")
    if has_control_characters(value) or " " in value:
        raise ValueError("url must not contain spaces or control characters")


def check_currency(value: str) -> None:
    if not is_currency_code(value):
        raise ValueError("currency must be an ISO 4217 code such as USD")


def check_app(value: str | None) -> None:
    if value is not None:
        check_name("app", value)


def check_token(value: str | None) -> None:
    if value is None:
        return
    if not MIN_TOKEN <= len(value) <= MAX_TOKEN or not value.isascii() or not value.isprintable():
        raise ValueError(
            f"secure_token must be {MIN_TOKEN} to {MAX_TOKEN} printable ASCII characters"
        )
    if value != value.strip():
        raise ValueError("secure_token must not start or end with spaces")


def check_unique(what: str, values: Iterable[object]) -> None:
    repeated = sorted(str(value) for value, n in Counter(values).items() if n > 1)
    if repeated:
        raise ValueError(f"{what} used more than once: {', '.join(repeated)}")


def has_control_characters(value: str) -> bool:
    return any(ord(character) < 32 or ord(character) == 127 for character in value)
