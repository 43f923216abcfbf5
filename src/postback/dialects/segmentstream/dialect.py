"""SegmentStream: `POST /track` with HTTP Basic auth; 204 on success, `{"error": …}` otherwise."""

from __future__ import annotations

import re
from decimal import Decimal
from http import HTTPStatus
from typing import Any, ClassVar

from postback.dialects._common import (
    JSON_ENCODER,
    AppCredentials,
    DialectEnv,
    IngestRequest,
    Refusal,
    WireResponse,
    convert_payload,
    secrets_match,
)
from postback.dialects.segmentstream.auth import api_token
from postback.dialects.segmentstream.body import MAX_BODY_BYTES, read_object
from postback.dialects.segmentstream.normalize import event_from_payload
from postback.dialects.segmentstream.wire import TrackPayload
from postback.model import Outcome, Reason, Rejection, Submission

MISSING_FIELD = re.compile(r"Object missing required field `(?P<field>[^`]+)`")
CHALLENGE = {"WWW-Authenticate": 'Basic realm="segmentstream"'}
STATUS_BY_REASON = {
    Reason.INVALID: HTTPStatus.BAD_REQUEST,
    Reason.TOO_LARGE: HTTPStatus.BAD_REQUEST,
    Reason.UNAUTHENTICATED: HTTPStatus.UNAUTHORIZED,
    Reason.METHOD_NOT_ALLOWED: HTTPStatus.METHOD_NOT_ALLOWED,
    Reason.RATE_LIMITED: HTTPStatus.TOO_MANY_REQUESTS,
}


class Segmentstream:
    name: ClassVar[str] = "segmentstream"
    max_body_bytes: ClassVar[int] = MAX_BODY_BYTES

    def handle(self, request: IngestRequest, env: DialectEnv) -> Submission | Rejection:
        app: str | None = None
        try:
            if request.method != "POST":
                raise Refusal(
                    Reason.METHOD_NOT_ALLOWED, f"method {request.method} not allowed: use POST"
                )
            app = _authenticate(request, env).app
            return _track(app, read_object(request), request.received_at_ms)
        except Refusal as refusal:
            return refusal.rejection(app)

    def respond(self, outcome: Outcome) -> WireResponse:
        if outcome.reason.is_success:
            return WireResponse(HTTPStatus.NO_CONTENT.value, media_type=None)
        status = STATUS_BY_REASON.get(outcome.reason, HTTPStatus.INTERNAL_SERVER_ERROR)
        body = JSON_ENCODER.encode({"error": outcome.message})
        return WireResponse(status.value, body, _headers(status))


def _headers(status: HTTPStatus) -> dict[str, str]:
    if status == HTTPStatus.UNAUTHORIZED:
        return CHALLENGE
    if status == HTTPStatus.METHOD_NOT_ALLOWED:
        return {"Allow": "POST"}
    return {}


def _authenticate(request: IngestRequest, env: DialectEnv) -> AppCredentials[Any]:
    token = api_token(request.headers.get("authorization"))
    found = env.credentials.find(Segmentstream.name, token)
    if found is None or not secrets_match(found.credentials.api_token, token):
        raise Refusal(Reason.UNAUTHENTICATED, "Authorization: unknown API token")
    return found


def _track(app: str, data: dict[str, Any], now_ms: int) -> Submission:
    _accept_numeric_voucher_discount(data)
    payload = _typed(data)
    _check_integrations(data.get("integrations"))
    event, links = event_from_payload(app, payload, data, now_ms)
    return Submission(app=app, events=[event], links=links, message="hit recorded")


def _typed(data: dict[str, Any]) -> TrackPayload:
    """The payload typed; a missing required field is named first, like every other error."""
    try:
        return convert_payload(data, TrackPayload)
    except Refusal as refusal:
        missing = MISSING_FIELD.fullmatch(refusal.message)
        if missing is None:
            raise
        raise Refusal(Reason.INVALID, f"{missing['field']}: required") from None


def _accept_numeric_voucher_discount(data: dict[str, Any]) -> None:
    """The document's own example sends `voucherDiscount` (a STRING) as a number: keep its text."""
    event = data.get("event")
    transaction = event.get("transaction") if isinstance(event, dict) else None
    if not isinstance(transaction, dict):
        return
    value = transaction.get("voucherDiscount")
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        transaction["voucherDiscount"] = str(value)


def _check_integrations(integrations: Any) -> None:
    """Each integration is a record of parameters, or a Segment-style on/off switch."""
    if not isinstance(integrations, dict):
        return
    for name, value in integrations.items():
        if not isinstance(value, dict | bool):
            raise Refusal(Reason.INVALID, f"integrations.{name}: must be an object or a boolean")
