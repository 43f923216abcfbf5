"""Chartboost PIA: `POST /event_service/v3/track`, signed bodies, HTTP 200 with the real status.

The checks run in this order, and the first that fails answers:
method (405) → size (413) → token present (401) → Content-Type (400) → JSON object with an
`app_id` (400) → known `app_id` (404) → token is the app's account token (401) → signature
over the raw body (403) → every field (400). Rate limits (429) and the sequential rule
(discarded) are decided by the database when the request is written.
"""

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
    body_too_large,
    convert_payload,
    decode_json_object,
    is_json_content_type,
    secrets_match,
)
from postback.dialects.chartboost.credentials import ChartboostCredentials
from postback.dialects.chartboost.normalize import device_links, event_from_payload
from postback.dialects.chartboost.signature import signature_matches
from postback.dialects.chartboost.wire import (
    BIGINT_MAX,
    INTEGER_FIELDS,
    AppRouting,
    TrackPayload,
)
from postback.model import Outcome, Reason, Rejection, Submission

MAX_BODY_BYTES = 64 * 1024
TOKEN_HEADER = "x-chartboost-token"  # noqa: S105 - a header name, not a secret
SIGNATURE_HEADER = "x-chartboost-signature"
STATUS_BY_REASON = {
    Reason.INVALID: HTTPStatus.BAD_REQUEST,
    Reason.UNAUTHENTICATED: HTTPStatus.UNAUTHORIZED,
    Reason.FORBIDDEN: HTTPStatus.FORBIDDEN,
    Reason.UNKNOWN_APP: HTTPStatus.NOT_FOUND,
    Reason.METHOD_NOT_ALLOWED: HTTPStatus.METHOD_NOT_ALLOWED,
    Reason.TOO_LARGE: HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
    Reason.RATE_LIMITED: HTTPStatus.TOO_MANY_REQUESTS,
}

Found = AppCredentials[ChartboostCredentials]


class Chartboost:
    name: ClassVar[str] = "chartboost"
    max_body_bytes: ClassVar[int] = MAX_BODY_BYTES

    def handle(self, request: IngestRequest, env: DialectEnv) -> Submission | Rejection:
        app: str | None = None
        try:
            token = _check_envelope(request)
            data = _read_object(request)
            found = _find_app(data, env)
            app = found.app
            _authenticate(request, token, found.credentials)
            submission = _submission(app, data, request.received_at_ms)
        except Refusal as refusal:
            return refusal.rejection(app)
        submission.rate_limit_per_minute = found.credentials.rate_limit_per_minute
        return submission

    def respond(self, outcome: Outcome) -> WireResponse:
        """Always HTTP 200; the JSON `status` carries the verdict (vendor behaviour)."""
        if outcome.reason.is_success:
            status = HTTPStatus.OK
        else:
            status = STATUS_BY_REASON.get(outcome.reason, HTTPStatus.INTERNAL_SERVER_ERROR)
        body = {"status": status.value, "message": outcome.message}
        return WireResponse(HTTPStatus.OK.value, JSON_ENCODER.encode(body))


def _check_envelope(request: IngestRequest) -> str:
    """What can be judged without reading the body; returns the token."""
    if request.method != "POST":
        raise Refusal(Reason.METHOD_NOT_ALLOWED, f"method {request.method} not allowed: use POST")
    if body_too_large(request, MAX_BODY_BYTES):
        raise Refusal(Reason.TOO_LARGE, f"body too large: the limit is {MAX_BODY_BYTES} bytes")
    token = request.headers.get(TOKEN_HEADER, "").strip()
    if not token:
        raise Refusal(Reason.UNAUTHENTICATED, "missing X-Chartboost-Token header")
    if not is_json_content_type(request.headers.get("content-type")):
        raise Refusal(Reason.INVALID, "Content-Type must be application/json")
    return token


def _read_object(request: IngestRequest) -> dict[str, Any]:
    try:
        return decode_json_object(request.body)
    except ValueError as error:
        raise Refusal(Reason.INVALID, str(error)) from None


def _find_app(data: dict[str, Any], env: DialectEnv) -> Found:
    """The app the body names; nothing else in the body is read before the signature."""
    routing = convert_payload(data, AppRouting)
    found: Found | None = env.credentials.find(Chartboost.name, routing.app_id)
    if found is None:
        raise Refusal(Reason.UNKNOWN_APP, "unknown app_id")
    return found


def _authenticate(request: IngestRequest, token: str, credentials: ChartboostCredentials) -> None:
    if not secrets_match(credentials.api_token, token):
        raise Refusal(Reason.UNAUTHENTICATED, "unknown X-Chartboost-Token")
    signature = request.headers.get(SIGNATURE_HEADER, "").strip()
    if not signature:
        raise Refusal(Reason.FORBIDDEN, "missing X-Chartboost-Signature header")
    secret, app_signature = credentials.api_secret, credentials.app_signature
    if not signature_matches(secret, app_signature, request.body, signature):
        raise Refusal(Reason.FORBIDDEN, "X-Chartboost-Signature does not match the body")


def _submission(app: str, data: dict[str, Any], now_ms: int) -> Submission:
    level = data.get("event")
    if isinstance(level, dict):
        data["event"] = _whole_numbers_as_integers(level)
    event = event_from_payload(app, convert_payload(data, TrackPayload), now_ms)
    return Submission(app=app, events=[event], links=device_links(event.ids))


def _whole_numbers_as_integers(event: dict[str, Any]) -> dict[str, Any]:
    """`12.0` is a whole number: PHP's json_encode writes floats that way."""
    return {
        name: _as_integer(value) if name in INTEGER_FIELDS else value
        for name, value in event.items()
    }


def _as_integer(value: Any) -> Any:
    if isinstance(value, Decimal) and value.is_finite() and abs(value) <= BIGINT_MAX:
        whole = value.to_integral_value()
        if whole == value:
            return int(whole)
    return value
