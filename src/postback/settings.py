"""Settings, declared once: a TOML file (`postback.toml`) with `POSTBACK_*` variables over it."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import msgspec

from postback.dialects import CREDENTIALS, DialectCredentials
from postback.dialects.affiliate.credentials import AffiliateNetwork

ENV_PREFIX = "POSTBACK_"
CONFIG_ENV = "POSTBACK_CONFIG"
SQLITE_SYNCHRONOUS = ("normal", "full")


def _setting(default: Any, help: str) -> Any:
    return dataclasses.field(default=default, metadata={"help": help})


@dataclasses.dataclass(frozen=True, kw_only=True)
class ServerSettings:
    """The `[server]` table. Each field is a setting; its metadata carries the help text."""

    database_url: str = _setting(
        "sqlite:///data/postback.db",
        "Where events are stored: sqlite:///relative/path.db, sqlite:////absolute/path.db "
        "or postgresql://user:password@host:port/database.",
    )
    admin_token: str = _setting(
        "", "Bearer token for /api/v1 and the dashboard. Empty: the API answers 401 to everyone."
    )
    host: str = _setting("127.0.0.1", "Address `postback serve` listens on.")
    port: int = _setting(8080, "Port `postback serve` listens on.")
    workers: int = _setting(1, "Worker processes of `postback serve`; they share the database.")
    sqlite_synchronous: str = _setting(
        "normal",
        "SQLite durability. normal: an acknowledged event survives a killed process (WAL, "
        "synced at checkpoints). full: it also survives power loss (every commit is synced).",
    )
    max_batch_size: int = _setting(
        512, "Most requests written in one group commit (one transaction, one commit)."
    )
    raw_payload_limit: int = _setting(
        65536, "Bytes of each request body kept with its outcome for audit and replay."
    )
    reporting_currency: str = _setting(
        "USD", "ISO 4217 currency every revenue is also converted to (dated ECB rates)."
    )
    credentials_refresh_seconds: float = _setting(
        5.0, "How often each worker reloads apps and credentials changed in the database."
    )
    log_level: str = _setting("info", "Logging level: debug, info, warning or error.")

    def __post_init__(self) -> None:
        if self.sqlite_synchronous not in SQLITE_SYNCHRONOUS:
            raise SettingsError("sqlite_synchronous must be normal or full")
        if not self.database_url.startswith(("sqlite:///", "postgresql://", "postgres://")):
            raise SettingsError("database_url must start with sqlite:/// or postgresql://")
        for name in ("port", "workers", "max_batch_size", "raw_payload_limit"):
            if getattr(self, name) < 1:
                raise SettingsError(f"{name} must be at least 1")


SETTINGS = dataclasses.fields(ServerSettings)


class AppConfig(msgspec.Struct, kw_only=True):
    """One `[[apps]]` entry: our id and name, and any subset of the dialect tables."""

    id: str
    name: str
    dialects: dict[str, DialectCredentials]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Settings:
    server: ServerSettings = dataclasses.field(default_factory=ServerSettings)
    apps: tuple[AppConfig, ...] = ()
    affiliate: AffiliateNetwork | None = None


class SettingsError(ValueError):
    """The configuration is not valid; the message says where."""


def load_settings(
    path: str | Path | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Read the config file (argument, else $POSTBACK_CONFIG, else none) and the environment."""
    environ = os.environ if environ is None else environ
    path = path or environ.get(CONFIG_ENV)
    document = _read_toml(Path(path)) if path else {}
    return settings_from_document(document, environ)


def settings_from_document(document: dict[str, Any], environ: Mapping[str, str]) -> Settings:
    unknown = set(document) - {"server", "apps", "affiliate"}
    if unknown:
        raise SettingsError(f"unknown table(s): {', '.join(sorted(unknown))}")
    return Settings(
        server=_server_settings(document.get("server", {}), environ),
        apps=tuple(
            _app_config(entry, index) for index, entry in enumerate(document.get("apps", []))
        ),
        affiliate=_affiliate(document.get("affiliate")),
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except OSError as error:
        raise SettingsError(f"cannot read {path}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path}: {error}") from None


def _server_settings(table: dict[str, Any], environ: Mapping[str, str]) -> ServerSettings:
    names = {setting.name for setting in SETTINGS}
    unknown = set(table) - names
    if unknown:
        raise SettingsError(f"[server]: unknown setting(s): {', '.join(sorted(unknown))}")
    values = dict(table)
    for setting in SETTINGS:
        variable = ENV_PREFIX + setting.name.upper()
        if variable in environ:
            values[setting.name] = environ[variable]
    try:
        return msgspec.convert(values, ServerSettings, strict=False)
    except msgspec.ValidationError as error:
        raise SettingsError(f"[server]: {error}") from None


def _app_config(entry: dict[str, Any], index: int) -> AppConfig:
    where = f"[[apps]] #{index + 1}"
    app_id, name = entry.get("id"), entry.get("name", entry.get("id"))
    if not isinstance(app_id, str) or not app_id or not isinstance(name, str):
        raise SettingsError(f"{where}: `id` and `name` must be non-empty strings")
    dialects: dict[str, DialectCredentials] = {}
    for key, table in entry.items():
        if key in ("id", "name"):
            continue
        if key not in CREDENTIALS:
            raise SettingsError(f"{where} ({app_id}): unknown dialect table [{key}]")
        dialects[key] = _credentials(CREDENTIALS[key], table, f"{where} ({app_id}) [{key}]")
    return AppConfig(id=app_id, name=name, dialects=dialects)


def _credentials(
    kind: type[DialectCredentials], table: dict[str, Any], where: str
) -> DialectCredentials:
    try:
        return msgspec.convert(table, kind)
    except (msgspec.ValidationError, ValueError) as error:
        raise SettingsError(f"{where}: {error}") from None


def _affiliate(table: dict[str, Any] | None) -> AffiliateNetwork | None:
    if table is None:
        return None
    try:
        return msgspec.convert(table, AffiliateNetwork)
    except (msgspec.ValidationError, ValueError) as error:
        raise SettingsError(f"[affiliate]: {error}") from None
