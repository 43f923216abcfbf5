"""The affiliate dialect (Integr8-style): clicks at /click, postbacks at /postback and /."""

from __future__ import annotations

from typing import ClassVar

from postback.dialects._common import DialectEnv, IngestRequest, WireResponse
from postback.dialects.affiliate.click import handle_click
from postback.dialects.affiliate.facts import DIALECT
from postback.dialects.affiliate.network import EmptyNetwork, NetworkLookup
from postback.dialects.affiliate.params import MAX_BODY_BYTES
from postback.dialects.affiliate.postback import handle_postback
from postback.dialects.affiliate.replies import respond
from postback.model import Outcome, Rejection, Submission

CLICK_PATH = "/click"
POSTBACK_PATHS = ("/postback", "/")


class AffiliateDialect:
    name: ClassVar[str] = DIALECT
    max_body_bytes: ClassVar[int] = MAX_BODY_BYTES

    def handle(self, request: IngestRequest, env: DialectEnv) -> Submission | Rejection:
        network: NetworkLookup = env.affiliate if env.affiliate is not None else EmptyNetwork()
        if request.path == CLICK_PATH:
            return handle_click(request, network)
        return handle_postback(request, network)

    def respond(self, outcome: Outcome) -> WireResponse:
        return respond(outcome)
