"""The starter config `postback init` writes: fresh random secrets and a demo app."""

from __future__ import annotations

import secrets

TEMPLATE = """\
# postback configuration, written by `postback init`.
# Every setting is explained in postback.reference.toml.

[server]
database_url = "sqlite:///data/postback.db"
admin_token = "{admin_token}"
host = "127.0.0.1"
port = 8080

[[apps]]
id = "demo"
name = "Demo app"

[apps.appsflyer_web]
bundle_id = "com.example.demo"
web_dev_key = "{web_dev_key}"

[apps.chartboost]
app_id = "{chartboost_app_id}"
app_signature = "{chartboost_app_signature}"
api_token = "{chartboost_api_token}"
api_secret = "{chartboost_api_secret}"

[apps.segmentstream]
api_token = "{segmentstream_api_token}"

[apps.install_postback]
api_key = "{install_api_key}"

[affiliate]
secure_token = "{affiliate_secure_token}"
"""


def starter_config() -> str:
    return TEMPLATE.format(
        admin_token=secrets.token_urlsafe(32),
        web_dev_key=_uuid_like(),
        chartboost_app_id=secrets.token_hex(12),
        chartboost_app_signature=secrets.token_hex(20),
        chartboost_api_token=secrets.token_hex(16),
        chartboost_api_secret=secrets.token_hex(32),
        segmentstream_api_token=secrets.token_hex(16),
        install_api_key=secrets.token_hex(16),
        affiliate_secure_token=secrets.token_hex(16),
    )


def _uuid_like() -> str:
    import uuid

    return str(uuid.uuid4())
