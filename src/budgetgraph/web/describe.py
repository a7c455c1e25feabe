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
              years: list[str], regions: list[str]) -> list[Statement]:
    """VoID and DCAT-AP style description of the whole dataset and each document graph."""
    doc = urls.iri_for_path(urls.void)
    dataset, dump, service = iri(doc + "#dataset"), iri(doc + "#dump"), iri(doc + "#sparql")
    base = str(settings["base_iri"])
    publisher = iri(str(settings["publisher_iri"]) or base + "id/publisher")
    license_ = iri(str(settings["license_iri"]))
    endpoint = iri(urls.iri_for_path(urls.sparql))
    out: list[Statement] = [
        (dataset, iri(RDF_TYPE), iri(VOID + "Dataset")),
        (dataset, iri(RDF_TYPE), iri(DCAT + "Dataset")),
        (dataset, iri(DCT + "title"), text(str(settings["title"]))),
        (dataset, iri(DCT + "description"), text(str(settings["description"]))),
        (dataset, iri(DCT + "publisher"), publisher),
        (publisher, iri(RDF_TYPE), iri(FOAF + "Agent")),
        (publisher, iri(FOAF + "name"), text(str(settings["publisher_name"]))),
        (dataset, iri(DCT + "license"), license_),
        (dataset, iri(VOID + "sparqlEndpoint"), endpoint),
        (dataset, iri(VOID + "uriSpace"), text(base + "id/")),
        (dataset, iri(VOID + "triples"), typed(sum(g.triples for g in graphs), "integer")),
        (dataset, iri(VOID + "dataDump"), iri(urls.iri_for_path(urls.dump_all))),
        (dataset, iri(DCAT + "distribution"), dump),
        (dump, iri(RDF_TYPE), iri(DCAT + "Distribution")),
        (dump, iri(DCAT + "downloadURL"), iri(urls.iri_for_path(urls.dump_all))),
        (dump, iri(DCAT + "mediaType"), iri(IANA + "application/n-quads")),
        (dump, iri(DCAT + "compressFormat"), iri(IANA + "application/gzip")),
        (dump, iri(DCT + "license"), license_),
        (service, iri(RDF_TYPE), iri(DCAT + "DataService")),
        (service, iri(DCAT + "endpointURL"), endpoint),
        (service, iri(DCAT + "servesDataset"), dataset),
        (service, iri(DCT + "conformsTo"), iri("https://www.w3.org/TR/sparql11-protocol/")),
    ]
    if years:
        period = Term("bnode", "period")
        out += [
            (dataset, iri(DCT + "temporal"), period),
            (period, iri(RDF_TYPE), iri(DCT + "PeriodOfTime")),
            (period, iri(DCAT + "startDate"), typed(min(years), "gYear")),
            (period, iri(DCAT + "endDate"), typed(max(years), "gYear")),
        ]
    out += [(dataset, iri(DCT + "spatial"), iri(region)) for region in regions]
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
