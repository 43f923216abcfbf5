"""The query API under /api/v1: events, outcomes and daily reports, behind the admin token."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from functools import partial
from typing import Any

import msgspec
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from postback.dialects._common import secrets_match
from postback.storage import queries
from postback.storage.records import DailyReport
from postback.web.query_params import BadQuery, cursor, page_size, text, time_ms
from postback.web.services import Services

ENCODER = msgspec.json.Encoder(decimal_format="number")

Handler = Callable[[Request, Services], Awaitable[Any]]


def api_routes(services: Services) -> list[Route]:
    return [
        Route("/api/v1/events", guarded(_events, services)),
        Route("/api/v1/outcomes", guarded(_outcomes, services)),
        Route("/api/v1/reports/daily", guarded(_daily_report, services)),
    ]


def json_response(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(ENCODER.encode(value), status, headers, media_type="application/json")


def guarded(handler: Handler, services: Services) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        if not authorized(request, services.settings.server.admin_token):
            challenge = {"WWW-Authenticate": 'Bearer realm="postback"'}
            return json_response(
                {"error": "a valid admin Bearer token is required"}, 401, challenge
            )
        try:
            return json_response(await handler(request, services))
        except BadQuery as error:
            return json_response({"error": str(error)}, 400)

    return endpoint


def authorized(request: Request, admin_token: str) -> bool:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return (
        bool(admin_token)
        and scheme.lower() == "bearer"
        and secrets_match(admin_token, token.strip())
    )


async def _events(request: Request, services: Services) -> Any:
    params = request.query_params
    where = queries.EventFilter(
        app=text(params, "app"),
        dialect=text(params, "dialect"),
        name=text(params, "name"),
        user=text(params, "user"),
        since_ms=time_ms(params, "since"),
        until_ms=time_ms(params, "until"),
        limit=page_size(params),
    )
    where = replace(where, cursor=_cursor(params, where.windowed))
    return await run_in_threadpool(queries.find_events, services.database, where)


async def _outcomes(request: Request, services: Services) -> Any:
    params = request.query_params
    where = queries.OutcomeFilter(
        app=text(params, "app"),
        dialect=text(params, "dialect"),
        reason=text(params, "reason"),
        since_ms=time_ms(params, "since"),
        until_ms=time_ms(params, "until"),
        limit=page_size(params),
    )
    where = replace(where, cursor=_cursor(params, where.windowed))
    return await run_in_threadpool(queries.find_outcomes, services.database, where)


async def _daily_report(request: Request, services: Services) -> Any:
    params = request.query_params
    app = text(params, "app")
    since = time_ms(params, "since")
    until = time_ms(params, "until")
    database = services.database
    return DailyReport(
        reporting_currency=services.settings.server.reporting_currency,
        events=await run_in_threadpool(queries.daily_events, database, app, since, until),
        outcomes=await run_in_threadpool(queries.daily_outcomes, database, app, since, until),
    )


def _cursor(params: QueryParams, windowed: bool) -> queries.Cursor | None:
    return cursor(params, partial(queries.Cursor.decode, windowed=windowed))
