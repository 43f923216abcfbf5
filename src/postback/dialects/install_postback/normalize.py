"""An install postback into one canonical install event, the attribution source of its device."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from postback.dialects._common import Refusal
from postback.dialects.install_postback import values
from postback.dialects.install_postback.wire import (
    ID_FIELDS,
    STRING_IDS,
    SUB_PARAMETERS,
    UUID_IDS,
    InstallPayload,
)
from postback.model import AttributionSource, Event, EventKind, Reason

DIALECT = "install_postback"
EVENT_NAME = "install"
TEXT_FIELDS = (
    "publisher_name",
    "campaign_name",
    "campaign_id",
    *SUB_PARAMETERS,
    "device_model",
    "device_brand",
    "id",
)


def install_from_payload(
    app: str, payload: InstallPayload, unknown: dict[str, Any], now_ms: int
) -> Event:
    _check_event_name(payload.event_name)
    described = _texts(payload)
    if "publisher_name" not in described:
        raise values.invalid("publisher_name", "required")
    ids = device_ids(payload)
    install_ms = values.time_ms("install_timestamp", payload.install_timestamp)
    click_ms = values.time_ms("click_timestamp", payload.click_timestamp)
    country = values.country("country_code", payload.country_code)
    cost = values.cost("cost", payload.cost)
    event = Event(
        app=app,
        dialect=DIALECT,
        kind=EventKind.INSTALL,
        name=EVENT_NAME,
        event_time_ms=now_ms,
        received_at_ms=now_ms,
        ids=ids,
        properties=_properties(described, country, cost, unknown),
        dedup_key=described.get("id"),
        attribution_source=_source(described, cost),
    )
    _apply_install_time(event, install_ms, now_ms)
    event.properties["click_time"] = values.iso(click_ms or event.event_time_ms)
    return event


def device_ids(payload: InstallPayload) -> dict[str, str]:
    """The six identifiers under their canonical id types; at least one must be present."""
    found = {kind: values.uuid(field, getattr(payload, field)) for field, kind in UUID_IDS.items()}
    for field, kind in STRING_IDS.items():
        found[kind] = values.text(field, getattr(payload, field))
    ids = {kind: value for kind, value in found.items() if value is not None}
    if not ids:
        raise Refusal(Reason.INVALID, f"send at least one of {', '.join(ID_FIELDS)}")
    return ids


def _check_event_name(name: str | None) -> None:
    name = values.text("event_name", name)
    if name is not None and name.lower() != EVENT_NAME:
        raise values.invalid("event_name", f"must be {EVENT_NAME} when present")


def _texts(payload: InstallPayload) -> dict[str, str]:
    found = {field: values.text(field, getattr(payload, field)) for field in TEXT_FIELDS}
    return {field: value for field, value in found.items() if value is not None}


def _properties(
    described: dict[str, str], country: str | None, cost: Decimal | None, unknown: dict[str, Any]
) -> dict[str, Any]:
    properties: dict[str, Any] = dict(described)
    if country is not None:
        properties["country_code"] = country
    if cost is not None:
        properties["cost"] = cost
    if unknown:
        properties["unknown_fields"] = unknown
    return properties


def _source(described: dict[str, str], cost: Decimal | None) -> AttributionSource:
    return AttributionSource(
        publisher=described["publisher_name"],
        campaign=described.get("campaign_name"),
        campaign_id=described.get("campaign_id"),
        sub_parameters={name: described[name] for name in SUB_PARAMETERS if name in described},
        cost=cost,
    )


def _apply_install_time(event: Event, install_ms: int | None, now_ms: int) -> None:
    """Receipt time by default; a time in the future becomes receipt time (the original kept)."""
    if install_ms is None:
        return
    if install_ms > now_ms:
        event.original_time_ms = install_ms
        event.flags.append("future_timestamp")
        return
    event.event_time_ms = install_ms
