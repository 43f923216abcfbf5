"""The chartboost part of the query API: players' current levels and label conflicts."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.routing import Route

from postback.storage import chartboost_queries as queries
from postback.web.api import MAX_LIMIT, BadQuery, _guarded
from postback.web.services import Services

DEFAULT_LIMIT = 100


def chartboost_api_routes(services: Services) -> list[Route]:
    return [
        Route("/api/v1/chartboost/levels", _guarded(_levels, services)),
        Route("/api/v1/chartboost/label-conflicts", _guarded(_label_conflicts, services)),
    ]


async def _levels(request: Request, services: Services) -> Any:
    params = request.query_params
    where = queries.LevelFilter(
        app=_text(params, "app"),
        event_field=_whole(params, "field", lowest=1, highest=5),
        player=_text(params, "player"),
        min_main_level=_whole(params, "min_main_level", lowest=1, highest=2**63 - 1),
        after=_after(params.get("cursor")),
        limit=_page_size(params),
    )
    return await run_in_threadpool(queries.find_levels, services.database, where)


async def _label_conflicts(request: Request, services: Services) -> Any:
    params = request.query_params
    app, limit = _text(params, "app"), _page_size(params)
    return await run_in_threadpool(queries.find_label_conflicts, services.database, app, limit)


def _text(params: QueryParams, name: str) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if "\x00" in value:
        raise BadQuery(f"{name}: must not contain NUL characters")
    return value


def _whole(params: QueryParams, name: str, lowest: int, highest: int) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if not value.isascii() or not value.isdigit() or not lowest <= int(value) <= highest:
        raise BadQuery(f"{name}: expected an integer from {lowest} to {highest}")
    return int(value)


def _page_size(params: QueryParams) -> int:
    return _whole(params, "limit", lowest=1, highest=MAX_LIMIT) or DEFAULT_LIMIT


def _after(cursor: str | None) -> queries.CursorKey | None:
    if cursor is None or cursor == "":
        return None
    try:
        return queries.decode_cursor(cursor)
    except ValueError:
        raise BadQuery("cursor: use the next_cursor of the previous page") from None
