"""The affiliate dialect's rows, written inside the group commit (batch.OUTCOME_HOOKS).

A recorded click becomes its `affiliate_clicks` row. A postback becomes an
`affiliate_conversions` row (approved, or rejected when a rule refused it on an existing
click), and the day's totals or refusals for its offer, affiliate (from the click row) and
event move in the same transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from postback.dialects.affiliate.facts import (
    ADV_SUBS,
    CLICK,
    EVENT_ID,
    OFFER_ID,
    POSTBACK,
    REQUEST,
    TRANSACTION_ID,
    ConversionFacts,
    click_facts,
    conversion_facts,
    wire_reason,
)
from postback.model import Event, Outcome, Reason, Submission
from postback.storage.base import Database
from postback.storage.driver import Prepared, add_counts, execute, insert_into
from postback.storage.rows import day_of, to_micros
from postback.storage.schema import (
    affiliate_clicks,
    affiliate_conversions,
    affiliate_daily_refusals,
    affiliate_daily_totals,
)

if TYPE_CHECKING:
    from postback.storage.batch import WriteJob

APPROVED = "approved"
REJECTED = "rejected"
UNKNOWN = 0
COUNTERS = ("clicks", "conversions", "events", "revenue_micros", "payout_micros")
TOTAL_KEYS = ["day", "offer_id", "aff_id", "offer_event_id"]


def record_affiliate_outcome(
    connection: sa.Connection,
    database: Database,
    job: WriteJob,
    outcome: Outcome,
    kept: list[Event],
) -> None:
    request = outcome.context.get(REQUEST)
    if request == CLICK and outcome.reason is Reason.ACCEPTED:
        _record_click(connection, database, outcome, kept[0])
    elif request == POSTBACK:
        _record_postback(connection, database, job, outcome, kept)


def _record_click(
    connection: sa.Connection, database: Database, outcome: Outcome, event: Event
) -> None:
    facts = click_facts(event.properties)
    values = _fields(facts)
    values.update(
        clicked_at_ms=event.received_at_ms,
        event_id=outcome.event_ids[0],
        outcome_id=outcome.outcome_id,
    )
    execute(connection, database, INSERT_CLICK, values)
    key = _key(event.received_at_ms, facts.offer_id, facts.aff_id, None)
    _add_totals(connection, database, key, clicks=1)


def _record_postback(
    connection: sa.Connection,
    database: Database,
    job: WriteJob,
    outcome: Outcome,
    kept: list[Event],
) -> None:
    aff_id = _affiliate_of(connection, database, outcome.context.get(TRANSACTION_ID))
    if outcome.reason is Reason.ACCEPTED:
        facts = conversion_facts(kept[0].properties)
        _insert_conversion(connection, database, job, outcome, facts, aff_id, kept[0])
        _count_conversion(connection, database, job, facts, aff_id)
        return
    submission = job.result
    if aff_id is not None and isinstance(submission, Submission):
        facts = conversion_facts(submission.events[0].properties)
        _insert_conversion(connection, database, job, outcome, facts, aff_id, None)
    _add_refusal(connection, database, job, outcome, aff_id)


def _count_conversion(
    connection: sa.Connection,
    database: Database,
    job: WriteJob,
    facts: ConversionFacts,
    aff_id: int | None,
) -> None:
    key = _key(job.received_at_ms, facts.offer_id, aff_id, facts.event_id)
    _add_totals(
        connection,
        database,
        key,
        **{"events" if facts.event_id is not None else "conversions": 1},
        revenue_micros=to_micros(facts.revenue),
        payout_micros=to_micros(facts.payout),
    )


def _affiliate_of(
    connection: sa.Connection, database: Database, transaction_id: str | None
) -> int | None:
    """The affiliate of the transaction's click; None when there is no such click."""
    if transaction_id is None:
        return None
    found = execute(connection, database, CLICK_AFFILIATE, {"transaction_id": transaction_id})
    return int(found[0][0]) if found else None


def _insert_conversion(
    connection: sa.Connection,
    database: Database,
    job: WriteJob,
    outcome: Outcome,
    facts: ConversionFacts,
    aff_id: int | None,
    stored: Event | None,
) -> None:
    approved = outcome.reason is Reason.ACCEPTED
    values: dict[str, Any] = {
        "transaction_id": facts.transaction_id,
        "offer_id": facts.offer_id,
        "aff_id": aff_id if aff_id is not None else UNKNOWN,
        "offer_event_id": facts.event_id,
        "event_name": facts.event_name,
        "status": APPROVED if approved else REJECTED,
        "reason": None if approved else wire_reason(outcome.reason),
        "currency": facts.currency,
        "purchase_value_micros": to_micros(facts.purchase_value),
        "revenue_micros": to_micros(facts.revenue),
        "payout_micros": to_micros(facts.payout),
        "profit_micros": to_micros(facts.profit),
        "external_transaction_id": facts.external_transaction_id,
        "user_email": facts.user_email,
        "device_id": facts.device_id,
        "received_at_ms": job.received_at_ms,
        "event_id": outcome.event_ids[0] if stored is not None else None,
        "outcome_id": outcome.outcome_id,
    }
    values.update({name: getattr(facts, name) for name in ADV_SUBS})
    execute(connection, database, INSERT_CONVERSION, values)


def _add_refusal(
    connection: sa.Connection,
    database: Database,
    job: WriteJob,
    outcome: Outcome,
    aff_id: int | None,
) -> None:
    context = outcome.context
    offer_id = int(context[OFFER_ID]) if OFFER_ID in context else None
    event_id = int(context[EVENT_ID]) if EVENT_ID in context else None
    values = _key(job.received_at_ms, offer_id, aff_id, event_id)
    values.update(reason=wire_reason(outcome.reason), requests=1)
    execute(connection, database, ADD_REFUSAL, values)


def _add_totals(
    connection: sa.Connection, database: Database, key: dict[str, Any], **counts: int | None
) -> None:
    values = {**key, **dict.fromkeys(COUNTERS, 0)}
    values.update({name: value or 0 for name, value in counts.items()})
    execute(connection, database, ADD_TOTALS, values)


def _key(
    time_ms: int, offer_id: int | None, aff_id: int | None, event_id: int | None
) -> dict[str, Any]:
    return {
        "day": day_of(time_ms),
        "offer_id": offer_id if offer_id is not None else UNKNOWN,
        "aff_id": aff_id if aff_id is not None else UNKNOWN,
        "offer_event_id": event_id if event_id is not None else UNKNOWN,
    }


def _fields(facts: Any) -> dict[str, Any]:
    return {name: getattr(facts, name) for name in facts.__struct_fields__}


INSERT_CLICK = insert_into(affiliate_clicks)
INSERT_CONVERSION = insert_into(affiliate_conversions)
CLICK_AFFILIATE = Prepared(
    lambda _: sa.select(affiliate_clicks.c.aff_id).where(
        affiliate_clicks.c.transaction_id == sa.bindparam("transaction_id")
    )
)
ADD_REFUSAL = add_counts(affiliate_daily_refusals, [*TOTAL_KEYS, "reason"], ["requests"])
ADD_TOTALS = add_counts(affiliate_daily_totals, TOTAL_KEYS, COUNTERS)
