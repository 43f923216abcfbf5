"""An install's cost (USD, as the install postback sends it) in the reporting currency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from postback.model import Event
from postback.pipeline.revenue import MICRO, NO_RATE_FLAG, reference_rates

COST_CURRENCY = "USD"


def apply_reporting_cost(event: Event, reporting_currency: str) -> None:
    """Set the attribution source's reporting cost, or flag the event when no rate converts it."""
    source = event.attribution_source
    if source is None or source.cost is None:
        return
    if reporting_currency == COST_CURRENCY:
        source.reporting_cost = source.cost
        return
    day = dt.datetime.fromtimestamp(event.event_time_ms / 1000, tz=dt.UTC).date()
    try:
        converted = reference_rates().convert(source.cost, COST_CURRENCY, reporting_currency, day)
    except (ValueError, KeyError):
        event.flags.append(NO_RATE_FLAG)
        return
    source.reporting_cost = Decimal(converted).quantize(MICRO)
