"""Settings for tests: the vendor documents' own credentials, so their examples replay as is."""

from __future__ import annotations

from typing import Any

from postback.settings import Settings, settings_from_document

ADMIN_TOKEN = "test-admin-token"
APPSFLYER_BUNDLE = "bundleId"
APPSFLYER_KEY = "99999999-9999-9999-9999-999999999999"


def base_document(database_url: str) -> dict[str, Any]:
    return {
        "server": {"database_url": database_url, "admin_token": ADMIN_TOKEN},
        "apps": [
            {
                "id": "web",
                "name": "Web shop",
                "appsflyer_web": {"bundle_id": APPSFLYER_BUNDLE, "web_dev_key": APPSFLYER_KEY},
            }
        ],
    }


def make_settings(database_url: str, document: dict[str, Any] | None = None) -> Settings:
    return settings_from_document(document or base_document(database_url), environ={})
