"""The handlers of the affiliate admin API (routed and guarded by web/affiliate_api.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import msgspec
import sqlalchemy as sa
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from postback.dialects._common import describe_validation_error
from postback.dialects.affiliate.credentials import MAX_ID
from postback.storage import affiliate_admin as admin
from postback.storage import affiliate_queries as queries
from postback.storage.affiliate_records import (
    AffiliateInput,
    AffiliateUpdate,
    EventInput,
    EventUpdate,
    OfferEventList,
    OfferInput,
    OfferUpdate,
    TokenInput,
    TokenUpdate,
)
from postback.storage.affiliate_reports import ReportFilter
from postback.storage.affiliate_reports import daily_report as report
from postback.web.query_params import BadQuery, cursor_id, page_size, time_ms, whole
from postback.web.services import Services

StructT = TypeVar("StructT", bound=msgspec.Struct)
T = TypeVar("T")
STATUSES = ("approved", "rejected")


async def read_body(request: Request, struct: type[StructT]) -> StructT:
    """The JSON body as `struct`; a 400 naming the field when it is not one."""
    body = await request.body()
    try:
        return msgspec.json.decode(body or b"{}", type=struct)
    except (msgspec.ValidationError, msgspec.DecodeError) as error:
        raise BadQuery(describe_validation_error(error)) from None


async def _write(services: Services, change: Callable[[sa.Connection, int], T]) -> T:
    """Run the change in a write transaction, then reload this node's view of the network."""
    now_ms = services.clock.now_ms()
    result = await run_in_threadpool(
        admin.write, services.database, lambda connection: change(connection, now_ms)
    )
    await run_in_threadpool(services.affiliate.refresh)
    return result


def _base(request: Request) -> str:
    return str(request.base_url)


def _id(request: Request, name: str) -> int:
    return int(request.path_params[name])


# --- offers -----------------------------------------------------------------------------------


async def list_offers(request: Request, services: Services) -> Any:
    return await run_in_threadpool(queries.list_offers, services.database, _base(request))


async def get_offer(request: Request, services: Services) -> Any:
    offer_id = _id(request, "offer_id")
    return await run_in_threadpool(queries.get_offer, services.database, offer_id, _base(request))


async def create_offer(request: Request, services: Services) -> Any:
    data = await read_body(request, OfferInput)
    offer_id = await _write(services, lambda c, now: admin.create_offer(c, data, now))
    return await run_in_threadpool(queries.get_offer, services.database, offer_id, _base(request))


async def update_offer(request: Request, services: Services) -> Any:
    return await _change_offer(request, services, await read_body(request, OfferUpdate))


async def deactivate_offer(request: Request, services: Services) -> Any:
    return await _change_offer(request, services, OfferUpdate(active=False))


async def _change_offer(request: Request, services: Services, data: OfferUpdate) -> Any:
    offer_id = _id(request, "offer_id")
    await _write(services, lambda c, now: admin.update_offer(c, offer_id, data, now))
    return await get_offer(request, services)


# --- offer events -----------------------------------------------------------------------------


async def list_events(request: Request, services: Services) -> Any:
    offer = await get_offer(request, services)
    return OfferEventList(events=offer.events)


async def get_event(request: Request, services: Services) -> Any:
    offer_id, event_id = _id(request, "offer_id"), _id(request, "event_id")
    base = _base(request)
    return await run_in_threadpool(queries.get_event, services.database, offer_id, event_id, base)


async def create_event(request: Request, services: Services) -> Any:
    offer_id = _id(request, "offer_id")
    data = await read_body(request, EventInput)
    event_id = await _write(services, lambda c, now: admin.create_event(c, offer_id, data, now))
    base = _base(request)
    return await run_in_threadpool(queries.get_event, services.database, offer_id, event_id, base)


async def update_event(request: Request, services: Services) -> Any:
    return await _change_event(request, services, await read_body(request, EventUpdate))


async def deactivate_event(request: Request, services: Services) -> Any:
    return await _change_event(request, services, EventUpdate(active=False))


async def _change_event(request: Request, services: Services, data: EventUpdate) -> Any:
    offer_id, event_id = _id(request, "offer_id"), _id(request, "event_id")
    await _write(services, lambda c, now: admin.update_event(c, offer_id, event_id, data, now))
    return await get_event(request, services)


# --- affiliates -------------------------------------------------------------------------------


async def list_affiliates(request: Request, services: Services) -> Any:
    return await run_in_threadpool(queries.list_affiliates, services.database)


async def get_affiliate(request: Request, services: Services) -> Any:
    affiliate_id = _id(request, "affiliate_id")
    return await run_in_threadpool(queries.get_affiliate, services.database, affiliate_id)


async def create_affiliate(request: Request, services: Services) -> Any:
    data = await read_body(request, AffiliateInput)
    affiliate_id = await _write(services, lambda c, now: admin.create_affiliate(c, data, now))
    return await run_in_threadpool(queries.get_affiliate, services.database, affiliate_id)


async def update_affiliate(request: Request, services: Services) -> Any:
    return await _change_affiliate(request, services, await read_body(request, AffiliateUpdate))


async def deactivate_affiliate(request: Request, services: Services) -> Any:
    return await _change_affiliate(request, services, AffiliateUpdate(active=False))


async def _change_affiliate(request: Request, services: Services, data: AffiliateUpdate) -> Any:
    affiliate_id = _id(request, "affiliate_id")
    await _write(services, lambda c, now: admin.update_affiliate(c, affiliate_id, data, now))
    return await get_affiliate(request, services)


# --- postback tokens --------------------------------------------------------------------------


async def list_tokens(request: Request, services: Services) -> Any:
    return await run_in_threadpool(queries.list_tokens, services.database)


async def get_token(request: Request, services: Services) -> Any:
    token_id = _id(request, "token_id")
    return await run_in_threadpool(queries.get_token, services.database, token_id)


async def create_token(request: Request, services: Services) -> Any:
    data = await read_body(request, TokenInput)
    token_id = await _write(services, lambda c, now: admin.create_token(c, data, now))
    return await run_in_threadpool(queries.get_token, services.database, token_id)


async def update_token(request: Request, services: Services) -> Any:
    return await _change_token(request, services, await read_body(request, TokenUpdate))


async def deactivate_token(request: Request, services: Services) -> Any:
    return await _change_token(request, services, TokenUpdate(active=False))


async def _change_token(request: Request, services: Services, data: TokenUpdate) -> Any:
    token_id = _id(request, "token_id")
    await _write(services, lambda c, now: admin.update_token(c, token_id, data, now))
    return await get_token(request, services)


# --- clicks, conversions, report --------------------------------------------------------------


async def get_click(request: Request, services: Services) -> Any:
    transaction_id = request.path_params["transaction_id"]
    return await run_in_threadpool(queries.get_click, services.database, transaction_id)


async def find_conversions(request: Request, services: Services) -> Any:
    params = request.query_params
    status = params.get("status") or None
    if status is not None and status not in STATUSES:
        raise BadQuery(f"status: one of {', '.join(STATUSES)}")
    where = queries.ConversionFilter(
        transaction_id=params.get("transaction_id") or None,
        offer_id=whole(params, "offer_id", 1, MAX_ID, "a whole number"),
        aff_id=whole(params, "aff_id", 1, MAX_ID, "a whole number"),
        status=status,
        before_id=cursor_id(params),
        limit=page_size(params),
    )
    return await run_in_threadpool(queries.find_conversions, services.database, where)


async def daily_report(request: Request, services: Services) -> Any:
    params = request.query_params
    where = ReportFilter(
        since_ms=time_ms(params, "since"),
        until_ms=time_ms(params, "until"),
        offer_id=whole(params, "offer_id", 1, MAX_ID, "a whole number"),
        aff_id=whole(params, "aff_id", 1, MAX_ID, "a whole number"),
    )
    return await run_in_threadpool(report, services.database, where)
