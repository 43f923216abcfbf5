"""Revenue in the reporting currency, converted with the dated ECB reference rates we ship."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any

from postback.model import Event

MICRO = Decimal("0.000001")
NO_RATE_FLAG = "no_reference_rate"


@functools.cache
def reference_rates() -> Any:
    """The ECB rates shipped with currency_converter, loaded once per process."""
    from currency_converter import CurrencyConverter

    return CurrencyConverter(
        decimal=True, fallback_on_missing_rate=True, fallback_on_wrong_date=True
    )


class ReportingCurrency:
    def __init__(self, currency: str) -> None:
        self.currency = currency
        self._converter = reference_rates()

    def apply(self, event: Event) -> None:
        """Set the event's reporting revenue, or flag it when no rate converts its currency."""
        if event.revenue is None or event.currency is None:
            return
        if event.currency == self.currency:
            event.reporting_revenue = event.revenue
            return
        day = dt.datetime.fromtimestamp(event.event_time_ms / 1000, tz=dt.UTC).date()
        try:
            converted = self._converter.convert(event.revenue, event.currency, self.currency, day)
        except (ValueError, KeyError):
            event.flags.append(NO_RATE_FLAG)
            return
        event.reporting_revenue = Decimal(converted).quantize(MICRO)
