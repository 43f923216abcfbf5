"""The query API under /api/v1: events, outcomes and daily reports, behind the admin token."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from postback.dialects._common import secrets_match
from postback.storage import queries
from postback.storage.records import DailyReport
from postback.web.services import Services

MAX_LIMIT = 1000
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
ENCODER = msgspec.json.Encoder(decimal_format="number")

Handler = Callable[[Request, Services], Awaitable[Any]]


class BadQuery(ValueError):
    """A query parameter is not valid; the message names it."""


def api_routes(services: Services) -> list[Route]:
    return [
        Route("/api/v1/events", _guarded(_events, services)),
        Route("/api/v1/outcomes", _guarded(_outcomes, services)),
        Route("/api/v1/reports/daily", _guarded(_daily_report, services)),
    ]


def json_response(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(ENCODER.encode(value), status, headers, media_type="application/json")


def _guarded(handler: Handler, services: Services) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        if not _authorized(request, services.settings.server.admin_token):
            challenge = {"WWW-Authenticate": 'Bearer realm="postback"'}
            return json_response(
                {"error": "a valid admin Bearer token is required"}, 401, challenge
            )
        try:
            return json_response(await handler(request, services))
        except BadQuery as error:
            return json_response({"error": str(error)}, 400)

    return endpoint


def _authorized(request: Request, admin_token: str) -> bool:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return (
        bool(admin_token)
        and scheme.lower() == "bearer"
        and secrets_match(admin_token, token.strip())
    )


async def _events(request: Request, services: Services) -> Any:
    params = request.query_params
    where = queries.EventFilter(
        app=params.get("app"),
        dialect=params.get("dialect"),
        name=params.get("name"),
        user=params.get("user"),
        since_ms=_time(params.get("since"), "since"),
        until_ms=_time(params.get("until"), "until"),
        before_id=_cursor(params.get("cursor")),
        limit=_limit(params.get("limit")),
    )
    return await run_in_threadpool(queries.find_events, services.database, where)


async def _outcomes(request: Request, services: Services) -> Any:
    params = request.query_params
    where = queries.OutcomeFilter(
        app=params.get("app"),
        dialect=params.get("dialect"),
        reason=params.get("reason"),
        since_ms=_time(params.get("since"), "since"),
        until_ms=_time(params.get("until"), "until"),
        before_id=_cursor(params.get("cursor")),
        limit=_limit(params.get("limit")),
    )
    return await run_in_threadpool(queries.find_outcomes, services.database, where)


async def _daily_report(request: Request, services: Services) -> Any:
    params = request.query_params
    app = params.get("app")
    since = _time(params.get("since"), "since")
    until = _time(params.get("until"), "until")
    database = services.database
    return DailyReport(
        reporting_currency=services.settings.server.reporting_currency,
        events=await run_in_threadpool(queries.daily_events, database, app, since, until),
        outcomes=await run_in_threadpool(queries.daily_outcomes, database, app, since, until),
    )


def _time(value: str | None, name: str) -> int | None:
    """ISO 8601 (a date, or a date and time; UTC unless it says otherwise) or Unix milliseconds."""
    if value is None or value == "":
        return None
    if _is_number(value):
        return int(value)
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadQuery(f"{name}: expected ISO 8601 or Unix milliseconds") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return (moment - EPOCH) // dt.timedelta(milliseconds=1)


def _cursor(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    if not _is_number(value):
        raise BadQuery("cursor: use the next_cursor of the previous page")
    return int(value)


def _limit(value: str | None) -> int:
    if value is None or value == "":
        return 100
    if not _is_number(value) or not 1 <= int(value) <= MAX_LIMIT:
        raise BadQuery(f"limit: expected an integer from 1 to {MAX_LIMIT}")
    return int(value)


def _is_number(value: str) -> bool:
    """Plain ASCII digits (`str.isdigit` also accepts characters such as "²")."""
    return value.isascii() and value.isdigit()
