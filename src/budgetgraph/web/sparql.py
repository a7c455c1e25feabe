"""The SPARQL 1.1 Protocol endpoint: request parsing, safety checks, result rendering.

Queries run in :mod:`.querypool` processes with a deadline. Before a query is
sent there, two checks need a real parser (rdflib's): ``SERVICE`` targets must be
on the allow-list (a variable target is refused; pyoxigraph would otherwise call
any host, making us a proxy into our own network), and a query naming its own
dataset (``FROM``) must not get the union default graph, which pyoxigraph lets
override ``FROM``. rdflib only runs when the text, with ``\\u`` escapes
decoded, contains those keywords, so ordinary queries skip its ~5–40 ms.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from flask import Request, Response, render_template
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef

from ..store import QueryOutcome, QuerySpec
from . import negotiation
from .context import Context
from .errors import (
    BadQuery,
    NotAcceptable,
    QueryFailed,
    ResultTooLarge,
    ServiceRefused,
    UpdateRefused,
    WebError,
)

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SERVICE = re.compile(r"service", re.IGNORECASE)
_FROM = re.compile(r"from", re.IGNORECASE)
FORM_TYPE = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"


class UnsupportedMediaType(WebError):
    status = 415
    code = "unsupported_media_type"


@dataclass(frozen=True)
class ProtocolRequest:
    """A query request as the SPARQL 1.1 Protocol defines it, whatever the HTTP shape."""

    query: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]


def protocol_request(request: Request, max_chars: int) -> ProtocolRequest | None:
    """Read query and dataset from GET, form POST or direct POST; None if there is no query."""
    if request.method == "POST":
        content_type = request.mimetype
        if content_type == UPDATE_TYPE or (content_type == FORM_TYPE and "update" in request.form):
            raise UpdateRefused("this endpoint is read-only: SPARQL Update is not accepted")
        if content_type == QUERY_TYPE:
            queries = [request.get_data(as_text=True)]
            params = request.args
        elif content_type == FORM_TYPE:
            queries, params = request.form.getlist("query"), request.form
        else:
            raise UnsupportedMediaType(
                f"POST a query as {FORM_TYPE} or {QUERY_TYPE}, not {content_type or 'nothing'}")
    else:
        if "update" in request.args:
            raise UpdateRefused("this endpoint is read-only: SPARQL Update is not accepted")
        queries, params = request.args.getlist("query"), request.args
    if not queries:
        return None
    if len(queries) > 1:
        raise BadQuery("send exactly one query parameter")
    if len(queries[0]) > max_chars:
        raise BadQuery(f"the query is longer than {max_chars:,} characters")
    return ProtocolRequest(queries[0], tuple(params.getlist("default-graph-uri")),
                           tuple(params.getlist("named-graph-uri")))


def _walk(node: Any, found: list[Any]) -> None:
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            found.append(node.get("term"))
        for value in node.values():
            _walk(value, found)
    elif isinstance(node, list | tuple):
        for value in node:
            _walk(value, found)


def check_query(query: str, allowlist: tuple[str, ...]) -> bool:
    """Refuse SERVICE calls off the allow-list; return whether the query names a dataset."""
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), query)
    mentions_service = _SERVICE.search(text) is not None
    if not mentions_service and _FROM.search(text) is None:
        return False
    try:
        algebra = translateQuery(parseQuery(query)).algebra
    except Exception as error:  # rdflib raises pyparsing and assorted errors
        if mentions_service:
            raise ServiceRefused(f"a query that uses SERVICE must parse to be checked: {error}") \
                from error
        return False  # let the engine report its own syntax error
    targets: list[Any] = []
    _walk(algebra, targets)
    for target in targets:
        if not isinstance(target, URIRef):
            raise ServiceRefused(f"SERVICE needs a fixed endpoint IRI, not {target.n3()}")
        if str(target) not in allowlist:
            allowed = ", ".join(allowlist) or "none"
            raise ServiceRefused(f"SERVICE <{target}> is not allowed (allowed: {allowed})")
    return bool(algebra.get("datasetClause"))


def _is_update(query: str) -> bool:
    try:
        parseUpdate(query)
    except Exception:  # not parseable as an update either: the query error stands
        return False
    return True


def answer(ctx: Context, request: Request, req: ProtocolRequest) -> Response:
    """Run one protocol request and render its result in the negotiated format."""
    formats = request.values.getlist("format")
    results_type, graph_type = negotiation.query_types(request.accept_mimetypes, formats)
    html = negotiation.HTML in (results_type, graph_type)
    names_dataset = check_query(req.query, ctx.settings["service_allowlist"])
    spec = QuerySpec(
        query=req.query,
        results_media_type="application/sparql-results+json" if html else results_type,
        graph_media_type="text/turtle" if html else graph_type,
        max_rows=ctx.settings["max_result_rows"],
        max_bytes=ctx.settings["max_result_bytes"],
        default_graphs=req.default_graphs,
        named_graphs=req.named_graphs,
        union_default_graph=not names_dataset,
    )
    outcome = ctx.pool.run(spec, timeout=ctx.settings["query_timeout"])
    _raise_for(outcome, req.query)
    if html:
        return _html_result(ctx, req.query, outcome)
    return Response(outcome.body, content_type=_with_charset(outcome.media_type),
                    headers={"Vary": "Accept"})


def _raise_for(outcome: QueryOutcome, query: str) -> None:
    if outcome.status == "ok":
        return
    if outcome.status == "syntax":
        if _is_update(query):
            raise UpdateRefused("this endpoint is read-only: SPARQL Update is not accepted")
        raise BadQuery(f"SPARQL syntax error: {outcome.message}")
    if outcome.status == "too_large":
        raise ResultTooLarge(outcome.message)
    if outcome.status == "not_acceptable":
        raise NotAcceptable(outcome.message)
    raise QueryFailed(outcome.message)


def _with_charset(media_type: str) -> str:
    if "charset" in media_type or not (media_type.startswith("text/")
                                       or media_type.endswith("json")):
        return media_type
    return media_type + "; charset=utf-8"


def _html_result(ctx: Context, query: str, outcome: QueryOutcome) -> Response:
    """A results page for people: a table of bindings, a yes/no, or the Turtle text."""
    page: dict[str, Any] = {"query": query, "form": outcome.form, "columns": [], "rows": []}
    if outcome.form in ("solutions", "boolean"):
        data = json.loads(outcome.body)
        page["boolean"] = data.get("boolean")
        page["columns"] = data["head"].get("vars", [])
        page["rows"] = [
            [_html_cell(ctx, row.get(var)) for var in page["columns"]]
            for row in data.get("results", {}).get("bindings", [])
        ]
    else:
        page["turtle"] = outcome.body.decode("utf-8")
    html = render_template("results.html", page=page, urls=ctx.urls, settings=ctx.settings)
    return Response(html, content_type="text/html; charset=utf-8", headers={"Vary": "Accept"})


def _html_cell(ctx: Context, binding: dict[str, str] | None) -> dict[str, str | None]:
    if binding is None:
        return {"text": "", "href": None, "note": None}
    if binding["type"] == "uri":
        return {"text": binding["value"], "href": ctx.urls.href(binding["value"]), "note": None}
    if binding["type"] == "bnode":
        return {"text": "_:" + binding["value"], "href": None, "note": None}
    note = binding.get("xml:lang") or binding.get("datatype", "").rsplit("#", 1)[-1] or None
    return {"text": binding["value"], "href": None, "note": note}
