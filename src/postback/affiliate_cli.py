"""`postback offers …` and `postback affiliates …`: the affiliate network in the database.

The same operations as the admin API, on the database the config names. Running servers
see the change within `credentials_refresh_seconds`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any, TypeVar

import msgspec
import sqlalchemy as sa
import typer
from rich.console import Console

from postback.dialects.affiliate.credentials import Money
from postback.settings import Settings, SettingsError, load_settings
from postback.storage import affiliate_admin as admin
from postback.storage import affiliate_queries as queries
from postback.storage.affiliate_records import (
    AffiliateInput,
    AffiliateUpdate,
    EventInput,
    EventUpdate,
    OfferInput,
    OfferUpdate,
    TokenInput,
    TokenUpdate,
)
from postback.storage.base import Database, open_database
from postback.storage.migrate import migrate

T = TypeVar("T")
ENCODER = msgspec.json.Encoder(decimal_format="number")
out = Console()
err = Console(stderr=True)

offers_cli = typer.Typer(help="Offers, their events, and postback tokens.", no_args_is_help=True)
events_cli = typer.Typer(help="An offer's events.", no_args_is_help=True)
tokens_cli = typer.Typer(help="Postback tokens (`secure`).", no_args_is_help=True)
affiliates_cli = typer.Typer(help="Affiliates (publishers).", no_args_is_help=True)
offers_cli.add_typer(events_cli, name="events")
offers_cli.add_typer(tokens_cli, name="tokens")

Config = Annotated[
    Path | None, typer.Option("--config", "-c", help="Config file (default: $POSTBACK_CONFIG).")
]
Name = Annotated[str | None, typer.Option(help="Display name.")]
Active = Annotated[bool | None, typer.Option("--active/--inactive", help="Active or not.")]
MoneyOption = Annotated[
    str | None, typer.Option(help="TYPE:VALUE, e.g. CPA:2.50 or CPS:10 (percent of the sale).")
]


def register_affiliate_commands(cli: typer.Typer) -> None:
    cli.add_typer(offers_cli, name="offers")
    cli.add_typer(affiliates_cli, name="affiliates")


# --- offers -----------------------------------------------------------------------------------


@offers_cli.command("list")
def list_offers(config: Config = None) -> None:
    """Every offer with its events and dedicated postback URLs (JSON)."""
    with _database(config) as (database, settings):
        _print(queries.list_offers(database, _base_url(settings)))


@offers_cli.command("show")
def show_offer(offer_id: int, config: Config = None) -> None:
    """One offer (JSON)."""
    with _database(config) as (database, settings):
        _print(queries.get_offer(database, offer_id, _base_url(settings)))


@offers_cli.command("create")
def create_offer(
    name: Annotated[str, typer.Option(help="Display name.")],
    url: Annotated[str, typer.Option(help="Destination; macros {transaction_id}, {aff_id}…")],
    revenue: MoneyOption = None,
    payout: MoneyOption = None,
    offer_id: Annotated[int | None, typer.Option("--id", help="Default: the next free.")] = None,
    app: Annotated[str | None, typer.Option(help="The app conversions belong to.")] = None,
    currency: Annotated[str, typer.Option(help="ISO 4217.")] = "USD",
    config: Config = None,
) -> None:
    """Create an offer."""
    fields = {"id": offer_id, "name": name, "url": url, "app": app, "currency": currency}
    data = _struct(OfferInput, fields, revenue=revenue, payout=payout)
    with _database(config) as (database, settings):
        new_id = _write(database, lambda c, now: admin.create_offer(c, data, now))
        _print(queries.get_offer(database, new_id, _base_url(settings)))


@offers_cli.command("update")
def update_offer(
    offer_id: int,
    name: Name = None,
    url: Annotated[str | None, typer.Option(help="Destination URL.")] = None,
    revenue: MoneyOption = None,
    payout: MoneyOption = None,
    currency: Annotated[str | None, typer.Option(help="ISO 4217 (no clicks yet).")] = None,
    active: Active = None,
    config: Config = None,
) -> None:
    """Change an offer's fields."""
    fields = {"name": name, "url": url, "currency": currency, "active": active}
    data = _struct(OfferUpdate, fields, revenue=revenue, payout=payout)
    _change_offer(offer_id, data, config)


@offers_cli.command("deactivate")
def deactivate_offer(offer_id: int, config: Config = None) -> None:
    """Stop the offer's clicks (its row, clicks and conversions stay)."""
    _change_offer(offer_id, OfferUpdate(active=False), config)


def _change_offer(offer_id: int, data: OfferUpdate, config: Path | None) -> None:
    with _database(config) as (database, settings):
        _write(database, lambda c, now: admin.update_offer(c, offer_id, data, now))
        _print(queries.get_offer(database, offer_id, _base_url(settings)))


# --- offer events -----------------------------------------------------------------------------


@events_cli.command("create")
def create_event(
    offer_id: int,
    name: Annotated[str, typer.Option(help="event_name in postbacks (exact match).")],
    revenue: MoneyOption = None,
    payout: MoneyOption = None,
    event_id: Annotated[int | None, typer.Option("--id", help="event_id in postbacks.")] = None,
    allow_multiple: Annotated[bool, typer.Option(help="Several per click.")] = False,
    config: Config = None,
) -> None:
    """Create an event of an offer."""
    fields = {"id": event_id, "name": name, "allow_multiple": allow_multiple}
    data = _struct(EventInput, fields, revenue=revenue, payout=payout)
    with _database(config) as (database, settings):
        new_id = _write(database, lambda c, now: admin.create_event(c, offer_id, data, now))
        _print(queries.get_event(database, offer_id, new_id, _base_url(settings)))


@events_cli.command("update")
def update_event(
    offer_id: int,
    event_id: int,
    name: Name = None,
    revenue: MoneyOption = None,
    payout: MoneyOption = None,
    allow_multiple: Annotated[bool | None, typer.Option("--allow-multiple/--once")] = None,
    active: Active = None,
    config: Config = None,
) -> None:
    """Change an event's fields."""
    fields = {"name": name, "allow_multiple": allow_multiple, "active": active}
    data = _struct(EventUpdate, fields, revenue=revenue, payout=payout)
    _change_event(offer_id, event_id, data, config)


@events_cli.command("deactivate")
def deactivate_event(offer_id: int, event_id: int, config: Config = None) -> None:
    """Make the event unknown to postbacks."""
    _change_event(offer_id, event_id, EventUpdate(active=False), config)


def _change_event(offer_id: int, event_id: int, data: EventUpdate, config: Path | None) -> None:
    with _database(config) as (database, settings):
        _write(database, lambda c, now: admin.update_event(c, offer_id, event_id, data, now))
        _print(queries.get_event(database, offer_id, event_id, _base_url(settings)))


# --- tokens -----------------------------------------------------------------------------------


@tokens_cli.command("list")
def list_tokens(config: Config = None) -> None:
    """Every postback token, active or not (JSON)."""
    with _database(config) as (database, _):
        _print(queries.list_tokens(database))


@tokens_cli.command("create")
def create_token(
    offer_id: Annotated[
        int | None, typer.Option("--offer", help="Valid for this offer only.")
    ] = None,
    event_id: Annotated[int | None, typer.Option("--event", help="…and this event only.")] = None,
    token: Annotated[str | None, typer.Option(help="Default: a fresh random token.")] = None,
    config: Config = None,
) -> None:
    """Create a postback token: global, an offer's, or one offer event's."""
    data = _struct(TokenInput, {"token": token, "offer_id": offer_id, "event_id": event_id})
    with _database(config) as (database, _):
        new_id = _write(database, lambda c, now: admin.create_token(c, data, now))
        _print(queries.get_token(database, new_id))


@tokens_cli.command("deactivate")
def deactivate_token(token_id: int, config: Config = None) -> None:
    """Refuse the token from now on."""
    with _database(config) as (database, _):
        data = TokenUpdate(active=False)
        _write(database, lambda c, now: admin.update_token(c, token_id, data, now))
        _print(queries.get_token(database, token_id))


# --- affiliates -------------------------------------------------------------------------------


@affiliates_cli.command("list")
def list_affiliates(config: Config = None) -> None:
    """Every affiliate (JSON)."""
    with _database(config) as (database, _):
        _print(queries.list_affiliates(database))


@affiliates_cli.command("create")
def create_affiliate(
    name: Annotated[str, typer.Option(help="Display name.")],
    affiliate_id: Annotated[int | None, typer.Option("--id", help="aff_id on clicks.")] = None,
    config: Config = None,
) -> None:
    """Create an affiliate."""
    data = _struct(AffiliateInput, {"id": affiliate_id, "name": name})
    with _database(config) as (database, _):
        new_id = _write(database, lambda c, now: admin.create_affiliate(c, data, now))
        _print(queries.get_affiliate(database, new_id))


@affiliates_cli.command("update")
def update_affiliate(
    affiliate_id: int, name: Name = None, active: Active = None, config: Config = None
) -> None:
    """Change an affiliate's name or state."""
    _change_affiliate(
        affiliate_id, _struct(AffiliateUpdate, {"name": name, "active": active}), config
    )


@affiliates_cli.command("deactivate")
def deactivate_affiliate(affiliate_id: int, config: Config = None) -> None:
    """Stop the affiliate's clicks."""
    _change_affiliate(affiliate_id, AffiliateUpdate(active=False), config)


def _change_affiliate(affiliate_id: int, data: AffiliateUpdate, config: Path | None) -> None:
    with _database(config) as (database, _):
        _write(database, lambda c, now: admin.update_affiliate(c, affiliate_id, data, now))
        _print(queries.get_affiliate(database, affiliate_id))


# --- plumbing ---------------------------------------------------------------------------------


@contextmanager
def _database(config: Path | None) -> Iterator[tuple[Database, Settings]]:
    try:
        settings = load_settings(config)
    except SettingsError as error:
        err.print(f"[red]configuration error:[/red] {error}")
        raise typer.Exit(2) from None
    database = open_database(settings.server.database_url, settings.server.sqlite_synchronous)
    try:
        migrate(database)
        yield database, settings
    except admin.AdminError as error:
        err.print(f"[red]error:[/red] {error.message}")
        raise typer.Exit(1) from None
    finally:
        database.dispose()


def _write(database: Database, change: Callable[[sa.Connection, int], T]) -> T:
    now_ms = int(time.time() * 1000)
    return admin.write(database, lambda connection: change(connection, now_ms))


def _struct(struct: type[T], fields: dict[str, Any], **money: str | None) -> T:
    """The command's options as `struct`; options not given stay unset."""
    values = {name: value for name, value in fields.items() if value is not None}
    values.update({name: _money(name, text) for name, text in money.items() if text is not None})
    try:
        return msgspec.convert(values, struct)
    except msgspec.ValidationError as error:
        err.print(f"[red]invalid:[/red] {error}")
        raise typer.Exit(2) from None


def _money(name: str, text: str) -> Money:
    kind, _, value = text.partition(":")
    try:
        return Money(kind, Decimal(value))
    except InvalidOperation:
        problem = "use TYPE:VALUE, e.g. CPA:2.50"
    except ValueError as error:
        problem = str(error)
    err.print(f"[red]invalid --{name}:[/red] {text!r}: {problem}")
    raise typer.Exit(2)


def _base_url(settings: Settings) -> str:
    return f"http://{settings.server.host}:{settings.server.port}/"


def _print(value: Any) -> None:
    out.print_json(ENCODER.encode(value).decode())
