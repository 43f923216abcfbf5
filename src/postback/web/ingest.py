"""The thin HTTP edge of every dialect: raw bytes in, dialect, pipeline, group commit, answer."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from postback.dialects._common import Dialect, IngestRequest
from postback.model import RawRequest, Reason, Rejection, Submission
from postback.storage.batch import WriteJob
from postback.web.services import Services

log = logging.getLogger(__name__)

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
INTERNAL_ERROR_MESSAGE = "internal error: nothing was stored, please retry"

Endpoint = Callable[[Request], Awaitable[Response]]


def ingest_endpoint(dialect: Dialect, services: Services) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        received_at_ms = services.clock.now_ms()
        limit = max(dialect.max_body_bytes, services.settings.server.raw_payload_limit)
        body, complete = await read_body(request, limit)
        ingest = IngestRequest(
            method=request.method,
            path=request.url.path,
            path_params=request.path_params,
            query=request.query_params,
            headers=request.headers,
            body=body,
            body_complete=complete,
            client_ip=request.client.host if request.client else None,
            received_at_ms=received_at_ms,
        )
        result = _handle(dialect, ingest, services)
        raw = _raw(request, ingest, services.settings.server.raw_payload_limit)
        outcome = await services.writer.submit(WriteJob(dialect.name, raw, received_at_ms, result))
        services.metrics.requests.labels(dialect.name, outcome.reason.value).inc()
        wire = dialect.respond(outcome)
        return Response(wire.body, wire.status, dict(wire.headers), wire.media_type)

    return endpoint


async def read_body(request: Request, limit: int) -> tuple[bytes, bool]:
    """At most `limit` bytes of the body, and whether that is all of it."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return bytes(body[:limit]), False
    return bytes(body), True


def _handle(dialect: Dialect, request: IngestRequest, services: Services) -> Submission | Rejection:
    try:
        result = dialect.handle(request, services.env)
        if isinstance(result, Submission):
            result = services.pipeline.prepare(result) or result
    except Exception:
        log.exception("dialect %s failed on a request", dialect.name)
        return Rejection(reason=Reason.INTERNAL_ERROR, message=INTERNAL_ERROR_MESSAGE)
    return result


def _raw(request: Request, ingest: IngestRequest, keep: int) -> RawRequest:
    return RawRequest(
        method=ingest.method,
        path=ingest.path,
        query=request.url.query,
        headers=dict(request.headers),
        body=ingest.body[:keep],
        body_truncated=not ingest.body_complete or len(ingest.body) > keep,
        client_ip=ingest.client_ip,
    )
