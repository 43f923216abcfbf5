"""The orders part of the query API: an app's orders, their latest state and history."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Route

from postback.storage import order_queries as queries
from postback.web.api import guarded
from postback.web.query_params import BadQuery, page_size, text
from postback.web.services import Services


def orders_api_routes(services: Services) -> list[Route]:
    return [Route("/api/v1/orders", guarded(_orders, services))]


async def _orders(request: Request, services: Services) -> Any:
    params = request.query_params
    app = text(params, "app")
    if app is None:
        raise BadQuery("app: required")
    where = queries.OrderFilter(
        app=app,
        order_id=text(params, "order_id"),
        after=text(params, "cursor"),
        limit=page_size(params),
    )
    currency = services.settings.server.reporting_currency
    return await run_in_threadpool(queries.find_orders, services.database, where, currency)
