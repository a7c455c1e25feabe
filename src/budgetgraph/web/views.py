"""One function per resource builds a plain dict; HTML, JSON and RDF are rendered from it.

:func:`page_for` chooses by ``rdf:type``: a disclosure gets the department-year
budget page (:mod:`.budget`), an organisation, a classification code or a project
its own page (:mod:`.pages`); every page also carries the resource's own
statements, so nothing is hidden and the RDF twin is the same for all.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, render_template, request, send_file, stream_with_context

from .. import export, search
from ..store import QuerySpec, Statement, Term, serialize_statements
from . import describe, negotiation
from .budget import PHASES, disclosure_page, grouped, table_page, yuan
from .context import Context, current
from .errors import BadSearch, NotFound, QueryFailed, WebError
from .examples import EXAMPLE_QUERIES, STATS_QUERIES
from .lookup import MAX_ROWS, Row, run_text, year_of
from .pages import code_page, organisation_page, project_page
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
    "bg": "https://w3id.org/budgetgraph/def#",
    "obeu-dimension": "http://data.openbudgets.eu/ontology/dsd/dimension/",
    "obeu-measure": "http://data.openbudgets.eu/ontology/dsd/measure/",
    "obeu-attribute": "http://data.openbudgets.eu/ontology/dsd/attribute/",
    "year": "http://reference.data.gov.uk/id/year/",
}
BG = PREFIXES["bg"]
PHASE_LABELS = {iri: zh for iri, (zh, _) in PHASES.items()}
#: Page builders by ``rdf:type``, most specific first; anything else is a plain resource.
TYPED_PAGES = (
    (BG + "Disclosure", disclosure_page),
    (BG + "DisclosureTable", table_page),
    (BG + "Department", organisation_page),
    (BG + "BudgetUnit", organisation_page),
    (BG + "FunctionalCode", code_page),
    (BG + "EconomicCode", code_page),
    (BG + "Project", project_page),
)
#: Template of each page view; ``resource`` is every other IRI.
TEMPLATES = {"resource": "resource.html", "disclosure": "disclosure.html", "table": "table.html",
             "organisation": "organisation.html", "code": "code.html", "project": "project.html"}
#: Most links labelled per page: each label is one store lookup.
MAX_LABELLED = 300

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
    statements += [s for s in _generated(ctx, iri) if s not in statements]
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
    """The resource's page, extended by the builder its ``rdf:type`` selects."""
    page = resource_page(ctx, iri)
    page["view"] = "resource"
    types = {term.value for term in ctx.store.objects(iri, [RDF_TYPE])}
    for type_iri, builder in TYPED_PAGES:
        if type_iri in types:
            page.update(builder(ctx.store, ctx.urls, iri))
            break
    return page


def _alternates(path: str, *, csv: bool = False) -> str:
    """``Link`` header naming every representation of ``path`` (Cool URIs, direct conneg)."""
    types = (negotiation.HTML, "text/turtle", "application/ld+json", "application/n-triples",
             "application/rdf+xml", negotiation.JSON)
    extensions = ("html", "ttl", "jsonld", "nt", "rdf", "json")
    links = [f'<{path}?format={ext}>; rel="alternate"; type="{media}"'
             for media, ext in zip(types, extensions, strict=True)]
    if csv:
        links.append(f'<{path}.csv>; rel="alternate"; type="{negotiation.CSV}"')
    return ", ".join(links)


def _render(ctx: Context, page: dict[str, Any], media_type: str, template: str,
            path: str, *, csv: bool = False) -> Response:
    headers = {"Vary": "Accept", "Link": _alternates(path, csv=csv)}
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


#: Types whose figures download as CSV or JSON records (``<path>.csv``, ``Accept: text/csv``).
EXPORTABLE = {BG + "Disclosure": "disclosure", BG + "DisclosureTable": "table"}
EXPORT_SUFFIXES = {".csv": negotiation.CSV, ".json": negotiation.JSON}


def _exportable(ctx: Context, iri: str) -> str | None:
    """``disclosure`` or ``table`` when ``iri`` is one, else None."""
    for term in ctx.store.objects(iri, [RDF_TYPE]):
        if term.value in EXPORTABLE:
            return EXPORTABLE[term.value]
    return None


@bp.get("/id/<path:rest>")
def resource(rest: str) -> Response:
    ctx = current()
    iri = ctx.urls.iri_for_path(request.path)
    for suffix, media in EXPORT_SUFFIXES.items():
        if iri.endswith(suffix):
            stem = iri[: -len(suffix)]
            kind = _exportable(ctx, stem)
            if kind is not None:
                return _export(ctx, stem, kind, media)
    kind = _exportable(ctx, iri)
    media_type = negotiation.resource_type(request.accept_mimetypes,
                                           request.args.getlist("format"), csv=kind is not None)
    if media_type == negotiation.CSV and kind is not None:
        return _export(ctx, iri, kind, media_type)
    page = page_for(ctx, iri)
    return _render(ctx, page, media_type, TEMPLATES[page["view"]], request.path,
                   csv=kind is not None)


def _export(ctx: Context, iri: str, kind: str, media_type: str) -> Response:
    """A disclosure's or a table's figures, one row each (:mod:`budgetgraph.export`):
    CSV, or the same rows as JSON records."""
    def run(text: str) -> list[Row]:
        return run_text(ctx.store, text)

    table = iri if kind == "table" else None
    doc = iri
    if table is not None:
        found = ctx.store.objects(iri, [BG + "disclosure"])
        if not found:
            raise NotFound(f"table <{iri}> belongs to no disclosure")
        doc = found[0].value
    # Paged through the store a page-query's cap at a time and streamed as the pages come,
    # so a table of any size downloads whole in bounded memory (docs/server.md). The
    # first page is read before the status is sent: what fails there is still an error
    # answer; a page that fails later can only cut the download short.
    pages = export.iter_figures(run, disclosure=doc, table=table, page_rows=MAX_ROWS)
    first = next(pages, None)
    rows = pages if first is None else itertools.chain([first], pages)
    name = export.file_name(doc, ctx.urls.base) + (f"-{iri.rsplit('/', 1)[-1]}" if table else "")
    headers = {"Vary": "Accept", "Link": f'<{ctx.urls.href(iri)}>; rel="describedby"'}
    if media_type == negotiation.CSV:
        headers["Content-Disposition"] = f'inline; filename="{name}.csv"'
        return Response(stream_with_context(export.csv_chunks(rows)), headers=headers,
                        content_type="text/csv; charset=utf-8; header=present")
    return Response(stream_with_context(export.json_chunks(iri, rows)), headers=headers,
                    content_type="application/json")


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


# --- search ------------------------------------------------------------------

#: Each kind of search result, named for people.
KIND_NAMES = {"department": ("部门", "department"), "unit": ("预算单位", "budget unit"),
              "office": ("内设机构", "internal office"), "region": ("地区", "region"),
              "code": ("科目", "classification code"), "project": ("项目", "project"),
              "indicator": ("绩效指标", "performance indicator"),
              "disclosure": ("公开文件", "disclosure"), "term": ("术语", "term")}
#: ``rdf:type`` → kind, for results of the SPARQL scan (no index).
_KIND_OF_TYPE = {type_iri: kind for kind, types in search.KINDS for type_iri in types}
#: Results per request unless ``limit`` says otherwise.
SEARCH_LIMIT = 20


def _search_args(ctx: Context) -> tuple[str, int, list[str]]:
    text = request.args.get("q", "")
    if len(text) > search.MAX_QUERY_CHARS:
        raise BadSearch(f"q is longer than {search.MAX_QUERY_CHARS} characters")
    cap = ctx.settings["max_search_results"]
    raw = request.args.get("limit", "")
    if raw and (not raw.isdigit() or not 1 <= int(raw) <= cap):
        raise BadSearch(f"limit must be a whole number from 1 to {cap}")
    kinds = request.args.getlist("kind")
    unknown = [k for k in kinds if k not in KIND_NAMES]
    if unknown:
        raise BadSearch(f"unknown kind {unknown[0]!r}; known: {', '.join(KIND_NAMES)}")
    return text, int(raw) if raw else min(SEARCH_LIMIT, cap), kinds


def _scan(ctx: Context, text: str, limit: int, kinds: list[str]) -> search.Found:
    """The search without an index: the SPARQL scan, in the query pool with its deadline."""
    if search.match_expression(text) is None:
        return search.Found(text, (), False)
    spec = QuerySpec(search.sparql_scan(text, limit=limit * 4), "application/sparql-results+json",
                     None, ctx.settings["max_result_rows"], ctx.settings["max_result_bytes"])
    outcome = ctx.pool.run(spec, timeout=ctx.settings["query_timeout"])
    if outcome.status != "ok":
        raise QueryFailed(f"search by SPARQL failed ({outcome.status}): {outcome.message}")
    hits: dict[str, search.Hit] = {}
    for row in json.loads(outcome.body)["results"]["bindings"]:
        kind = _KIND_OF_TYPE.get(row["type"]["value"], "term")
        iri = row["s"]["value"]
        if (not kinds or kind in kinds) and iri not in hits:
            hits[iri] = search.Hit(iri, kind, row["name"]["value"], None, "contains")
    found = list(hits.values())
    return search.Found(text, tuple(found[:limit]), len(found) > limit)


def search_page(ctx: Context, text: str, limit: int, kinds: list[str]) -> dict[str, Any]:
    """Resources whose names or codes contain ``text``, from the names index (or, without
    one, a SPARQL scan), with the SPARQL that finds the same by scanning."""
    try:
        found = (ctx.index.search(text, limit=limit, kinds=kinds) if ctx.index is not None
                 else _scan(ctx, text, limit, kinds))
    except search.SearchError as error:
        raise BadSearch(error.message) from None
    scan = search.sparql_scan(text, limit=limit) if text.strip() else None
    return {
        "query": text,
        "kinds": kinds,
        "source": "index" if ctx.index is not None else "sparql",
        "results": [{"iri": hit.iri, "label": hit.label, "label_en": hit.label_en,
                     "kind": hit.kind, "kind_label": KIND_NAMES[hit.kind][0],
                     "match": hit.match, "link": ctx.urls.href(hit.iri)}
                    for hit in found.hits],
        "more": found.more,
        "sparql": scan,
        "sparql_edit": ctx.urls.edit_query(scan) if scan else None,
    }


@bp.get("/search")
def search_view() -> Response:
    """``/search?q=`` (``limit``, ``kind`` repeatable): JSON for programs, HTML for people."""
    ctx = current()
    media_type = negotiation.resource_type(request.accept_mimetypes,
                                           request.args.getlist("format"))
    text, limit, kinds = _search_args(ctx)
    page = search_page(ctx, text, limit, kinds)
    if media_type == negotiation.HTML:
        body = render_template("search.html", page=page, urls=ctx.urls, settings=ctx.settings,
                               search_text=text, kind_names=KIND_NAMES)
        return Response(body, content_type="text/html; charset=utf-8",
                        headers={"Vary": "Accept",
                                 "Link": f'<{ctx.urls.search_json(text)}>; rel="alternate"; '
                                         f'type="{negotiation.JSON}"'})
    return Response(json.dumps(page, ensure_ascii=False, indent=1),
                    content_type="application/json", headers={"Vary": "Accept"})


# --- landing, VoID, dumps ------------------------------------------------------

def _stats(ctx: Context) -> dict[str, list[Row]]:
    """Documents, years, regions and departments, by SPARQL in the query pool.

    Cached once all are known (the snapshot does not change); a busy or slow
    pool leaves them out of this page and they are tried again next time.
    """
    cached = ctx.cached("stats")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    stats: dict[str, list[Row]] = {}
    for name, query in STATS_QUERIES.items():
        spec = QuerySpec(query, "application/sparql-results+json", None,
                         ctx.settings["max_result_rows"], ctx.settings["max_result_bytes"])
        try:
            outcome = ctx.pool.run(spec, timeout=ctx.settings["query_timeout"])
        except WebError:
            return stats
        if outcome.status != "ok":
            return stats
        rows = json.loads(outcome.body)["results"]["bindings"]
        stats[name] = [{k: v["value"] for k, v in row.items()} for row in rows]
    ctx.remember("stats", stats)
    return stats


def _departments(ctx: Context, rows: list[Row]) -> list[dict[str, Any]]:
    """Each organisation that published, with a link to each of its disclosures."""
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = found.setdefault(row["value"], {
            "href": ctx.urls.href(row["value"]), "label": row.get("label") or row["value"],
            "region": row.get("regionLabel"), "documents": []})
        document = {"href": ctx.urls.href(row["doc"]), "year": year_of(row["year"]),
                    "phase": PHASE_LABELS.get(row["phase"], "")}
        if document not in entry["documents"]:
            entry["documents"].append(document)
    return list(found.values())


def landing_page(ctx: Context) -> dict[str, Any]:
    graphs = ctx.graphs()
    stats = _stats(ctx)
    documents = stats.get("documents")
    return {
        "title": ctx.settings["title"],
        "description": ctx.settings["description"],
        "triples": sum(g.triples for g in graphs),
        "graphs": [{"iri": g.iri, "triples": g.triples, "dump": ctx.urls.dump_for_graph(g.iri)}
                   for g in graphs],
        "documents": int(documents[0]["value"]) if documents else None,
        "years": [year_of(row["value"]) for row in stats["years"]] if "years" in stats else None,
        "regions": [{"href": ctx.urls.href(row["value"]), "label": row.get("label")}
                    for row in stats["regions"]] if "regions" in stats else None,
        "departments": _departments(ctx, stats.get("departments", [])),
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


@bp.get("/.well-known/void")
def void() -> Response:
    ctx = current()
    media_type = negotiation.graph_type(request.accept_mimetypes, request.args.getlist("format"))
    statements = _catalog(ctx)
    if media_type == negotiation.HTML:
        body = render_template("void.html", page=void_page(ctx, statements), urls=ctx.urls,
                               settings=ctx.settings)
        return Response(body, content_type="text/html; charset=utf-8", headers={
            "Vary": "Accept", "Link": ", ".join(
                f'<{ctx.urls.void}?format={ext}>; rel="alternate"; type="{media}"'
                for ext, media in (("ttl", "text/turtle"), ("jsonld", "application/ld+json"),
                                   ("nt", "application/n-triples"),
                                   ("rdf", "application/rdf+xml")))})
    body = serialize_statements(statements, media_type, prefixes=describe.PREFIXES)
    charset = "; charset=utf-8" if media_type.startswith("text/") else ""
    return Response(body, content_type=media_type + charset, headers={"Vary": "Accept"})


def void_page(ctx: Context, statements: list[Statement]) -> dict[str, Any]:
    """The catalog for people: each described thing (catalog, data sets, distributions,
    the endpoint, every graph) with its properties, from the statements machines get."""
    labeller = _Labeller(ctx)
    subjects = list(dict.fromkeys(s.value for s, _, _ in statements if s.kind == "iri"))
    titles = {s.value: o.value for s, p, o in statements
              if p.value == describe.DCT + "title" and s.kind == "iri"}
    return {
        "iri": ctx.urls.iri_for_path(ctx.urls.void), "title": ctx.settings["title"],
        "description": ctx.settings["description"],
        "subjects": [{"iri": subject, "href": ctx.urls.href(subject),
                      "title": titles.get(subject),
                      "properties": _group(ctx, statements, labeller, subject)}
                     for subject in subjects],
    }


def _catalog(ctx: Context) -> list[Statement]:
    """The DCAT-AP catalog and VoID description, from the store's own figures."""
    stats = _stats(ctx)
    years = sorted({year for row in stats.get("years", []) if (year := year_of(row["value"]))
                    .isdigit()})
    regions = [row["value"] for row in stats.get("regions", [])]
    return describe.void_dcat(ctx.urls, ctx.settings, ctx.graphs(), years=years,
                              regions=regions, documents=stats.get("catalog", []))


def _generated(ctx: Context, iri: str) -> list[Statement]:
    """Statements the server makes about itself: the catalog and its publisher,
    which dereference like any resource under ``{base}id/``."""
    base = ctx.settings["base_iri"]
    publisher = ctx.settings["publisher_iri"] or base + "id/publisher"
    if iri not in (base + "id/catalog", publisher):
        return []
    return [statement for statement in _catalog(ctx)
            if statement[0].value == iri or statement[0].kind == "bnode"]


@bp.get("/graph/<path:rest>")
def named_graph(rest: str) -> Response:
    """A named graph's IRI answers: what it holds and where to download it."""
    ctx = current()
    iri = ctx.urls.iri_for_path(request.path)
    found = next((g for g in ctx.graphs() if g.iri == iri), None)
    if found is None:
        raise NotFound(f"no graph <{iri}>")
    media_type = negotiation.resource_type(request.accept_mimetypes,
                                           request.args.getlist("format"))
    statements = describe.graph_description(ctx.urls, found)
    labeller = _Labeller(ctx)
    page = {"iri": iri, "label": None, "label_en": None, "view": "resource",
            "properties": _group(ctx, statements, labeller, iri), "incoming": [],
            "truncated": False, "statements": statements}
    return _render(ctx, page, media_type, TEMPLATES["resource"], request.path)


@bp.get("/def")
def vocabulary() -> Response:
    """The vocabulary (``https://w3id.org/budgetgraph/def``): the ontology and the
    Data Cube structure, in the format asked for."""
    from ..rdf.vocabulary import ONTOLOGY_IRI, vocabulary_statements

    ctx = current()
    media_type = negotiation.resource_type(request.accept_mimetypes,
                                           request.args.getlist("format"))
    statements = [(Term(*s), Term(*p), Term(*o)) for s, p, o in vocabulary_statements()]
    labeller = _Labeller(ctx)
    page = {"iri": ONTOLOGY_IRI, "label": "budgetgraph 预算公开本体", "label_en":
            "budgetgraph ontology of budget disclosures", "view": "resource",
            "properties": _group(ctx, statements, labeller, ONTOLOGY_IRI), "incoming": [],
            "truncated": False, "statements": statements}
    return _render(ctx, page, media_type, TEMPLATES["resource"], request.path)


def _dumps_dir(ctx: Context) -> Path:
    """The configured directory; by default beside the store, or per engine and base in /tmp."""
    configured = ctx.settings["dumps_dir"]
    if configured:
        return Path(configured)
    if ctx.settings["endpoint"]:
        key = f"{ctx.settings['endpoint']} {ctx.settings['base_iri']}".encode()
        digest = hashlib.sha256(key).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / f"budgetgraph-dumps-{digest}"
    return Path(str(ctx.settings["store_dir"]) + ".dumps")


def _is_fresh(ctx: Context, target: Path) -> bool:
    """Whether a cached dump still shows the data: newer than the store, or within the TTL.

    An engine gives no cheap "last changed" (others may load into it at any
    time), so its dumps are rebuilt after ``dumps_ttl`` seconds instead.
    """
    if not target.is_file():
        return False
    built = target.stat().st_mtime
    if ctx.settings["endpoint"]:
        return time.time() - built < ctx.settings["dumps_ttl"]
    store_dir = Path(ctx.settings["store_dir"])
    return built >= max((p.stat().st_mtime for p in store_dir.iterdir()), default=0.0)


@bp.get("/dumps/<path:rest>")
def dump(rest: str) -> Response:
    """Gzipped N-Quads of everything or of one graph, written once per store snapshot.

    The cache file is rebuilt when it is older than the newest file of the
    store directory, i.e. after a reload (for an engine: after ``dumps_ttl``);
    it is written beside its final name and renamed, so a reader never sees
    half a dump.
    """
    ctx = current()
    graph = None if rest == "all.nq.gz" else ctx.urls.graph_for_dump(rest)
    if rest != "all.nq.gz" and (graph is None or not ctx.store.has_graph(graph)):
        raise NotFound(f"no dump named {rest}")
    name = "all" if graph is None else hashlib.sha256(graph.encode()).hexdigest()[:32]
    target = _dumps_dir(ctx) / f"{name}.nq.gz"
    if not _is_fresh(ctx, target):
        target.parent.mkdir(parents=True, exist_ok=True)  # names are hashes: no traversal
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:
            ctx.store.dump_nquads_gzip(handle, graph_iri=graph)
        os.replace(handle.name, target)
    return send_file(target, mimetype="application/gzip", as_attachment=True,
                     download_name=Path(rest).name, conditional=True, max_age=3600)


def register(app: Any) -> None:
    app.register_blueprint(bp)
    # Figures for people: separators in HTML only; JSON, CSV and RDF keep the literal.
    app.add_template_filter(grouped, "grouped")
    app.add_template_filter(yuan, "yuan")
