"""Integr8-style affiliate network: offers, clicks, conversions and event postbacks."""

from postback.dialects.affiliate.dialect import CLICK_PATH, POSTBACK_PATHS, AffiliateDialect

__all__ = ["CLICK_PATH", "POSTBACK_PATHS", "AffiliateDialect"]
