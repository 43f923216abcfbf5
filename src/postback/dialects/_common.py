"""What every dialect shares: the request it reads, the interfaces it needs, small helpers."""

from __future__ import annotations

import functools
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar, Generic, Protocol, TypeVar

import msgspec

from postback.model import Outcome, Reason, Rejection, Submission

CredentialsT = TypeVar("CredentialsT", bound="DialectCredentials")
PayloadT = TypeVar("PayloadT", bound=msgspec.Struct)


class DialectCredentials(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """One app's credentials for one dialect; `lookup_key` finds the app from a request."""

    def lookup_key(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class AppCredentials(Generic[CredentialsT]):
    app: str
    credentials: CredentialsT


class CredentialLookup(Protocol):
    def find(self, dialect: str, lookup_key: str) -> AppCredentials[Any] | None: ...


class Clock(Protocol):
    def now_ms(self) -> int: ...


class AffiliateLookup(Protocol):
    """The affiliate network as stored: offers, affiliates and active postback tokens.

    The values are the affiliate dialect's own views (dialects/affiliate/network.py);
    storage/affiliate_cache.py implements it.
    """

    def offer(self, offer_id: int) -> Any: ...

    def affiliate(self, affiliate_id: int) -> Any: ...

    def token(self, token: str) -> Any: ...


@dataclass(frozen=True, slots=True)
class IngestRequest:
    """A request as the HTTP edge read it: nothing parsed beyond the routing."""

    method: str
    path: str
    path_params: Mapping[str, str]
    query: Mapping[str, str]
    headers: Mapping[str, str]
    body: bytes
    body_complete: bool
    client_ip: str | None
    received_at_ms: int


@dataclass(frozen=True, slots=True)
class WireResponse:
    status: int
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    media_type: str | None = "application/json"


@dataclass(frozen=True, slots=True)
class DialectEnv:
    """What a dialect receives from outside: credentials by key and the clock."""

    credentials: CredentialLookup
    clock: Clock
    affiliate: AffiliateLookup | None = None


class Dialect(Protocol):
    name: ClassVar[str]
    max_body_bytes: ClassVar[int]

    def handle(self, request: IngestRequest, env: DialectEnv) -> Submission | Rejection: ...

    def respond(self, outcome: Outcome) -> WireResponse: ...


def body_too_large(request: IngestRequest, max_bytes: int) -> bool:
    return not request.body_complete or len(request.body) > max_bytes


def secrets_match(expected: str, given: str) -> bool:
    """Compare two secrets in constant time."""
    return hmac.compare_digest(expected.encode(), given.encode())


def is_json_content_type(content_type: str | None) -> bool:
    """`application/json`, with any parameters such as charset."""
    if not content_type:
        return False
    return content_type.split(";", 1)[0].strip().lower() == "application/json"


_PATH_IN_MESSAGE = re.compile(r" - at `\$(?P<path>[^`]*)`$")


def describe_validation_error(error: msgspec.ValidationError | msgspec.DecodeError) -> str:
    """Turn msgspec's message into one that names the field first: `field: what is wrong`."""
    text = str(error)
    match = _PATH_IN_MESSAGE.search(text)
    if not match:
        return text
    problem = text[: match.start()]
    path = match.group("path").lstrip(".")
    return f"{path}: {problem}" if path else problem


def non_empty(value: str | None) -> str | None:
    """The value with surrounding whitespace removed, or None when nothing is left."""
    if value is None:
        return None
    value = value.strip()
    return value or None


JSON_DECODER = msgspec.json.Decoder(float_hook=Decimal)
JSON_ENCODER = msgspec.json.Encoder(decimal_format="number")
MAX_AMOUNT = Decimal(10) ** 12


def decode_json_object(body: bytes) -> dict[str, Any]:
    """Parse a body that must be one JSON object; raise ValueError with a message otherwise."""
    try:
        value = JSON_DECODER.decode(body)
    except msgspec.DecodeError as error:
        raise ValueError(f"invalid JSON: {error}") from None
    except UnicodeDecodeError:
        raise ValueError("invalid JSON: the body is not valid UTF-8") from None
    except RecursionError:
        raise ValueError("invalid JSON: nested too deeply") from None
    if not isinstance(value, dict):
        raise ValueError("the body must be a JSON object")
    return value


def check_amount(field_name: str, value: Decimal) -> Decimal:
    """A finite money amount that storage can hold exactly (micro-units below 10^12)."""
    if not value.is_finite() or value.copy_abs() >= MAX_AMOUNT:
        raise ValueError(f"{field_name}: must be a finite number below 10^12 in magnitude")
    return value


def is_currency_code(code: str) -> bool:
    """A current ISO 4217 alphabetic code such as `USD`."""
    return code in _currency_codes()


@functools.cache
def _currency_codes() -> frozenset[str]:
    import pycountry

    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


class Refusal(Exception):
    """Raised inside a dialect to refuse a request; `handle` turns it into a Rejection."""

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message

    def rejection(self, app: str | None) -> Rejection:
        return Rejection(reason=self.reason, message=self.message, app=app)


def convert_payload(data: dict[str, Any], struct: type[PayloadT]) -> PayloadT:
    """Type a decoded JSON object; numeric strings become numbers. Refuses naming the field."""
    try:
        return msgspec.convert(data, struct, strict=False)
    except msgspec.ValidationError as error:
        raise Refusal(Reason.INVALID, describe_validation_error(error)) from None
