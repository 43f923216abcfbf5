"""The reads behind the chartboost API: players' current levels and label conflicts."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

import msgspec
import sqlalchemy as sa

from postback.storage.base import Database
from postback.storage.queries import iso
from postback.storage.schema import chartboost_label_conflicts, chartboost_labels, chartboost_levels

CursorKey = tuple[str, int, str]


class PlayerLevel(msgspec.Struct, kw_only=True):
    """One player's current level on one event field of one app."""

    app: str
    event_field: int
    player: str
    main_level: int
    sub_level: int
    label: str
    description: str | None
    updated_at: str


class LevelPage(msgspec.Struct, kw_only=True):
    """`total` counts every player matching the filter, e.g. at level >= N on field F."""

    total: int
    levels: list[PlayerLevel]
    next_cursor: str | None


class LabelConflict(msgspec.Struct, kw_only=True):
    """A label sent for an event field whose first label was another one (accepted, flagged)."""

    app: str
    event_field: int
    first_label: str
    label: str
    events: int
    first_seen: str
    last_seen: str


class LabelConflicts(msgspec.Struct, kw_only=True):
    conflicts: list[LabelConflict]


@dataclass(frozen=True, kw_only=True)
class LevelFilter:
    app: str | None = None
    event_field: int | None = None
    player: str | None = None
    min_main_level: int | None = None
    after: CursorKey | None = None
    limit: int = 100


def find_levels(database: Database, where: LevelFilter) -> LevelPage:
    table = chartboost_levels
    conditions = _level_conditions(where)
    key = sa.tuple_(table.c.app, table.c.event_field, table.c.player)
    query = sa.select(table).where(*conditions)
    if where.after is not None:
        query = query.where(key > sa.tuple_(*where.after))
    query = query.order_by(table.c.app, table.c.event_field, table.c.player)
    counting = sa.select(sa.func.count()).select_from(table).where(*conditions)
    with database.reader.connect() as connection:
        total = int(connection.execute(counting).scalar_one())
        found = connection.execute(query.limit(where.limit + 1)).all()
    page = [_player_level(row) for row in found[: where.limit]]
    more = len(found) > where.limit
    return LevelPage(total=total, levels=page, next_cursor=_cursor(page[-1]) if more else None)


def find_label_conflicts(database: Database, app: str | None, limit: int) -> LabelConflicts:
    conflicts, labels = chartboost_label_conflicts, chartboost_labels
    query = sa.select(conflicts, labels.c.label.label("first_label")).join(
        labels,
        sa.and_(labels.c.app == conflicts.c.app, labels.c.event_field == conflicts.c.event_field),
    )
    if app is not None:
        query = query.where(conflicts.c.app == app)
    query = query.order_by(conflicts.c.app, conflicts.c.event_field, conflicts.c.label)
    with database.reader.connect() as connection:
        found = connection.execute(query.limit(limit)).all()
    return LabelConflicts(conflicts=[_label_conflict(row) for row in found])


def decode_cursor(cursor: str) -> CursorKey:
    """The position after which a page starts; ValueError when it is not one of ours."""
    try:
        key: CursorKey = msgspec.json.decode(
            base64.urlsafe_b64decode(cursor.encode()), type=CursorKey
        )
    except (binascii.Error, msgspec.DecodeError, ValueError, UnicodeEncodeError):
        raise ValueError("not a cursor of this listing") from None
    app, event_field, player = key
    if not 1 <= event_field <= 5 or "\x00" in app + player:
        raise ValueError("not a cursor of this listing")
    return key


def _cursor(last: PlayerLevel) -> str:
    key = msgspec.json.encode([last.app, last.event_field, last.player])
    return base64.urlsafe_b64encode(key).decode()


def _level_conditions(where: LevelFilter) -> list[sa.ColumnElement[bool]]:
    table = chartboost_levels
    wanted: dict[str, Any] = {
        "app": where.app,
        "event_field": where.event_field,
        "player": where.player,
    }
    conditions = [table.c[name] == value for name, value in wanted.items() if value is not None]
    if where.min_main_level is not None:
        conditions.append(table.c.main_level >= where.min_main_level)
    return conditions


def _player_level(row: Any) -> PlayerLevel:
    return PlayerLevel(
        app=row.app,
        event_field=row.event_field,
        player=row.player,
        main_level=row.main_level,
        sub_level=row.sub_level,
        label=row.label,
        description=row.description,
        updated_at=iso(row.updated_at_ms),
    )


def _label_conflict(row: Any) -> LabelConflict:
    return LabelConflict(
        app=row.app,
        event_field=row.event_field,
        first_label=row.first_label,
        label=row.label,
        events=row.events,
        first_seen=iso(row.first_seen_ms),
        last_seen=iso(row.last_seen_ms),
    )
