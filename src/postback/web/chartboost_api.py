"""The chartboost part of the query API: players' current levels and label conflicts."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Route

from postback.storage import chartboost_queries as queries
from postback.web.api import guarded
from postback.web.query_params import cursor, page_size, text, whole
from postback.web.services import Services


def chartboost_api_routes(services: Services) -> list[Route]:
    return [
        Route("/api/v1/chartboost/levels", guarded(_levels, services)),
        Route("/api/v1/chartboost/label-conflicts", guarded(_label_conflicts, services)),
    ]


async def _levels(request: Request, services: Services) -> Any:
    params = request.query_params
    where = queries.LevelFilter(
        app=text(params, "app"),
        event_field=whole(params, "field", lowest=1, highest=5),
        player=text(params, "player"),
        min_main_level=whole(params, "min_main_level", lowest=1, highest=2**63 - 1),
        after=cursor(params, queries.decode_cursor),
        limit=page_size(params),
    )
    return await run_in_threadpool(queries.find_levels, services.database, where)


async def _label_conflicts(request: Request, services: Services) -> Any:
    params = request.query_params
    app, limit = text(params, "app"), page_size(params)
    return await run_in_threadpool(queries.find_label_conflicts, services.database, app, limit)
