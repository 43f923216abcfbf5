"""The closed set of wire dialects, registered here and nowhere else."""

from postback.dialects._common import Dialect, DialectCredentials

__all__ = ["CREDENTIALS", "REGISTRY", "Dialect", "DialectCredentials"]
from postback.dialects.affiliate import AffiliateDialect
from postback.dialects.appsflyer_web import AppsflyerWeb
from postback.dialects.appsflyer_web.credentials import AppsflyerWebCredentials
from postback.dialects.chartboost import Chartboost
from postback.dialects.chartboost.credentials import ChartboostCredentials
from postback.dialects.install_postback import InstallPostback
from postback.dialects.install_postback.credentials import InstallPostbackCredentials
from postback.dialects.segmentstream import Segmentstream
from postback.dialects.segmentstream.credentials import SegmentstreamCredentials

REGISTRY: dict[str, Dialect] = {
    AppsflyerWeb.name: AppsflyerWeb(),
    Chartboost.name: Chartboost(),
    InstallPostback.name: InstallPostback(),
    Segmentstream.name: Segmentstream(),
    AffiliateDialect.name: AffiliateDialect(),
}

CREDENTIALS: dict[str, type[DialectCredentials]] = {
    "chartboost": ChartboostCredentials,
    "appsflyer_web": AppsflyerWebCredentials,
    "segmentstream": SegmentstreamCredentials,
    "install_postback": InstallPostbackCredentials,
}
