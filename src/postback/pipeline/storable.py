"""Refuse, as invalid, events whose text the database cannot hold: too long, or with a NUL.

Dialects check their own fields under their wire names first; this is the net under every
dialect, so hostile input gets a 400 in the dialect's shape instead of a failed write.
"""

from __future__ import annotations

from collections.abc import Iterator

from postback.model import Event, Submission

NAME_LIMIT = 500
ID_LIMIT = 500
ID_TYPE_LIMIT = 50
KEY_LIMIT = 500
SCOPE_LIMIT = 700


def storage_problem(submission: Submission) -> str | None:
    """What keeps the submission out of the database, naming the field; None when storable."""
    for event in submission.events:
        for field, value, limit in _texts(event):
            if len(value) > limit:
                return f"{field}: longer than {limit} characters"
            if "\x00" in value:
                return f"{field}: must not contain a NUL character"
    return None


def _texts(event: Event) -> Iterator[tuple[str, str, int]]:
    yield "event name", event.name, NAME_LIMIT
    for kind, value in event.ids.items():
        yield f"{kind} (id type)", kind, ID_TYPE_LIMIT
        yield kind, value, ID_LIMIT
    if event.dedup_key is not None:
        yield "deduplication id", event.dedup_key, KEY_LIMIT
    if event.sequence is not None:
        yield "player", event.sequence.scope, SCOPE_LIMIT
