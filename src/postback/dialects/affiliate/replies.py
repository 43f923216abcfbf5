"""The answers: a 302 (or a plain page) for clicks, JSON with a real HTTP status for postbacks.

Postback body, whatever the status: `{"status": "accepted" | "refused" | "rejected" | "error",
"reason": …, "message": …}` plus `transaction_id`, `offer_id`, `event_id`, `event_name` when
the request named them. `refused` is a 409 (a rule: `duplicate`, `no_conversion`).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from postback.dialects._common import JSON_ENCODER, WireResponse
from postback.dialects.affiliate.facts import (
    CLICK,
    EVENT_ID,
    EVENT_NAME,
    LOCATION,
    OFFER_ID,
    REQUEST,
    TRANSACTION_ID,
    wire_reason,
)
from postback.model import Outcome, Reason

STATUS_BY_REASON = {
    Reason.ACCEPTED: HTTPStatus.OK,
    Reason.DUPLICATE: HTTPStatus.CONFLICT,
    Reason.CONFLICT: HTTPStatus.CONFLICT,
    Reason.INVALID: HTTPStatus.BAD_REQUEST,
    Reason.TOO_LARGE: HTTPStatus.BAD_REQUEST,
    Reason.UNAUTHENTICATED: HTTPStatus.FORBIDDEN,
    Reason.FORBIDDEN: HTTPStatus.FORBIDDEN,
    Reason.UNKNOWN_APP: HTTPStatus.NOT_FOUND,
    Reason.NOT_FOUND: HTTPStatus.NOT_FOUND,
    Reason.METHOD_NOT_ALLOWED: HTTPStatus.METHOD_NOT_ALLOWED,
    Reason.RATE_LIMITED: HTTPStatus.TOO_MANY_REQUESTS,
}
DUPLICATE_CONVERSION = "duplicate: the transaction already has its conversion"
DUPLICATE_EVENT = "duplicate: the event is recorded for this transaction and allows no multiples"


def respond(outcome: Outcome) -> WireResponse:
    if outcome.context.get(REQUEST) == CLICK:
        return _click(outcome)
    return _postback(outcome)


def http_status(reason: Reason) -> HTTPStatus:
    return STATUS_BY_REASON.get(reason, HTTPStatus.INTERNAL_SERVER_ERROR)


def _click(outcome: Outcome) -> WireResponse:
    location = outcome.context.get(LOCATION)
    if outcome.reason is Reason.ACCEPTED and location:
        headers = {"Location": location, "Cache-Control": "no-store"}
        return WireResponse(HTTPStatus.FOUND.value, b"", headers, media_type=None)
    status = http_status(outcome.reason)
    if status is HTTPStatus.OK:
        status = HTTPStatus.INTERNAL_SERVER_ERROR
    headers = {"Allow": "GET"} if status is HTTPStatus.METHOD_NOT_ALLOWED else {}
    page = f"{status.value} {status.phrase}\n".encode()
    return WireResponse(status.value, page, headers, media_type="text/plain; charset=utf-8")


def _postback(outcome: Outcome) -> WireResponse:
    status = http_status(outcome.reason)
    body: dict[str, Any] = {
        "status": _status_word(status),
        "reason": wire_reason(outcome.reason),
        "message": _message(outcome),
    }
    body.update(_named(outcome.context))
    headers = {"Allow": "GET, POST"} if status is HTTPStatus.METHOD_NOT_ALLOWED else {}
    return WireResponse(status.value, JSON_ENCODER.encode(body), headers)


def _status_word(status: HTTPStatus) -> str:
    if status is HTTPStatus.OK:
        return "accepted"
    if status is HTTPStatus.CONFLICT:
        return "refused"
    return "rejected" if status < HTTPStatus.INTERNAL_SERVER_ERROR else "error"


def _message(outcome: Outcome) -> str:
    if outcome.reason is not Reason.DUPLICATE:
        return outcome.message
    return DUPLICATE_EVENT if EVENT_ID in outcome.context else DUPLICATE_CONVERSION


def _named(context: dict[str, str]) -> dict[str, Any]:
    named: dict[str, Any] = {}
    for key in (TRANSACTION_ID, OFFER_ID, EVENT_ID, EVENT_NAME):
        if key in context:
            value = context[key]
            named[key] = int(value) if key in (OFFER_ID, EVENT_ID) else value
    return named
