"""The OpenAPI document, generated from the same structs the API serves."""

from __future__ import annotations

from typing import Any

import msgspec

from postback import __version__
from postback.storage.attribution_queries import AttributionReport
from postback.storage.chartboost_queries import LabelConflicts, LevelPage
from postback.storage.order_queries import OrderPage
from postback.storage.records import DailyReport, EventPage, OutcomePage
from postback.web.affiliate_openapi import AFFILIATE_SCHEMAS, affiliate_paths

REF = "#/components/schemas/{name}"


class ApiError(msgspec.Struct):
    error: str


def _parameter(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


WINDOW = [
    _parameter("since", "From this time on (ISO 8601 or Unix milliseconds), inclusive."),
    _parameter("until", "Before this time (ISO 8601 or Unix milliseconds), exclusive."),
]
PAGING = [
    _parameter("limit", "Page size, 1 to 1000 (default 100).", {"type": "integer"}),
    _parameter("cursor", "The next_cursor of the previous page."),
]


def _get(summary: str, schema: str, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    error = {"content": {"application/json": {"schema": {"$ref": REF.format(name="ApiError")}}}}
    return {
        "get": {
            "summary": summary,
            "security": [{"adminToken": []}],
            "parameters": parameters,
            "responses": {
                "200": {
                    "description": summary,
                    "content": {"application/json": {"schema": {"$ref": REF.format(name=schema)}}},
                },
                "400": {"description": "A query parameter is not valid.", **error},
                "401": {"description": "The admin Bearer token is missing or wrong.", **error},
            },
        }
    }


def openapi_document() -> dict[str, Any]:
    _, components = msgspec.json.schema_components(
        [
            *(EventPage, OutcomePage, DailyReport, ApiError, LevelPage, LabelConflicts),
            AttributionReport,
            OrderPage,
            *AFFILIATE_SCHEMAS,
        ],
        ref_template=REF,
    )
    components = _decimals_as_numbers(components)
    app = _parameter("app", "Only this app.")
    dialect = _parameter("dialect", "Only this dialect.")
    return {
        "openapi": "3.1.0",
        "info": {"title": "postback query API", "version": __version__},
        "paths": {
            "/api/v1/events": _get(
                "Stored events, last stored first; in a window, latest event time first.",
                "EventPage",
                [
                    app,
                    dialect,
                    _parameter("name", "Only events of this name."),
                    _parameter("user", "Events carrying this id or any id stitched to it."),
                    *WINDOW,
                    *PAGING,
                ],
            ),
            "/api/v1/outcomes": _get(
                "The outcome of every request, last first; in a window, latest received first.",
                "OutcomePage",
                [app, dialect, _parameter("reason", "Only this reason."), *WINDOW, *PAGING],
            ),
            "/api/v1/reports/daily": _get(
                "Events, revenue and outcomes per day.", "DailyReport", [app, *WINDOW]
            ),
            **_chartboost_paths(app),
            **_attribution_paths(app),
            **_orders_paths(),
            **affiliate_paths(),
        },
        "components": {
            "schemas": components,
            "securitySchemes": {"adminToken": {"type": "http", "scheme": "bearer"}},
        },
    }


def _chartboost_paths(app: dict[str, Any]) -> dict[str, Any]:
    field = _parameter("field", "Only this Chartboost event_field (1-5).", {"type": "integer"})
    player = _parameter("player", "Only this player (the first of ifa, gaid, uuid sent).")
    at_least = _parameter(
        "min_main_level", "Only players whose main_level is at least this.", {"type": "integer"}
    )
    return {
        "/api/v1/chartboost/levels": _get(
            "Chartboost players' current level per event field; `total` counts the matches, "
            "e.g. how many players are at level >= N on field F.",
            "LevelPage",
            [app, field, player, at_least, *PAGING],
        ),
        "/api/v1/chartboost/label-conflicts": _get(
            "Chartboost labels that differ from their event field's first label "
            "(accepted, flagged label_conflict): an integration-health warning.",
            "LabelConflicts",
            [app, PAGING[0]],
        ),
    }


def _attribution_paths(app: dict[str, Any]) -> dict[str, Any]:
    return {
        "/api/v1/reports/attribution": _get(
            "Installs, cost (USD and reporting currency), attributed events, revenue and ROAS "
            "(revenue / cost) by app, publisher and campaign. The window selects installs by "
            "install day; revenue is everything their devices brought in afterwards.",
            "AttributionReport",
            [app, *WINDOW],
        ),
    }


def _orders_paths() -> dict[str, Any]:
    return {
        "/api/v1/orders": _get(
            "An app's orders (SegmentStream transactions) by order id: the latest state, the "
            "revenue the reports count for each, and every change, oldest first.",
            "OrderPage",
            [
                {**_parameter("app", "The app (required)."), "required": True},
                _parameter("order_id", "Only this order."),
                *PAGING,
            ],
        ),
    }


def _decimals_as_numbers(schema: Any) -> Any:
    """msgspec describes Decimal as a string; the API encodes Decimals as JSON numbers."""
    if isinstance(schema, dict):
        if schema.get("type") == "string" and schema.get("format") == "decimal":
            return {"type": "number"}
        return {key: _decimals_as_numbers(value) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_decimals_as_numbers(item) for item in schema]
    return schema
