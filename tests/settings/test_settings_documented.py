"""Every setting and every provisioning field is explained in postback.reference.toml."""

import tomllib
from pathlib import Path

import msgspec
import pytest

from postback.dialects import CREDENTIALS
from postback.dialects.affiliate.credentials import Affiliate, Offer, OfferEvent
from postback.settings import SETTINGS, load_settings

ROOT = Path(__file__).parents[2]
REFERENCE = ROOT / "postback.reference.toml"


def _documented_keys(header: str) -> str:
    """The reference file's text from a table header line to the next header line."""
    text = REFERENCE.read_text()
    start = text.index(f"\n{header}\n")
    following = text.find("\n[", start + 1)
    return text[start : following if following != -1 else None]


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda setting: setting.name)
def test_every_server_setting_is_documented_with_its_default_and_variable(setting) -> None:
    section = _documented_keys("[server]")
    default = f'"{setting.default}"' if isinstance(setting.default, str) else str(setting.default)
    assert f"\n{setting.name} = {default}\n" in section
    assert f"env: POSTBACK_{setting.name.upper()}" in section
    assert setting.metadata["help"].split()[0] in section


@pytest.mark.parametrize("dialect", sorted(CREDENTIALS))
def test_every_dialect_credential_field_is_documented(dialect: str) -> None:
    section = _documented_keys(f"[apps.{dialect}]")
    for field in msgspec.structs.fields(CREDENTIALS[dialect]):
        assert f"\n{field.name} = " in section, f"{dialect}.{field.name} is not documented"


@pytest.mark.parametrize(
    ("table", "struct"),
    [
        ("[[affiliate.affiliates]]", Affiliate),
        ("[[affiliate.offers]]", Offer),
        ("[[affiliate.offers.events]]", OfferEvent),
    ],
)
def test_every_affiliate_field_is_documented(table: str, struct: type) -> None:
    section = _documented_keys(table)
    for field in msgspec.structs.fields(struct):
        if field.name == "events":
            continue
        assert f"{field.name} = " in section, f"{table} {field.name} is not documented"


@pytest.mark.parametrize("name", ["postback.reference.toml", "postback.example.toml"])
def test_shipped_configs_load(name: str) -> None:
    settings = load_settings(ROOT / name, environ={})
    assert settings.apps
    assert tomllib.loads((ROOT / name).read_text())["server"]
