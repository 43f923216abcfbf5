"""A day of traffic as a file of raw requests: every dialect, correctly signed, distinct users
and ids, a few percent of duplicates and invalid requests. wrk replays it (workload.lua).

Affiliate conversions and events need clicks the server issued: the runner makes those clicks
first and passes their transaction ids in.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import random
import urllib.parse
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

BUNDLE = "com.example.bench"
WEB_DEV_KEY = "bench-web-dev-key"
CHARTBOOST_APP_ID = "bench0535beacdc1e1eff778"
CHARTBOOST_APP_SIGNATURE = "bench68e3bb4e7eb953024eb4f2ac03376e2c2fb"
CHARTBOOST_TOKEN = "bench-chartboost-token"
CHARTBOOST_SECRET = "bench-chartboost-secret"
SEGMENTSTREAM_TOKEN = "bench-segmentstream-token"
INSTALL_KEY = "bench-install-key"
AFFILIATE_TOKEN = "bench-affiliate-token"
BENCH_APP = f"""
[[apps]]
id = "bench"
name = "Benchmark app"
[apps.appsflyer_web]
bundle_id = "{BUNDLE}"
web_dev_key = "{WEB_DEV_KEY}"
rate_limit_per_minute = 100000000
[apps.chartboost]
app_id = "{CHARTBOOST_APP_ID}"
app_signature = "{CHARTBOOST_APP_SIGNATURE}"
api_token = "{CHARTBOOST_TOKEN}"
api_secret = "{CHARTBOOST_SECRET}"
rate_limit_per_minute = 100000000
[apps.segmentstream]
api_token = "{SEGMENTSTREAM_TOKEN}"
[apps.install_postback]
api_key = "{INSTALL_KEY}"

[affiliate]
secure_token = "{AFFILIATE_TOKEN}"
[[affiliate.affiliates]]
id = 7
name = "Publisher Seven"
[[affiliate.offers]]
id = 1
name = "Bench offer"
app = "bench"
url = "https://advertiser.example/land?click={{transaction_id}}"
revenue = {{ type = "CPA", value = 2.0 }}
payout = {{ type = "CPA", value = 1.5 }}
[[affiliate.offers.events]]
id = 5
name = "purchase"
revenue = {{ type = "CPS", value = 10.0 }}
payout = {{ type = "CPS", value = 5.0 }}
allow_multiple = true
"""


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: str
    valid: bool

    def line(self) -> str:
        """Tab-separated: method, path, headers (name:value joined by \\x1f), body."""
        headers = "\x1f".join(f"{name}:{value}" for name, value in self.headers.items())
        return "\t".join((self.method, self.path, headers, self.body))


def _appsflyer_purchase(rng: random.Random, n: int) -> Request:
    payload = {
        "customerUserId": f"customer-{n}",
        "afUserId": str(uuid.UUID(int=rng.getrandbits(128))),
        "webDevKey": WEB_DEV_KEY,
        "eventType": "EVENT",
        "eventName": "purchase",
        "eventRevenue": round(rng.uniform(0.99, 99.99), 2),
        "eventRevenueCurrency": rng.choice(["USD", "EUR", "GBP"]),
        "eventValue": {"sku": f"sku-{rng.randrange(500)}", "quantity": str(rng.randrange(1, 4))},
        "ip": "192.0.2.1",
        "userAgent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0",
    }
    return _json_post(f"/v1/{BUNDLE}/event", payload)


def _appsflyer_event(rng: random.Random, n: int) -> Request:
    payload = {
        "afUserId": f"web-{n}",
        "webDevKey": WEB_DEV_KEY,
        "eventType": "EVENT",
        "eventName": rng.choice(["page_view", "add_to_cart", "sign_up", "search"]),
        "eventValue": {"page": f"/p/{rng.randrange(1000)}"},
    }
    return _json_post(f"/v1/{BUNDLE}/event", payload)


def _appsflyer_setcuid(rng: random.Random, n: int) -> Request:
    payload = {"customerUserId": f"customer-{n}", "afUserId": f"web-{n}", "webDevKey": WEB_DEV_KEY}
    return _json_post(f"/v1/{BUNDLE}/setcuid", payload)


def _device(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _chartboost(payload: dict[str, object]) -> Request:
    body = json.dumps({"app_id": CHARTBOOST_APP_ID, **payload}, separators=(",", ":"))
    descriptor = f"action:pia\n{CHARTBOOST_SECRET}\n{CHARTBOOST_APP_SIGNATURE}\n{body}"
    headers = {
        **_JSON,
        "X-Chartboost-Token": CHARTBOOST_TOKEN,
        "X-Chartboost-Signature": hashlib.sha256(descriptor.encode()).hexdigest(),
    }
    return Request("POST", "/event_service/v3/track", headers, body, valid=True)


def _chartboost_purchase(rng: random.Random, n: int) -> Request:
    iap = {"product_id": f"gems_{rng.choice([100, 500, 1200])}", "price": 0.99, "currency": "USD"}
    return _chartboost({"gaid": _device(rng), "iap": iap})


def _chartboost_level(rng: random.Random, n: int) -> Request:
    event = {
        "event_label": "Level Completed",
        "event_field": rng.choice([1, 2, 5]),
        "main_level": n,
        "sub_level": rng.randrange(3),
    }
    return _chartboost({"ifa": f"player-{n % 5000}", "event": event})


def _segmentstream_purchase(rng: random.Random, n: int) -> Request:
    payload = {
        "hitId": str(uuid.uuid1(node=rng.getrandbits(48), clock_seq=rng.getrandbits(14))),
        "sentAt": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
        "event": {
            "category": "Ecommerce",
            "name": "Completed Transaction",
            "user": {"userId": f"customer-{n}"},
            "transaction": {"orderId": f"order-{n}", "total": 49.9, "currency": "EUR"},
        },
    }
    token = base64.b64encode(f"{SEGMENTSTREAM_TOKEN}:".encode()).decode()
    headers = {**_JSON, "Authorization": f"Basic {token}"}
    return Request("POST", "/track", headers, json.dumps(payload), valid=True)


def _install(rng: random.Random, n: int) -> Request:
    query = {
        "apikey": INSTALL_KEY,
        "publisher_name": rng.choice(["Publisher A", "Publisher B"]),
        "campaign_name": f"campaign-{rng.randrange(20)}",
        "google_aid": _device(rng),
        "user_id": f"customer-{n}",
        "country_code": "DE",
        "cost": "0.35",
        "id": f"install-{n}",
    }
    path = "/track/install/v1/custom/?" + urllib.parse.urlencode(query)
    return Request("GET", path, {}, "", valid=True)


def _click(rng: random.Random, n: int) -> Request:
    return Request("GET", f"/click?offer_id=1&aff_id=7&aff_sub=sub-{n % 50}", {}, "", valid=True)


def affiliate_postbacks(transaction_ids: list[str]) -> Iterator[Request]:
    """A conversion, then a purchase event, for each click the server issued."""
    for transaction_id in transaction_ids:
        base = {"secure": AFFILIATE_TOKEN, "transaction_id": transaction_id}
        yield Request("GET", "/postback?" + urllib.parse.urlencode(base), {}, "", valid=True)
        event = {**base, "event_id": "5", "purchase_value": "19.99"}
        yield Request("GET", "/postback?" + urllib.parse.urlencode(event), {}, "", valid=True)


def _invalid(rng: random.Random, n: int) -> Request:
    payload = {"webDevKey": WEB_DEV_KEY, "eventType": "EVENT", "eventName": "no_user"}
    return Request("POST", f"/v1/{BUNDLE}/event", _JSON, json.dumps(payload), valid=False)


_JSON = {"Content-Type": "application/json"}


def _json_post(path: str, payload: Mapping[str, object]) -> Request:
    return Request("POST", path, _JSON, json.dumps(payload), valid=True)


Builder = Callable[[random.Random, int], Request]

# (builder, weight): the proportions of a day; more dialects join as they land.
MIX: list[tuple[Builder, int]] = [
    (_appsflyer_event, 25),
    (_appsflyer_purchase, 10),
    (_appsflyer_setcuid, 5),
    (_chartboost_level, 20),
    (_chartboost_purchase, 10),
    (_segmentstream_purchase, 10),
    (_install, 5),
    (_click, 5),
    (_invalid, 3),
]
DUPLICATE_SHARE = 0.02


def requests(count: int, transaction_ids: list[str], seed: int = 7) -> Iterator[Request]:
    rng = random.Random(seed)
    yield from affiliate_postbacks(transaction_ids)
    builders = [builder for builder, _ in MIX]
    weights = [weight for _, weight in MIX]
    made: list[Request] = []
    for n in range(count):
        if made and rng.random() < DUPLICATE_SHARE:
            yield rng.choice(made)
            continue
        request = rng.choices(builders, weights)[0](rng, n)
        made.append(request)
        yield request


def write_corpus(path: str, count: int, transaction_ids: list[str]) -> None:
    with open(path, "w") as file:
        for request in requests(count, transaction_ids):
            file.write(request.line() + "\n")
