"""`/`: the vendor document's global postback URL, a postback when it carries `secure` or
`transaction_id` (or a form body); anything else there is not ours: a plain 404, unrecorded."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from postback.web.ingest import ALL_METHODS

POSTBACK_PARAMETERS = ("secure", "transaction_id")
FORM = "application/x-www-form-urlencoded"

Endpoint = Callable[[Request], Awaitable[Response]]


def affiliate_root_route(postback: Endpoint) -> Route:
    async def endpoint(request: Request) -> Response:
        if is_postback(request):
            return await postback(request)
        return PlainTextResponse("404 Not Found\n", 404)

    return Route("/", endpoint, methods=ALL_METHODS)


def is_postback(request: Request) -> bool:
    if any(name in request.query_params for name in POSTBACK_PARAMETERS):
        return True
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return request.method == "POST" and content_type == FORM
