"""Money in Decimal, never float: CPS on awkward values, rounding to micro-units (half to
even), exact sums in the report, and config values read as written."""

from __future__ import annotations

import tomllib
from decimal import Decimal

import msgspec
import pytest
from affiliate_helpers import OFFER2_TOKEN, Net, money

from postback.dialects._common import Refusal
from postback.dialects.affiliate.credentials import AffiliateNetwork, Money
from postback.dialects.affiliate.money import earnings

CPS10, CPS5 = Money("CPS", Decimal(10)), Money("CPS", Decimal(5))


@pytest.mark.parametrize(
    ("sale", "revenue", "payout"),
    [
        ("0.1", "0.01", "0.005"),
        ("0.2", "0.02", "0.01"),
        ("0.3", "0.03", "0.015"),
        ("0.30000000000000004", "0.03", "0.015"),
        ("19.99", "1.999", "0.9995"),
        ("0.000015", "0.000002", "0.000001"),
        ("0.000025", "0.000002", "0.000001"),
        ("0.000035", "0.000004", "0.000002"),
        ("999999999999.999999", "100000000000", "50000000000"),
        ("1e2", "10", "5"),
        ("0", "0", "0"),
    ],
)
def test_cps_is_a_percentage_of_the_sale_rounded_half_to_even(
    sale: str, revenue: str, payout: str
) -> None:
    earned = earnings(CPS10, CPS5, Decimal(sale))
    assert earned.revenue == Decimal(revenue)
    assert earned.payout == Decimal(payout)
    assert earned.profit == Decimal(revenue) - Decimal(payout)
    assert all(type(amount) is Decimal for amount in earned)


def test_cps_needs_the_sale_amount() -> None:
    with pytest.raises(Refusal, match="purchase_value"):
        earnings(CPS10, Money("CPA", Decimal(1)), None)


def test_amounts_are_paid_as_configured_whatever_the_sale() -> None:
    for kind in ("CPA", "CPL", "Fixed"):
        earned = earnings(Money(kind, Decimal("0.1")), Money(kind, Decimal("0.2")), Decimal(50))
        assert earned == (Decimal("0.1"), Decimal("0.2"), Decimal("-0.1"))


def test_config_numbers_are_read_as_written() -> None:
    document = tomllib.loads(
        "revenue = { type = 'CPS', value = 10.1 }\npayout = { type = 'CPA', value = 0.3 }"
    )
    revenue = msgspec.convert(document["revenue"], Money)
    payout = msgspec.convert(document["payout"], Money)
    assert (revenue.value, payout.value) == (Decimal("10.1"), Decimal("0.3"))
    assert earnings(revenue, payout, Decimal("0.1")).revenue == Decimal("0.0101")


@pytest.mark.parametrize(
    "money_table",
    [
        {"type": "CPM", "value": 1},
        {"type": "CPA", "value": -1},
        {"type": "CPA", "value": 0.0000001},
        {"type": "CPS", "value": 100.5},
        {"type": "CPA", "value": "NaN"},
        {"type": "CPA", "value": True},
    ],
)
def test_money_rules_that_cannot_be_paid_are_refused(money_table: dict[str, object]) -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert(money_table, Money)


def test_duplicate_ids_and_tokens_in_the_network_are_refused() -> None:
    offer = {
        "id": 1,
        "name": "x",
        "url": "https://x.example/",
        "revenue": {"type": "CPA", "value": 1},
        "payout": {"type": "CPA", "value": 1},
    }
    with pytest.raises(msgspec.ValidationError, match="offer id"):
        msgspec.convert({"offers": [offer, offer]}, AffiliateNetwork)
    with pytest.raises(msgspec.ValidationError, match="secure_token"):
        msgspec.convert(
            {"secure_token": "same", "offers": [{**offer, "secure_token": "same"}]},
            AffiliateNetwork,
        )


def test_awkward_sales_add_up_exactly_in_the_report(engine_net: Net) -> None:
    net = engine_net
    transaction_id = net.converted(offer_id=2, purchase_value="0.1")
    for sale in ("0.1", "0.2", "0.3"):
        answer = net.postback(
            secure=OFFER2_TOKEN, transaction_id=transaction_id, event_name="upsell", amount=sale
        )
        assert answer.status_code == 200, answer.text
    row = net.report_row(2, 7, 9)
    assert row["events"] == 3
    assert (money(row["revenue"]), money(row["payout"]), money(row["profit"])) == (
        Decimal("0.06"),
        Decimal("0.03"),
        Decimal("0.03"),
    )
    base = net.report_row(2, 7, None)
    assert (money(base["revenue"]), money(base["payout"]), base["currency"]) == (
        Decimal("0.0125"),
        Decimal(1),
        "EUR",
    )
    assert money(base["profit"]) == Decimal("-0.9875")
