"""AppsFlyer Web-S2S events API for People-Based Attribution."""

from postback.dialects.appsflyer_web.dialect import AppsflyerWeb

__all__ = ["AppsflyerWeb"]
