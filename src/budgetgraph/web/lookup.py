"""Fixed SPARQL lookups behind the HTML pages, run in the worker on its open store.

Page queries are ours, not the client's: each is anchored on one IRI (a
disclosure, a code, a project) and capped by ``LIMIT``, so it cannot run away.
They therefore run in-process on the store opened once per worker, not in the
query pool, whose few processes stay free for researchers' own queries (and a
page does not wait ~0.2 ms per query for pickling). A page query that fails is a
bug in this package, reported as a logged 500. Served from a remote engine
(``serve --endpoint``), they go to the engine, with its deadline; its failures
are the engine's, answered as ``query_timeout`` / ``query_failed``.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from string import Template

from ..remote import RemoteStore
from ..store import QuerySpec, ReadOnlyStore, run_query
from .errors import NotFound

#: Prefixes of the converter's vocabulary, declared once for every page query.
PROLOGUE = """PREFIX bg: <https://w3id.org/budgetgraph/def#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX obeu-dimension: <http://data.openbudgets.eu/ontology/dsd/dimension/>
PREFIX obeu-measure: <http://data.openbudgets.eu/ontology/dsd/measure/>
"""

#: Characters that may not appear inside ``<…>`` in SPARQL (IRIREF).
_NOT_IN_IRIREF = re.compile(r'[\x00-\x20<>"{}|^`\\]')
#: Rows or bytes no page query may exceed; queries carry smaller LIMITs.
MAX_ROWS = 5_000
MAX_BYTES = 20_000_000

Row = dict[str, str]
#: What pages read from: the embedded snapshot, or a remote engine with the same lookups.
Store = ReadOnlyStore | RemoteStore


def iri_ref(iri: str) -> str:
    """``<iri>`` for splicing into a query; an IRI that could break out of ``<…>`` is unknown."""
    if _NOT_IN_IRIREF.search(iri):
        raise NotFound(f"nothing is known about <{iri}>")
    return f"<{iri}>"


def select(store: Store, query: str, **iris: str) -> list[Row]:
    """Rows of a SELECT as ``{variable: value}`` (unbound variables absent).

    ``$name`` in ``query`` is replaced by ``<iri>`` (page queries use ``?`` for
    their own variables). Values are plain strings: the queries know which are
    IRIs, and filter labels by language themselves.
    """
    text = PROLOGUE + Template(query).substitute({k: iri_ref(v) for k, v in iris.items()})
    return run_text(store, text)


def run_text(store: Store, text: str) -> list[Row]:
    """Rows of a SELECT given in full (prefixes included): :func:`select` without templating."""
    if isinstance(store, RemoteStore):
        return [{name: term.value for name, term in row.items()} for row in store.select(text)]
    outcome = run_query(store, QuerySpec(text, "application/sparql-results+json", None,
                                         MAX_ROWS, MAX_BYTES))
    if outcome.status != "ok":
        raise RuntimeError(f"page query failed ({outcome.status}): {outcome.message}")
    bindings = json.loads(outcome.body)["results"]["bindings"]
    return [{name: term["value"] for name, term in row.items()} for row in bindings]


def decimal(text: str | None) -> Decimal | None:
    """A literal's value as a Decimal (money is never a binary float)."""
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def year_of(iri: str | None) -> str:
    """``2024`` from a year IRI (``http://reference.data.gov.uk/id/year/2024``)."""
    return (iri or "").rstrip("/").rsplit("/", 1)[-1]
