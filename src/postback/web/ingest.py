"""The thin HTTP edge of every dialect: raw bytes in, dialect, pipeline, group commit, answer.

Ingest paths are served straight from the ASGI scope, without a framework between the socket
and the dialect; every other path falls through to the Starlette app (API, health, metrics).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.routing import compile_path

from postback.dialects._common import Dialect, IngestRequest, WireResponse
from postback.model import RawRequest, Reason, Rejection, Submission
from postback.storage.batch import WriteJob
from postback.storage.writer import INTERNAL_ERROR_MESSAGE
from postback.web.services import Services

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Accepts = Callable[[Scope], bool]


@dataclass(frozen=True)
class IngestRoute:
    """A path (Starlette syntax, `{name}` parameters) served by a dialect."""

    path: str
    dialect: Dialect
    accepts: Accepts | None = None

    @property
    def pattern(self) -> re.Pattern[str]:
        return compile_path(self.path)[0]


class IngestRouter:
    """The ASGI app: ingest routes first, then the fallback app for everything else."""

    def __init__(self, routes: list[IngestRoute], fallback: Any, services: Services) -> None:
        self._routes = [(route.pattern, route) for route in routes]
        self._fallback: ASGIApp = fallback
        self._services = services
        self.state = fallback.state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for pattern, route in self._routes:
                match = pattern.match(scope["path"])
                if match and (route.accepts is None or route.accepts(scope)):
                    await _ingest(
                        route.dialect, match.groupdict(), scope, receive, send, self._services
                    )
                    return
        await self._fallback(scope, receive, send)


async def _ingest(
    dialect: Dialect,
    path_params: dict[str, str],
    scope: Scope,
    receive: Receive,
    send: Send,
    services: Services,
) -> None:
    received_at_ms = services.clock.now_ms()
    keep = services.settings.server.raw_payload_limit
    body, complete = await read_body(receive, max(dialect.max_body_bytes, keep))
    client = scope.get("client")
    headers = header_fields(scope["headers"])
    request = IngestRequest(
        method=scope["method"],
        path=scope["path"],
        path_params=path_params,
        query=query_params(scope["query_string"]),
        headers=headers,
        body=body,
        body_complete=complete,
        client_ip=client[0] if client else None,
        received_at_ms=received_at_ms,
    )
    await services.writer.ready_to_parse()
    result = _handle(dialect, request, services)
    raw = _raw(request, headers, scope["query_string"], keep)
    outcome = await services.writer.submit(WriteJob(dialect.name, raw, received_at_ms, result))
    await _answer(send, dialect.respond(outcome))


def query_params(query_string: bytes) -> dict[str, str]:
    """The query's parameters, the last of a repeated name winning (as Starlette reads them)."""
    return dict(parse_qsl(query_string.decode("latin-1"), keep_blank_values=True))


def header_fields(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    """The headers by lower-case name, the first of a repeated name winning (as Starlette)."""
    fields: dict[str, str] = {}
    for name, value in raw:
        fields.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
    return fields


async def read_body(receive: Receive, limit: int) -> tuple[bytes, bool]:
    """At most `limit` bytes of the body, and whether that is all of it."""
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return bytes(body[:limit]), False
        body += message.get("body", b"")
        if len(body) > limit:
            return bytes(body[:limit]), False
        if not message.get("more_body", False):
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


def _raw(
    request: IngestRequest, headers: dict[str, str], query_string: bytes, keep: int
) -> RawRequest:
    return RawRequest(
        method=request.method,
        path=request.path,
        query=query_string.decode("latin-1"),
        headers=headers,
        body=request.body[:keep],
        body_truncated=not request.body_complete or len(request.body) > keep,
        client_ip=request.client_ip,
    )


async def _answer(send: Send, wire: WireResponse) -> None:
    """Send the dialect's answer, with the headers Starlette's Response would have set."""
    headers = [
        (name.lower().encode("latin-1"), value.encode("latin-1"))
        for name, value in wire.headers.items()
    ]
    names = {name for name, _ in headers}
    if b"content-length" not in names and not (wire.status < 200 or wire.status in (204, 304)):
        headers.append((b"content-length", str(len(wire.body)).encode("latin-1")))
    if wire.media_type is not None and b"content-type" not in names:
        headers.append((b"content-type", _content_type(wire.media_type).encode("latin-1")))
    await send({"type": "http.response.start", "status": wire.status, "headers": headers})
    await send({"type": "http.response.body", "body": wire.body})


def _content_type(media_type: str) -> str:
    if media_type.startswith("text/") and "charset=" not in media_type.lower():
        return f"{media_type}; charset=utf-8"
    return media_type
