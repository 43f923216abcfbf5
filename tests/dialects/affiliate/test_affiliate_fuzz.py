"""Fuzzing the affiliate query parsing: any query or form body gets a typed verdict, never
an exception, and never a 5xx over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import httpx
import msgspec
import pytest
from affiliate_helpers import SALE_TOKEN, TOKEN, network_document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postback.dialects._common import DialectEnv, IngestRequest, Refusal
from postback.dialects.affiliate import AffiliateDialect
from postback.dialects.affiliate.params import Params
from postback.model import Outcome, Reason, Rejection, Submission
from postback.storage.affiliate_cache import AffiliateCache
from postback.storage.base import open_database
from postback.storage.migrate import migrate
from postback.storage.provisioning import provision
from support.config import make_settings
from support.live import FakeClock, LiveServer, live_server

NAMES = [
    "secure",
    "transaction_id",
    "event_id",
    "event_name",
    "purchase_value",
    "amount",
    "adv_sub_id",
    "device_id",
    "offer_id",
    "aff_id",
    "aff_sub",
    "source",
]
VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [TOKEN, SALE_TOKEN, "1", "5", "6", "7", "purchase", "1e5", "-0", "0.1", "NaN", "\x00"]
    ),
    st.from_regex(r"[1-3]-[0-9a-f]{32}", fullmatch=True),
    st.from_regex(r"-?[0-9]{0,14}(\.[0-9]{0,9})?([eE][+-]?[0-9]{1,4})?", fullmatch=True),
    st.text(alphabet="x", min_size=495, max_size=505),
)
QUERIES = st.dictionaries(st.sampled_from(NAMES) | st.text(max_size=8), VALUES, max_size=8)
PATHS = st.sampled_from(["/click", "/postback", "/"])
METHODS = st.sampled_from(["GET", "POST", "HEAD", "PUT"])
CONTENT_TYPES = st.sampled_from(
    ["application/x-www-form-urlencoded", "application/json", "text/plain", ""]
)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DialectEnv]:
    """The dialect's real environment: the network cache over a provisioned SQLite file."""
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz')}/postback.db"
    database = open_database(url)
    migrate(database)
    provision(database, make_settings(url, network_document(url)))
    cache = AffiliateCache(database)
    cache.refresh()
    yield DialectEnv(credentials=_NoApps(), clock=FakeClock(), affiliate=cache)
    database.dispose()


class _NoApps:
    def find(self, dialect: str, lookup_key: str) -> None:
        return None


def _request(
    path: str, method: str, query: dict[str, str], body: bytes, content_type: str
) -> IngestRequest:
    return IngestRequest(
        method=method,
        path=path,
        path_params={},
        query=query,
        headers={"content-type": content_type} if content_type else {},
        body=body,
        body_complete=True,
        client_ip="192.0.2.1",
        received_at_ms=1_700_000_000_000,
    )


@settings(max_examples=400, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=PATHS, method=METHODS, query=QUERIES, form=QUERIES, content_type=CONTENT_TYPES)
def test_any_query_gets_a_typed_verdict(
    env: DialectEnv,
    path: str,
    method: str,
    query: dict[str, str],
    form: dict[str, str],
    content_type: str,
) -> None:
    body = urlencode(form).encode() if method == "POST" else b""
    dialect = AffiliateDialect()
    result = dialect.handle(_request(path, method, query, body, content_type), env)
    assert isinstance(result, Submission | Rejection)
    if isinstance(result, Rejection):
        assert result.reason in {
            Reason.INVALID,
            Reason.TOO_LARGE,
            Reason.UNAUTHENTICATED,
            Reason.FORBIDDEN,
            Reason.NOT_FOUND,
            Reason.METHOD_NOT_ALLOWED,
        }
        outcome = Outcome(reason=result.reason, message=result.message, context=result.context)
    else:
        _check_submission(result)
        outcome = Outcome(reason=Reason.ACCEPTED, message=result.message, context=result.context)
    assert 200 <= dialect.respond(outcome).status < 500


def _check_submission(submission: Submission) -> None:
    [event] = submission.events
    assert event.dedup_key is not None or event.kind == "event"
    assert all(key.startswith(("click:", "conversion:")) for key in (r.key for r in event.requires))
    if event.kind != "click":
        assert isinstance(event.revenue, Decimal)
        assert event.requires
    msgspec.json.encode(event.properties)


@given(text=st.text(max_size=40) | st.from_regex(r"[0-9eE.+-]{1,30}", fullmatch=True))
def test_amounts_parse_to_non_negative_decimals_or_a_400(text: str) -> None:
    try:
        amount = Params({"purchase_value": text}).amount("purchase_value")
    except Refusal as refusal:
        reason = refusal.reason
        amount = None
    else:
        reason = Reason.ACCEPTED
    assert reason in (Reason.INVALID, Reason.ACCEPTED)
    assert amount is None or (amount.is_finite() and Decimal(0) <= amount < Decimal(10) ** 12)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz-http')}/postback.db"
    with live_server(make_settings(url, network_document(url)), FakeClock()) as server:
        yield server


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(path=PATHS, query=QUERIES)
def test_any_query_over_http_is_answered_without_a_server_error(
    live: LiveServer, path: str, query: dict[str, Any]
) -> None:
    answer = httpx.get(live.url + path, params=query, follow_redirects=False)
    assert answer.status_code < 500, answer.text
