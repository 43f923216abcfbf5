"""The config file, the environment over it, and clear errors for what is wrong."""

from pathlib import Path
from typing import Any

import pytest

from postback.settings import SettingsError, load_settings, settings_from_document
from support.config import base_document


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    config = tmp_path / "postback.toml"
    config.write_text('[server]\nport = 9000\nadmin_token = "from-file"\n')
    environ = {"POSTBACK_CONFIG": str(config), "POSTBACK_ADMIN_TOKEN": "from-env"}
    settings = load_settings(environ=environ)
    assert settings.server.port == 9000
    assert settings.server.admin_token == "from-env"


def test_environment_values_are_typed() -> None:
    settings = settings_from_document({}, {"POSTBACK_WORKERS": "3"})
    assert settings.server.workers == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"server": {"port": "eighty"}}, "port"),
        ({"server": {"sqlite_synchronous": "off"}}, "sqlite_synchronous"),
        ({"server": {"colour": "blue"}}, "colour"),
        ({"server": {"database_url": "mysql://x"}}, "database_url"),
        ({"reports": {}}, "reports"),
    ],
)
def test_invalid_server_settings_are_refused_naming_them(
    change: dict[str, Any], message: str
) -> None:
    with pytest.raises(SettingsError, match=message):
        settings_from_document(change, {})


def test_unknown_dialect_table_is_refused() -> None:
    document = base_document("sqlite:///x.db")
    document["apps"][0]["facebook"] = {"token": "x"}
    with pytest.raises(SettingsError, match="facebook"):
        settings_from_document(document, {})


@pytest.mark.parametrize(
    ("dialect", "table"),
    [
        ("appsflyer_web", {"bundle_id": "b"}),
        ("appsflyer_web", {"bundle_id": "b", "web_dev_key": ""}),
        ("chartboost", {"app_id": "a", "app_signature": "s", "api_token": "t"}),
        ("segmentstream", {"api_token": ""}),
        ("install_postback", {"api_key": "k", "extra": 1}),
    ],
)
def test_credentials_of_every_dialect_are_validated(dialect: str, table: dict[str, Any]) -> None:
    document = base_document("sqlite:///x.db")
    document["apps"][0][dialect] = table
    with pytest.raises(SettingsError, match=dialect):
        settings_from_document(document, {})


def test_affiliate_section_is_validated() -> None:
    document = base_document("sqlite:///x.db")
    document["affiliate"]["offers"][0]["revenue"] = {"type": "CPM", "value": 1}
    with pytest.raises(SettingsError, match="affiliate"):
        settings_from_document(document, {})


def test_missing_config_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="cannot read"):
        load_settings(tmp_path / "absent.toml", environ={})
