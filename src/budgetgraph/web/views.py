"""One function per resource builds a plain dict; HTML, JSON and RDF are rendered from it.

The department-year budget, classification-code and project pages need the
converter's vocabulary; they will be added as more ``*_page`` builders next to
:func:`resource_page` and chosen by ``rdf:type`` in :func:`page_for`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, render_template, request, send_file

from ..store import QuerySpec, Statement, Term, serialize_statements
from . import describe, negotiation
from .context import Context, current
from .errors import NotFound, WebError
from .sparql import answer, protocol_request

bp = Blueprint("budgetgraph", __name__)

RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABELS = (SKOS + "prefLabel", RDFS + "label", describe.DCT + "title")
PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs": RDFS, "skos": SKOS,
    "qb": "http://purl.org/linked-data/cube#", "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#", "dct": describe.DCT, "xsd": describe.XSD,
    "sdmx-dimension": "http://purl.org/linked-data/sdmx/2009/dimension#",
    "sdmx-measure": "http://purl.org/linked-data/sdmx/2009/measure#",
    "sdmx-attribute": "http://purl.org/linked-data/sdmx/2009/attribute#",
    "foaf": describe.FOAF, "void": describe.VOID, "dcat": describe.DCAT,
}
#: Most links labelled per page: each label is one store lookup.
MAX_LABELLED = 300

#: Landing-page figures, by SPARQL. Provisional vocabulary (RDF Data Cube's SDMX
#: dimensions) until the converter's is fixed.
STATS_QUERIES = {
    "years": """PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
SELECT DISTINCT ?value WHERE { ?obs sdmx-dimension:refPeriod ?value } ORDER BY ?value LIMIT 200""",
    "regions": """PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
SELECT DISTINCT ?value WHERE { ?obs sdmx-dimension:refArea ?value } ORDER BY ?value LIMIT 500""",
}

#: Researcher questions that run with one click: (Chinese title, English title, query).
EXAMPLE_QUERIES: tuple[tuple[str, str, str], ...] = (
    ("各数据集的观测数", "Observations per data set", """PREFIX qb: <http://purl.org/linked-data/cube#>
SELECT ?dataset (COUNT(?obs) AS ?observations)
WHERE { ?obs a qb:Observation ; qb:dataSet ?dataset }
GROUP BY ?dataset ORDER BY DESC(?observations)"""),
    ("编码表与中文名称", "Code list concepts with their Chinese names",
     """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?concept ?notation ?label
WHERE { ?concept a skos:Concept ; skos:prefLabel ?label .
        OPTIONAL { ?concept skos:notation ?notation } FILTER(lang(?label) = "zh") }
ORDER BY ?notation LIMIT 100"""),
    ("各部门", "Departments", """PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?department ?name
WHERE { ?department a org:Organization . OPTIONAL { ?department skos:prefLabel ?name } }
LIMIT 100"""),
    ("每个文件的三元组数", "Triples per document graph",
     """SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?s ?p ?o } }
GROUP BY ?graph ORDER BY ?graph"""),
)


# --- terms as page data --------------------------------------------------------

def _curie(value: str) -> str | None:
    for prefix, namespace in PREFIXES.items():
        if value.startswith(namespace) and value != namespace:
            return f"{prefix}:{value[len(namespace):]}"
    return None


class _Labeller:
    """Labels for IRIs on one page, zh preferred, with an English label when we have one."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.known: dict[str, dict[str, str]] = {}

    def __call__(self, value: str) -> dict[str, str]:
        if value not in self.known:
            found: dict[str, str] = {}
            if len(self.known) < MAX_LABELLED:
                for term in self.ctx.store.objects(value, LABELS):
                    language = (term.language or "").split("-")[0] or "none"
                    found.setdefault(language, term.value)
            self.known[value] = found
        return self.known[value]


def _term(ctx: Context, term: Term, labeller: _Labeller) -> dict[str, Any]:
    if term.kind == "iri":
        labels = labeller(term.value)
        return {"type": "iri", "value": term.value, "href": ctx.urls.href(term.value),
                "curie": _curie(term.value), "label": labels.get("zh") or labels.get("none"),
                "label_en": labels.get("en")}
    if term.kind == "bnode":
        return {"type": "bnode", "value": term.value}
    return {"type": "literal", "value": term.value, "lang": term.language,
            "datatype": None if term.language else term.datatype,
            "datatype_curie": None if term.language else _curie(term.datatype or "")}


def _group(ctx: Context, statements: list[Statement], labeller: _Labeller,
           subject: str) -> list[dict[str, Any]]:
    """Properties of ``subject`` with their values, blank nodes nested by one level."""
    by_subject: dict[Term, list[Statement]] = {}
    for statement in statements:
        by_subject.setdefault(statement[0], []).append(statement)
    groups: dict[str, dict[str, Any]] = {}
    for _, predicate, obj in by_subject.get(Term("iri", subject), []):
        group = groups.setdefault(predicate.value, {
            "predicate": _term(ctx, predicate, labeller), "values": []})
        value = _term(ctx, obj, labeller)
        if obj.kind == "bnode":
            value["properties"] = [
                {"predicate": _term(ctx, p, labeller), "value": _term(ctx, o, labeller)}
                for _, p, o in by_subject.get(obj, [])
            ]
        group["values"].append(value)
    def order(group: dict[str, Any]) -> tuple[bool, str]:
        predicate = group["predicate"]
        return predicate["value"] != RDF_TYPE, predicate["curie"] or predicate["value"]

    return sorted(groups.values(), key=order)


# --- resources ----------------------------------------------------------------

def resource_page(ctx: Context, iri: str) -> dict[str, Any]:
    """Any IRI under ``{base}id/``: its description, the links into it, and its labels."""
    limit = ctx.settings["max_resource_statements"]
    statements = ctx.store.describe(iri, limit=limit)
    incoming = ctx.store.incoming(iri, limit=100)
    if not statements and not incoming:
        raise NotFound(f"nothing is known about <{iri}>")
    labeller = _Labeller(ctx)
    labels = labeller(iri)
    return {
        "iri": iri,
        "label": labels.get("zh") or labels.get("none"),
        "label_en": labels.get("en"),
        "properties": _group(ctx, statements, labeller, iri),
        "incoming": [{"subject": _term(ctx, s, labeller), "predicate": _term(ctx, p, labeller)}
                     for s, p, _ in incoming],
        "truncated": len(statements) >= limit,
        "statements": statements,
    }


def page_for(ctx: Context, iri: str) -> dict[str, Any]:
    """The page builder for ``iri``; the extension point for type-specific pages."""
    return resource_page(ctx, iri)


def _alternates(path: str) -> str:
    """``Link`` header naming every representation of ``path`` (Cool URIs, direct conneg)."""
    types = (negotiation.HTML, "text/turtle", "application/ld+json", "application/n-triples",
             "application/rdf+xml", negotiation.JSON)
    extensions = ("html", "ttl", "jsonld", "nt", "rdf", "json")
    return ", ".join(f'<{path}?format={ext}>; rel="alternate"; type="{media}"'
                     for media, ext in zip(types, extensions, strict=True))


def _render(ctx: Context, page: dict[str, Any], media_type: str, template: str,
            path: str) -> Response:
    headers = {"Vary": "Accept", "Link": _alternates(path)}
    if media_type == negotiation.HTML:
        body = render_template(template, page=page, urls=ctx.urls, settings=ctx.settings)
        return Response(body, content_type="text/html; charset=utf-8", headers=headers)
    if media_type == negotiation.JSON:
        public = {k: v for k, v in page.items() if k != "statements"}
        return Response(json.dumps(public, ensure_ascii=False, indent=1),
                        content_type="application/json", headers=headers)
    body_bytes = serialize_statements(page["statements"], media_type, prefixes=PREFIXES)
    charset = "; charset=utf-8" if media_type.startswith("text/") else ""
    return Response(body_bytes, content_type=media_type + charset, headers=headers)


@bp.get("/id/<path:rest>")
def resource(rest: str) -> Response:
    ctx = current()
    iri = ctx.urls.iri_for_path(request.path)
    media_type = negotiation.resource_type(request.accept_mimetypes,
                                           request.args.getlist("format"))
    return _render(ctx, page_for(ctx, iri), media_type, "resource.html", request.path)


# --- SPARQL ------------------------------------------------------------------

@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    ctx = current()
    req = protocol_request(request, ctx.settings["max_query_chars"])
    if req is not None:
        return answer(ctx, request, req)
    media_type = negotiation.graph_type(request.accept_mimetypes, request.args.getlist("format"))
    if media_type == negotiation.HTML:
        return query_editor()
    body = serialize_statements(describe.service_description(ctx.urls, ctx.graphs()),
                                media_type, prefixes=describe.PREFIXES)
    return Response(body, content_type=media_type, headers={"Vary": "Accept"})


@bp.get("/query")
def query_editor() -> Response:
    ctx = current()
    yasgui = (Path(__file__).parent / "static" / "vendor" / "yasgui" / "yasgui.min.js").is_file()
    query = request.args.get("query") or EXAMPLE_QUERIES[0][2]
    body = render_template("query.html", query=query, yasgui=yasgui, urls=ctx.urls,
                           settings=ctx.settings, examples=_examples(ctx))
    return Response(body, content_type="text/html; charset=utf-8")


def _examples(ctx: Context) -> list[dict[str, str]]:
    return [{"title": zh, "title_en": en, "query": query, "run": ctx.urls.run_query(query),
             "edit": ctx.urls.edit_query(query)} for zh, en, query in EXAMPLE_QUERIES]


# --- landing, VoID, dumps ------------------------------------------------------

def _stats(ctx: Context) -> dict[str, list[str]]:
    """Years and regions present, by SPARQL in the query pool; cached once they are known."""
    cached = ctx.cached("stats")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    stats: dict[str, list[str]] = {}
    for name, query in STATS_QUERIES.items():
        spec = QuerySpec(query, "application/sparql-results+json", None,
                         ctx.settings["max_result_rows"], ctx.settings["max_result_bytes"])
        try:
            outcome = ctx.pool.run(spec, timeout=ctx.settings["query_timeout"])
        except WebError:
            return stats  # busy or slow: show the page without these figures, retry later
        rows = json.loads(outcome.body)["results"]["bindings"] if outcome.status == "ok" else []
        stats[name] = [row["value"]["value"] for row in rows if "value" in row]
    ctx.remember("stats", stats)
    return stats


def landing_page(ctx: Context) -> dict[str, Any]:
    graphs = ctx.graphs()
    documents = [g for g in graphs if g.iri.startswith(ctx.settings["base_iri"] + "graph/doc/")]
    stats = _stats(ctx)
    return {
        "title": ctx.settings["title"],
        "description": ctx.settings["description"],
        "triples": sum(g.triples for g in graphs),
        "graphs": [{"iri": g.iri, "triples": g.triples, "dump": ctx.urls.dump_for_graph(g.iri)}
                   for g in graphs],
        "documents": len(documents),
        "years": stats.get("years"),
        "regions": stats.get("regions"),
        "examples": _examples(ctx),
        "dump_all": ctx.urls.dump_all,
        "void": ctx.urls.void,
    }


@bp.get("/")
def landing() -> Response:
    ctx = current()
    media_type = negotiation.resource_type(request.accept_mimetypes,
                                           request.args.getlist("format"))
    if media_type not in (negotiation.HTML, negotiation.JSON):
        return void()
    page = landing_page(ctx)
    if media_type == negotiation.JSON:
        return Response(json.dumps(page, ensure_ascii=False, indent=1),
                        content_type="application/json", headers={"Vary": "Accept"})
    body = render_template("landing.html", page=page, urls=ctx.urls, settings=ctx.settings)
    return Response(body, content_type="text/html; charset=utf-8", headers={"Vary": "Accept"})


_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


@bp.get("/.well-known/void")
def void() -> Response:
    ctx = current()
    media_type = negotiation.graph_type(request.accept_mimetypes, request.args.getlist("format"))
    if media_type == negotiation.HTML:
        media_type = "text/turtle"
    stats = _stats(ctx)
    years = sorted({m.group(1) for v in stats.get("years", []) if (m := _YEAR.search(v))})
    regions = [v for v in stats.get("regions", []) if v.startswith(("http://", "https://"))]
    statements = describe.void_dcat(ctx.urls, ctx.settings, ctx.graphs(), years=years,
                                    regions=regions)
    body = serialize_statements(statements, media_type, prefixes=describe.PREFIXES)
    charset = "; charset=utf-8" if media_type.startswith("text/") else ""
    return Response(body, content_type=media_type + charset, headers={"Vary": "Accept"})


def _dumps_dir(ctx: Context) -> Path:
    configured = ctx.settings["dumps_dir"]
    return Path(configured) if configured else Path(str(ctx.settings["store_dir"]) + ".dumps")


@bp.get("/dumps/<path:rest>")
def dump(rest: str) -> Response:
    """Gzipped N-Quads of everything or of one graph, written once per store snapshot.

    The cache file is rebuilt when it is older than the newest file of the
    store directory, i.e. after a reload; it is written beside its final name
    and renamed, so a reader never sees half a dump.
    """
    ctx = current()
    graph = None if rest == "all.nq.gz" else ctx.urls.graph_for_dump(rest)
    if rest != "all.nq.gz" and (graph is None or not ctx.store.has_graph(graph)):
        raise NotFound(f"no dump named {rest}")
    name = "all" if graph is None else hashlib.sha256(graph.encode()).hexdigest()[:32]
    target = _dumps_dir(ctx) / f"{name}.nq.gz"
    store_dir = Path(ctx.settings["store_dir"])
    newest = max((p.stat().st_mtime for p in store_dir.iterdir()), default=0.0)
    if not target.is_file() or target.stat().st_mtime < newest:
        target.parent.mkdir(parents=True, exist_ok=True)  # names are hashes: no traversal
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:
            ctx.store.dump_nquads_gzip(handle, graph_iri=graph)
        os.replace(handle.name, target)
    return send_file(target, mimetype="application/gzip", as_attachment=True,
                     download_name=Path(rest).name, conditional=True, max_age=3600)


def register(app: Any) -> None:
    app.register_blueprint(bp)
