"""`GET /click?offer_id=…&aff_id=…`: record the click, issue its transaction id, redirect."""

from __future__ import annotations

import re
import urllib.parse

from postback.dialects._common import IngestRequest, Refusal
from postback.dialects.affiliate.credentials import has_control_characters
from postback.dialects.affiliate.facts import (
    AFF_SUBS,
    CLICK,
    DIALECT,
    LOCATION,
    OFFER_ID,
    REQUEST,
    TRANSACTION_ID,
    ClickFacts,
    as_properties,
    click_key,
    new_transaction_id,
)
from postback.dialects.affiliate.network import AffiliateView, NetworkLookup, OfferView
from postback.dialects.affiliate.params import MAX_TEXT, Params
from postback.model import Event, EventKind, Reason, Rejection, Submission

_MACRO = re.compile(r"\{([a-z0-9_]+)\}")


def handle_click(request: IngestRequest, network: NetworkLookup) -> Submission | Rejection:
    try:
        if request.method != "GET":
            raise Refusal(Reason.METHOD_NOT_ALLOWED, f"method {request.method}: use GET")
        params = Params(request.query)
        offer = _active_offer(network, params)
        affiliate = _active_affiliate(network, params)
        facts = _facts(request, params, offer, affiliate)
    except Refusal as refusal:
        return Rejection(reason=refusal.reason, message=refusal.message, context={REQUEST: CLICK})
    facts.destination = destination(offer.url, facts)
    return _submission(request, offer, facts)


def destination(url: str, facts: ClickFacts) -> str:
    """The offer URL with every known macro replaced by its URL-encoded value."""
    values = {
        "transaction_id": facts.transaction_id,
        "offer_id": str(facts.offer_id),
        "aff_id": str(facts.aff_id),
        "source": facts.source,
        **{name: getattr(facts, name) for name in AFF_SUBS},
    }

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        return urllib.parse.quote(values[name] or "", safe="")

    return _MACRO.sub(replace, url)


def _active_offer(network: NetworkLookup, params: Params) -> OfferView:
    offer_id = params.identifier("offer_id")
    offer = network.offer(offer_id) if offer_id is not None else None
    if offer is None or not offer.active:
        raise Refusal(Reason.NOT_FOUND, "unknown or inactive offer")
    return offer


def _active_affiliate(network: NetworkLookup, params: Params) -> AffiliateView:
    aff_id = params.identifier("aff_id")
    affiliate = network.affiliate(aff_id) if aff_id is not None else None
    if affiliate is None or not affiliate.active:
        raise Refusal(Reason.NOT_FOUND, "unknown or inactive affiliate")
    return affiliate


def _facts(
    request: IngestRequest, params: Params, offer: OfferView, affiliate: AffiliateView
) -> ClickFacts:
    facts = ClickFacts(
        transaction_id=new_transaction_id(offer.id),
        offer_id=offer.id,
        aff_id=affiliate.id,
        source=params.text("source"),
        ip=request.client_ip,
        user_agent=_header(request, "user-agent"),
        referrer=_header(request, "referer"),
    )
    for name in AFF_SUBS:
        setattr(facts, name, params.text(name))
    return facts


def _header(request: IngestRequest, name: str) -> str | None:
    value = request.headers.get(name)
    if not value:
        return None
    if has_control_characters(value):
        value = "".join(character for character in value if character.isprintable())
    return value[:MAX_TEXT]


def _submission(request: IngestRequest, offer: OfferView, facts: ClickFacts) -> Submission:
    transaction_id = facts.transaction_id
    event = Event(
        app=offer.app or "",
        dialect=DIALECT,
        kind=EventKind.CLICK,
        name="click",
        event_time_ms=request.received_at_ms,
        received_at_ms=request.received_at_ms,
        ids={TRANSACTION_ID: transaction_id},
        properties=as_properties(facts),
        dedup_key=click_key(transaction_id),
    )
    context = {
        REQUEST: CLICK,
        LOCATION: facts.destination or offer.url,
        TRANSACTION_ID: transaction_id,
        OFFER_ID: str(offer.id),
    }
    return Submission(app=event.app, events=[event], message="click recorded", context=context)
