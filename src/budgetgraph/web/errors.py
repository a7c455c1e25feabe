"""The web layer's error hierarchy: each error carries its HTTP status and a short code.

One handler in ``app.py`` renders all of them, and any werkzeug HTTPException,
in the same body shape (:func:`error_body`); anything else is a logged 500.
"""

from __future__ import annotations

from typing import Any

from ..errors import BudgetgraphError


class WebError(BudgetgraphError):
    """An error answered to the client with ``status``."""

    status = 400
    code = "bad_request"


class BadQuery(WebError):
    """The SPARQL text does not parse (message from the parser), or is too long."""

    code = "bad_query"


class UnsupportedQuery(WebError):
    """Valid SPARQL the engine will not evaluate, such as a function it does not implement."""

    code = "unsupported_query"


class BadSearch(WebError):
    """Search text or parameters that cannot be used (too long, unknown kind, bad limit)."""

    code = "bad_search"


class UpdateRefused(WebError):
    """SPARQL Update sent to a read-only endpoint."""

    status = 403
    code = "read_only"


class ServiceRefused(WebError):
    """A SERVICE target that is not on the allow-list, or a variable one."""

    status = 403
    code = "service_refused"


class ResultTooLarge(WebError):
    """The result passed the row or byte cap; the client should page or download dumps."""

    code = "result_too_large"


class NotAcceptable(WebError):
    status = 406
    code = "not_acceptable"


class NotFound(WebError):
    status = 404
    code = "not_found"


class QueryTimeout(WebError):
    """The query process was killed at the deadline."""

    status = 504
    code = "query_timeout"


class Busy(WebError):
    """No query process became free in time; retrying later may work."""

    status = 503
    code = "busy"


class QueryFailed(WebError):
    """The engine failed while evaluating (for example an allowed SERVICE that failed)."""

    status = 500
    code = "query_failed"


def error_body(status: int, code: str, message: str) -> dict[str, Any]:
    """The one JSON shape of every error response."""
    return {"ok": False, "status": status, "error": code, "message": message}
