"""HTTP Basic auth as the document describes it: the API token is the user name, no password."""

from __future__ import annotations

import base64
import binascii

from postback.dialects._common import Refusal
from postback.model import Reason

MISSING = "Authorization: missing; send Basic base64(API token + ':')"
MALFORMED = "Authorization: malformed; expected Basic base64(API token + ':')"


def api_token(header: str | None) -> str:
    """The user name of `Basic base64(token + ":")`; whitespace inside the base64 is ignored.

    The document prints its own example header as `Basic YWJjMTIzOg ==`, with a space.
    """
    if header is None or not header.strip():
        raise Refusal(Reason.UNAUTHENTICATED, MISSING)
    scheme, _, encoded = header.strip().partition(" ")
    if scheme.lower() != "basic":
        raise Refusal(Reason.UNAUTHENTICATED, MALFORMED)
    try:
        decoded = base64.b64decode("".join(encoded.split()), validate=True).decode()
    except (binascii.Error, ValueError):
        raise Refusal(Reason.UNAUTHENTICATED, MALFORMED) from None
    token, colon, _password = decoded.partition(":")
    if not colon or not token:
        raise Refusal(Reason.UNAUTHENTICATED, MALFORMED)
    return token
