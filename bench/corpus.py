"""A day of traffic as a file of raw requests: every landed dialect, distinct users and ids,
a few percent of duplicates and invalid requests. wrk replays it (workload.lua)."""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

BUNDLE = "com.example.bench"
WEB_DEV_KEY = "bench-web-dev-key"
BENCH_APP = f"""
[[apps]]
id = "bench"
name = "Benchmark app"
[apps.appsflyer_web]
bundle_id = "{BUNDLE}"
web_dev_key = "{WEB_DEV_KEY}"
rate_limit_per_minute = 100000000
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


def _invalid(rng: random.Random, n: int) -> Request:
    payload = {"webDevKey": WEB_DEV_KEY, "eventType": "EVENT", "eventName": "no_user"}
    return Request("POST", f"/v1/{BUNDLE}/event", _JSON, json.dumps(payload), valid=False)


_JSON = {"Content-Type": "application/json"}


def _json_post(path: str, payload: dict[str, object]) -> Request:
    return Request("POST", path, _JSON, json.dumps(payload), valid=True)


Builder = Callable[[random.Random, int], Request]

# (builder, weight): the proportions of a day; more dialects join as they land.
MIX: list[tuple[Builder, int]] = [
    (_appsflyer_event, 60),
    (_appsflyer_purchase, 25),
    (_appsflyer_setcuid, 10),
    (_invalid, 3),
]
DUPLICATE_SHARE = 0.02


def requests(count: int, seed: int = 7) -> Iterator[Request]:
    rng = random.Random(seed)
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


def write_corpus(path: str, count: int) -> None:
    with open(path, "w") as file:
        for request in requests(count):
            file.write(request.line() + "\n")
