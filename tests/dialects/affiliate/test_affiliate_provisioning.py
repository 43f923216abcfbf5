"""[affiliate] in the config file, provisioned into the tables at start-up, idempotently."""

from __future__ import annotations

from typing import Any

import pytest
from affiliate_helpers import OFFER2_TOKEN, TOKEN, network_document, serve

from postback.storage.affiliate_provisioning import AffiliateProvisioningError
from postback.storage.base import open_database
from postback.storage.provisioning import provision
from support.config import make_settings
from support.live import FakeClock


def _without_urls(offers: dict[str, Any]) -> list[dict[str, Any]]:
    """The offers without their postback URLs (the server's port changes on restart)."""
    found = []
    for offer in offers["offers"]:
        events = [{**event, "postback_url": None} for event in offer["events"]]
        found.append({**offer, "postback_url": None, "events": events})
    return found


def test_restarting_with_the_same_config_changes_nothing(
    database_url: str, clock: FakeClock
) -> None:
    with serve(database_url, clock) as net:
        before = net.read("/offers"), net.read("/affiliates"), net.read("/tokens")
        created = net.admin("POST", "/affiliates", json={"name": "Made by API"})
        assert created.status_code == 201
    with serve(database_url, clock) as net:
        offers, affiliates, tokens = (
            net.read("/offers"),
            net.read("/affiliates"),
            net.read("/tokens"),
        )
        assert _without_urls(offers) == _without_urls(before[0])
        assert tokens == before[2]
        assert [a["name"] for a in affiliates["affiliates"]][-1] == "Made by API"


def test_a_changed_config_updates_the_tables(database_url: str, clock: FakeClock) -> None:
    with serve(database_url, clock) as net:
        transaction_id = net.transaction()
    document = network_document(database_url)
    network = document["affiliate"]
    network["secure_token"] = "new-global-token"
    network["offers"][0]["name"] = "Renamed"
    network["offers"][0]["revenue"] = {"type": "Fixed", "value": 2.75}
    del network["offers"][1]["secure_token"]
    network["affiliates"][0]["active"] = False
    with serve(database_url, clock, document) as net:
        offer = net.read("/offers/1")
        assert (offer["name"], offer["revenue"]) == ("Renamed", {"type": "Fixed", "value": 2.75})
        assert net.postback(secure=TOKEN, transaction_id=transaction_id).status_code == 403
        answer = net.postback(secure="new-global-token", transaction_id=transaction_id)
        assert answer.status_code == 200, answer.text
        assert net.conversions()[0]["revenue"] == 2.75
        tokens = {t["token"]: t["active"] for t in net.read("/tokens")["tokens"]}
        assert tokens[TOKEN] is False
        assert tokens[OFFER2_TOKEN] is False
        assert net.click(offer_id=1, aff_id=7).status_code == 404


def test_a_config_cannot_move_an_offer_with_clicks_to_another_app(
    sqlite_url: str, clock: FakeClock
) -> None:
    with serve(sqlite_url, clock) as net:
        net.transaction()
    document = network_document(sqlite_url)
    document["affiliate"]["offers"][0]["app"] = None
    database = open_database(sqlite_url)
    try:
        with pytest.raises(AffiliateProvisioningError, match="offer 1 has clicks"):
            provision(database, make_settings(sqlite_url, document))
    finally:
        database.dispose()
