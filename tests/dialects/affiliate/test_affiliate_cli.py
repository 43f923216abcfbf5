"""`postback offers …` and `postback affiliates …` on a real SQLite database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from postback.cli import cli
from postback.settings import load_settings
from postback.storage.affiliate_cache import AffiliateCache
from postback.storage.base import open_database


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "postback.toml"
    path.write_text(
        f'[server]\ndatabase_url = "sqlite:///{tmp_path}/postback.db"\nport = 8099\n'
        '[affiliate]\nsecure_token = "cli-global-token"\n'
        '[[affiliate.affiliates]]\nid = 7\nname = "Seven"\n'
    )
    assert run(path, "affiliates", "list")["affiliates"] == []  # migrated, not provisioned
    return path


def run(config: Path, *arguments: str, code: int = 0) -> Any:
    result = CliRunner().invoke(cli, [*arguments, "--config", str(config)])
    assert result.exit_code == code, result.output
    return json.loads(result.stdout) if code == 0 else result.output


def test_offers_are_created_listed_changed_and_deactivated(config: Path) -> None:
    made = run(
        config,
        "offers",
        "create",
        "--name",
        "Shop",
        "--url",
        "https://shop.example/?t={transaction_id}",
        "--revenue",
        "CPS:12.5",
        "--payout",
        "CPA:0.30",
        "--currency",
        "EUR",
    )
    assert (made["id"], made["currency"], made["revenue"]) == (
        1,
        "EUR",
        {"type": "CPS", "value": 12.5},
    )
    assert made["postback_url"] is None
    run(config, "offers", "tokens", "create", "--token", "offer-one-token", "--offer", "1")
    shown = run(config, "offers", "show", "1")
    assert shown["postback_url"].startswith(
        "http://127.0.0.1:8099/postback?secure=offer-one-token&"
    )

    event = run(
        config,
        "offers",
        "events",
        "create",
        "1",
        "--name",
        "sale",
        "--revenue",
        "CPS:10",
        "--payout",
        "CPS:5",
        "--allow-multiple",
    )
    assert (event["id"], event["allow_multiple"]) == (1, True)
    run(config, "offers", "events", "update", "1", "1", "--once", "--name", "first_sale")
    run(config, "offers", "update", "1", "--name", "Shop two", "--payout", "Fixed:1")
    [offer] = run(config, "offers", "list")["offers"]
    assert (offer["name"], offer["payout"], offer["events"][0]["name"]) == (
        "Shop two",
        {"type": "Fixed", "value": 1},
        "first_sale",
    )
    assert offer["events"][0]["allow_multiple"] is False
    assert run(config, "offers", "events", "deactivate", "1", "1")["active"] is False
    assert run(config, "offers", "deactivate", "1")["active"] is False


def test_affiliates_and_tokens(config: Path) -> None:
    assert run(config, "affiliates", "create", "--name", "Eight", "--id", "8")["id"] == 8
    assert run(config, "affiliates", "update", "8", "--name", "Eighth")["name"] == "Eighth"
    assert run(config, "affiliates", "deactivate", "8")["active"] is False
    token = run(config, "offers", "tokens", "create")
    assert (token["offer_id"], token["active"]) == (None, True)
    assert run(config, "offers", "tokens", "deactivate", str(token["id"]))["active"] is False
    database = open_database(load_settings(config).server.database_url)
    cache = AffiliateCache(database)
    cache.refresh()
    eight = cache.affiliate(8)
    assert eight is not None
    assert not eight.active
    assert cache.token(token["token"]) is None
    database.dispose()


def test_mistakes_are_refused_with_a_message(config: Path) -> None:
    assert "CPM" in run(
        config,
        "offers",
        "create",
        "--name",
        "x",
        "--url",
        "https://x.example",
        "--revenue",
        "CPM:1",
        "--payout",
        "CPA:1",
        code=2,
    )
    assert "TYPE:VALUE" in run(
        config,
        "offers",
        "create",
        "--name",
        "x",
        "--url",
        "https://x.example",
        "--revenue",
        "CPA",
        "--payout",
        "CPA:1",
        code=2,
    )
    assert "offer 5 does not exist" in run(config, "offers", "deactivate", "5", code=1)
    assert "url" in run(
        config,
        "offers",
        "create",
        "--name",
        "x",
        "--url",
        "nope",
        "--revenue",
        "CPA:1",
        "--payout",
        "CPA:1",
        code=2,
    )
