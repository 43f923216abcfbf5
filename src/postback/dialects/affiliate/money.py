"""Revenue, payout and profit of one conversion or event: Decimal throughout, never float.

CPA, CPL and Fixed pay their value; CPS pays its value as a percentage of purchase_value.
The sale is first rounded to micro-units (what storage holds), so the stored numbers
reproduce: amount = round(sale * percent / 100, 6 places, half to even).
"""

from __future__ import annotations

import decimal
from decimal import ROUND_HALF_EVEN, Decimal
from typing import NamedTuple

from postback.dialects._common import Refusal
from postback.dialects.affiliate.credentials import MICRO, Money
from postback.model import Reason

EXACT = decimal.Context(
    prec=60,
    rounding=ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.Overflow, decimal.DivisionByZero],
)
HUNDRED = Decimal(100)


class Earnings(NamedTuple):
    revenue: Decimal
    payout: Decimal
    profit: Decimal


def to_micro(amount: Decimal) -> Decimal:
    return amount.quantize(MICRO, rounding=ROUND_HALF_EVEN, context=EXACT)


def earnings(revenue: Money, payout: Money, sale: Decimal | None) -> Earnings:
    """What the advertiser pays, what the affiliate is paid, and the difference."""
    if sale is not None:
        sale = to_micro(sale)
    earned = earn(revenue, sale)
    paid = earn(payout, sale)
    return Earnings(earned, paid, EXACT.subtract(earned, paid))


def earn(rule: Money, sale: Decimal | None) -> Decimal:
    if not rule.is_percentage:
        return rule.value
    if sale is None:
        raise Refusal(
            Reason.INVALID,
            "purchase_value: required, the offer pays a percentage (CPS) of the sale amount",
        )
    return to_micro(EXACT.divide(EXACT.multiply(sale, rule.value), HUNDRED))
