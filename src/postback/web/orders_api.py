"""The orders part of the query API: an app's orders, their latest state and history."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.routing import Route

from postback.storage import order_queries as queries
from postback.web.api import MAX_LIMIT, BadQuery, _guarded
from postback.web.services import Services

DEFAULT_LIMIT = 100


def orders_api_routes(services: Services) -> list[Route]:
    return [Route("/api/v1/orders", _guarded(_orders, services))]


async def _orders(request: Request, services: Services) -> Any:
    params = request.query_params
    app = _text(params, "app")
    if app is None:
        raise BadQuery("app: required")
    where = queries.OrderFilter(
        app=app,
        order_id=_text(params, "order_id"),
        after=_text(params, "cursor"),
        limit=_limit(params.get("limit")),
    )
    currency = services.settings.server.reporting_currency
    return await run_in_threadpool(queries.find_orders, services.database, where, currency)


def _text(params: QueryParams, name: str) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if "\x00" in value:
        raise BadQuery(f"{name}: must not contain NUL characters")
    return value


def _limit(value: str | None) -> int:
    if value is None or value == "":
        return DEFAULT_LIMIT
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise BadQuery(f"limit: expected an integer from 1 to {MAX_LIMIT}")
    return int(value)
