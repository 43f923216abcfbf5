"""postback: a self-hosted server for server-to-server postbacks and events."""

__version__ = "0.1.0"
