"""The custom install postback's fields as the vendor document lists them, and how they arrive."""

from __future__ import annotations

import urllib.parse
from decimal import Decimal
from typing import Any

import msgspec

from postback.dialects._common import Refusal, decode_json_object
from postback.model import Reason

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
KEY_PARAMETER = "apikey"

# Device ids typed "uuid" by the document, and the canonical id type each is stored under.
UUID_IDS = {"ios_ifa": "ifa", "ios_ifv": "ifv", "google_aid": "gaid", "windows_aid": "windows_aid"}
# Ids typed "string" by the document.
STRING_IDS = {"os_id": "uuid", "user_id": "customer_user_id"}
ID_FIELDS = (
    "ios_ifa",
    "ios_ifv",
    "os_id",
    "google_aid",
    "windows_aid",
    "user_id",
)  # document order

# Every sub-parameter: the name form, then the id form where the document has one.
SUB_PARAMETERS = (
    "s_publisher_name",
    "s_publisher",
    "s_campaign_name",
    "s_campaign",
    "s_site_name",
    "s_site",
    "s_adgroup_name",
    "s_adgroup",
    "s_ad_name",
    "s_ad",
    "s_keyword_name",
    "s_placement_name",
)


class InstallPayload(msgspec.Struct, kw_only=True):
    install_timestamp: Any = None  # checked by values.time_ms, for a message in its words
    click_timestamp: Any = None
    publisher_name: str | None = None
    campaign_name: str | None = None
    campaign_id: str | None = None
    country_code: str | None = None
    s_publisher_name: str | None = None
    s_publisher: str | None = None
    s_campaign_name: str | None = None
    s_campaign: str | None = None
    s_site_name: str | None = None
    s_site: str | None = None
    s_adgroup_name: str | None = None
    s_adgroup: str | None = None
    s_ad_name: str | None = None
    s_ad: str | None = None
    s_keyword_name: str | None = None
    s_placement_name: str | None = None
    device_model: str | None = None
    device_brand: str | None = None
    event_name: str | None = None
    cost: Decimal | None = None
    id: str | None = None
    ios_ifa: str | None = None
    ios_ifv: str | None = None
    os_id: str | None = None
    google_aid: str | None = None
    windows_aid: str | None = None
    user_id: str | None = None


FIELDS = frozenset(field.encode_name for field in msgspec.structs.fields(InstallPayload))


def query_fields(query: dict[str, str]) -> dict[str, Any]:
    """A GET's fields: the query string (already decoded, last of repeated keys) but the key."""
    return {name: value for name, value in query.items() if name != KEY_PARAMETER}


def body_fields(body: bytes, content_type: str | None) -> dict[str, Any]:
    """A POST's fields: a form body when it says so, otherwise a JSON object."""
    if _media_type(content_type) == FORM_CONTENT_TYPE:
        return _form_fields(body)
    try:
        return decode_json_object(body)
    except ValueError as error:
        raise Refusal(Reason.INVALID, f"body: {error}") from None


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _form_fields(body: bytes) -> dict[str, Any]:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refusal(Reason.INVALID, "body: the form is not valid UTF-8") from None
    return dict(urllib.parse.parse_qsl(text, keep_blank_values=True))
