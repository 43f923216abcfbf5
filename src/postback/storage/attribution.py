"""Installs attribute the later events of their devices, inside the write transaction.

An event carrying an `attribution_source` (an install) stores its device ids; the first
install recorded for an (app, id type, id value) owns it. Every stored event carrying one
of those ids (in the same batch or later, from any node) is attributed to that install —
the earliest recorded one when its ids lead to several. Installs attribute themselves.
Daily totals by (install day, app, publisher, campaign) are kept in the same transaction.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec
import sqlalchemy as sa

from postback.model import AttributionSource, Event
from postback.storage.base import Database
from postback.storage.driver import Prepared, add_counts, execute, execute_many, insert_into
from postback.storage.rows import day_of, to_micros
from postback.storage.schema import (
    daily_attribution_totals,
    event_attribution,
    install_devices,
    installs,
)

UUID_ID_TYPES = frozenset({"gaid", "ifa", "ifv", "windows_aid"})
HEX_DIGITS = frozenset("0123456789abcdef")
LOOKUP_CHUNK = 256
TOTAL_COLUMNS = ("installs", "cost_micros", "reporting_cost_micros", "events", "revenue_micros")
ENCODER = msgspec.json.Encoder()

DeviceKey = tuple[str, str, str]  # app, id type, id value


@dataclass(frozen=True, slots=True)
class Install:
    event_id: int
    publisher: str
    campaign: str | None
    campaign_id: str | None
    day: int

    @property
    def campaign_label(self) -> str:
        """What reports group by: the campaign name, else its id, else empty."""
        return self.campaign or self.campaign_id or ""


def record_attribution(
    connection: sa.Connection, database: Database, stored: Sequence[tuple[Event, int]]
) -> None:
    """Store new installs, attribute each stored event to its device's install, add totals."""
    _insert_installs(connection, database, stored)
    owners = _device_owners(
        connection, database, [event for event, _ in stored if not _is_install(event)]
    )
    attributed = list(_attribute(stored, owners))
    if attributed:
        rows = [_attribution_row(*a) for a in attributed]
        execute_many(connection, database, INSERT_ATTRIBUTION, rows)
        _add_totals(connection, database, attributed)


def match_value(id_type: str, value: str) -> str:
    """Device UUIDs compare in canonical form (lowercase 8-4-4-4-12), whatever their spelling."""
    if id_type not in UUID_ID_TYPES:
        return value
    digits = value.replace("-", "").lower()
    if len(digits) != 32 or not HEX_DIGITS.issuperset(digits):
        return value
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def _is_install(event: Event) -> bool:
    return event.attribution_source is not None


def _source(event: Event) -> AttributionSource:
    assert event.attribution_source is not None
    return event.attribution_source


def _install_of(event: Event, event_id: int) -> Install:
    source = _source(event)
    day = day_of(event.event_time_ms)
    return Install(event_id, source.publisher, source.campaign, source.campaign_id, day)


def _device_keys(event: Event) -> list[DeviceKey]:
    return [(event.app, kind, match_value(kind, value)) for kind, value in event.ids.items()]


def _insert_installs(
    connection: sa.Connection, database: Database, stored: Sequence[tuple[Event, int]]
) -> None:
    new = [(event, event_id) for event, event_id in stored if _is_install(event)]
    if not new:
        return
    rows = [_install_row(event, event_id) for event, event_id in new]
    execute_many(connection, database, INSERT_INSTALL, rows)
    devices: dict[DeviceKey, dict[str, object]] = {}
    for event, event_id in new:
        for key in _device_keys(event):
            devices.setdefault(key, _device_row(key, event_id, event.received_at_ms))
    execute_many(connection, database, CLAIM_DEVICE, list(devices.values()))


def _install_row(event: Event, event_id: int) -> dict[str, object]:
    source = _source(event)
    return {
        "event_id": event_id,
        "app": event.app,
        "publisher": source.publisher,
        "campaign": source.campaign,
        "campaign_id": source.campaign_id,
        "sub_parameters": ENCODER.encode(source.sub_parameters).decode(),
        "install_time_ms": event.event_time_ms,
        "cost_micros": to_micros(source.cost),
        "reporting_cost_micros": to_micros(source.reporting_cost),
    }


def _device_row(key: DeviceKey, event_id: int, created_at_ms: int) -> dict[str, object]:
    app, id_type, id_value = key
    return {
        "app": app,
        "id_value": id_value,
        "id_type": id_type,
        "install_event_id": event_id,
        "created_at_ms": created_at_ms,
    }


def _device_owners(
    connection: sa.Connection, database: Database, carriers: list[Event]
) -> dict[DeviceKey, Install]:
    """The recorded install owning each device id the events carry."""
    wanted = {key for event in carriers for key in _device_keys(event)}
    values_by_app: dict[str, list[str]] = {}
    for app, _, value in sorted(wanted):
        values_by_app.setdefault(app, []).append(value)
    owners: dict[DeviceKey, Install] = {}
    for app, values in values_by_app.items():
        for chunk in _chunks(values, LOOKUP_CHUNK):
            for row in _owner_rows(connection, database, app, chunk):
                id_type, id_value, event_id, publisher, campaign, campaign_id, at_ms = row
                key = (app, id_type, id_value)
                if key in wanted:
                    day = day_of(at_ms)
                    owners[key] = Install(event_id, publisher, campaign, campaign_id, day)
    return owners


def _owner_rows(
    connection: sa.Connection, database: Database, app: str, values: list[str]
) -> list[tuple[Any, ...]]:
    """Rows of the installs owning any of the app's id values."""
    size = 1 << (len(values) - 1).bit_length()
    padded = values + values[-1:] * (size - len(values))
    row = {"app": app, **{f"v{i}": value for i, value in enumerate(padded)}}
    return execute(connection, database, _owner_query(size), row)


@functools.cache
def _owner_query(size: int) -> Prepared:
    """The owners lookup for `size` id values (sizes are powers of two, so few are compiled)."""
    return Prepared(
        lambda _: (
            sa.select(
                install_devices.c.id_type,
                install_devices.c.id_value,
                installs.c.event_id,
                installs.c.publisher,
                installs.c.campaign,
                installs.c.campaign_id,
                installs.c.install_time_ms,
            )
            .join(installs, installs.c.event_id == install_devices.c.install_event_id)
            .where(
                install_devices.c.app == sa.bindparam("app"),
                install_devices.c.id_value.in_([sa.bindparam(f"v{i}") for i in range(size)]),
            )
        )
    )


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _attribute(
    stored: Iterable[tuple[Event, int]], owners: dict[DeviceKey, Install]
) -> Iterator[tuple[Event, int, Install]]:
    for event, event_id in stored:
        if _is_install(event):
            yield event, event_id, _install_of(event, event_id)
            continue
        found = [owners[key] for key in _device_keys(event) if key in owners]
        if found:
            yield event, event_id, min(found, key=lambda install: install.event_id)


def _attribution_row(event: Event, event_id: int, install: Install) -> dict[str, object]:
    return {
        "event_id": event_id,
        "app": event.app,
        "install_event_id": install.event_id,
        "publisher": install.publisher,
        "campaign": install.campaign,
        "campaign_id": install.campaign_id,
    }


def _add_totals(
    connection: sa.Connection, database: Database, attributed: list[tuple[Event, int, Install]]
) -> None:
    totals: dict[tuple[int, str, str, str], Counter[str]] = {}
    for event, _, install in attributed:
        key = (install.day, event.app, install.publisher, install.campaign_label)
        totals.setdefault(key, Counter()).update(_contribution(event))
    rows = [_totals_row(key, counts) for key, counts in sorted(totals.items())]
    execute_many(connection, database, ADD_TOTALS, rows)


def _contribution(event: Event) -> dict[str, int]:
    if event.attribution_source is None:
        return {"events": 1, "revenue_micros": to_micros(event.reporting_revenue) or 0}
    source = event.attribution_source
    return {
        "installs": 1,
        "cost_micros": to_micros(source.cost) or 0,
        "reporting_cost_micros": to_micros(source.reporting_cost) or 0,
    }


def _totals_row(key: tuple[int, str, str, str], counts: Counter[str]) -> dict[str, object]:
    day, app, publisher, campaign = key
    row: dict[str, object] = {"day": day, "app": app, "publisher": publisher, "campaign": campaign}
    return row | {name: counts[name] for name in TOTAL_COLUMNS}


INSERT_INSTALL = insert_into(installs)
CLAIM_DEVICE = insert_into(install_devices, skip_existing=True)
INSERT_ATTRIBUTION = insert_into(event_attribution)
ADD_TOTALS = add_counts(
    daily_attribution_totals, ["day", "app", "publisher", "campaign"], TOTAL_COLUMNS
)
