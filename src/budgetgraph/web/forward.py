"""``/sparql`` forwarded to a remote engine, behind the query pool's interface.

With ``serve --endpoint`` the engine evaluates every query; there are no query
processes to borrow, so there is no ``busy`` state (gunicorn's threads bound
how many queries are in flight). What must stay the same for clients is the
error contract: an engine that does not answer by ``query_timeout`` is a 504
``query_timeout``, and any other failure to reach it a 500 ``query_failed``,
exactly as when the embedded store's query process is killed or fails.
"""

from __future__ import annotations

from ..remote import RemoteError, RemoteQueries, RemoteTimeout
from ..store import QueryOutcome, QuerySpec
from .errors import QueryFailed, QueryTimeout


class ForwardingPool:
    """:class:`~budgetgraph.web.querypool.QueryPool`'s ``run``/``close``, over a remote engine."""

    def __init__(self, queries: RemoteQueries) -> None:
        self._queries = queries

    def run(self, spec: QuerySpec, *, timeout: float) -> QueryOutcome:
        """The engine's outcome; its timeouts and failures as the endpoint's errors."""
        try:
            return self._queries.run(spec, timeout=timeout)
        except RemoteTimeout as error:
            raise QueryTimeout(f"the engine did not answer within {timeout:g} s; add LIMIT, "
                               "narrow the patterns, or download the data dumps") from error
        except RemoteError as error:
            raise QueryFailed(str(error)) from error

    def close(self) -> None:
        """Nothing to stop: each query is one HTTP request."""
        self._queries.close()
