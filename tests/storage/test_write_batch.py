"""The group-commit transaction on both engines: verdicts, claims, and nothing half-written."""

import asyncio
from collections.abc import Iterator
from decimal import Decimal

import pytest
import sqlalchemy as sa

from postback.model import (
    Outcome,
    Reason,
    Rejection,
    SequenceClaim,
)
from postback.storage.base import Database, open_database
from postback.storage.batch import WriteJob, write_batch
from postback.storage.migrate import migrate
from postback.storage.schema import daily_event_totals, events, outcomes
from postback.storage.writer import GroupCommitWriter
from support.jobs import NOW, count, event, job, raw


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    database = open_database(database_url)
    migrate(database)
    yield database
    database.dispose()


def reasons(outcomes_: list) -> list[Reason]:  # type: ignore[type-arg]
    return [outcome.reason for outcome in outcomes_]


def test_every_job_gets_an_outcome_and_its_rows(database: Database) -> None:
    rejected = WriteJob("test", raw(), NOW, Rejection(reason=Reason.INVALID, message="bad"))
    answers = write_batch(database, [job(event("a")), rejected, job(event("b"), event("c"))])
    assert reasons(answers) == [Reason.ACCEPTED, Reason.INVALID, Reason.ACCEPTED]
    assert [len(answer.event_ids) for answer in answers] == [1, 0, 2]
    assert all(answer.outcome_id for answer in answers)
    assert count(database, outcomes) == 3
    assert count(database, events) == 3


def test_dedup_key_is_taken_once_within_and_across_batches(database: Database) -> None:
    first = write_batch(database, [job(event(dedup_key="k")), job(event(dedup_key="k"))])
    again = write_batch(database, [job(event(dedup_key="k"))])
    assert reasons(first + again) == [Reason.ACCEPTED, Reason.DUPLICATE, Reason.DUPLICATE]
    assert count(database, events) == 1


def test_sequence_stores_first_and_strict_increases_only(database: Database) -> None:
    levels = [(1, 0), (1, 0), (1, 2), (1, 1), (2, 0), (0, 9), (2, 1)]
    claims = [job(event(sequence=SequenceClaim("p:1", major, minor))) for major, minor in levels]
    answers = write_batch(database, claims)
    assert reasons(answers) == [
        Reason.ACCEPTED, Reason.DISCARDED, Reason.ACCEPTED, Reason.DISCARDED,
        Reason.ACCEPTED, Reason.DISCARDED, Reason.ACCEPTED,
    ]  # fmt: skip
    other_scope = write_batch(database, [job(event(sequence=SequenceClaim("p:3", 1, 0)))])
    assert reasons(other_scope) == [Reason.ACCEPTED]


def test_rate_limit_counts_requests_per_app_and_minute(database: Database) -> None:
    answers = write_batch(database, [job(event(), rate_limit=3) for _ in range(5)])
    assert reasons(answers) == [Reason.ACCEPTED] * 3 + [Reason.RATE_LIMITED] * 2
    later = write_batch(database, [job(event(), rate_limit=3)])
    assert reasons(later) == [Reason.RATE_LIMITED]
    assert count(database, events) == 3


def test_daily_totals_follow_the_inserts(database: Database) -> None:
    purchase = event("buy", revenue=Decimal("1.25"), currency="USD")
    purchase.reporting_revenue = Decimal("1.25")
    write_batch(database, [job(purchase), job(event("buy")), job(event("open"))])
    with database.reader.connect() as connection:
        totals = {
            row.name: (row.events, row.reporting_revenue_micros)
            for row in connection.execute(sa.select(daily_event_totals))
        }
    assert totals == {"buy": (2, 1_250_000), "open": (1, 0)}


def test_a_failing_request_does_not_take_its_batch_down(database: Database) -> None:
    """One request the database refuses becomes an internal error; the others are stored."""
    unstorable = event("huge", revenue=Decimal(10) ** 15, currency="USD")
    jobs = [job(event("a")), job(unstorable), job(event("b"))]
    writer = GroupCommitWriter(database, max_batch_size=64)
    writer.start()
    try:
        answers = asyncio.run(_submit_together(writer, jobs))
    finally:
        writer.stop()
    assert reasons(answers) == [Reason.ACCEPTED, Reason.INTERNAL_ERROR, Reason.ACCEPTED]
    with database.reader.connect() as connection:
        names = sorted(connection.execute(sa.select(events.c.name)).scalars())
        recorded = sorted(connection.execute(sa.select(outcomes.c.reason)).scalars())
    assert names == ["a", "b"]
    assert recorded == ["accepted", "accepted", "internal_error"]


async def _submit_together(writer: GroupCommitWriter, jobs: list[WriteJob]) -> list[Outcome]:
    return list(await asyncio.gather(*(writer.submit(one) for one in jobs)))
