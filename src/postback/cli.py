"""The command line: `postback serve` and `postback init`."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.console import Console
from rich.table import Table

from postback.affiliate_cli import register_affiliate_commands
from postback.logs import configure_logging
from postback.settings import CONFIG_ENV, ENV_PREFIX, Settings, SettingsError, load_settings
from postback.starter import starter_config
from postback.storage.base import open_database
from postback.storage.migrate import migrate
from postback.storage.provisioning import provision
from postback.storage.write_service import WriterOptions, writer_process
from postback.web.metrics import MULTIPROCESS_ENV, batch_observer
from postback.web.services import WRITER_SOCKET_ENV

cli = typer.Typer(help="postback: server-to-server postbacks and events.", no_args_is_help=True)
register_affiliate_commands(cli)
console = Console(stderr=True)

ConfigOption = Annotated[
    Path | None, typer.Option("--config", "-c", help="Config file (default: $POSTBACK_CONFIG).")
]


@cli.command()
def serve(
    config: ConfigOption = None,
    host: Annotated[str | None, typer.Option(help="Listen address.")] = None,
    port: Annotated[int | None, typer.Option(help="Listen port.")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes.")] = None,
    show_credentials: Annotated[
        bool, typer.Option(help="Print each app's endpoints and credentials at start-up.")
    ] = False,
) -> None:
    """Start the server: migrate and provision the database, then serve every dialect."""
    if config is not None:
        os.environ[CONFIG_ENV] = str(config.resolve())
    for name, value in (("host", host), ("port", port), ("workers", workers)):
        if value is not None:
            os.environ[ENV_PREFIX + name.upper()] = str(value)
    settings = _load(None)
    configure_logging(settings.server.log_level)
    writes_in_process = _prepare_database(settings)
    _banner(settings, show_credentials)
    with contextlib.ExitStack() as for_workers:
        if settings.server.workers > 1:
            directory = tempfile.TemporaryDirectory(prefix="postback-metrics-")
            os.environ[MULTIPROCESS_ENV] = for_workers.enter_context(directory)
        if settings.server.workers > 1 and writes_in_process:
            writer_socket = for_workers.enter_context(writer_process(_writer_options(settings)))
            if writer_socket is not None:
                os.environ[WRITER_SOCKET_ENV] = writer_socket
        uvicorn.run(
            "postback.web.app:app_from_environment",
            factory=True,
            host=settings.server.host,
            port=settings.server.port,
            workers=settings.server.workers,
            loop="uvloop",
            http="httptools",
            access_log=False,
            log_config=None,
            timeout_graceful_shutdown=10,
        )


@cli.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the config.")] = Path(
        "postback.toml"
    ),
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
) -> None:
    """Write a starter config with fresh random secrets and a demo app."""
    if path.exists() and not force:
        console.print(f"[red]{path} exists[/red]: pass --force to overwrite it")
        raise typer.Exit(1)
    path.write_text(starter_config())
    path.chmod(0o600)
    console.print(f"wrote {path}; start with: postback serve --config {path}")


def _load(config: Path | None) -> Settings:
    try:
        return load_settings(config)
    except SettingsError as error:
        console.print(f"[red]configuration error:[/red] {error}")
        raise typer.Exit(2) from None


def _writer_options(settings: Settings) -> WriterOptions:
    server = settings.server
    return WriterOptions(
        database_url=server.database_url,
        sqlite_synchronous=server.sqlite_synchronous,
        max_batch_size=server.max_batch_size,
        log_level=server.log_level,
        observer=batch_observer,
    )


def _prepare_database(settings: Settings) -> bool:
    """Migrate and provision; whether writes are CPU work in the writing process (SQLite)."""
    database = open_database(settings.server.database_url, settings.server.sqlite_synchronous)
    try:
        migrate(database)
        provision(database, settings)
    finally:
        database.dispose()
    return database.writes_in_process


def _banner(settings: Settings, show_credentials: bool) -> None:
    url = f"http://{settings.server.host}:{settings.server.port}"
    console.print(f"postback listening on [bold]{url}[/bold] ({settings.server.database_url})")
    if not show_credentials:
        return
    console.print(f"admin token (Bearer, /api/v1): {settings.server.admin_token}")
    table = Table("app", "dialect", "credentials")
    for app in settings.apps:
        for dialect, credentials in app.dialects.items():
            fields = ", ".join(
                f"{name}={getattr(credentials, name)}" for name in credentials.__struct_fields__
            )
            table.add_row(app.id, dialect, fields)
    console.print(table)


def main() -> None:
    cli()
