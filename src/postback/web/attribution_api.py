"""The attribution part of the query API: installs, cost, revenue and ROAS by campaign."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Route

from postback.storage.attribution_queries import attribution_report
from postback.web.api import guarded
from postback.web.query_params import text, time_ms
from postback.web.services import Services

PATH = "/api/v1/reports/attribution"


def attribution_api_routes(services: Services) -> list[Route]:
    return [Route(PATH, guarded(_attribution_report, services))]


async def _attribution_report(request: Request, services: Services) -> Any:
    params = request.query_params
    return await run_in_threadpool(
        attribution_report,
        services.database,
        text(params, "app"),
        time_ms(params, "since"),
        time_ms(params, "until"),
        services.settings.server.reporting_currency,
    )
