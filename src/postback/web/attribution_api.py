"""The attribution part of the query API: installs, cost, revenue and ROAS by campaign."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Route

from postback.storage.attribution_queries import attribution_report
from postback.web.api import _guarded, _time
from postback.web.services import Services

PATH = "/api/v1/reports/attribution"


def attribution_api_routes(services: Services) -> list[Route]:
    return [Route(PATH, _guarded(_attribution_report, services))]


async def _attribution_report(request: Request, services: Services) -> Any:
    params = request.query_params
    return await run_in_threadpool(
        attribution_report,
        services.database,
        params.get("app") or None,
        _time(params.get("since"), "since"),
        _time(params.get("until"), "until"),
        services.settings.server.reporting_currency,
    )
