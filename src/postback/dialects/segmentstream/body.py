"""The request body: size, content type, one JSON object, bounded nesting and numbers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from postback.dialects._common import (
    IngestRequest,
    Refusal,
    body_too_large,
    decode_json_object,
    is_json_content_type,
)
from postback.model import Reason

MAX_BODY_BYTES = 64 * 1024
MAX_DEPTH = 32
LARGEST_EXPONENT = 307  # numbers from 1e308 on do not survive as JSON doubles


def read_object(request: IngestRequest) -> dict[str, Any]:
    """The body as one JSON object; refuses naming what is wrong."""
    if body_too_large(request, MAX_BODY_BYTES):
        raise Refusal(Reason.TOO_LARGE, "body: larger than the 64 KB (65536 bytes) limit")
    if not is_json_content_type(request.headers.get("content-type")):
        raise Refusal(Reason.INVALID, "Content-Type: must be application/json")
    try:
        data = decode_json_object(request.body)
    except ValueError as error:
        raise Refusal(Reason.INVALID, f"body: {error}") from None
    except RecursionError:
        raise Refusal(Reason.INVALID, f"body: nested deeper than {MAX_DEPTH} levels") from None
    check_values(data)
    return data


def check_values(data: dict[str, Any]) -> None:
    """Refuse nesting deeper than MAX_DEPTH and numbers a JSON reader could not read back."""
    stack: list[tuple[str, int, Any]] = [("", 0, data)]
    while stack:
        path, depth, value = stack.pop()
        if depth > MAX_DEPTH:
            raise Refusal(Reason.INVALID, f"body: nested deeper than {MAX_DEPTH} levels")
        if isinstance(value, dict):
            stack += [(_member(path, name), depth + 1, v) for name, v in value.items()]
        elif isinstance(value, list):
            stack += [(f"{path}[{index}]", depth + 1, v) for index, v in enumerate(value)]
        elif isinstance(value, Decimal) and value and value.adjusted() > LARGEST_EXPONENT:
            raise Refusal(Reason.INVALID, f"{path}: number out of range")


def _member(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
