"""Reading the query string (and a POST form body) strictly: bounded text, numbers, money."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from postback.dialects._common import IngestRequest, Refusal, body_too_large
from postback.dialects.affiliate.credentials import MAX_ID, MAX_VALUE, has_control_characters
from postback.model import Reason

MAX_TEXT = 500
MAX_FIELDS = 100
MAX_BODY_BYTES = 16 * 1024
FORM = "application/x-www-form-urlencoded"
_INTEGER = re.compile(r"[0-9]{1,10}")
_NUMBER = re.compile(r"([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,6})?")


class Params:
    """The request's parameters by name; a form body's values win over the query string's."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = values

    @classmethod
    def of(cls, request: IngestRequest) -> Params:
        values = dict(request.query)
        if request.method == "POST":
            values.update(_form(request))
        return cls(values)

    def has(self, name: str) -> bool:
        return name in self._values

    def text(self, name: str) -> str | None:
        """The value without surrounding whitespace; None when absent or empty."""
        value = self._values.get(name)
        if value is None:
            return None
        return _checked(name, value.strip()) or None

    def exact(self, name: str) -> str | None:
        """The value as sent; refused when too long or holding control characters."""
        value = self._values.get(name)
        return _checked(name, value) if value is not None else None

    def identifier(self, name: str) -> int | None:
        """A numeric id (1 to 2^31-1); None when absent, empty, or not such a number."""
        value = self.text(name)
        if value is None or not _INTEGER.fullmatch(value):
            return None
        number = int(value)
        return number if 1 <= number <= MAX_ID else None

    def amount(self, name: str) -> Decimal | None:
        """A non-negative decimal number below 10^12 (`12.50`, `1e2`); None when absent."""
        value = self.text(name)
        if value is None:
            return None
        if not _NUMBER.fullmatch(value):
            raise Refusal(Reason.INVALID, f"{name}: must be a number such as 12.50")
        try:
            amount = Decimal(value)
        except InvalidOperation:
            raise Refusal(Reason.INVALID, f"{name}: must be a number such as 12.50") from None
        if amount >= MAX_VALUE:
            raise Refusal(Reason.INVALID, f"{name}: must be below 10^12")
        return amount


def _checked(name: str, value: str) -> str:
    if len(value) > MAX_TEXT:
        raise Refusal(Reason.INVALID, f"{name}: longer than {MAX_TEXT} characters")
    if has_control_characters(value):
        raise Refusal(Reason.INVALID, f"{name}: must not contain control characters")
    return value


def _form(request: IngestRequest) -> dict[str, str]:
    if body_too_large(request, MAX_BODY_BYTES):
        raise Refusal(Reason.TOO_LARGE, f"the body exceeds {MAX_BODY_BYTES} bytes")
    if not request.body.strip():
        return {}
    content_type = request.headers.get("content-type", "")
    if content_type.split(";", 1)[0].strip().lower() != FORM:
        raise Refusal(Reason.INVALID, f"a POST body must be {FORM}")
    try:
        text = request.body.decode("utf-8")
        pairs = urllib.parse.parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except (UnicodeDecodeError, ValueError):
        raise Refusal(Reason.INVALID, "the form body is not valid") from None
    return dict(pairs)
