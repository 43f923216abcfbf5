"""The document's field formats: uuid, country, time, number; each check names its field."""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal

from postback.dialects._common import Refusal, check_amount
from postback.model import Reason

MAX_TEXT = 500
HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
TIME_FORMAT = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})")
UNIX_SECONDS = re.compile(r"[0-9]{1,12}")
LATEST_SECONDS = 253_402_300_799  # 9999-12-31 23:59:59 UTC
TIME_HELP = "expected YYYY-MM-DD HH:MM:SS (UTC) or Unix seconds"


def invalid(field: str, problem: str) -> Refusal:
    return Refusal(Reason.INVALID, f"{field}: {problem}")


def text(field: str, value: str | None) -> str | None:
    """The value trimmed, or None when blank; refused when too long or holding control bytes."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise invalid(field, f"at most {MAX_TEXT} characters")
    if any(ord(character) < 0x20 or ord(character) == 0x7F for character in value):
        raise invalid(field, "must not contain control characters")
    return value


def uuid(field: str, value: str | None) -> str | None:
    """32 hexadecimal digits, hyphens anywhere; canonical lowercase 8-4-4-4-12."""
    value = text(field, value)
    if value is None:
        return None
    digits = value.replace("-", "")
    if len(digits) != 32 or not HEX_DIGITS.issuperset(digits):
        raise invalid(field, "must be a UUID: 32 hexadecimal digits, hyphens optional")
    digits = digits.lower()
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def country(field: str, value: str | None) -> str | None:
    value = text(field, value)
    if value is None:
        return None
    if value.upper() not in _country_codes():
        raise invalid(field, "must be an ISO 3166-1 alpha-2 country code")
    return value.upper()


@functools.cache
def _country_codes() -> frozenset[str]:
    import pycountry

    return frozenset(entry.alpha_2 for entry in pycountry.countries)


def cost(field: str, value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    try:
        value = check_amount(field, value)
    except ValueError as error:
        raise Refusal(Reason.INVALID, str(error)) from None
    if value < 0:
        raise invalid(field, "must be a number >= 0 (USD)")
    return value


def time_ms(field: str, value: object) -> int | None:
    """`YYYY-MM-DD HH:MM:SS` in UTC, or Unix seconds (an integer or a string of digits)."""
    if isinstance(value, str):
        value = value.strip() or None
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise invalid(field, TIME_HELP)
    if isinstance(value, int) or UNIX_SECONDS.fullmatch(value):
        seconds = int(value)
        if not 0 <= seconds <= LATEST_SECONDS:
            raise invalid(field, f"{TIME_HELP}; {seconds} is out of range")
        return seconds * 1000
    return _calendar_ms(field, value)


def _calendar_ms(field: str, value: str) -> int:
    match = TIME_FORMAT.fullmatch(value)
    if match is None:
        raise invalid(field, TIME_HELP)
    try:
        year, month, day, hour, minute, second = (int(part) for part in match.groups())
        moment = dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
    except ValueError:
        raise invalid(field, f"{TIME_HELP}; {value!r} is not a real time") from None
    if moment.year < 1970:
        raise invalid(field, f"{TIME_HELP}; {value!r} is before 1970")
    return int(moment.timestamp()) * 1000


def iso(time_ms: int) -> str:
    moment = dt.datetime.fromtimestamp(time_ms / 1000, tz=dt.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
