"""The SPARQL 1.1 Protocol endpoint: request parsing, safety checks, result rendering.

Queries run in :mod:`.querypool` processes with a deadline (or on the engine
behind ``serve --endpoint``). Before a query goes there, two things are read
from its text by :mod:`.sparqltext`, since the engine exposes no syntax tree:
every place it may call another host with ``SERVICE`` (each target must be on
the allow-list; a variable target is refused, as pyoxigraph would otherwise call
any host, making us a proxy into our own network), and whether the query names
its own dataset (``FROM``), which must then not get the union default graph that
pyoxigraph lets override ``FROM``. Whether the query is valid SPARQL is the
engine's decision alone: its syntax errors come back as 400.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask import Request, Response, render_template

from ..store import QueryOutcome, QuerySpec, is_iri
from . import negotiation, sparqltext
from .context import Context
from .errors import (
    BadQuery,
    NotAcceptable,
    QueryFailed,
    ResultTooLarge,
    ServiceRefused,
    UnsupportedQuery,
    UpdateRefused,
    WebError,
)

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
    default_graphs = tuple(params.getlist("default-graph-uri"))
    named_graphs = tuple(params.getlist("named-graph-uri"))
    for graph in default_graphs + named_graphs:
        if not is_iri(graph):
            raise BadQuery(f"a dataset graph must be an absolute IRI, not {graph!r}")
    return ProtocolRequest(queries[0], default_graphs, named_graphs)


def check_query(query: str, allowlist: tuple[str, ...], *, base: str | None) -> bool:
    """Refuse SERVICE calls off the allow-list; return whether the query names a dataset.

    ``base`` is the engine's base IRI for relative IRIs, None when it is not
    known (a remote engine): a relative target then matches no entry. Both
    readings of ``\\u`` escapes are checked (see :mod:`.sparqltext`).
    """
    allowed = ", ".join(allowlist) or "none"
    for text in dict.fromkeys((query, sparqltext.unescape_codepoints(query))):
        for call in sparqltext.service_calls(text, base):
            if call.variable:
                raise ServiceRefused(f"SERVICE needs a fixed endpoint IRI, not {call.target}")
            if call.target not in allowlist:
                raise ServiceRefused(f"SERVICE <{call.target}> is not allowed (allowed: {allowed})")
    return sparqltext.names_dataset(query)


def answer(ctx: Context, request: Request, req: ProtocolRequest) -> Response:
    """Run one protocol request and render its result in the negotiated format."""
    formats = request.values.getlist("format")
    results_type, graph_type = negotiation.query_types(request.accept_mimetypes, formats)
    html = negotiation.HTML in (results_type, graph_type)
    # The embedded store resolves relative IRIs against the endpoint's own IRI, the
    # query's retrieval URI (RFC 3986 §5.1.3); a remote engine uses a base of its own.
    base = None if ctx.settings["endpoint"] else ctx.urls.iri_for_path(ctx.urls.sparql)
    names_dataset = check_query(req.query, ctx.settings["service_allowlist"], base=base)
    spec = QuerySpec(
        query=req.query,
        results_media_type="application/sparql-results+json" if html else results_type,
        graph_media_type="text/turtle" if html else graph_type,
        max_rows=ctx.settings["max_result_rows"],
        max_bytes=ctx.settings["max_result_bytes"],
        default_graphs=req.default_graphs,
        named_graphs=req.named_graphs,
        union_default_graph=not names_dataset,
        base_iri=base,
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
        if sparqltext.is_update(query):
            raise UpdateRefused("this endpoint is read-only: SPARQL Update is not accepted")
        raise BadQuery(f"SPARQL syntax error: {outcome.message}")
    if outcome.status == "unsupported":
        raise UnsupportedQuery(f"the engine cannot evaluate this query: {outcome.message}")
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
