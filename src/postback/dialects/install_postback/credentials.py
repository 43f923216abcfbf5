"""An app's install postback key, sent as `apikey` in the query string."""

from postback.dialects._common import DialectCredentials


class InstallPostbackCredentials(DialectCredentials):
    api_key: str

    def __post_init__(self) -> None:
        if not self.api_key:
            raise ValueError("api_key must not be empty")

    def lookup_key(self) -> str:
        return self.api_key
