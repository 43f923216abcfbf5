"""An app's Chartboost PIA credentials: the account token and secret, the app's id and signature."""

from postback.dialects._common import DialectCredentials

DEFAULT_RATE_LIMIT_PER_MINUTE = 60_000


class ChartboostCredentials(DialectCredentials):
    app_id: str
    app_signature: str
    api_token: str
    api_secret: str
    rate_limit_per_minute: int = DEFAULT_RATE_LIMIT_PER_MINUTE

    def __post_init__(self) -> None:
        if not all((self.app_id, self.app_signature, self.api_token, self.api_secret)):
            raise ValueError("app_id, app_signature, api_token and api_secret must not be empty")
        if self.rate_limit_per_minute < 1:
            raise ValueError("rate_limit_per_minute must be at least 1")

    def lookup_key(self) -> str:
        return self.app_id
