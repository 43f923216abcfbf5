"""`python -m bench.load`: fill a database with N realistic stored events, fast, without HTTP.

Requests in the proportions of a real day (every dialect, several apps, users coming back,
installs and what they attribute, a few percent of duplicates and invalid requests) are spread
evenly over the last `--days` days, in time order. Each becomes rows through the storage
layer's own builders (`rows.outcome_row`, `rows.event_row`, `rows.daily_event_totals`,
`rows.daily_outcome_totals`), written in large transactions on the driver's cursor with
everything a stored event leaves behind for the readers: identities, dedup keys, identity
links, daily totals, installs and attribution, orders, chartboost levels, affiliate clicks
and conversions. Currencies convert at fixed rates (the server uses the ECB rate of the day).

The loader numbers outcomes and events itself, so it needs the database to itself while it
runs (a fresh one, or one no server is writing to). Its ids (users, devices, orders, dedup
keys) never collide with those of `bench/corpus.py`, so a benchmark run on a loaded database
sends the same workload as on an empty one.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import multiprocessing
import operator
import queue
import random
import secrets
import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from dataclasses import KW_ONLY, dataclass, field
from decimal import Decimal
from typing import Any

import msgspec
import sqlalchemy as sa

from postback.model import (
    Event,
    EventKind,
    IdentityLink,
    Outcome,
    RawRequest,
    Reason,
    Rejection,
)
from postback.storage import rows
from postback.storage.base import Database, Insert, open_database
from postback.storage.batch import WriteJob
from postback.storage.driver import Prepared, add_counts, execute_many
from postback.storage.migrate import migrate
from postback.storage.schema import (
    affiliate_clicks,
    affiliate_conversions,
    affiliate_daily_totals,
    chartboost_labels,
    chartboost_levels,
    daily_attribution_totals,
    daily_event_totals,
    daily_outcome_totals,
    dedup_keys,
    event_attribution,
    event_identities,
    events,
    identity_links,
    install_devices,
    installs,
    metadata,
    order_history,
    orders,
    outcomes,
    sequence_state,
)
from postback.storage.sqlite import sqlite_path

DAY_MS = rows.DAY_MS
CHUNK_EVENTS = 50_000
EVENTS_PER_USER = 25
APPS = {"bench": 70, "gems": 15, "shop": 10, "arcade": 5}
# Reporting currency (USD) per unit: fixed here; the server converts at the ECB rate of the day.
RATES = {"USD": Decimal(1), "EUR": Decimal("1.1172"), "GBP": Decimal("1.3399")}
OFFER_ID, AFF_ID = 1, 7  # bench/corpus.py's offer and affiliate, of the app "bench"
CLICK_REVENUE, CLICK_PAYOUT = 2_000_000, 1_500_000
LEVEL_LABELS = {1: "Level Completed", 2: "Boss Defeated", 5: "Chapter Reached"}
SEQUENTIAL_FIELD = 1
INSTALL_IDS = ("gaid", "customer_user_id")
INVALID_MESSAGE = "send at least one of customerUserId, afUserId"
DUPLICATE_MESSAGE = "duplicate: already recorded"
USER_AGENTS = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/124.0 Mobile",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0",
    "okhttp/4.12.0",
)
ENCODE = msgspec.json.encode
NO_RESULT = Rejection(reason=Reason.ACCEPTED, message="")  # WriteJob.result: rows ignore it


@dataclass(slots=True)
class Install:
    event_id: int
    publisher: str
    campaign: str
    day: int


@dataclass(slots=True)
class Request:
    """One request as the writer would record it, and what it leaves besides its rows."""

    dialect: str
    app: str
    method: str
    path: str
    _: KW_ONLY
    query: str = ""
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    reason: Reason = Reason.ACCEPTED
    message: str = "OK"
    events: list[Event] = field(default_factory=list)
    links: list[IdentityLink] = field(default_factory=list)
    # Rows besides the outcome's and events': given the chunk, the outcome id and event ids.
    after: Callable[[Chunk, int, list[int]], None] | None = None


@dataclass
class Chunk:
    """The rows of one transaction, by table; counted rows are summed per key on the way."""

    inserts: dict[sa.Table, list[dict[str, Any]]] = field(default_factory=dict)
    upserts: dict[sa.Table, dict[tuple[Any, ...], dict[str, Any]]] = field(default_factory=dict)
    stored: list[Event] = field(default_factory=list)
    verdicts: list[tuple[WriteJob, Outcome]] = field(default_factory=list)

    def add(self, table: sa.Table, row: dict[str, Any]) -> None:
        self.inserts.setdefault(table, []).append(row)

    def keep_latest(self, table: sa.Table, key: tuple[Any, ...], row: dict[str, Any]) -> None:
        self.upserts.setdefault(table, {})[key] = row

    def count(self, table: sa.Table, key: dict[str, Any], counts: dict[str, int]) -> None:
        rows_by_key = self.upserts.setdefault(table, {})
        found = rows_by_key.get(tuple(key.values()))
        if found is None:
            found = rows_by_key[tuple(key.values())] = key | dict.fromkeys(COUNTED[table][1], 0)
        for name, value in counts.items():
            found[name] += value


class Traffic:
    """Makes the requests: users come back, installs attribute their later purchases."""

    def __init__(
        self, rng: random.Random, events: int, salt: str, stride: int = 1, offset: int = 0
    ) -> None:
        """Users are numbered from 0; this one's are those equal to `offset` modulo `stride`."""
        self.rng = rng
        self.salt = salt
        self.stride, self.offset = stride, offset
        self.apps = [app for app, weight in APPS.items() for _ in range(weight)]
        total_users = max(1000, events // EVENTS_PER_USER)
        self.users = {app: max(50, total_users * w // 100 // stride) for app, w in APPS.items()}
        self.owners: dict[tuple[str, str, str], Install] = {}
        self.levels: dict[tuple[str, int, str], tuple[int, int]] = {}
        self.recent: list[Request] = []  # requests with a dedup key, replayed as duplicates
        self.clicks: list[str] = []  # clicks not converted yet
        self.serial = 0
        self.devices: dict[tuple[str, str, int], str] = {}
        kinds: dict[Callable[[str, int], Request], int] = {
            self.appsflyer_event: 25,
            self.appsflyer_purchase: 10,
            self.appsflyer_setcuid: 5,
            self.chartboost_level: 20,
            self.chartboost_purchase: 10,
            self.segmentstream_purchase: 10,
            self.install: 5,
            self.click: 4,
            self.conversion: 1,
            self.invalid: 3,
            self.duplicate: 2,
        }
        self.kinds = [kind for kind, weight in kinds.items() for _ in range(weight)]

    def request(self, at_ms: int) -> Request:
        random = self.rng.random
        app = self.apps[int(random() * len(self.apps))]
        kind = self.kinds[int(random() * len(self.kinds))]
        self.serial += 1
        return kind(app, at_ms)

    # --- ids: the same user keeps their ids; none is one bench/corpus.py sends ---

    def user(self, app: str) -> int:
        return int(self.rng.random() * self.users[app]) * self.stride + self.offset

    def device(self, app: str, kind: str, user: int) -> str:
        """The user's device id of this kind: a UUID, the same every time."""
        key = (app, kind, user)
        found = self.devices.get(key)
        if found is None:
            digits = hashlib.blake2b(f"{app}/{kind}/{user}".encode(), digest_size=16).hexdigest()
            found = self.devices[key] = _uuid(digits)
        return found

    def random_uuid(self) -> str:
        return _uuid(f"{self.rng.getrandbits(128):032x}")

    def unique(self) -> str:
        return f"{self.salt}{self.serial:x}"

    # --- the dialects ---

    def appsflyer_event(self, app: str, at_ms: int) -> Request:
        web = self.device(app, "web", self.user(app))
        name = self.rng.choice(("page_view", "add_to_cart", "sign_up", "search", "view_item"))
        value = {"page": f"/p/{self.rng.randrange(1000)}"}
        payload = {
            "afUserId": web,
            "webDevKey": f"{app}-web-dev-key",
            "eventType": "EVENT",
            "eventName": name,
        }
        event = self.event(app, "appsflyer_web", EventKind.EVENT, name, at_ms, {"af_web_id": web})
        event.properties = {"event_value": value}
        return self.appsflyer(app, "event", {**payload, "eventValue": value}, event)

    def appsflyer_purchase(self, app: str, at_ms: int) -> Request:
        user = self.user(app)
        ids = {"customer_user_id": f"{app}-{user}", "af_web_id": self.device(app, "web", user)}
        currency = self.rng.choice(("USD", "EUR", "GBP"))
        cents = self.rng.randrange(99, 9999)
        value = {"sku": f"sku-{self.rng.randrange(500)}", "quantity": "1"}
        payload = {
            "customerUserId": ids["customer_user_id"],
            "afUserId": ids["af_web_id"],
            "webDevKey": f"{app}-web-dev-key",
            "eventType": "EVENT",
            "eventName": "purchase",
            "eventRevenue": cents / 100,
            "eventRevenueCurrency": currency,
            "eventValue": value,
        }
        event = self.event(app, "appsflyer_web", EventKind.PURCHASE, "purchase", at_ms, ids)
        self.pay(event, cents, currency)
        event.properties = {"ip": "198.51.100.7", "event_value": value}
        return self.appsflyer(app, "event", payload, event)

    def appsflyer_setcuid(self, app: str, at_ms: int) -> Request:
        user = self.user(app)
        ids = {"customer_user_id": f"{app}-{user}", "af_web_id": self.device(app, "web", user)}
        payload = {"customerUserId": ids["customer_user_id"], "afUserId": ids["af_web_id"]}
        event = self.event(app, "appsflyer_web", EventKind.IDENTIFY, "setCuId", at_ms, ids)
        request = self.appsflyer(app, "setcuid", payload, event, "customer user id linked")
        request.links = [
            IdentityLink("customer_user_id", ids["customer_user_id"], "af_web_id", ids["af_web_id"])
        ]
        return request

    def appsflyer(
        self, app: str, path: str, payload: dict[str, Any], event: Event, message: str = ""
    ) -> Request:
        path = f"/v1/com.example.{app}/{path}"
        request = Request("appsflyer_web", app, "POST", path, body=ENCODE(payload))
        request.message, request.events = message or "event recorded", [event]
        return request

    def chartboost_level(self, app: str, at_ms: int) -> Request:
        player = self.device(app, "ifa", self.user(app))
        event_field = self.rng.choice((1, 1, 2, 5))
        key = (app, event_field, player)
        main, sub = self.levels.get(key, (1, -1))
        main, sub = (main, sub + 1) if sub < 2 and self.rng.random() < 0.5 else (main + 1, 0)
        self.levels[key] = (main, sub)
        label = LEVEL_LABELS[event_field]
        level = {"event_label": label, "event_field": event_field, "main_level": main}
        level["sub_level"] = sub
        payload = {"app_id": f"{app}-chartboost", "ifa": player, "event": level}
        event = self.event(app, "chartboost", EventKind.LEVEL, label, at_ms, {"ifa": player})
        event.properties = {**level, "player": player}

        def after(chunk: Chunk, outcome_id: int, event_ids: list[int]) -> None:
            chunk.keep_latest(
                chartboost_labels,
                (app, event_field),
                {"app": app, "event_field": event_field, "label": label, "first_seen_ms": at_ms},
            )
            level_row = {"app": app, "event_field": event_field, "player": player}
            level_row |= {"main_level": main, "sub_level": sub, "label": label}
            level_row |= {"description": None, "updated_at_ms": at_ms}
            chunk.keep_latest(chartboost_levels, key, level_row)
            if event_field == SEQUENTIAL_FIELD:
                scope = f"chartboost:{event_field}:{player}"
                state = {"app": app, "scope": scope, "major": main, "minor": sub}
                chunk.keep_latest(sequence_state, (app, scope), state | {"updated_at_ms": at_ms})

        return self.chartboost(app, payload, event, after)

    def chartboost_purchase(self, app: str, at_ms: int) -> Request:
        gaid = self.device(app, "gaid", self.user(app))
        product = self.rng.choice((("gems_100", 99), ("gems_500", 499), ("gems_1200", 999)))
        iap = {"product_id": product[0], "price": product[1] / 100, "currency": "USD"}
        payload = {"app_id": f"{app}-chartboost", "gaid": gaid, "iap": iap}
        event = self.event(app, "chartboost", EventKind.PURCHASE, "iap", at_ms, {"gaid": gaid})
        self.pay(event, product[1], "USD")
        event.properties = {"product_id": product[0]}
        return self.chartboost(app, payload, event)

    def chartboost(
        self,
        app: str,
        payload: dict[str, Any],
        event: Event,
        after: Callable[[Chunk, int, list[int]], None] | None = None,
    ) -> Request:
        body = ENCODE(payload)
        headers = {
            "x-chartboost-token": f"{app}-chartboost-token",
            "x-chartboost-signature": hashlib.sha256(body).hexdigest(),
        }
        path = "/event_service/v3/track"
        request = Request("chartboost", app, "POST", path, body=body, headers=headers)
        request.events, request.after = [event], after
        return request

    def segmentstream_purchase(self, app: str, at_ms: int) -> Request:
        customer = f"{app}-{self.user(app)}"
        order_id = f"order-{self.unique()}"
        hit = self.random_uuid()
        cents = self.rng.randrange(500, 20000)
        transaction = {"orderId": order_id, "total": cents / 100, "currency": "EUR"}
        payload = {
            "hitId": hit,
            "sentAt": rows_iso(at_ms),
            "event": {
                "category": "Ecommerce",
                "name": "Completed Transaction",
                "user": {"userId": customer},
                "transaction": transaction,
            },
        }
        name = "Completed Transaction"
        ids = {"customer_user_id": customer}
        event = self.event(app, "segmentstream", EventKind.PURCHASE, name, at_ms, ids)
        event.dedup_key = hit
        self.pay(event, cents, "EUR")
        event.properties = payload
        total = cents * 10_000
        reporting = rows.to_micros(event.reporting_revenue) or 0

        def after(chunk: Chunk, outcome_id: int, event_ids: list[int]) -> None:
            order = {"app": app, "order_id": order_id, "status": None, "total_micros": total}
            order |= {"currency": "EUR", "reporting_revenue_micros": reporting}
            order |= {"completed": True, "refunded": False}
            chunk.add(orders, order | {"created_at_ms": at_ms, "updated_at_ms": at_ms})
            change = {"app": app, "order_id": order_id, "outcome_id": outcome_id}
            change |= {"action": "complete", "status": None, "total_micros": total}
            change |= {"currency": "EUR", "revenue_change_micros": reporting}
            change |= {"reporting_revenue_micros": reporting, "flags": "[]"}
            chunk.add(order_history, change | {"changed_at_ms": at_ms})

        headers = {"authorization": "Basic c2VnbWVudHN0cmVhbS10b2tlbjo="}
        request = Request("segmentstream", app, "POST", "/track", body=ENCODE(payload))
        request.headers, request.message = headers, "hit recorded"
        request.events, request.after = [event], after
        self.remember(request)
        return request

    def install(self, app: str, at_ms: int) -> Request:
        user = self.user(app)
        gaid = self.device(app, "gaid", user)
        publisher = self.rng.choice(("Publisher A", "Publisher B", "Publisher C"))
        campaign = f"campaign-{self.rng.randrange(20)}"
        install_id = f"install-{self.unique()}"
        query = urllib.parse.urlencode(
            {
                "apikey": f"{app}-install-key",
                "publisher_name": publisher,
                "campaign_name": campaign,
                "google_aid": gaid,
                "user_id": f"{app}-{user}",
                "country_code": "DE",
                "cost": "0.35",
                "id": install_id,
            }
        )
        ids = {"gaid": gaid, "customer_user_id": f"{app}-{user}"}
        event = self.event(app, "install_postback", EventKind.INSTALL, "install", at_ms, ids)
        event.dedup_key = install_id
        event.properties = {
            "publisher_name": publisher,
            "campaign_name": campaign,
            "id": install_id,
            "country_code": "DE",
            "cost": Decimal("0.35"),
        }
        day = rows.day_of(at_ms)

        def after(chunk: Chunk, outcome_id: int, event_ids: list[int]) -> None:
            install = Install(event_ids[0], publisher, campaign, day)
            row = {"event_id": install.event_id, "app": app, "publisher": publisher}
            row |= {"campaign": campaign, "campaign_id": None, "sub_parameters": "{}"}
            row |= {"install_time_ms": at_ms, "cost_micros": 350_000}
            chunk.add(installs, row | {"reporting_cost_micros": 350_000})
            for kind, value in ids.items():
                if self.owners.setdefault((app, kind, value), install) is install:
                    device: dict[str, Any] = {"app": app, "id_value": value, "id_type": kind}
                    device |= {"install_event_id": install.event_id, "created_at_ms": at_ms}
                    chunk.keep_latest(install_devices, (app, value, kind), device)
            attribute(chunk, event, install.event_id, install)

        path = "/track/install/v1/custom/"
        request = Request("install_postback", app, "GET", path, query=query)
        request.message, request.events, request.after = "install recorded", [event], after
        self.remember(request)
        return request

    def click(self, app: str, at_ms: int) -> Request:
        if app != "bench":
            return self.appsflyer_event(app, at_ms)
        transaction_id = f"{OFFER_ID}-{self.rng.getrandbits(128):032x}"
        destination = f"https://advertiser.example/land?click={transaction_id}"
        ids = {"transaction_id": transaction_id}
        event = self.event("bench", "affiliate", EventKind.CLICK, "click", at_ms, ids)
        event.dedup_key = f"click:{transaction_id}"
        event.properties = {
            "transaction_id": transaction_id,
            "offer_id": OFFER_ID,
            "aff_id": AFF_ID,
            "ip": "203.0.113.9",
            "destination": destination,
        }
        self.clicks.append(transaction_id)
        sub = f"sub-{self.rng.randrange(50)}"

        def after(chunk: Chunk, outcome_id: int, event_ids: list[int]) -> None:
            row = dict.fromkeys(c.name for c in affiliate_clicks.columns)
            row |= {"transaction_id": transaction_id, "offer_id": OFFER_ID, "aff_id": AFF_ID}
            row |= {"aff_sub": sub, "ip": "203.0.113.9", "destination": destination}
            row |= {"clicked_at_ms": at_ms, "event_id": event_ids[0], "outcome_id": outcome_id}
            chunk.add(affiliate_clicks, row)
            key = {"day": rows.day_of(at_ms), "offer_id": OFFER_ID, "aff_id": AFF_ID}
            chunk.count(affiliate_daily_totals, key | {"offer_event_id": 0}, {"clicks": 1})

        query = f"offer_id={OFFER_ID}&aff_id={AFF_ID}&aff_sub={sub}"
        request = Request("affiliate", "bench", "GET", "/click", query=query)
        request.message, request.events, request.after = "click recorded", [event], after
        return request

    def conversion(self, app: str, at_ms: int) -> Request:
        if app != "bench" or not self.clicks:
            return self.appsflyer_event(app, at_ms)
        transaction_id = self.clicks.pop(self.rng.randrange(len(self.clicks)))
        ids = {"transaction_id": transaction_id}
        event = self.event("bench", "affiliate", EventKind.CONVERSION, "conversion", at_ms, ids)
        event.dedup_key = f"conversion:{transaction_id}"
        self.pay(event, 200, "USD")
        event.properties = {
            "transaction_id": transaction_id,
            "offer_id": OFFER_ID,
            "currency": "USD",
            "revenue": Decimal(2),
            "payout": Decimal("1.5"),
            "profit": Decimal("0.5"),
        }

        def after(chunk: Chunk, outcome_id: int, event_ids: list[int]) -> None:
            row = dict.fromkeys(c.name for c in affiliate_conversions.columns if c.name != "id")
            row |= {"transaction_id": transaction_id, "offer_id": OFFER_ID, "aff_id": AFF_ID}
            row |= {"status": "approved", "currency": "USD", "revenue_micros": CLICK_REVENUE}
            row |= {"payout_micros": CLICK_PAYOUT, "profit_micros": CLICK_REVENUE - CLICK_PAYOUT}
            row |= {"received_at_ms": at_ms, "event_id": event_ids[0], "outcome_id": outcome_id}
            chunk.add(affiliate_conversions, row)
            key = {"day": rows.day_of(at_ms), "offer_id": OFFER_ID, "aff_id": AFF_ID}
            counts = {"conversions": 1, "revenue_micros": CLICK_REVENUE}
            counts["payout_micros"] = CLICK_PAYOUT
            chunk.count(affiliate_daily_totals, key | {"offer_event_id": 0}, counts)

        query = f"secure=bench-affiliate-token&transaction_id={transaction_id}"
        request = Request("affiliate", "bench", "GET", "/postback", query=query)
        request.message, request.events, request.after = "conversion recorded", [event], after
        return request

    def invalid(self, app: str, at_ms: int) -> Request:
        payload = {"webDevKey": f"{app}-web-dev-key", "eventType": "EVENT", "eventName": "no_user"}
        path = f"/v1/com.example.{app}/event"
        request = Request("appsflyer_web", app, "POST", path, body=ENCODE(payload))
        request.reason, request.message = Reason.INVALID, INVALID_MESSAGE
        return request

    def duplicate(self, app: str, at_ms: int) -> Request:
        if not self.recent:
            return self.invalid(app, at_ms)
        original = self.rng.choice(self.recent)
        request = Request(original.dialect, original.app, original.method, original.path)
        request.query, request.body, request.headers = (
            original.query,
            original.body,
            original.headers,
        )
        request.reason, request.message = Reason.DUPLICATE, DUPLICATE_MESSAGE
        return request

    # --- helpers ---

    def event(
        self, app: str, dialect: str, kind: EventKind, name: str, at_ms: int, ids: dict[str, str]
    ) -> Event:
        event = Event(
            app=app,
            dialect=dialect,
            kind=kind,
            name=name,
            event_time_ms=at_ms,
            received_at_ms=at_ms,
        )
        event.ids = ids
        return event

    def pay(self, event: Event, cents: int, currency: str) -> None:
        event.revenue = Decimal(cents) / 100
        event.currency = currency
        event.reporting_revenue = (event.revenue * RATES[currency]).quantize(Decimal("0.000001"))

    def remember(self, request: Request) -> None:
        if len(self.recent) < 1000:
            self.recent.append(request)
        else:
            self.recent[self.rng.randrange(1000)] = request

    def attributed(self, event: Event) -> Install | None:
        """The earliest install owning one of the event's ids (installs own gaid and user id)."""
        ids = event.ids
        found = [
            install
            for kind in INSTALL_IDS
            if kind in ids and (install := self.owners.get((event.app, kind, ids[kind])))
        ]
        return min(found, key=lambda install: install.event_id) if found else None


def _uuid(digits: str) -> str:
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def rows_iso(at_ms: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(at_ms / 1000)) + "Z"


def attribute(chunk: Chunk, event: Event, event_id: int, install: Install) -> None:
    row = {"event_id": event_id, "app": event.app, "install_event_id": install.event_id}
    row |= {"publisher": install.publisher, "campaign": install.campaign, "campaign_id": None}
    chunk.add(event_attribution, row)
    key = {"day": install.day, "app": event.app, "publisher": install.publisher}
    key["campaign"] = install.campaign
    if event.kind == EventKind.INSTALL:
        counts = {"installs": 1, "cost_micros": 350_000, "reporting_cost_micros": 350_000}
    else:
        counts = {"events": 1, "revenue_micros": rows.to_micros(event.reporting_revenue) or 0}
    chunk.count(daily_attribution_totals, key, counts)


# --- requests into rows (in the producer process) ---


@dataclass
class Numbering:
    """The next ids of a chunk; outcome ids stop short of the next chunk's first one."""

    outcome_id: int
    event_id: int
    outcome_limit: int


@dataclass(frozen=True)
class Clock:
    """Stored event number n happens at start + n x span / total: in order, evenly spread."""

    start_ms: int
    span_ms: int
    total: int

    def at(self, stored: int) -> int:
        return self.start_ms + stored * self.span_ms // self.total


@dataclass(frozen=True)
class Plan:
    """What every worker knows: the events to store, when, in which chunks, from which ids.

    Chunk i holds stored events i x chunk to (i + 1) x chunk - 1 and is made and written by
    worker i mod workers. Its ids are fixed in advance, so chunks may commit in any order:
    events take consecutive ids, outcomes a block of 1.25 x chunk ids (a chunk's requests are
    its events and about 5 % more, rejected or duplicates; the rest of the block stays unused).
    """

    events: int
    chunk: int
    workers: int
    clock: Clock
    first_outcome_id: int
    first_event_id: int
    seed: int

    @property
    def chunks(self) -> int:
        return -(-self.events // self.chunk)

    def numbering(self, index: int) -> Numbering:
        block = self.chunk + self.chunk // 4
        first = self.first_outcome_id + index * block
        return Numbering(first, self.first_event_id + index * self.chunk, first + block)

    def span(self, index: int) -> tuple[int, int]:
        return index * self.chunk, min((index + 1) * self.chunk, self.events)


@dataclass
class Batch:
    """One transaction's rows: plain inserts as tuples (what executemany and COPY bind
    fastest), then upserts."""

    events: int
    requests: int
    inserts: list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]]
    upserts: list[tuple[str, list[dict[str, Any]]]]


def build_chunk(
    traffic: Traffic, numbering: Numbering, first: int, last: int, clock: Clock
) -> Chunk:
    """The rows of the requests that store events number `first` to `last` - 1."""
    chunk = Chunk()
    stored = first
    while stored < last:
        at_ms = clock.at(stored)
        request = traffic.request(at_ms)
        job, outcome = _verdict(request, at_ms, traffic.rng)
        outcome_id = numbering.outcome_id
        numbering.outcome_id += 1
        if outcome_id >= numbering.outcome_limit:
            raise RuntimeError("more requests than ids set aside for the chunk: make it larger")
        outcome_row = rows.outcome_row(job, outcome)
        outcome_row["id"] = outcome_id
        chunk.add(outcomes, outcome_row)
        chunk.verdicts.append((job, outcome))
        event_ids = [_add_event(chunk, traffic, e, outcome_id, numbering) for e in request.events]
        stored += len(event_ids)
        for link in request.links:
            key = (request.app, link.left_value, link.right_value)
            chunk.keep_latest(identity_links, key, rows.link_row(request.app, link, job))
        if request.after is not None:
            request.after(chunk, outcome_id, event_ids)
    return chunk


def _verdict(request: Request, at_ms: int, rng: random.Random) -> tuple[WriteJob, Outcome]:
    client_ip = f"198.51.100.{1 + int(rng.random() * 254)}"
    user_agent = USER_AGENTS[int(rng.random() * len(USER_AGENTS))]
    headers = {"host": "postback.example.com", "user-agent": user_agent}
    headers["accept"] = "*/*"
    headers["x-forwarded-for"] = client_ip
    if request.body:
        headers["content-type"] = "application/json"
        headers["content-length"] = str(len(request.body))
    raw = RawRequest(
        method=request.method,
        path=request.path,
        query=request.query,
        headers=headers | request.headers,
        body=request.body,
        body_truncated=False,
        client_ip=client_ip,
    )
    job = WriteJob(request.dialect, raw, at_ms, NO_RESULT)
    return job, Outcome(reason=request.reason, message=request.message, app=request.app)


def _add_event(
    chunk: Chunk, traffic: Traffic, event: Event, outcome_id: int, numbering: Numbering
) -> int:
    event_id = numbering.event_id
    numbering.event_id += 1
    row = rows.event_row(event, outcome_id)
    row["id"] = event_id
    chunk.add(events, row)
    for kind, value in event.ids.items():
        identity = {"id_value": value, "event_id": event_id, "id_type": kind, "app": event.app}
        chunk.add(event_identities, identity)
    if event.dedup_key is not None:
        key = {"app": event.app, "dialect": event.dialect, "key": event.dedup_key}
        chunk.add(dedup_keys, key | {"created_at_ms": event.received_at_ms})
    chunk.stored.append(event)
    if event.kind != EventKind.INSTALL and (install := traffic.attributed(event)) is not None:
        attribute(chunk, event, event_id, install)
    return event_id


# Plain inserts, in this order (outcomes before what refers to them).
INSERTED = (
    outcomes,
    events,
    event_identities,
    dedup_keys,
    installs,
    event_attribution,
    orders,
    order_history,
    affiliate_clicks,
    affiliate_conversions,
)
# Inserts sorted by primary key first: their keys are random, sorted they touch each page once.
SORTED = {
    event_identities: ("id_value", "event_id", "id_type"),
    dedup_keys: ("app", "dialect", "key"),
}


def _batch(chunk: Chunk, events_in_chunk: int) -> Batch:
    inserts = []
    for table in INSERTED:
        found = chunk.inserts.get(table)
        if not found:
            continue
        columns = tuple(found[0])
        values = list(map(operator.itemgetter(*columns), found))
        if table in SORTED:
            values.sort(key=operator.itemgetter(*(columns.index(c) for c in SORTED[table])))
        inserts.append((table.name, columns, values))
    # Workers upsert the same keys (totals, labels): in one order, so none waits on another
    # that waits on it (PostgreSQL would detect a deadlock and fail one).
    upserts = [
        (table.name, [row for _, row in sorted(by_key.items())])
        for table, by_key in chunk.upserts.items()
    ]
    upserts.append((daily_event_totals.name, rows.daily_event_totals(chunk.stored)))
    upserts.append((daily_outcome_totals.name, rows.daily_outcome_totals(chunk.verdicts)))
    upserts.sort(key=lambda upsert: upsert[0])
    return Batch(events_in_chunk, len(chunk.verdicts), inserts, upserts)


# --- rows into the database (in the loader's process) ---

# Counted tables: key columns, counter columns (summed with what is stored).
COUNTED: dict[sa.Table, tuple[list[str], list[str]]] = {
    daily_attribution_totals: (
        ["day", "app", "publisher", "campaign"],
        ["installs", "cost_micros", "reporting_cost_micros", "events", "revenue_micros"],
    ),
    affiliate_daily_totals: (
        ["day", "offer_id", "aff_id", "offer_event_id"],
        ["clicks", "conversions", "events", "revenue_micros", "payout_micros"],
    ),
    daily_event_totals: (
        ["day", "app", "dialect", "kind", "name"],
        ["events", "reporting_revenue_micros"],
    ),
    daily_outcome_totals: (["day", "app", "dialect", "reason"], ["requests"]),
}
# Tables whose stored row is replaced by the newest; any other upserted table keeps its first.
REPLACED: dict[sa.Table, list[str]] = {
    chartboost_levels: ["app", "event_field", "player"],
    sequence_state: ["app", "scope"],
}


class Writer:
    """Writes batches: inserts by executemany (COPY on PostgreSQL), the rest by upserts."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.postgres = database.engine_name == "postgresql"
        self._upserts: dict[tuple[str, tuple[str, ...]], Prepared] = {}

    def write(self, connection: sa.Connection, batch: Batch) -> None:
        cursor: Any = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        for name, columns, values in batch.inserts:
            names = ", ".join(f'"{column}"' for column in columns)
            if self.postgres:
                with cursor.copy(f'COPY "{name}" ({names}) FROM STDIN') as copy:
                    for row in values:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(columns))
                cursor.executemany(f'INSERT INTO "{name}" ({names}) VALUES ({marks})', values)
        for name, found in batch.upserts:
            if found:
                execute_many(connection, self.database, self._upsert(name, tuple(found[0])), found)

    def _upsert(self, name: str, columns: tuple[str, ...]) -> Prepared:
        statement = self._upserts.get((name, columns))
        if statement is None:
            statement = self._upserts[(name, columns)] = _upsert(metadata.tables[name], columns)
        return statement


def _upsert(table: sa.Table, columns: tuple[str, ...]) -> Prepared:
    if table in COUNTED:
        key, counters = COUNTED[table]
        return add_counts(table, key, counters)
    if table in REPLACED:
        key = REPLACED[table]
        rest = [name for name in columns if name not in key]

        def replace(insert: Insert) -> Any:
            statement = insert(table)
            set_ = {name: statement.excluded[name] for name in rest}
            return statement.on_conflict_do_update(index_elements=key, set_=set_)

        return Prepared(replace, columns)
    return Prepared(lambda insert: insert(table).on_conflict_do_nothing(), columns)


# --- the run ---


@dataclass
class Loaded:
    events: int
    requests: int
    seconds: float
    size_bytes: int


def load(
    database_url: str,
    events_wanted: int,
    days: int = 90,
    seed: int | None = None,
    chunk_events: int = CHUNK_EVENTS,
    workers: int = 2,
    progress: Callable[[int, float], None] | None = None,
) -> Loaded:
    """Migrate the database, then store `events_wanted` events spread over the last `days`.

    `workers` processes each make chunks of rows and write them (on SQLite one at a time,
    under the database's write lock, while the others make their next chunk).
    """
    database = open_database(database_url)
    try:
        migrate(database)
        started = time.monotonic()
        plan = _plan(database, events_wanted, days, seed, chunk_events, workers)
        done = requests = 0
        for events_written, requests_written in _run_workers(plan, database_url):
            done += events_written
            requests += requests_written
            if progress is not None:
                progress(done, time.monotonic() - started)
        with database.writer.connect() as connection:
            _finish(connection, database)
        seconds = time.monotonic() - started
        return Loaded(events_wanted, requests, seconds, _size(database))
    finally:
        database.dispose()


def _plan(
    database: Database, wanted: int, days: int, seed: int | None, chunk: int, workers: int
) -> Plan:
    with database.reader.connect() as connection:
        last_outcome = connection.execute(sa.select(sa.func.max(outcomes.c.id))).scalar_one()
        last_event = connection.execute(sa.select(sa.func.max(events.c.id))).scalar_one()
    end_ms = int(time.time() * 1000)
    clock = Clock(end_ms - days * DAY_MS, days * DAY_MS, max(wanted, 1))
    return Plan(
        events=wanted,
        chunk=chunk,
        workers=max(1, min(workers, -(-wanted // chunk))),
        clock=clock,
        first_outcome_id=int(last_outcome or 0) + 1,
        first_event_id=int(last_event or 0) + 1,
        seed=random.randrange(2**32) if seed is None else seed,
    )


def _run_workers(plan: Plan, database_url: str) -> Iterator[tuple[int, int]]:
    """Start the workers; yield (events, requests) as each chunk commits; fail if one fails."""
    context = multiprocessing.get_context("fork")
    reports: Any = context.Queue()
    processes = [
        context.Process(target=_work, args=(plan, worker, database_url, reports))
        for worker in range(plan.workers)
    ]
    for process in processes:
        process.start()
    try:
        done = 0
        while done < plan.events:
            try:
                written = reports.get(timeout=1)
            except queue.Empty:
                if any(process.exitcode not in (None, 0) for process in processes):
                    raise RuntimeError("a loader worker failed (its error is above)") from None
                continue
            done += written[0]
            yield written
    finally:
        for process in processes:
            if process.is_alive() and done < plan.events:
                process.terminate()
            process.join()


def _work(plan: Plan, worker: int, database_url: str, reports: Any) -> None:
    gc.disable()  # no reference cycles are made; collecting a heap this size costs half the time
    rng = random.Random(f"{plan.seed}/{worker}")
    salt = f"{secrets.token_hex(4)}{worker}-"  # unique ids stay unique across loads
    traffic = Traffic(rng, plan.events, salt, stride=plan.workers, offset=worker)
    database = open_database(database_url)
    writer = Writer(database)
    try:
        with database.writer.connect() as connection:
            _tune(connection, database)
            for index in range(worker, plan.chunks, plan.workers):
                first, last = plan.span(index)
                chunk = build_chunk(traffic, plan.numbering(index), first, last, plan.clock)
                batch = _batch(chunk, last - first)
                del chunk
                with database.write_lock(), connection.begin():
                    writer.write(connection, batch)
                reports.put((batch.events, batch.requests))
    finally:
        database.dispose()
    reports.close()
    reports.join_thread()


def _tune(connection: sa.Connection, database: Database) -> None:
    """SQLite: a large page cache, and no fsync (a loader's crash loses nothing worth keeping)."""
    driver: Any = connection.connection.driver_connection
    if database.engine_name == "sqlite":
        driver.execute("PRAGMA cache_size=-1048576")
        driver.execute("PRAGMA synchronous=OFF")
    else:
        driver.execute("SET synchronous_commit = off")
        driver.commit()


def _finish(connection: sa.Connection, database: Database) -> None:
    """PostgreSQL: the id sequences past the ids given, and fresh planner statistics."""
    driver: Any = connection.connection.driver_connection
    if database.engine_name == "sqlite":
        driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return
    for table in (outcomes, events):
        driver.execute(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'),"
            f" (SELECT max(id) FROM {table.name}))"
        )
    driver.commit()
    driver.autocommit = True
    driver.execute("VACUUM ANALYZE")
    driver.autocommit = False


def _size(database: Database) -> int:
    if database.engine_name == "sqlite":
        path = sqlite_path(database.url)
        wal = path.with_name(path.name + "-wal")
        return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    with database.reader.connect() as connection:
        query = "SELECT pg_database_size(current_database())"
        return int(connection.exec_driver_sql(query).scalar_one())


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="sqlite:///path or postgresql://…")
    parser.add_argument("--events", type=int, required=True, help="how many events to store")
    parser.add_argument("--days", type=int, default=90, help="spread over the last N days")
    parser.add_argument("--seed", type=int, help="default: a random one")
    parser.add_argument("--chunk", type=int, default=CHUNK_EVENTS, help="events per transaction")
    parser.add_argument("--workers", type=int, default=2, help="processes making and writing rows")
    options = parser.parse_args(argv)
    every = max(options.events // 10, 1)
    shown = 0

    def progress(done: int, seconds: float) -> None:
        nonlocal shown
        if done - shown >= every or done == options.events:
            shown = done
            rate = done / seconds
            print(f"  {done:>12,} events  {rate:>9,.0f} events/s  {seconds:7.1f} s", flush=True)

    loaded = load(
        options.database_url,
        options.events,
        options.days,
        options.seed,
        options.chunk,
        options.workers,
        progress,
    )
    print(
        f"loaded {loaded.events:,} events ({loaded.requests:,} requests) over {options.days} days"
        f" in {loaded.seconds:.1f} s: {loaded.events / loaded.seconds:,.0f} events/s;"
        f" database {loaded.size_bytes / 2**30:.2f} GiB"
    )


if __name__ == "__main__":
    main()
