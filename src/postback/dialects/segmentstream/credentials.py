"""An app's SegmentStream API token, sent as the user name of HTTP Basic auth."""

from postback.dialects._common import DialectCredentials


class SegmentstreamCredentials(DialectCredentials):
    api_token: str

    def __post_init__(self) -> None:
        if not self.api_token or ":" in self.api_token:
            raise ValueError("api_token must not be empty nor contain ':'")

    def lookup_key(self) -> str:
        return self.api_token
