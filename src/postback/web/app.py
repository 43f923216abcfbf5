"""`create_app(settings)`: the ASGI application, with every route registered here."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from postback.clock import SystemClock
from postback.dialects import REGISTRY
from postback.dialects._common import Clock
from postback.logs import configure_logging
from postback.settings import Settings, load_settings
from postback.web.affiliate_api import affiliate_api_routes
from postback.web.affiliate_root import is_postback
from postback.web.api import api_routes, json_response
from postback.web.attribution_api import attribution_api_routes
from postback.web.chartboost_api import chartboost_api_routes
from postback.web.health import health_routes
from postback.web.ingest import IngestRoute, IngestRouter
from postback.web.openapi import openapi_document
from postback.web.orders_api import orders_api_routes
from postback.web.services import Services

# One path per dialect, or a list of them.
INGEST_PATHS: dict[str, str | list[str]] = {
    "appsflyer_web": "/v1/{bundle_id}/{method}",
    "chartboost": "/event_service/v3/track",
    # {slash} is "" or "/": both spellings answer directly (no trailing-slash redirect)
    "install_postback": "/track/install/v1/custom{slash:path}",
    "segmentstream": "/track",
    "affiliate": ["/click", "/postback"],
}


def create_app(settings: Settings, clock: Clock | None = None) -> IngestRouter:
    services = Services(settings=settings, clock=clock or SystemClock())

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        services.start()
        try:
            yield
        finally:
            services.stop()

    async def openapi(_: Request) -> Response:
        return json_response(openapi_document())

    routes = [
        *health_routes(services),
        Route("/openapi.json", openapi),
        *api_routes(services),
        *chartboost_api_routes(services),
        *attribution_api_routes(services),
        *orders_api_routes(services),
        *affiliate_api_routes(services),
        Route("/", not_found, methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.services = services
    return IngestRouter(_ingest_routes(), app, services)


def _ingest_routes() -> list[IngestRoute]:
    routes = [
        IngestRoute(path, REGISTRY[name])
        for name, paths in INGEST_PATHS.items()
        for path in ([paths] if isinstance(paths, str) else paths)
    ]
    return [*routes, IngestRoute("/", REGISTRY["affiliate"], accepts=is_postback)]


async def not_found(_: Request) -> Response:
    return PlainTextResponse("404 Not Found\n", 404)


def app_from_environment() -> IngestRouter:
    """The factory `postback serve` gives uvicorn: settings from $POSTBACK_CONFIG and env."""
    settings = load_settings(environ=os.environ)
    configure_logging(settings.server.log_level)
    return create_app(settings)
