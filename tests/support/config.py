"""Settings for tests: the vendor documents' own credentials, so their examples replay as is."""

from __future__ import annotations

import copy
from typing import Any

from postback.settings import Settings, settings_from_document

ADMIN_TOKEN = "test-admin-token"
APP = "gems"

APPSFLYER_BUNDLE = "bundleId"
APPSFLYER_KEY = "99999999-9999-9999-9999-999999999999"
CHARTBOOST_APP_ID = "54ecc0535beacdc1e1eff778"
CHARTBOOST_APP_SIGNATURE = "601be68e3bb4e7eb953024eb4f2ac03376e2c2fb"
CHARTBOOST_TOKEN = "test-chartboost-token"
CHARTBOOST_SECRET = "test-chartboost-secret"
SEGMENTSTREAM_TOKEN = "abc123"
INSTALL_API_KEY = "test-install-key"
AFFILIATE_TOKEN = "TOKEN"

DOCUMENT: dict[str, Any] = {
    "server": {"admin_token": ADMIN_TOKEN},
    "apps": [
        {
            "id": APP,
            "name": "Bag of Gems",
            "appsflyer_web": {"bundle_id": APPSFLYER_BUNDLE, "web_dev_key": APPSFLYER_KEY},
            "chartboost": {
                "app_id": CHARTBOOST_APP_ID,
                "app_signature": CHARTBOOST_APP_SIGNATURE,
                "api_token": CHARTBOOST_TOKEN,
                "api_secret": CHARTBOOST_SECRET,
            },
            "segmentstream": {"api_token": SEGMENTSTREAM_TOKEN},
            "install_postback": {"api_key": INSTALL_API_KEY},
        }
    ],
    "affiliate": {
        "secure_token": AFFILIATE_TOKEN,
        "affiliates": [{"id": 7, "name": "Publisher Seven"}],
        "offers": [
            {
                "id": 1,
                "name": "Gems install",
                "app": APP,
                "url": "https://advertiser.example/land?click={transaction_id}&pub={aff_id}",
                "currency": "USD",
                "revenue": {"type": "CPA", "value": 2.0},
                "payout": {"type": "CPA", "value": 1.5},
                "events": [
                    {
                        "id": 5,
                        "name": "purchase",
                        "revenue": {"type": "CPS", "value": 10.0},
                        "payout": {"type": "CPS", "value": 5.0},
                        "allow_multiple": False,
                    }
                ],
            }
        ],
    },
}


def base_document(database_url: str) -> dict[str, Any]:
    """A fresh copy of the test configuration, on the given database."""
    document = copy.deepcopy(DOCUMENT)
    document["server"]["database_url"] = database_url
    return document


def make_settings(database_url: str, document: dict[str, Any] | None = None) -> Settings:
    return settings_from_document(document or base_document(database_url), environ={})
