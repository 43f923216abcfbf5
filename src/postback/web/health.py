"""Liveness, readiness (database reachable and migrated) and Prometheus metrics."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from postback.storage.migrate import current_revision, head_revision
from postback.web.api import json_response
from postback.web.services import Services


def health_routes(services: Services) -> list[Route]:
    async def healthz(_: Request) -> Response:
        return json_response({"status": "ok"})

    async def readyz(_: Request) -> Response:
        problem = await run_in_threadpool(_readiness_problem, services)
        if problem:
            return json_response({"status": "not ready", "reason": problem}, 503)
        return json_response({"status": "ready"})

    async def metrics(_: Request) -> Response:
        return Response(services.metrics.render(), media_type=services.metrics.content_type)

    return [Route("/healthz", healthz), Route("/readyz", readyz), Route("/metrics", metrics)]


def _readiness_problem(services: Services) -> str | None:
    try:
        with services.database.reader.connect() as connection:
            revision = current_revision(connection)
    except Exception as error:
        return f"database unreachable: {type(error).__name__}"
    if revision != head_revision():
        return f"database schema at {revision}, expected {head_revision()}"
    return None
