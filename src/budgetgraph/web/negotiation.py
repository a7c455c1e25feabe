"""Content negotiation, as data: which media types each kind of response offers.

werkzeug parses ``Accept`` (q-values, ``*/*``, ``text/*``); pyoxigraph's format
tables (through :mod:`budgetgraph.store`) map aliases such as
``application/x-turtle`` or ``?format=ttl`` to the canonical type. An absent
``Accept`` means the first offer; an ``Accept`` that matches no offer is a 406.
A ``format`` parameter (for browsers, and the one SPARQLWrapper repeats)
overrides ``Accept``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from werkzeug.datastructures import MIMEAccept

from .. import store
from .errors import NotAcceptable

HTML = "text/html"
JSON = "application/json"
CSV = "text/csv"

#: A dereferenced IRI: HTML first so that ``*/*`` (curl, links) gets the page.
RESOURCE_OFFERS: tuple[str, ...] = (
    HTML, *store.graph_media_types(), JSON, "application/x-turtle", "application/turtle",
)


def _bare(media_types: Sequence[str]) -> tuple[str, ...]:
    """Media types without parameters, as offers.

    pyoxigraph names CSV ``text/csv; charset=utf-8``, and werkzeug matches an
    offer's parameters too, so ``Accept: text/csv`` (curl) would get a 406.
    """
    return tuple(media_type.split(";")[0].strip() for media_type in media_types)


#: SELECT/ASK results: SPARQL JSON first; aliases are mapped by pyoxigraph.
RESULTS_OFFERS: tuple[str, ...] = (
    *_bare(store.results_media_types()), "application/json", "application/xml", "text/xml",
    HTML,
)

#: CONSTRUCT/DESCRIBE results and other RDF documents (VoID, service description).
GRAPH_OFFERS: tuple[str, ...] = (
    *_bare(store.graph_media_types()), "application/x-turtle", "application/turtle",
    "application/json", "application/xml", "text/xml", HTML,
)

#: ``?format=`` names pyoxigraph does not know, as SPARQLWrapper and people write them.
FORMAT_ALIASES: dict[str, str] = {
    "html": HTML,
    "turtle": "text/turtle",
    "json-ld": "application/ld+json",
    "rdf+xml": "application/rdf+xml",
    "rdfxml": "application/rdf+xml",
    "ntriples": "application/n-triples",
    "n-triples": "application/n-triples",
}


def _canonical(name: str, lookup: Callable[[str], str | None]) -> str | None:
    name = name.strip().lower()
    if name in (HTML, "html"):
        return HTML
    return lookup(FORMAT_ALIASES.get(name, name))


def _best(accept: MIMEAccept, offers: Sequence[str]) -> str | None:
    if not accept:
        return offers[0]
    return accept.best_match(offers)


def _from_format(formats: Sequence[str], lookup: Callable[[str], str | None]) -> str | None:
    for name in formats:
        found = _canonical(name, lookup)
        if found is not None:
            return found
    return None


def resource_type(accept: MIMEAccept, formats: Sequence[str], *, csv: bool = False) -> str:
    """The media type for a resource page: HTML, plain JSON, or an RDF graph format.

    ``csv``: the resource is a disclosure or a table, whose figures also come as
    CSV (``text/csv``, ``?format=csv``); offered after every other type, so
    ``*/*`` still gets the page.
    """

    def lookup(name: str) -> str | None:
        if csv and name in ("csv", CSV):
            return CSV
        return JSON if name == "json" or name == JSON else store.rdf_media_type(name)

    if formats:
        found = _from_format(formats, lookup)
        if found is None:
            raise NotAcceptable(f"unknown format {', '.join(formats)}; use one of "
                                "html, json, ttl, jsonld, nt, rdf" + (", csv" if csv else ""))
        return found
    offers = (*RESOURCE_OFFERS, CSV) if csv else RESOURCE_OFFERS
    best = _best(accept, offers)
    if best is None:
        raise NotAcceptable("acceptable here: " + ", ".join(offers))
    return lookup(best) if best != HTML else HTML  # type: ignore[return-value]


def graph_type(accept: MIMEAccept, formats: Sequence[str]) -> str:
    """The media type for an RDF document (VoID, service description): a graph format or HTML."""
    found = _query_choice(accept, formats, GRAPH_OFFERS, store.rdf_media_type)
    if found is None:
        raise NotAcceptable("acceptable here: " + ", ".join(store.graph_media_types()))
    return found


def query_types(accept: MIMEAccept, formats: Sequence[str]) -> tuple[str | None, str | None]:
    """Media types for a query's result before we know its form: (solutions/boolean, graph).

    Either can be ``None`` when nothing acceptable fits that form; the query
    then answers 406 only if it turns out to have that form. ``format`` values
    that name no format are ignored in favour of ``Accept``.
    """
    results = _query_choice(accept, formats, RESULTS_OFFERS, store.results_media_type)
    graph = _query_choice(accept, formats, GRAPH_OFFERS, store.rdf_media_type)
    if formats and results is None and graph is None:
        # SPARQLWrapper repeats its own format names (n3, rdf+xml, …) beside a
        # correct Accept header: a format we do not know defers to Accept.
        return query_types(accept, ())
    return results, graph


def _query_choice(accept: MIMEAccept, formats: Sequence[str], offers: Sequence[str],
                  lookup: Callable[[str], str | None]) -> str | None:
    if formats:
        return _from_format(formats, lookup)
    best = _best(accept, offers)
    if best is None:
        return None
    return HTML if best == HTML else lookup(best)
