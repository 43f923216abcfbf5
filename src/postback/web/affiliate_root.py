"""`/`: the vendor document's global postback URL, a postback when it carries `secure` or
`transaction_id` (or a form body); anything else there is not ours and falls through."""

from __future__ import annotations

from starlette.datastructures import Headers, QueryParams

from postback.web.ingest import Scope

POSTBACK_PARAMETERS = ("secure", "transaction_id")
FORM = "application/x-www-form-urlencoded"


def is_postback(scope: Scope) -> bool:
    query = QueryParams(scope["query_string"])
    if any(name in query for name in POSTBACK_PARAMETERS):
        return True
    content_type = Headers(scope=scope).get("content-type", "").split(";", 1)[0].strip().lower()
    return scope["method"] == "POST" and content_type == FORM
