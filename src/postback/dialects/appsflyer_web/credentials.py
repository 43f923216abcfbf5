"""An app's AppsFlyer Web-S2S brand bundle: the bundle id in the path, the key in the body."""

from postback.dialects._common import DialectCredentials

DEFAULT_RATE_LIMIT_PER_MINUTE = 60_000


class AppsflyerWebCredentials(DialectCredentials):
    bundle_id: str
    web_dev_key: str
    rate_limit_per_minute: int = DEFAULT_RATE_LIMIT_PER_MINUTE

    def __post_init__(self) -> None:
        if not self.bundle_id or not self.web_dev_key:
            raise ValueError("bundle_id and web_dev_key must not be empty")
        if self.rate_limit_per_minute < 1:
            raise ValueError("rate_limit_per_minute must be at least 1")

    def lookup_key(self) -> str:
        return self.bundle_id
