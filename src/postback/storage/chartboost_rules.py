"""Chartboost's writes inside the group-commit transaction: labels, label conflicts, levels.

`track_level` runs on each chartboost event about to be stored (its sequence claim, if any,
has already won). It reads the level from the event's properties as the dialect writes them
(`event_field`, `event_label`, `main_level`, `sub_level`, `description`, `player`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from postback.model import Event, EventKind
from postback.storage.base import Database, Insert
from postback.storage.driver import Prepared, execute, insert_into
from postback.storage.schema import chartboost_label_conflicts, chartboost_labels, chartboost_levels

LABEL_CONFLICT_FLAG = "label_conflict"


@dataclass(frozen=True, slots=True)
class _Level:
    app: str
    event_field: int
    label: str
    player: str
    main_level: int
    sub_level: int
    description: str | None
    at_ms: int
    sequential: bool

    @classmethod
    def of(cls, event: Event) -> _Level:
        properties = event.properties
        return cls(
            app=event.app,
            event_field=properties["event_field"],
            label=properties["event_label"],
            player=properties["player"],
            main_level=properties["main_level"],
            sub_level=properties["sub_level"],
            description=properties.get("description"),
            at_ms=event.received_at_ms,
            sequential=event.sequence is not None,
        )


def track_level(connection: sa.Connection, database: Database, event: Event) -> None:
    """Check the label against its field's first label; move the player's current level."""
    if event.kind != EventKind.LEVEL:
        return
    level = _Level.of(event)
    first_label = _first_label(connection, database, level)
    if first_label != level.label:
        event.flags.append(LABEL_CONFLICT_FLAG)
        event.properties["first_label"] = first_label
        _count_conflict(connection, database, level)
    _set_current_level(connection, database, level)


def _first_label(connection: sa.Connection, database: Database, level: _Level) -> str:
    """The (app, field)'s first label; this one if none was stored yet (first writer wins)."""
    key = {"app": level.app, "event_field": level.event_field}
    stored = execute(connection, database, STORED_LABEL, key)
    if not stored:
        row = {**key, "label": level.label, "first_seen_ms": level.at_ms}
        execute(connection, database, KEEP_FIRST_LABEL, row)
        stored = execute(connection, database, STORED_LABEL, key)
    return str(stored[0][0])


STORED_LABEL = Prepared(
    lambda _: sa.select(chartboost_labels.c.label).where(
        chartboost_labels.c.app == sa.bindparam("app"),
        chartboost_labels.c.event_field == sa.bindparam("event_field"),
    )
)
KEEP_FIRST_LABEL = insert_into(chartboost_labels, skip_existing=True)


def _count_conflict(connection: sa.Connection, database: Database, level: _Level) -> None:
    row = {
        "app": level.app,
        "event_field": level.event_field,
        "label": level.label,
        "events": 1,
        "first_seen_ms": level.at_ms,
        "last_seen_ms": level.at_ms,
    }
    execute(connection, database, COUNT_CONFLICT, row)


def _count_conflict_statement(insert: Insert) -> Any:
    table = chartboost_label_conflicts
    statement = insert(table)
    return statement.on_conflict_do_update(
        index_elements=["app", "event_field", "label"],
        set_={
            "events": table.c.events + statement.excluded.events,
            "last_seen_ms": statement.excluded.last_seen_ms,
        },
    )


COUNT_CONFLICT = Prepared(
    _count_conflict_statement,
    ["app", "event_field", "label", "events", "first_seen_ms", "last_seen_ms"],
)


def _set_current_level(connection: sa.Connection, database: Database, level: _Level) -> None:
    """Sequential fields only move up (as their claim did); the others take the latest value."""
    row = {
        "app": level.app,
        "event_field": level.event_field,
        "player": level.player,
        "main_level": level.main_level,
        "sub_level": level.sub_level,
        "label": level.label,
        "description": level.description,
        "updated_at_ms": level.at_ms,
    }
    statement = RAISE_LEVEL if level.sequential else SET_LEVEL
    execute(connection, database, statement, row)


def _set_level_statement(insert: Insert, sequential: bool) -> Any:
    table = chartboost_levels
    statement = insert(table)
    excluded = statement.excluded
    columns = ("main_level", "sub_level", "label", "description", "updated_at_ms")
    where: Any = None
    if sequential:
        current = sa.tuple_(table.c.main_level, table.c.sub_level)
        where = sa.tuple_(excluded.main_level, excluded.sub_level) > current
    return statement.on_conflict_do_update(
        index_elements=["app", "event_field", "player"],
        set_={name: excluded[name] for name in columns},
        where=where,
    )


LEVEL_COLUMNS = [
    "app",
    "event_field",
    "player",
    "main_level",
    "sub_level",
    "label",
    "description",
    "updated_at_ms",
]
SET_LEVEL = Prepared(lambda insert: _set_level_statement(insert, False), LEVEL_COLUMNS)
RAISE_LEVEL = Prepared(lambda insert: _set_level_statement(insert, True), LEVEL_COLUMNS)
