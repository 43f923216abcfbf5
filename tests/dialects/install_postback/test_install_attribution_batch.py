"""Attribution inside the group-commit transaction, on both engines: batches, apps, id spellings."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from postback.model import AttributionSource, Event, EventKind, Reason
from postback.storage.attribution_queries import attribution_report
from postback.storage.base import Database, open_database
from postback.storage.batch import write_batch
from postback.storage.migrate import migrate
from postback.storage.queries import EventFilter, find_events
from support.jobs import NOW, job

GAID = "01234567-89ab-cdef-0123-456789abcdef"


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    database = open_database(database_url)
    migrate(database)
    yield database
    database.dispose()


def install(ids: dict[str, str], publisher: str = "Pub", app: str = "gems") -> Event:
    source = AttributionSource(
        publisher=publisher, campaign="Camp", cost=Decimal("0.5"), reporting_cost=Decimal("0.5")
    )
    return Event(
        app=app, dialect="install_postback", kind=EventKind.INSTALL, name="install",
        event_time_ms=NOW, received_at_ms=NOW, ids=ids, attribution_source=source,
    )  # fmt: skip


def purchase(ids: dict[str, str], revenue: str = "2", app: str = "gems") -> Event:
    return Event(
        app=app, dialect="test", kind=EventKind.PURCHASE, name="buy", event_time_ms=NOW,
        received_at_ms=NOW, ids=ids, revenue=Decimal(revenue), currency="USD",
        reporting_revenue=Decimal(revenue),
    )  # fmt: skip


def publishers(database: Database) -> dict[str, str | None]:
    """Each stored event's name and id, and the publisher it is attributed to."""
    page = find_events(database, EventFilter(limit=1000))
    return {
        f"{event.app}/{event.name}/{event.id}": (
            event.attribution.publisher if event.attribution else None
        )
        for event in page.events
    }


def test_an_event_in_the_same_batch_as_its_install_is_attributed(database: Database) -> None:
    answers = write_batch(
        database,
        [
            job(purchase({"gaid": GAID})),
            job(install({"gaid": GAID})),
            job(purchase({"gaid": GAID})),
        ],
    )
    assert [answer.reason for answer in answers] == [Reason.ACCEPTED] * 3
    assert publishers(database) == {
        "gems/buy/3": "Pub",
        "gems/install/2": "Pub",
        "gems/buy/1": "Pub",
    }
    [group] = attribution_report(database, None, None, None, "USD").groups
    assert (group.installs, group.events, group.revenue, group.roas) == (1, 2, 4, 8)


def test_two_installs_of_one_device_in_one_batch_the_first_keeps_it(database: Database) -> None:
    write_batch(
        database,
        [
            job(install({"gaid": GAID}, publisher="A")),
            job(install({"gaid": GAID}, publisher="B")),
            job(purchase({"gaid": GAID})),
        ],
    )
    assert publishers(database) == {"gems/buy/3": "A", "gems/install/2": "B", "gems/install/1": "A"}


def test_ids_leading_to_several_installs_pick_the_earliest(database: Database) -> None:
    write_batch(database, [job(install({"customer_user_id": "u1"}, publisher="Early"))])
    write_batch(database, [job(install({"gaid": GAID}, publisher="Late"))])
    write_batch(database, [job(purchase({"gaid": GAID, "customer_user_id": "u1"}))])
    assert publishers(database)["gems/buy/3"] == "Early"


def test_device_uuids_match_whatever_their_spelling(database: Database) -> None:
    write_batch(
        database, [job(install({"gaid": GAID, "ifa": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"}))]
    )
    write_batch(
        database,
        [
            job(purchase({"gaid": GAID.upper()})),
            job(purchase({"ifa": "AAAAAAAABBBBCCCCDDDDEEEEEEEEEEEE"})),
            job(purchase({"uuid": GAID.upper()})),
        ],
    )
    assert publishers(database) == {
        "gems/buy/4": None,
        "gems/buy/3": "Pub",
        "gems/buy/2": "Pub",
        "gems/install/1": "Pub",
    }


def test_an_install_attributes_only_its_own_app(database: Database) -> None:
    write_batch(database, [job(install({"customer_user_id": "u1"}))])
    write_batch(database, [job(purchase({"customer_user_id": "u1"}, app="other"), app="other")])
    assert publishers(database) == {"other/buy/2": None, "gems/install/1": "Pub"}


def test_the_same_id_value_under_another_type_does_not_match(database: Database) -> None:
    write_batch(database, [job(install({"customer_user_id": "shared-value"}))])
    write_batch(database, [job(purchase({"af_web_id": "shared-value"}))])
    assert publishers(database)["gems/buy/2"] is None


def test_a_duplicate_install_adds_nothing(database: Database) -> None:
    repeated = install({"gaid": GAID})
    repeated.dedup_key = "trk-1"
    again = install({"gaid": GAID})
    again.dedup_key = "trk-1"
    answers = write_batch(database, [job(repeated), job(again)])
    assert [answer.reason for answer in answers] == [Reason.ACCEPTED, Reason.DUPLICATE]
    [group] = attribution_report(database, "gems", None, None, "USD").groups
    assert (group.installs, group.cost) == (1, Decimal("0.5"))
