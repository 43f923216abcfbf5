"""Custom install postback: `GET`/`POST /track/install/v1/custom/?apikey=KEY`, JSON answers."""

from __future__ import annotations

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
)
from postback.dialects.install_postback.normalize import install_from_payload
from postback.dialects.install_postback.wire import (
    FIELDS,
    KEY_PARAMETER,
    InstallPayload,
    body_fields,
    query_fields,
)
from postback.model import Outcome, Reason, Rejection, Submission

NAME = "install_postback"
MAX_BODY_BYTES = 16 * 1024
METHODS = ("GET", "POST")
PATH_ENDINGS = ("", "/")
RECORDED = "install recorded"
STATUS_BY_REASON = {
    Reason.INVALID: HTTPStatus.BAD_REQUEST,
    Reason.UNAUTHENTICATED: HTTPStatus.FORBIDDEN,
    Reason.FORBIDDEN: HTTPStatus.FORBIDDEN,
    Reason.NOT_FOUND: HTTPStatus.NOT_FOUND,
    Reason.METHOD_NOT_ALLOWED: HTTPStatus.METHOD_NOT_ALLOWED,
    Reason.TOO_LARGE: HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
    Reason.RATE_LIMITED: HTTPStatus.TOO_MANY_REQUESTS,
}


class InstallPostback:
    name: ClassVar[str] = NAME
    max_body_bytes: ClassVar[int] = MAX_BODY_BYTES

    def handle(self, request: IngestRequest, env: DialectEnv) -> Submission | Rejection:
        app: str | None = None
        try:
            _check_route(request)
            app = _find_app(request, env).app
            data = _fields(request)
            payload = convert_payload(_known(data), InstallPayload)
            unknown = {name: value for name, value in data.items() if name not in FIELDS}
            event = install_from_payload(app, payload, unknown, request.received_at_ms)
        except Refusal as refusal:
            return refusal.rejection(app)
        return Submission(app=app, events=[event], message=RECORDED)

    def respond(self, outcome: Outcome) -> WireResponse:
        if outcome.reason.is_success:
            duplicate = outcome.reason == Reason.DUPLICATE
            body = {"status": 200, "message": outcome.message, "duplicate": duplicate}
            return WireResponse(200, JSON_ENCODER.encode(body))
        status = STATUS_BY_REASON.get(outcome.reason, HTTPStatus.INTERNAL_SERVER_ERROR)
        body = {"status": status.value, "error": outcome.message}
        allowed = {"Allow": ", ".join(METHODS)} if status == HTTPStatus.METHOD_NOT_ALLOWED else {}
        return WireResponse(status.value, JSON_ENCODER.encode(body), allowed)


def _check_route(request: IngestRequest) -> None:
    if request.path_params.get("slash", "") not in PATH_ENDINGS:
        raise Refusal(Reason.NOT_FOUND, "not found: the path is /track/install/v1/custom/")
    if request.method not in METHODS:
        raise Refusal(
            Reason.METHOD_NOT_ALLOWED, f"method {request.method} not allowed: use GET or POST"
        )


def _find_app(request: IngestRequest, env: DialectEnv) -> AppCredentials[Any]:
    key = request.query.get(KEY_PARAMETER, "")
    if not key:
        raise Refusal(Reason.UNAUTHENTICATED, "apikey: missing from the query string")
    found = env.credentials.find(NAME, key)
    if found is None:
        raise Refusal(Reason.FORBIDDEN, "apikey: not a known key")
    return found


def _fields(request: IngestRequest) -> dict[str, Any]:
    if request.method == "GET":
        return query_fields(dict(request.query))
    if body_too_large(request, MAX_BODY_BYTES):
        raise Refusal(Reason.TOO_LARGE, f"body: larger than {MAX_BODY_BYTES} bytes")
    return body_fields(request.body, request.headers.get("content-type"))


def _known(data: dict[str, Any]) -> dict[str, Any]:
    """The document's fields, without the blank ones (an empty value is an absent one)."""
    return {name: value for name, value in data.items() if name in FIELDS and not _blank(value)}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
