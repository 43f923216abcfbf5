"""install_postback fields over real HTTP: every documented field, each rule, each failure."""

from __future__ import annotations

from typing import Any

import pytest
from install_helpers import CANONICAL_GAID, EXAMPLE, NOW_MS, Wire, example, refused

from support.live import FakeClock

SUB_PARAMETERS = {
    "s_publisher_name": "Sub publisher",
    "s_publisher": "sp-1",
    "s_campaign_name": "Sub campaign",
    "s_campaign": "sc-1",
    "s_site_name": "Sub site",
    "s_site": "ss-1",
    "s_adgroup_name": "Sub ad group",
    "s_adgroup": "sg-1",
    "s_ad_name": "Sub ad",
    "s_ad": "sa-1",
    "s_keyword_name": "gems",
    "s_placement_name": "banner",
}
UUID_MESSAGE = "must be a UUID: 32 hexadecimal digits, hyphens optional"
TIME_HELP = "expected YYYY-MM-DD HH:MM:SS (UTC) or Unix seconds"


def only_install(wire: Wire) -> dict[str, Any]:
    [event] = wire.events()
    return event


def test_every_sub_parameter_in_name_and_id_form_is_kept(wire: Wire) -> None:
    fields = example(campaign_id="c-9", id="inst-1", **SUB_PARAMETERS)
    assert wire.get(fields).status_code == 200
    event = only_install(wire)
    for name, value in SUB_PARAMETERS.items():
        assert event["properties"][name] == value
    assert event["properties"]["campaign_id"] == "c-9"
    assert event["properties"]["id"] == "inst-1"
    assert event["attribution"] == {
        "install_event_id": event["id"],
        "publisher": "Publisher",
        "campaign": "Campaign",
        "campaign_id": "c-9",
    }


def test_all_six_identifiers_under_their_canonical_types(wire: Wire) -> None:
    ids = {
        "ios_ifa": "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE",
        "ios_ifv": "-aaaaaaaabbbbccccddddeeeeeeeeeeee-",
        "google_aid": "01234567-89AB-cdef-0123-456789ABCDEF",
        "windows_aid": "0123-4567-89ab-cdef-0123-4567-89ab-cdef",
        "os_id": " Device-ID-1 ",
        "user_id": "player 7",
    }
    assert wire.post_json(example(**{"google_aid": None, **ids})).status_code == 200
    assert only_install(wire)["ids"] == {
        "ifa": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        "ifv": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        "gaid": CANONICAL_GAID,
        "windows_aid": "01234567-89ab-cdef-0123-456789abcdef",
        "uuid": "Device-ID-1",
        "customer_user_id": "player 7",
    }


@pytest.mark.parametrize(
    "field", ["ios_ifa", "ios_ifv", "os_id", "google_aid", "windows_aid", "user_id"]
)
def test_any_one_identifier_is_enough(wire: Wire, field: str) -> None:
    assert wire.post_json(example(**{"google_aid": None, field: GAID_32})).status_code == 200


GAID_32 = "0123456789abcdef0123456789abcdef"


def test_blank_identifiers_do_not_count(wire: Wire) -> None:
    answer = wire.get(example(google_aid="", user_id="  ", os_id=""))
    assert answer.status_code == 400
    assert answer.json() == refused(
        400, "send at least one of ios_ifa, ios_ifv, os_id, google_aid, windows_aid, user_id"
    )


@pytest.mark.parametrize(
    "value",
    [
        "0123456789ab-cdef-0123-456789abcde",
        "0123456789abcdef0123456789abcdef0",
        "0123456789abcdef0123456789abcdeg",
        "{01234567-89ab-cdef-0123-456789abcdef}",
        "01234567 89ab cdef 0123 456789abcdef",
    ],
)
@pytest.mark.parametrize("field", ["ios_ifa", "ios_ifv", "google_aid", "windows_aid"])
def test_uuid_fields_need_32_hex_digits(wire: Wire, field: str, value: str) -> None:
    answer = wire.post_json(example(**{field: value}))
    assert answer.status_code == 400
    assert answer.json() == refused(400, f"{field}: {UUID_MESSAGE}")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"publisher_name": None}, "publisher_name: required"),
        ({"publisher_name": "   "}, "publisher_name: required"),
        ({"publisher_name": 7}, "publisher_name: Expected `str | null`, got `int`"),
        ({"country_code": "USA"}, "country_code: must be an ISO 3166-1 alpha-2 country code"),
        ({"country_code": "ZZ"}, "country_code: must be an ISO 3166-1 alpha-2 country code"),
        ({"cost": -0.01}, "cost: must be a number >= 0 (USD)"),
        ({"cost": "-1"}, "cost: must be a number >= 0 (USD)"),
        ({"cost": "NaN"}, "cost: must be a finite number below 10^12 in magnitude"),
        ({"cost": 1e12}, "cost: must be a finite number below 10^12 in magnitude"),
        ({"cost": [1]}, "cost: Expected `decimal | null`, got `array`"),
        ({"event_name": "Purchase"}, "event_name: must be install when present"),
        ({"install_timestamp": "2019-01-02"}, f"install_timestamp: {TIME_HELP}"),
        ({"install_timestamp": "2019-1-2 18:01:23"}, f"install_timestamp: {TIME_HELP}"),
        (
            {"install_timestamp": "2019-02-30 00:00:00"},
            f"install_timestamp: {TIME_HELP}; '2019-02-30 00:00:00' is not a real time",
        ),
        (
            {"install_timestamp": "1969-12-31 23:59:59"},
            f"install_timestamp: {TIME_HELP}; '1969-12-31 23:59:59' is before 1970",
        ),
        (
            {"click_timestamp": 1546452083000},
            f"click_timestamp: {TIME_HELP}; 1546452083000 is out of range",
        ),
        ({"click_timestamp": 1546452083.5}, f"click_timestamp: {TIME_HELP}"),
        ({"click_timestamp": True}, f"click_timestamp: {TIME_HELP}"),
        ({"install_timestamp": {"at": 1}}, f"install_timestamp: {TIME_HELP}"),
        ({"click_timestamp": "-5"}, f"click_timestamp: {TIME_HELP}"),
        ({"id": "x" * 501}, "id: at most 500 characters"),
        ({"campaign_name": "a\x00b"}, "campaign_name: must not contain control characters"),
        ({"user_id": True}, "user_id: Expected `str | null`, got `bool`"),
    ],
)
def test_invalid_fields_are_400_naming_the_field(
    wire: Wire, fields: dict[str, Any], message: str
) -> None:
    answer = wire.post_json(
        example(**fields) if fields != {"publisher_name": None} else example(publisher_name=None)
    )
    assert answer.status_code == 400
    assert answer.json() == refused(400, message)
    assert wire.events() == []
    assert [outcome["reason"] for outcome in wire.outcomes()] == ["invalid"]


def test_country_code_is_read_in_any_case(wire: Wire) -> None:
    assert wire.get(example(country_code="gb")).status_code == 200
    assert only_install(wire)["properties"]["country_code"] == "GB"


@pytest.mark.parametrize(("sent", "stored"), [("0.12", 0.12), ("3", 3), (0, 0), ("  2.50 ", 2.5)])
def test_cost_as_number_or_numeric_string(wire: Wire, sent: Any, stored: Any) -> None:
    assert wire.post_json(example(cost=sent)).status_code == 200
    assert only_install(wire)["properties"]["cost"] == stored


def test_event_name_install_is_accepted(wire: Wire) -> None:
    assert wire.get(example(event_name="install")).status_code == 200
    assert wire.get(example(event_name=" Install ")).status_code == 200
    assert [event["name"] for event in wire.events()] == ["install", "install"]


@pytest.mark.parametrize(
    ("install", "click", "event_time", "click_time"),
    [
        ("1546452083", "1546452061", "2019-01-02T18:01:23.000Z", "2019-01-02T18:01:01.000Z"),
        (1546452083, None, "2019-01-02T18:01:23.000Z", "2019-01-02T18:01:23.000Z"),
        ("2019-01-02 18:01:23", "", "2019-01-02T18:01:23.000Z", "2019-01-02T18:01:23.000Z"),
        (None, None, "2023-11-14T22:13:20.000Z", "2023-11-14T22:13:20.000Z"),
        (None, "2019-01-02 18:01:01", "2023-11-14T22:13:20.000Z", "2019-01-02T18:01:01.000Z"),
    ],
)
def test_timestamps_and_their_defaults(
    wire: Wire, install: Any, click: Any, event_time: str, click_time: str
) -> None:
    fields = example(install_timestamp=install, click_timestamp=click)
    assert wire.post_json(fields).status_code == 200
    event = only_install(wire)
    assert event["event_time"] == event_time
    assert event["received_at"] == "2023-11-14T22:13:20.000Z"
    assert event["properties"]["click_time"] == click_time


def test_an_install_time_in_the_future_becomes_receipt_time(wire: Wire, clock: FakeClock) -> None:
    clock.now = NOW_MS
    assert wire.post_json(example(install_timestamp="2030-01-01 00:00:00")).status_code == 200
    event = only_install(wire)
    assert event["event_time"] == "2023-11-14T22:13:20.000Z"
    assert event["original_event_time"] == "2030-01-01T00:00:00.000Z"
    assert event["flags"] == ["future_timestamp"]


def test_unknown_parameters_are_kept(wire: Wire) -> None:
    fields = example(utm_source="newsletter", utm_medium="email", custom_args="a=1")
    assert wire.get(fields).status_code == 200
    assert only_install(wire)["properties"]["unknown_fields"] == {
        "utm_source": "newsletter",
        "utm_medium": "email",
        "custom_args": "a=1",
    }


def test_unknown_json_values_are_kept_as_sent(wire: Wire) -> None:
    custom = {"level": 3, "tags": ["a", "b"]}
    assert wire.post_json(example(custom_args=custom, utm_campaign="x")).status_code == 200
    unknown = only_install(wire)["properties"]["unknown_fields"]
    assert unknown == {"custom_args": custom, "utm_campaign": "x"}


def test_blank_optional_fields_are_absent(wire: Wire) -> None:
    fields = example(campaign_name="", country_code="", cost="", event_name="", id="")
    assert wire.get(fields).status_code == 200
    event = only_install(wire)
    for name in ("campaign_name", "country_code", "cost", "id"):
        assert name not in event["properties"]
    assert event["attribution"]["campaign"] is None


def test_the_document_example_is_stored_whole(wire: Wire) -> None:
    assert wire.post_json(EXAMPLE).status_code == 200
    event = only_install(wire)
    assert event["kind"] == "install"
    assert event["revenue"] is None
    assert event["ids"] == {"gaid": CANONICAL_GAID}
