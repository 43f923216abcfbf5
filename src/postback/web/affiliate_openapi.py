"""The affiliate admin API's part of the OpenAPI document (web/openapi.py adds it)."""

from __future__ import annotations

from typing import Any

import msgspec

from postback.storage.affiliate_records import (
    AffiliateInput,
    AffiliateList,
    AffiliateRecord,
    AffiliateReport,
    AffiliateUpdate,
    ClickRecord,
    ConversionPage,
    EventInput,
    EventUpdate,
    OfferEventList,
    OfferEventRecord,
    OfferInput,
    OfferList,
    OfferRecord,
    OfferUpdate,
    TokenInput,
    TokenList,
    TokenRecord,
    TokenUpdate,
)

PREFIX = "/api/v1/affiliate"
REF = "#/components/schemas/{name}"
AFFILIATE_SCHEMAS: tuple[type[msgspec.Struct], ...] = (
    OfferList,
    OfferRecord,
    OfferInput,
    OfferUpdate,
    OfferEventList,
    OfferEventRecord,
    EventInput,
    EventUpdate,
    AffiliateList,
    AffiliateRecord,
    AffiliateInput,
    AffiliateUpdate,
    TokenList,
    TokenRecord,
    TokenInput,
    TokenUpdate,
    ClickRecord,
    ConversionPage,
    AffiliateReport,
)
ERRORS = {
    "400": "The body or a parameter is not valid; the error names it.",
    "401": "The admin Bearer token is missing or wrong.",
    "404": "No such offer, event, affiliate, token or click.",
    "409": "Taken (an id, an event name, a token), or a change the offer's clicks forbid.",
}


def affiliate_paths() -> dict[str, Any]:
    offer, event = _path_id("offer_id"), _path_id("event_id")
    affiliate, token = _path_id("affiliate_id"), _path_id("token_id")
    return {
        f"{PREFIX}/offers": {
            "get": _operation(
                "Every offer, with its events and dedicated postback URLs.", "OfferList"
            ),
            "post": _operation("Create an offer.", "OfferRecord", body="OfferInput", status="201"),
        },
        f"{PREFIX}/offers/{{offer_id}}": _entity("offer", "OfferRecord", "OfferUpdate", [offer]),
        f"{PREFIX}/offers/{{offer_id}}/events": {
            "get": _operation("An offer's events.", "OfferEventList", [offer]),
            "post": _operation(
                "Create an event of the offer.", "OfferEventRecord", [offer], "EventInput", "201"
            ),
        },
        f"{PREFIX}/offers/{{offer_id}}/events/{{event_id}}": _entity(
            "offer event", "OfferEventRecord", "EventUpdate", [offer, event]
        ),
        f"{PREFIX}/affiliates": {
            "get": _operation("Every affiliate (publisher).", "AffiliateList"),
            "post": _operation(
                "Create an affiliate.", "AffiliateRecord", body="AffiliateInput", status="201"
            ),
        },
        f"{PREFIX}/affiliates/{{affiliate_id}}": _entity(
            "affiliate", "AffiliateRecord", "AffiliateUpdate", [affiliate]
        ),
        f"{PREFIX}/tokens": {
            "get": _operation("Every postback token (`secure`), active or not.", "TokenList"),
            "post": _operation(
                "Create a postback token: global, an offer's, or one offer event's.",
                "TokenRecord",
                body="TokenInput",
                status="201",
            ),
        },
        f"{PREFIX}/tokens/{{token_id}}": _entity("token", "TokenRecord", "TokenUpdate", [token]),
        **_reads(),
    }


def _reads() -> dict[str, Any]:
    transaction = {**_path_id("transaction_id"), "schema": {"type": "string"}}
    ids = [
        _query("offer_id", "Only this offer.", "integer"),
        _query("aff_id", "Only this affiliate.", "integer"),
    ]
    window = [
        _query("since", "From this time on (ISO 8601 or Unix milliseconds), inclusive."),
        _query("until", "Before this time (ISO 8601 or Unix milliseconds), exclusive."),
    ]
    return {
        f"{PREFIX}/clicks/{{transaction_id}}": {
            "get": _operation(
                "The click that issued a transaction id.", "ClickRecord", [transaction]
            )
        },
        f"{PREFIX}/conversions": {
            "get": _operation(
                "Postbacks on clicks, newest first: approved, or rejected with the reason; "
                "revenue, payout and profit in the offer's currency.",
                "ConversionPage",
                [
                    _query("transaction_id", "Only this transaction."),
                    *ids,
                    _query("status", "approved or rejected."),
                    _query("limit", "Page size, 1 to 1000 (default 100).", "integer"),
                    _query("cursor", "The next_cursor of the previous page."),
                ],
            )
        },
        f"{PREFIX}/reports/daily": {
            "get": _operation(
                "Day x offer x affiliate x event: clicks, conversions, events, refused postbacks "
                "by reason, conversion rate (percent of clicks), revenue, payout, profit.",
                "AffiliateReport",
                [*window, *ids],
            )
        },
    }


def _entity(what: str, record: str, update: str, ids: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "get": _operation(f"One {what}.", record, ids),
        "patch": _operation(f"Change the {what}'s fields.", record, ids, update),
        "delete": _operation(f"Deactivate the {what} (it is kept, inactive).", record, ids),
    }


def _operation(
    summary: str,
    schema: str,
    parameters: list[dict[str, Any]] | None = None,
    body: str | None = None,
    status: str = "200",
) -> dict[str, Any]:
    error = {"content": _json("ApiError")}
    operation: dict[str, Any] = {
        "summary": summary,
        "security": [{"adminToken": []}],
        "parameters": parameters or [],
        "responses": {
            status: {"description": summary, "content": _json(schema)},
            **{code: {"description": text, **error} for code, text in ERRORS.items()},
        },
    }
    if body is not None:
        operation["requestBody"] = {"required": True, "content": _json(body)}
    return operation


def _json(schema: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": REF.format(name=schema)}}}


def _path_id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def _query(name: str, description: str, kind: str = "string") -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": kind},
    }
