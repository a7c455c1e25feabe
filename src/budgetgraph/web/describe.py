"""RDF descriptions of the service itself: SPARQL Service Description and VoID/DCAT.

Each function returns statements (plain :class:`~budgetgraph.store.Term`
triples) that views serialise in whatever RDF format was negotiated.
"""

from __future__ import annotations

from ..store import GraphInfo, Statement, Term
from .urls import Urls

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
FORMATS = "http://www.w3.org/ns/formats/"
IANA = "http://www.iana.org/assignments/media-types/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
LANGUAGE = "http://publications.europa.eu/resource/authority/language/"

PREFIXES = {"sd": SD, "void": VOID, "dcat": DCAT, "dct": DCT, "foaf": FOAF, "xsd": XSD,
            "formats": FORMATS}


def iri(value: str) -> Term:
    return Term("iri", value)


def text(value: str, language: str | None = None) -> Term:
    if language:
        return Term("literal", value, None, language)
    return Term("literal", value, XSD + "string")


def typed(value: object, datatype: str) -> Term:
    return Term("literal", str(value), XSD + datatype)


def service_description(urls: Urls, graphs: list[GraphInfo]) -> list[Statement]:
    """What ``/sparql`` offers: language, result formats, the union default graph, graphs."""
    endpoint = iri(urls.iri_for_path(urls.sparql))
    dataset, default = Term("bnode", "dataset"), Term("bnode", "default")
    out: list[Statement] = [
        (endpoint, iri(RDF_TYPE), iri(SD + "Service")),
        (endpoint, iri(SD + "endpoint"), endpoint),
        (endpoint, iri(SD + "supportedLanguage"), iri(SD + "SPARQL11Query")),
        (endpoint, iri(SD + "feature"), iri(SD + "UnionDefaultGraph")),
        (endpoint, iri(SD + "defaultDataset"), dataset),
        (dataset, iri(RDF_TYPE), iri(SD + "Dataset")),
        (dataset, iri(SD + "defaultGraph"), default),
        (default, iri(RDF_TYPE), iri(SD + "Graph")),
        (default, iri(VOID + "triples"), typed(sum(g.triples for g in graphs), "integer")),
    ]
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                 "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        out.append((endpoint, iri(SD + "resultFormat"), iri(FORMATS + name)))
    for number, graph in enumerate(graphs):
        named, described = Term("bnode", f"n{number}"), Term("bnode", f"g{number}")
        out += [
            (dataset, iri(SD + "namedGraph"), named),
            (named, iri(SD + "name"), iri(graph.iri)),
            (named, iri(SD + "graph"), described),
            (described, iri(RDF_TYPE), iri(SD + "Graph")),
            (described, iri(VOID + "triples"), typed(graph.triples, "integer")),
        ]
    return out


def void_dcat(urls: Urls, settings: dict[str, object], graphs: list[GraphInfo], *,
              years: list[str], regions: list[str], documents: list[dict[str, str]]
              ) -> list[Statement]:
    """The catalog as DCAT-AP 2 harvesters read it, and VoID for linked-data tools.

    ``{base}id/catalog`` (dcat:Catalog: title, description, publisher, licence,
    issued, modified, language) lists the whole store (``…/void#dataset``, a
    void:Dataset and dcat:Dataset with the full dump as its distribution) and every
    document (its own dcat:Dataset, whose title, description and publisher the
    document graph states), each with a distribution (dcat:accessURL the graph's
    IRI, which dereferences; dcat:downloadURL its dump). The SPARQL endpoint is a
    dcat:DataService serving them. ``documents`` are the disclosures found in the
    store (``doc``, ``title``, ``description``, ``issued``, ``publisher``).
    """
    doc = urls.iri_for_path(urls.void)
    base = str(settings["base_iri"])
    catalog = iri(base + "id/catalog")
    dataset, dump, service = iri(doc + "#dataset"), iri(doc + "#dump"), iri(doc + "#sparql")
    publisher = iri(str(settings["publisher_iri"]) or base + "id/publisher")
    license_ = iri(str(settings["license_iri"]))
    endpoint = iri(urls.iri_for_path(urls.sparql))
    issued = sorted(d["issued"] for d in documents if d.get("issued"))
    out: list[Statement] = [
        (catalog, iri(RDF_TYPE), iri(DCAT + "Catalog")),
        (catalog, iri(DCT + "title"), text(str(settings["title"]))),
        (catalog, iri(DCT + "description"), text(str(settings["description"]))),
        (catalog, iri(DCT + "publisher"), publisher),
        (catalog, iri(DCT + "license"), license_),
        (catalog, iri(DCT + "language"), iri(LANGUAGE + "ZHO")),
        (catalog, iri(FOAF + "homepage"), iri(base)),
        (catalog, iri(DCAT + "dataset"), dataset),
        (catalog, iri(DCAT + "service"), service),
        (catalog, iri(RDFS + "seeAlso"), iri(doc)),
        *_agent(publisher, str(settings["publisher_name"])),
        (dataset, iri(RDF_TYPE), iri(VOID + "Dataset")),
        (dataset, iri(RDF_TYPE), iri(DCAT + "Dataset")),
        (dataset, iri(DCT + "title"), text(str(settings["title"]))),
        (dataset, iri(DCT + "description"), text(str(settings["description"]))),
        (dataset, iri(DCT + "publisher"), publisher),
        (dataset, iri(DCT + "license"), license_),
        (dataset, iri(DCT + "isPartOf"), catalog),
        (dataset, iri(VOID + "sparqlEndpoint"), endpoint),
        (dataset, iri(VOID + "uriSpace"), text(base + "id/")),
        (dataset, iri(VOID + "triples"), typed(sum(g.triples for g in graphs), "integer")),
        (dataset, iri(VOID + "dataDump"), iri(urls.iri_for_path(urls.dump_all))),
        (dataset, iri(VOID + "vocabulary"), iri(base + "def")),
        (dataset, iri(DCAT + "distribution"), dump),
        *_distribution(dump, access=iri(urls.iri_for_path(urls.sparql)),
                       download=iri(urls.iri_for_path(urls.dump_all)), license_=license_,
                       title="全部数据（N-Quads，gzip）", description=(
                           "Every named graph of the store: documents, validation findings, "
                           "code lists, structure and ontology.")),
        (service, iri(RDF_TYPE), iri(DCAT + "DataService")),
        (service, iri(DCT + "title"), text("SPARQL 1.1 查询端点 / SPARQL endpoint")),
        (service, iri(DCAT + "endpointURL"), endpoint),
        (service, iri(DCAT + "endpointDescription"), endpoint),
        (service, iri(DCAT + "servesDataset"), dataset),
        (service, iri(DCT + "license"), license_),
        (service, iri(DCT + "conformsTo"), iri("https://www.w3.org/TR/sparql11-protocol/")),
    ]
    if issued:
        out += [(catalog, iri(DCT + "issued"), typed(issued[0][:10], "date")),
                (catalog, iri(DCT + "modified"), typed(issued[-1][:10], "date")),
                (dataset, iri(DCT + "issued"), typed(issued[0][:10], "date"))]
    if years:
        period = Term("bnode", "period")
        out += [
            (dataset, iri(DCT + "temporal"), period),
            (period, iri(RDF_TYPE), iri(DCT + "PeriodOfTime")),
            (period, iri(DCAT + "startDate"), typed(min(years), "gYear")),
            (period, iri(DCAT + "endDate"), typed(max(years), "gYear")),
        ]
    out += [(dataset, iri(DCT + "spatial"), iri(region)) for region in regions]
    sizes = {g.iri: g.triples for g in graphs}
    for document in documents:
        out += _document(urls, document, catalog, dataset, service, license_, sizes)
    for graph in graphs:
        subset = iri(graph.iri)
        out += [
            (dataset, iri(VOID + "subset"), subset),
            (subset, iri(RDF_TYPE), iri(VOID + "Dataset")),
            (subset, iri(VOID + "triples"), typed(graph.triples, "integer")),
        ]
        download = urls.dump_for_graph(graph.iri)
        if download:
            out.append((subset, iri(VOID + "dataDump"), iri(urls.iri_for_path(download))))
    return out


def _agent(agent: Term, name: str) -> list[Statement]:
    return [(agent, iri(RDF_TYPE), iri(FOAF + "Agent")), (agent, iri(FOAF + "name"), text(name))]


def _distribution(node: Term, *, access: Term, download: Term, license_: Term, title: str,
                  description: str) -> list[Statement]:
    return [
        (node, iri(RDF_TYPE), iri(DCAT + "Distribution")),
        (node, iri(DCT + "title"), text(title)),
        (node, iri(DCT + "description"), text(description)),
        (node, iri(DCAT + "accessURL"), access),
        (node, iri(DCAT + "downloadURL"), download),
        (node, iri(DCAT + "mediaType"), iri(IANA + "application/n-quads")),
        (node, iri(DCAT + "compressFormat"), iri(IANA + "application/gzip")),
        (node, iri(DCT + "license"), license_),
    ]


def _document(urls: Urls, document: dict[str, str], catalog: Term, dataset: Term,
              service: Term, license_: Term, sizes: dict[str, int]) -> list[Statement]:
    """One disclosure as a DCAT-AP data set of the catalog, with its graph as distribution."""
    node = iri(document["doc"])
    graph = document["doc"].replace("/id/", "/graph/", 1)
    distribution = iri(graph + "#distribution")
    out: list[Statement] = [
        (catalog, iri(DCAT + "dataset"), node),
        (node, iri(RDF_TYPE), iri(DCAT + "Dataset")),
        (node, iri(DCT + "isPartOf"), dataset),
        (node, iri(DCT + "license"), license_),
        (service, iri(DCAT + "servesDataset"), node),
        (node, iri(DCAT + "distribution"), distribution),
    ]
    for key, predicate in (("title", "title"), ("description", "description")):
        if document.get(key):
            out.append((node, iri(DCT + predicate), text(document[key], "zh")))
    if document.get("publisher"):
        out.append((node, iri(DCT + "publisher"), iri(document["publisher"])))
    if document.get("issued"):
        out.append((node, iri(DCT + "issued"), typed(document["issued"][:10], "date")))
    download = urls.dump_for_graph(graph)
    if download and graph in sizes:
        out += _distribution(distribution, access=iri(graph),
                             download=iri(urls.iri_for_path(download)), license_=license_,
                             title=f"{document.get('title') or graph}（N-Quads，gzip）",
                             description="The document's named graph as N-Quads.")
        if document.get("issued"):
            out.append((distribution, iri(DCT + "issued"), typed(document["issued"][:10], "date")))
    table = iri(graph + "#csv")  # every figure of the document, one CSV row each
    csv_path = urls.exports(document["doc"])["csv"]
    out += [
        (node, iri(DCAT + "distribution"), table),
        (table, iri(RDF_TYPE), iri(DCAT + "Distribution")),
        (table, iri(DCT + "title"), text(f"{document.get('title') or graph}（CSV）")),
        (table, iri(DCT + "description"), text(
            "Every figure of the document, one row each: department, year, table, row, "
            "column, amount in yuan, the printed value and its source line.")),
        (table, iri(DCAT + "accessURL"), node),
        (table, iri(DCAT + "downloadURL"), iri(urls.iri_for_path(csv_path))),
        (table, iri(DCAT + "mediaType"), iri(IANA + "text/csv")),
        (table, iri(DCT + "license"), license_),
    ]
    return out


def graph_description(urls: Urls, graph: GraphInfo) -> list[Statement]:
    """What ``/graph/…`` answers: the named graph as a VoID data set, what it is
    about (the disclosure of the same path, for a document or its findings), and
    where to download it."""
    node = iri(graph.iri)
    out: list[Statement] = [
        (node, iri(RDF_TYPE), iri(VOID + "Dataset")),
        (node, iri(RDF_TYPE), iri(SD + "Graph")),
        (node, iri(VOID + "triples"), typed(graph.triples, "integer")),
        (node, iri(VOID + "sparqlEndpoint"), iri(urls.iri_for_path(urls.sparql))),
    ]
    download = urls.dump_for_graph(graph.iri)
    if download:
        out.append((node, iri(VOID + "dataDump"), iri(urls.iri_for_path(download))))
    path = graph.iri[len(urls.base + "graph/"):]
    for prefix in ("validation/", ""):
        if path.startswith(prefix + "org/"):
            out.append((node, iri(FOAF + "primaryTopic"),
                        iri(urls.base + "id/" + path[len(prefix):])))
            break
    return out
