"""AppsFlyer Web-S2S: `POST /v1/{bundleId}/event` and `/setcuid`, in the vendor's shapes."""

from collections.abc import Callable
from http import HTTPStatus
from typing import Any, ClassVar

from postback.dialects._common import (
    JSON_ENCODER,
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
from postback.dialects.appsflyer_web.credentials import AppsflyerWebCredentials
from postback.dialects.appsflyer_web.normalize import event_from_payload, identify_from_payload
from postback.dialects.appsflyer_web.wire import EventPayload, SetCuidPayload, field_names
from postback.model import Outcome, Reason, Rejection, Submission

MAX_PAYLOAD_BYTES = 1024
EVENT_FIELDS = field_names(EventPayload)
SETCUID_FIELDS = field_names(SetCuidPayload)
STATUS_BY_REASON = {
    Reason.INVALID: HTTPStatus.BAD_REQUEST,
    Reason.TOO_LARGE: HTTPStatus.BAD_REQUEST,
    Reason.UNAUTHENTICATED: HTTPStatus.FORBIDDEN,
    Reason.FORBIDDEN: HTTPStatus.FORBIDDEN,
    Reason.UNKNOWN_APP: HTTPStatus.NOT_FOUND,
    Reason.NOT_FOUND: HTTPStatus.NOT_FOUND,
    Reason.METHOD_NOT_ALLOWED: HTTPStatus.METHOD_NOT_ALLOWED,
    Reason.RATE_LIMITED: HTTPStatus.TOO_MANY_REQUESTS,
}

Method = Callable[[str, dict[str, Any], int], Submission]


class AppsflyerWeb:
    name: ClassVar[str] = "appsflyer_web"
    max_body_bytes: ClassVar[int] = MAX_PAYLOAD_BYTES

    def handle(self, request: IngestRequest, env: DialectEnv) -> Submission | Rejection:
        found = env.credentials.find(self.name, request.path_params["bundle_id"])
        try:
            method = _method(request)
            if found is None:
                raise Refusal(Reason.UNKNOWN_APP, "unknown bundle id")
            data = _read_payload(request, found.credentials)
            submission = method(found.app, data, request.received_at_ms)
        except Refusal as refusal:
            return refusal.rejection(None if found is None else found.app)
        submission.rate_limit_per_minute = found.credentials.rate_limit_per_minute
        return submission

    def respond(self, outcome: Outcome) -> WireResponse:
        if outcome.reason.is_success:
            return WireResponse(
                200, JSON_ENCODER.encode({"status": "OK", "message": outcome.message})
            )
        status = STATUS_BY_REASON.get(outcome.reason, HTTPStatus.INTERNAL_SERVER_ERROR)
        body = {"error": outcome.message, "message": status.phrase, "status": status.value}
        headers = {"Allow": "POST"} if status == HTTPStatus.METHOD_NOT_ALLOWED else {}
        return WireResponse(status.value, JSON_ENCODER.encode(body), headers)


def _method(request: IngestRequest) -> Method:
    name = request.path_params["method"].lower()
    method = METHODS.get(name)
    if method is None:
        raise Refusal(Reason.NOT_FOUND, f"unknown method {name!r}: use event or setCuId")
    if request.method != "POST":
        raise Refusal(Reason.METHOD_NOT_ALLOWED, f"method {request.method} not allowed: use POST")
    return method


def _read_payload(request: IngestRequest, credentials: AppsflyerWebCredentials) -> dict[str, Any]:
    if body_too_large(request, MAX_PAYLOAD_BYTES):
        raise Refusal(Reason.TOO_LARGE, "payload exceeds the 1KB (1024 bytes) limit")
    if not is_json_content_type(request.headers.get("content-type")):
        raise Refusal(Reason.INVALID, "Content-Type must be application/json")
    try:
        data = decode_json_object(request.body)
    except ValueError as error:
        raise Refusal(Reason.INVALID, str(error)) from None
    key = data.get("webDevKey")
    if isinstance(key, str) and not secrets_match(credentials.web_dev_key, key):
        raise Refusal(Reason.FORBIDDEN, "webDevKey is not valid for this bundle")
    return data


def _event(app: str, data: dict[str, Any], now_ms: int) -> Submission:
    if "userAgent" not in data and "UserAgent" in data:
        data["userAgent"] = data.pop("UserAgent")  # the vendor's OpenAPI spelling
    payload = convert_payload(data, EventPayload)
    unknown = {name: value for name, value in data.items() if name not in EVENT_FIELDS}
    event = event_from_payload(app, payload, unknown, now_ms)
    return Submission(app=app, events=[event], message="event recorded")


def _setcuid(app: str, data: dict[str, Any], now_ms: int) -> Submission:
    payload = convert_payload(data, SetCuidPayload)
    unknown = {name: value for name, value in data.items() if name not in SETCUID_FIELDS}
    event, link = identify_from_payload(app, payload, unknown, now_ms)
    return Submission(app=app, events=[event], links=[link], message="customer user id linked")


METHODS: dict[str, Method] = {"event": _event, "setcuid": _setcuid}
