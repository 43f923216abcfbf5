"""Reading the admin API's query parameters; a bad one raises BadQuery naming it (a 400)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from starlette.datastructures import QueryParams

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
T = TypeVar("T")


class BadQuery(ValueError):
    """A query parameter is not valid; the message names it."""


def text(params: QueryParams, name: str) -> str | None:
    """The parameter, or None when absent or empty."""
    value = params.get(name)
    if value is None or value == "":
        return None
    if "\x00" in value:
        raise BadQuery(f"{name}: must not contain NUL characters")
    return value


def whole(
    params: QueryParams, name: str, lowest: int, highest: int, noun: str = "an integer"
) -> int | None:
    """A whole number within [lowest, highest], or None when absent or empty."""
    value = params.get(name)
    if value is None or value == "":
        return None
    if not _is_number(value) or not lowest <= int(value) <= highest:
        raise BadQuery(f"{name}: expected {noun} from {lowest} to {highest}")
    return int(value)


def page_size(params: QueryParams) -> int:
    """The page size: 1 to MAX_LIMIT, DEFAULT_LIMIT when absent."""
    return whole(params, "limit", 1, MAX_LIMIT) or DEFAULT_LIMIT


def cursor(params: QueryParams, decode: Callable[[str], T]) -> T | None:
    """The `next_cursor` of the previous page, decoded; `decode` raises ValueError on a bad one."""
    value = params.get("cursor")
    if value is None or value == "":
        return None
    try:
        return decode(value)
    except ValueError:
        raise BadQuery("cursor: use the next_cursor of the previous page") from None


def cursor_id(params: QueryParams) -> int | None:
    """The id a page continues below."""
    return cursor(params, _number)


def time_ms(params: QueryParams, name: str) -> int | None:
    """ISO 8601 (a date, or a date and time; UTC unless it says otherwise) or Unix milliseconds."""
    value = params.get(name)
    if value is None or value == "":
        return None
    if _is_number(value):
        return int(value)
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadQuery(f"{name}: expected ISO 8601 or Unix milliseconds") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return (moment - EPOCH) // dt.timedelta(milliseconds=1)


def _number(value: str) -> int:
    if not _is_number(value):
        raise ValueError("not a number")
    return int(value)


def _is_number(value: str) -> bool:
    """Plain ASCII digits (`str.isdigit` also accepts characters such as "²")."""
    return value.isascii() and value.isdigit()
