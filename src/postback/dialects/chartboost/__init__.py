"""Chartboost Post-Install Analytics (PIA): signed purchase and level events."""

from postback.dialects.chartboost.dialect import Chartboost

__all__ = ["Chartboost"]
