"""GET /click: the click is stored before the 302, its macros are filled and URL-encoded;
unknown or inactive offers and affiliates get a plain 404 page and no redirect."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from affiliate_helpers import TRANSACTION_ID, Net, transaction_of


def test_click_redirects_to_the_offer_url_with_every_macro_encoded(net: Net) -> None:
    subs = {
        "aff_sub": "a b&c=d",
        "aff_sub2": "é/ü?",
        "aff_sub3": "#x",
        "aff_sub4": "+",
        "aff_sub5": "5",
    }
    answer = net.click(offer_id=2, aff_id=8, source="news letter", **subs)
    assert answer.status_code == 302
    assert answer.content == b""
    location = answer.headers["location"]
    assert location.startswith("https://shop.example/in?t=")
    assert "&keep={unknown}" in location
    query = parse_qs(urlsplit(location).query, keep_blank_values=True)
    assert query["o"] == ["2"]
    assert query["a"] == ["8"]
    assert query["src"] == ["news letter"]
    assert [query[f"s{n}"][0] for n in range(1, 6)] == list(subs.values())
    assert "a%20b%26c%3Dd" in location
    assert TRANSACTION_ID.fullmatch(query["t"][0])


def test_missing_subs_are_replaced_by_nothing(net: Net) -> None:
    location = net.click(offer_id=2, aff_id=7).headers["location"]
    assert "&s1=&s2=&s3=&s4=&s5=&src=&" in location
    assert "{" not in location.replace("{unknown}", "")


def test_the_click_is_stored_before_the_redirect_answers(engine_net: Net) -> None:
    headers = {"User-Agent": "Mozilla/5.0 test", "Referer": "https://pub.example/page"}
    answer = engine_net.client.get(
        "/click",
        params={"offer_id": 1, "aff_id": 7, "aff_sub": "s1", "source": "x"},
        headers=headers,
    )
    transaction_id = transaction_of(answer.headers["location"])
    click = engine_net.read(f"/clicks/{transaction_id}")
    assert click["offer_id"] == 1
    assert click["aff_id"] == 7
    assert click["aff_sub"] == "s1"
    assert click["source"] == "x"
    assert click["ip"] == "127.0.0.1"
    assert click["user_agent"] == "Mozilla/5.0 test"
    assert click["referrer"] == "https://pub.example/page"
    assert click["clicked_at"] == "2023-11-14T22:13:20.000Z"
    assert click["destination"] == answer.headers["location"]
    [event] = engine_net.events()
    assert (event["kind"], event["app"], event["ids"]) == (
        "click",
        "gems",
        {"transaction_id": transaction_id},
    )


def test_every_click_gets_its_own_unguessable_transaction_id(net: Net) -> None:
    ids = {net.transaction() for _ in range(30)}
    assert len(ids) == 30
    for transaction_id in ids:
        offer, random_part = transaction_id.split("-")
        assert offer == "1"
        assert len(random_part) == 32


@pytest.mark.parametrize(
    "params",
    [
        {"offer_id": 99, "aff_id": 7},
        {"offer_id": 3, "aff_id": 7},
        {"offer_id": 1, "aff_id": 99},
        {"offer_id": 1, "aff_id": 9},
        {"aff_id": 7},
        {"offer_id": 1},
        {"offer_id": "one", "aff_id": 7},
        {"offer_id": "1.0", "aff_id": 7},
        {"offer_id": "99999999999999", "aff_id": 7},
    ],
    ids=[
        "unknown-offer",
        "inactive-offer",
        "unknown-affiliate",
        "inactive-affiliate",
        "no-offer",
        "no-affiliate",
        "offer-not-a-number",
        "offer-fraction",
        "offer-too-large",
    ],
)
def test_unknown_or_inactive_offer_or_affiliate_is_a_plain_404(
    net: Net, params: dict[str, object]
) -> None:
    answer = net.click(**params)
    assert answer.status_code == 404
    assert "location" not in answer.headers
    assert answer.headers["content-type"].startswith("text/plain")
    assert answer.text == "404 Not Found\n"
    [outcome] = net.outcomes()
    assert outcome["reason"] == "not_found"
    assert net.events() == []


def test_a_click_is_a_get(net: Net) -> None:
    answer = net.client.post("/click", params={"offer_id": 1, "aff_id": 7})
    assert answer.status_code == 405
    assert answer.headers["allow"] == "GET"
    assert "location" not in answer.headers


def test_a_sub_with_control_characters_is_refused_without_redirect(net: Net) -> None:
    answer = net.click(offer_id=1, aff_id=7, aff_sub="a\x00b")
    assert answer.status_code == 400
    assert "location" not in answer.headers
