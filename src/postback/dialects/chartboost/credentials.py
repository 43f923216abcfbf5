"""An app's Chartboost PIA credentials: the account token and secret, the app's id and signature."""

from postback.dialects._common import DialectCredentials


class ChartboostCredentials(DialectCredentials):
    app_id: str
    app_signature: str
    api_token: str
    api_secret: str

    def __post_init__(self) -> None:
        if not all((self.app_id, self.app_signature, self.api_token, self.api_secret)):
            raise ValueError("app_id, app_signature, api_token and api_secret must not be empty")

    def lookup_key(self) -> str:
        return self.app_id
