"""The affiliate admin API under /api/v1/affiliate, behind the admin token.

Offers (with their events), affiliates and postback tokens: list, create (POST, 201),
read, update (PATCH) and deactivate (DELETE: the row stays, inactive). Clicks,
conversions, and the daily report. Errors: `{"error": …}` with 400, 401, 404 or 409.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from postback.dialects.affiliate.credentials import MAX_ID
from postback.storage.affiliate_admin import AdminError, NotFound
from postback.web import affiliate_endpoints as endpoints
from postback.web.api import authorized, json_response
from postback.web.query_params import BadQuery
from postback.web.services import Services

PREFIX = "/api/v1/affiliate"
Handler = Callable[[Request, Services], Awaitable[Any]]
Endpoint = Callable[[Request], Awaitable[Response]]


def affiliate_api_routes(services: Services) -> list[Route]:
    table: dict[str, dict[str, Handler]] = {
        "/offers": {"GET": endpoints.list_offers, "POST": endpoints.create_offer},
        "/offers/{offer_id:int}": {
            "GET": endpoints.get_offer,
            "PATCH": endpoints.update_offer,
            "DELETE": endpoints.deactivate_offer,
        },
        "/offers/{offer_id:int}/events": {
            "GET": endpoints.list_events,
            "POST": endpoints.create_event,
        },
        "/offers/{offer_id:int}/events/{event_id:int}": {
            "GET": endpoints.get_event,
            "PATCH": endpoints.update_event,
            "DELETE": endpoints.deactivate_event,
        },
        "/affiliates": {"GET": endpoints.list_affiliates, "POST": endpoints.create_affiliate},
        "/affiliates/{affiliate_id:int}": {
            "GET": endpoints.get_affiliate,
            "PATCH": endpoints.update_affiliate,
            "DELETE": endpoints.deactivate_affiliate,
        },
        "/tokens": {"GET": endpoints.list_tokens, "POST": endpoints.create_token},
        "/tokens/{token_id:int}": {
            "GET": endpoints.get_token,
            "PATCH": endpoints.update_token,
            "DELETE": endpoints.deactivate_token,
        },
        "/clicks/{transaction_id}": {"GET": endpoints.get_click},
        "/conversions": {"GET": endpoints.find_conversions},
        "/reports/daily": {"GET": endpoints.daily_report},
    }
    return [
        Route(PREFIX + path, _guarded(handlers, services), methods=list(handlers))
        for path, handlers in table.items()
    ]


def _guarded(handlers: dict[str, Handler], services: Services) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        if not authorized(request, services.settings.server.admin_token):
            challenge = {"WWW-Authenticate": 'Bearer realm="postback"'}
            return json_response(
                {"error": "a valid admin Bearer token is required"}, 401, challenge
            )
        try:
            _check_ids(request)
            value = await handlers[request.method](request, services)
        except BadQuery as error:
            return json_response({"error": str(error)}, 400)
        except AdminError as error:
            return json_response({"error": error.message}, error.status)
        return json_response(value, 201 if request.method == "POST" else 200)

    return endpoint


def _check_ids(request: Request) -> None:
    for name, value in request.path_params.items():
        if isinstance(value, int) and not 1 <= value <= MAX_ID:
            raise NotFound(f"{name} {value} does not exist")
