"""One group commit: every request of a batch gets its verdict and its rows in one transaction."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

import sqlalchemy as sa

from postback.model import (
    Event,
    IdentityLink,
    Outcome,
    RawRequest,
    Reason,
    Rejection,
    Requirement,
    Submission,
)
from postback.storage import rows
from postback.storage.affiliate import record_affiliate_outcome
from postback.storage.attribution import record_attribution
from postback.storage.base import Database
from postback.storage.chartboost_rules import track_level
from postback.storage.driver import (
    add_counts,
    execute_many,
    insert_into,
    insert_returning_ids,
)
from postback.storage.orders import apply_order_changes
from postback.storage.rules import (
    RateClaim,
    claim_dedup_key,
    claim_rate_limits,
    claim_sequence,
    unmet_requirement,
)
from postback.storage.schema import (
    daily_event_totals,
    daily_outcome_totals,
    event_identities,
    events,
    identity_links,
    outcomes,
)

DUPLICATE_MESSAGE = "duplicate: already recorded"
DISCARDED_MESSAGE = "discarded: not above the current value"
RATE_LIMITED_MESSAGE = "rate limit exceeded: too many requests this minute"

# Dialect writes that share the transaction, run on each event about to be stored.
KeptEventHook = Callable[[sa.Connection, Database, Event], None]
KEPT_EVENT_HOOKS: dict[str, KeptEventHook] = {"chartboost": track_level}

# Dialect writes that share the transaction, run on every recorded request of the dialect,
# accepted or not, once its outcome and kept events have their ids.
OutcomeHook = Callable[[sa.Connection, Database, "WriteJob", Outcome, list[Event]], None]
OUTCOME_HOOKS: dict[str, OutcomeHook] = {"affiliate": record_affiliate_outcome}


@dataclass(slots=True)
class WriteJob:
    """One request to record: what arrived, and what its dialect made of it."""

    dialect: str
    raw: RawRequest
    received_at_ms: int
    result: Submission | Rejection


@dataclass(slots=True)
class _Verdict:
    job: WriteJob
    outcome: Outcome
    events: list[Event] = field(default_factory=list)
    links: list[IdentityLink] = field(default_factory=list)


def write_batch(
    database: Database,
    jobs: Sequence[WriteJob],
    while_locked: Callable[[], AbstractContextManager[None]] = contextlib.nullcontext,
) -> list[Outcome]:
    """Write every job in one transaction and commit; return each job's outcome.

    `while_locked` is held from when the write lock is taken until the commit.
    """
    with database.write_lock(), while_locked(), database.writer.begin() as connection:
        verdicts = _decide(connection, database, jobs)
        _insert(connection, database, verdicts)
    return [verdict.outcome for verdict in verdicts]


def _decide(
    connection: sa.Connection, database: Database, jobs: Sequence[WriteJob]
) -> list[_Verdict]:
    submissions = [job.result if isinstance(job.result, Submission) else None for job in jobs]
    allowed = claim_rate_limits(connection, database, [_rate_claim(job) for job in jobs])
    verdicts = []
    for job, submission, within_limit in zip(jobs, submissions, allowed, strict=True):
        if submission is None:
            assert isinstance(job.result, Rejection)
            outcome = Outcome(reason=job.result.reason, message=job.result.message)
            verdicts.append(_Verdict(job, outcome))
        elif not within_limit:
            outcome = Outcome(reason=Reason.RATE_LIMITED, message=RATE_LIMITED_MESSAGE)
            verdicts.append(_Verdict(job, outcome))
        else:
            verdicts.append(_claim_events(connection, database, job, submission))
        verdicts[-1].outcome.app = job.result.app
        verdicts[-1].outcome.context = job.result.context
    return verdicts


def _run_kept_event_hook(connection: sa.Connection, database: Database, event: Event) -> None:
    hook = KEPT_EVENT_HOOKS.get(event.dialect)
    if hook is not None:
        hook(connection, database, event)


def _rate_claim(job: WriteJob) -> RateClaim | None:
    result = job.result
    if not isinstance(result, Submission) or result.rate_limit_per_minute is None:
        return None
    return RateClaim(result.app, job.dialect, job.received_at_ms, result.rate_limit_per_minute)


def _claim_events(
    connection: sa.Connection, database: Database, job: WriteJob, submission: Submission
) -> _Verdict:
    """Keep the events whose requirements hold and whose claims win; name the verdict."""
    kept, refusals, unmet = [], Counter[Reason](), list[Requirement]()
    for event in submission.events:
        if (missing := unmet_requirement(connection, database, event)) is not None:
            unmet.append(missing)
        elif event.dedup_key is not None and not claim_dedup_key(connection, database, event):
            refusals[Reason.DUPLICATE] += 1
        elif event.sequence is not None and not claim_sequence(connection, database, event):
            refusals[Reason.DISCARDED] += 1
        else:
            kept.append(event)
            _run_kept_event_hook(connection, database, event)
    if kept or not (refusals or unmet):
        outcome = Outcome(reason=Reason.ACCEPTED, message=submission.message)
        return _Verdict(job, outcome, kept, submission.links)
    if unmet:
        return _Verdict(job, Outcome(reason=unmet[0].reason, message=unmet[0].message))
    if refusals[Reason.DUPLICATE]:
        return _Verdict(job, Outcome(reason=Reason.DUPLICATE, message=DUPLICATE_MESSAGE))
    return _Verdict(job, Outcome(reason=Reason.DISCARDED, message=DISCARDED_MESSAGE))


def _insert(connection: sa.Connection, database: Database, verdicts: list[_Verdict]) -> None:
    outcome_rows = [rows.outcome_row(v.job, v.outcome) for v in verdicts]
    outcome_ids = insert_returning_ids(connection, database, INSERT_OUTCOME, outcome_rows)
    for verdict, outcome_id in zip(verdicts, outcome_ids, strict=True):
        verdict.outcome.outcome_id = outcome_id
    pending = [(verdict, event) for verdict in verdicts for event in verdict.events]
    apply_order_changes(connection, database, [(v.outcome.outcome_id, e) for v, e in pending])
    event_rows = [rows.event_row(event, verdict.outcome.outcome_id) for verdict, event in pending]
    event_ids = insert_returning_ids(connection, database, INSERT_EVENT, event_rows)
    for (verdict, _), event_id in zip(pending, event_ids, strict=True):
        verdict.outcome.event_ids.append(event_id)
    stored = [(event, event_id) for (_, event), event_id in zip(pending, event_ids, strict=True)]
    _insert_identities(connection, database, stored)
    record_attribution(connection, database, stored)
    _insert_links(connection, database, verdicts)
    _add_daily_totals(connection, database, verdicts, [event for event, _ in stored])
    _run_outcome_hooks(connection, database, verdicts)


def _run_outcome_hooks(
    connection: sa.Connection, database: Database, verdicts: list[_Verdict]
) -> None:
    for verdict in verdicts:
        hook = OUTCOME_HOOKS.get(verdict.job.dialect)
        if hook is not None:
            hook(connection, database, verdict.job, verdict.outcome, verdict.events)


def _insert_identities(
    connection: sa.Connection, database: Database, stored: list[tuple[Event, int]]
) -> None:
    values = [
        {"id_value": value, "event_id": event_id, "id_type": kind, "app": event.app}
        for event, event_id in stored
        for kind, value in event.ids.items()
    ]
    execute_many(connection, database, INSERT_IDENTITY, values)


def _insert_links(connection: sa.Connection, database: Database, verdicts: list[_Verdict]) -> None:
    values = {
        (verdict.outcome.app, link): rows.link_row(verdict.outcome.app or "", link, verdict.job)
        for verdict in verdicts
        for link in verdict.links
    }
    execute_many(connection, database, INSERT_LINK, list(values.values()))


def _add_daily_totals(
    connection: sa.Connection, database: Database, verdicts: list[_Verdict], stored: list[Event]
) -> None:
    execute_many(connection, database, ADD_EVENT_TOTALS, rows.daily_event_totals(stored))
    outcome_totals = rows.daily_outcome_totals([(v.job, v.outcome) for v in verdicts])
    execute_many(connection, database, ADD_OUTCOME_TOTALS, outcome_totals)


INSERT_OUTCOME = insert_into(outcomes, returning="id")
INSERT_EVENT = insert_into(events, returning="id")
INSERT_IDENTITY = insert_into(event_identities)
INSERT_LINK = insert_into(identity_links, skip_existing=True)
ADD_EVENT_TOTALS = add_counts(
    daily_event_totals,
    ["day", "app", "dialect", "kind", "name"],
    ["events", "reporting_revenue_micros"],
)
ADD_OUTCOME_TOTALS = add_counts(
    daily_outcome_totals, ["day", "app", "dialect", "reason"], ["requests"]
)
