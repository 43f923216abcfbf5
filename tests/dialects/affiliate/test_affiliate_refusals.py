"""Every refusal: the status, the JSON shape with its reason, the recorded outcome, and the
report's refusals by reason. Rules on earlier rows are decided by the database."""

from __future__ import annotations

from typing import Any

import pytest
from affiliate_helpers import OFFER2_TOKEN, SALE_TOKEN, Net

UNKNOWN_BUT_WELL_FORMED = "1-" + "0" * 32


def refused(answer: Any, status: int, reason: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    body: dict[str, Any] = answer.json()
    assert body["reason"] == reason
    assert body["status"] == ("refused" if status == 409 else "rejected")
    assert body["message"]
    return body


def test_a_transaction_no_click_issued_is_unknown(engine_net: Net) -> None:
    net = engine_net
    refused(net.postback(transaction_id=UNKNOWN_BUT_WELL_FORMED), 404, "not_found")
    answer = net.postback(transaction_id=UNKNOWN_BUT_WELL_FORMED, event_id=5, purchase_value=1)
    refused(answer, 404, "not_found")
    refused(net.postback(transaction_id="REPLACE"), 404, "not_found")
    refused(net.postback(transaction_id="99-" + "a" * 32), 404, "not_found")
    assert [o["reason"] for o in net.outcomes()] == ["not_found"] * 4
    assert net.conversions() == []


def test_an_event_before_its_conversion_is_refused_no_conversion(engine_net: Net) -> None:
    net = engine_net
    transaction_id = net.transaction()
    body = refused(
        net.postback(transaction_id=transaction_id, event_id=5, purchase_value=1),
        409,
        "no_conversion",
    )
    assert (body["transaction_id"], body["event_id"]) == (transaction_id, 5)
    refused(net.postback(transaction_id=transaction_id, event_id=6), 409, "no_conversion")
    [rejected, _] = net.conversions()
    assert (rejected["status"], rejected["reason"], rejected["aff_id"]) == (
        "rejected",
        "no_conversion",
        7,
    )
    assert net.outcomes()[0]["reason"] == "conflict"
    assert net.report_row(1, 7, 5)["refusals"] == {"no_conversion": 1}
    assert net.report_row(1, 7, 5)["events"] == 0


def test_a_second_base_conversion_is_a_duplicate(engine_net: Net) -> None:
    net = engine_net
    transaction_id = net.converted()
    body = refused(net.postback(transaction_id=transaction_id), 409, "duplicate")
    assert body["transaction_id"] == transaction_id
    statuses = [(c["status"], c["reason"]) for c in net.conversions()]
    assert statuses == [("rejected", "duplicate"), ("approved", None)]
    row = net.report_row(1, 7, None)
    assert (row["conversions"], row["refusals"]) == (1, {"duplicate": 1})


def test_a_second_event_without_multiples_is_a_duplicate(engine_net: Net) -> None:
    net = engine_net
    transaction_id = net.converted()
    assert (
        net.postback(transaction_id=transaction_id, event_id=5, purchase_value=2).status_code == 200
    )
    refused(
        net.postback(transaction_id=transaction_id, event_name="purchase", purchase_value=2),
        409,
        "duplicate",
    )
    row = net.report_row(1, 7, 5)
    assert (row["events"], row["refusals"]) == (1, {"duplicate": 1})


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"secure": None}, "unauthenticated"),
        ({"secure": ""}, "unauthenticated"),
        ({"secure": "wrong"}, "forbidden"),
        ({"secure": "token"}, "forbidden"),
        ({"secure": OFFER2_TOKEN}, "forbidden"),
        ({"secure": SALE_TOKEN}, "forbidden"),
    ],
    ids=["missing", "empty", "wrong", "wrong-case", "other-offer", "other-offer-event"],
)
def test_a_bad_token_is_403(net: Net, params: dict[str, Any], reason: str) -> None:
    transaction_id = net.transaction(offer_id=1)
    query = {"secure": "TOKEN", "transaction_id": transaction_id, **params}
    answer = net.client.get("/postback", params={k: v for k, v in query.items() if v is not None})
    refused(answer, 403, reason)
    assert net.conversions() == []


def test_an_event_token_is_not_valid_for_its_offer_or_other_events(net: Net) -> None:
    transaction_id = net.converted(offer_id=2, purchase_value=1)
    refused(net.postback(secure=SALE_TOKEN, transaction_id=transaction_id), 403, "forbidden")
    answer = net.postback(secure=SALE_TOKEN, transaction_id=transaction_id, event_id=9, amount=1)
    refused(answer, 403, "forbidden")
    assert net.report_row(2, 7, 9)["refusals"] == {"forbidden": 1}


def test_a_request_at_the_root_without_secure_is_403(net: Net) -> None:
    transaction_id = net.transaction()
    refused(net.client.get("/", params={"transaction_id": transaction_id}), 403, "unauthenticated")


def test_the_root_without_postback_parameters_is_not_a_postback(net: Net) -> None:
    answer = net.client.get("/", params={"hello": "world"})
    assert (answer.status_code, answer.text) == (404, "404 Not Found\n")
    assert net.outcomes() == []


@pytest.mark.parametrize(
    "value", [None, "", "   ", "\t"], ids=["missing", "empty", "spaces", "tab"]
)
def test_an_empty_transaction_id_is_400(net: Net, value: str | None) -> None:
    params = {} if value is None else {"transaction_id": value}
    refused(net.postback(**params), 400, "invalid")


@pytest.mark.parametrize(
    ("params", "status", "reason"),
    [
        ({"event_id": "five"}, 400, "invalid"),
        ({"event_id": "-5"}, 400, "invalid"),
        ({"event_id": 7}, 404, "not_found"),
        ({"event_id": 8}, 404, "not_found"),
        ({"event_name": "Purchase"}, 404, "not_found"),
        ({"event_name": "purchase "}, 404, "not_found"),
        ({"event_name": "sale"}, 404, "not_found"),
        ({"event_id": 6, "event_name": "purchase"}, 400, "invalid"),
        ({"event_id": 5}, 400, "invalid"),
        ({"event_id": 5, "purchase_value": "abc"}, 400, "invalid"),
        ({"event_id": 5, "purchase_value": "-1"}, 400, "invalid"),
        ({"event_id": 5, "purchase_value": "NaN"}, 400, "invalid"),
        ({"event_id": 5, "purchase_value": "Infinity"}, 400, "invalid"),
        ({"event_id": 5, "purchase_value": "1,50"}, 400, "invalid"),
        ({"event_id": 5, "purchase_value": "1e12"}, 400, "invalid"),
        ({"event_id": 5, "purchase_value": "2", "amount": "3"}, 400, "invalid"),
        ({"adv_sub_id": "a\x00b"}, 400, "invalid"),
        ({"adv_sub_id": "x" * 501}, 400, "invalid"),
    ],
    ids=[
        "event-id-not-a-number",
        "event-id-negative",
        "event-id-unknown",
        "event-id-of-another-offer",
        "event-name-other-case",
        "event-name-trailing-space",
        "event-name-of-another-offer",
        "id-and-name-disagree",
        "cps-without-purchase-value",
        "purchase-value-not-a-number",
        "purchase-value-negative",
        "purchase-value-nan",
        "purchase-value-infinity",
        "purchase-value-comma",
        "purchase-value-too-large",
        "purchase-value-and-amount-differ",
        "nul-character",
        "too-long",
    ],
)
def test_bad_parameters(net: Net, params: dict[str, Any], status: int, reason: str) -> None:
    transaction_id = net.converted()
    refused(net.postback(transaction_id=transaction_id, **params), status, reason)
    assert len(net.conversions()) == 1
    [outcome, *_] = net.outcomes()
    assert outcome["reason"] == ("invalid" if status == 400 else "not_found")
    assert total_refusals(net) == {reason: 1}


def test_other_methods_are_405(net: Net) -> None:
    answer = net.client.put("/postback", params={"secure": "TOKEN", "transaction_id": "x"})
    refused(answer, 405, "method_not_allowed")
    assert answer.headers["allow"] == "GET, POST"


def test_a_post_body_that_is_not_a_form_is_400(net: Net) -> None:
    answer = net.client.post("/postback?secure=TOKEN", json={"transaction_id": "x"})
    refused(answer, 400, "invalid")


def test_refusals_appear_in_the_outcomes_with_their_reason(engine_net: Net) -> None:
    net = engine_net
    transaction_id = net.converted()
    net.postback(transaction_id=transaction_id)
    net.postback(transaction_id=net.transaction(), event_id=6)
    net.postback(secure="nope", transaction_id=transaction_id)
    postbacks = [o for o in net.outcomes() if o["message"] != "click recorded"]
    reasons = [(o["reason"], o["message"].split(":")[0]) for o in postbacks[:3]]
    assert reasons == [
        ("forbidden", "secure"),
        ("conflict", "no_conversion"),
        ("duplicate", "duplicate"),
    ]
    assert total_refusals(net) == {"duplicate": 1, "no_conversion": 1, "forbidden": 1}


def total_refusals(net: Net) -> dict[str, int]:
    refusals: dict[str, int] = {}
    for row in net.report():
        for reason, count in row["refusals"].items():
            refusals[reason] = refusals.get(reason, 0) + count
    return refusals
