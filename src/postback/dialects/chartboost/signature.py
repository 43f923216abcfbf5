"""The request signature: SHA-256 over the account secret, the app signature and the raw body."""

import hashlib

from postback.dialects._common import secrets_match

DESCRIPTOR_PREFIX = b"action:pia\n"


def compute_signature(api_secret: str, app_signature: str, body: bytes) -> str:
    """Lowercase hex SHA-256 of `action:pia\\n{secret}\\n{app_signature}\\n{body}`."""
    descriptor = b"\n".join((api_secret.encode(), app_signature.encode(), body))
    return hashlib.sha256(DESCRIPTOR_PREFIX + descriptor).hexdigest()


def signature_matches(api_secret: str, app_signature: str, body: bytes, given: str) -> bool:
    """Whether `given` signs exactly these body bytes; compared in constant time."""
    return secrets_match(compute_signature(api_secret, app_signature, body), given)
