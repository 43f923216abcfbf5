"""`/postback?secure=TOKEN&transaction_id=…[&event_id=…|&event_name=…]`: a conversion or event.

What the dialect decides here: the token (403), the parameters (400), the transaction id's
shape and offer, the event (404), the money. What needs earlier rows (the click exists, the
conversion exists, once per click) is decided by the database: see `Event.requires`.
"""

from __future__ import annotations

from decimal import Decimal

from postback.dialects._common import IngestRequest, Refusal
from postback.dialects.affiliate.facts import (
    ADV_SUBS,
    DIALECT,
    EVENT_ID,
    EVENT_NAME,
    OFFER_ID,
    POSTBACK,
    REQUEST,
    TRANSACTION_ID,
    ConversionFacts,
    as_properties,
    click_key,
    conversion_key,
    event_key,
    offer_of_transaction,
)
from postback.dialects.affiliate.money import earnings
from postback.dialects.affiliate.network import EventView, NetworkLookup, OfferView, TokenView
from postback.dialects.affiliate.params import Params
from postback.model import Event, EventKind, Reason, Rejection, Requirement, Submission

METHODS = ("GET", "POST")
UNKNOWN_TRANSACTION = "unknown transaction_id: no click issued it"
NO_CONVERSION = "no_conversion: the transaction has no conversion yet"
DEVICE_ID = "device_id"


def handle_postback(request: IngestRequest, network: NetworkLookup) -> Submission | Rejection:
    context = {REQUEST: POSTBACK}
    offer: OfferView | None = None
    try:
        if request.method not in METHODS:
            raise Refusal(Reason.METHOD_NOT_ALLOWED, f"method {request.method}: use GET or POST")
        params = Params.of(request)
        token = _token(params, network)
        transaction_id = _transaction_id(params)
        context[TRANSACTION_ID] = transaction_id
        offer = _offer(network, transaction_id, token)
        context[OFFER_ID] = str(offer.id)
        event = _event(params, offer)
        if event is not None:
            context.update({EVENT_ID: str(event.id), EVENT_NAME: event.name})
        if not token.allows(offer.id, event.id if event is not None else None):
            raise Refusal(Reason.FORBIDDEN, "secure: this token is not valid for this event")
        stored = _stored_event(request, params, offer, event, transaction_id)
    except Refusal as refusal:
        app = offer.app or "" if offer is not None else None
        return Rejection(reason=refusal.reason, message=refusal.message, app=app, context=context)
    message = "conversion recorded" if event is None else "event recorded"
    return Submission(app=stored.app, events=[stored], message=message, context=context)


def _token(params: Params, network: NetworkLookup) -> TokenView:
    given = params.text("secure")
    if given is None:
        raise Refusal(Reason.UNAUTHENTICATED, "secure: the postback token is missing")
    token = network.token(given)
    if token is None:
        raise Refusal(Reason.FORBIDDEN, "secure: not a valid postback token")
    return token


def _transaction_id(params: Params) -> str:
    transaction_id = params.text("transaction_id")
    if transaction_id is None:
        raise Refusal(Reason.INVALID, "transaction_id: required, the id the click was given")
    return transaction_id


def _offer(network: NetworkLookup, transaction_id: str, token: TokenView) -> OfferView:
    offer_id = offer_of_transaction(transaction_id)
    offer = network.offer(offer_id) if offer_id is not None else None
    if offer is None:
        raise Refusal(Reason.NOT_FOUND, UNKNOWN_TRANSACTION)
    if token.offer_id not in (None, offer.id):
        raise Refusal(Reason.FORBIDDEN, "secure: this token is not valid for the offer")
    return offer


def _event(params: Params, offer: OfferView) -> EventView | None:
    """None for the base conversion; else the event `event_id` and/or `event_name` names."""
    by_id = _event_by_id(params, offer)
    by_name = _event_by_name(params, offer)
    if by_id is not None and by_name is not None and by_id.id != by_name.id:
        raise Refusal(Reason.INVALID, "event_id and event_name name different events")
    return by_id or by_name


def _event_by_id(params: Params, offer: OfferView) -> EventView | None:
    text = params.text("event_id")
    if text is None:
        return None
    event_id = params.identifier("event_id")
    if event_id is None:
        raise Refusal(Reason.INVALID, "event_id: must be a whole number")
    event = offer.events.get(event_id)
    if event is None:
        raise Refusal(Reason.NOT_FOUND, f"unknown event: event_id {event_id} of offer {offer.id}")
    return event


def _event_by_name(params: Params, offer: OfferView) -> EventView | None:
    name = params.exact("event_name")
    if not name:
        return None
    event = offer.events_by_name.get(name)
    if event is None:
        raise Refusal(Reason.NOT_FOUND, f"unknown event: no event of offer {offer.id} is so named")
    return event


def _sale(params: Params) -> Decimal | None:
    """`purchase_value`, or its alias `amount`; when both are sent they must agree."""
    purchase_value = params.amount("purchase_value")
    amount = params.amount("amount")
    if purchase_value is not None and amount is not None and purchase_value != amount:
        raise Refusal(Reason.INVALID, "purchase_value and amount differ: send one of them")
    return purchase_value if purchase_value is not None else amount


def _facts(
    params: Params, offer: OfferView, event: EventView | None, transaction_id: str
) -> ConversionFacts:
    rules = offer if event is None else event
    sale = _sale(params)
    money = earnings(rules.revenue, rules.payout, sale)
    facts = ConversionFacts(
        transaction_id=transaction_id,
        offer_id=offer.id,
        event_id=event.id if event is not None else None,
        event_name=event.name if event is not None else None,
        currency=offer.currency,
        purchase_value=sale,
        revenue=money.revenue,
        payout=money.payout,
        profit=money.profit,
        external_transaction_id=params.text("external_transaction_id"),
        user_email=params.text("user_email"),
        device_id=params.text(DEVICE_ID),
    )
    for name in ADV_SUBS:
        setattr(facts, name, params.text(name))
    return facts


def _stored_event(
    request: IngestRequest,
    params: Params,
    offer: OfferView,
    event: EventView | None,
    transaction_id: str,
) -> Event:
    facts = _facts(params, offer, event, transaction_id)
    ids = {TRANSACTION_ID: transaction_id}
    if facts.device_id is not None:
        ids[DEVICE_ID] = facts.device_id
    stored = Event(
        app=offer.app or "",
        dialect=DIALECT,
        kind=EventKind.CONVERSION if event is None else EventKind.EVENT,
        name="conversion" if event is None else event.name,
        event_time_ms=request.received_at_ms,
        received_at_ms=request.received_at_ms,
        ids=ids,
        revenue=facts.revenue,
        currency=offer.currency,
        properties=as_properties(facts),
    )
    _claims(stored, event, transaction_id)
    return stored


def _claims(stored: Event, event: EventView | None, transaction_id: str) -> None:
    """Once per click for the conversion, and for an event unless it allows multiples."""
    stored.requires.append(
        Requirement(click_key(transaction_id), Reason.NOT_FOUND, UNKNOWN_TRANSACTION)
    )
    if event is None:
        stored.dedup_key = conversion_key(transaction_id)
        return
    stored.requires.append(
        Requirement(conversion_key(transaction_id), Reason.CONFLICT, NO_CONVERSION)
    )
    if not event.allow_multiple:
        stored.dedup_key = event_key(transaction_id, event.id)
