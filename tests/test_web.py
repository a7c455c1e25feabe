"""The Linked Data server over real HTTP: gunicorn on a free port, real clients.

One server for the module, run by ``budgetgraph.web.serve`` in a subprocess,
with a short query timeout and small result caps so that the limits can be hit
with the tiny fixtures.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, XML
from SPARQLWrapper import SPARQLWrapper as Wrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed
from tests.documents import SERVER_FIXTURES
from tests.servers import BASE, fetch, serving

from budgetgraph import store

# rdflib 7.6's own parsers (JSON-LD, RDF/XML, N-Quads via SPARQLWrapper) call its
# deprecated Dataset API internally; only those messages are ignored.
pytestmark = [
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.identifier is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.contexts is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
]

TIMEOUT = 1.5
HEAVY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
         "?m ?n2 ?o }")


@pytest.fixture(scope="module")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a running server over the test fixtures."""
    directory = tmp_path_factory.mktemp("web") / "store"
    store.load_graph(directory, BASE + "graph/doc/qh-2024", SERVER_FIXTURES / "test-doc-qh-2024.nq")
    store.load_graph(directory, BASE + "graph/codelist/func-2024",
                     SERVER_FIXTURES / "test-codelist-func-2024.nq")
    with serving(directory, query_timeout=TIMEOUT, max_result_rows=30, query_processes=2,
                 queue_timeout=5, service_allowlist="http://127.0.0.1:9/sparql") as url:
        yield url


def _wrapper(url: str, query: str, fmt: str) -> Wrapper:
    client = Wrapper(url + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


SELECT = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
          "SELECT ?c ?label WHERE { ?c skos:notation \"208\" ; skos:prefLabel ?label } "
          "ORDER BY ?label")


# --- SPARQL protocol --------------------------------------------------------

def test_sparqlwrapper_json(web_server: str) -> None:
    result = _wrapper(web_server, SELECT, JSON).queryAndConvert()
    labels = [row["label"]["value"] for row in result["results"]["bindings"]]  # type: ignore[index]
    assert labels == ["Social security and employment", "社会保障和就业支出"]


def test_sparqlwrapper_xml(web_server: str) -> None:
    document = _wrapper(web_server, SELECT, XML).queryAndConvert()
    assert len(document.getElementsByTagName("result")) == 2  # type: ignore[union-attr]


@pytest.mark.parametrize("fmt, separator", [(CSV, ","), (TSV, "\t")])
def test_sparqlwrapper_csv_tsv(web_server: str, fmt: str, separator: str) -> None:
    text = _wrapper(web_server, SELECT, fmt).queryAndConvert().decode()  # type: ignore[union-attr]
    assert text.splitlines()[0].replace("?", "") == separator.join(["c", "label"])
    assert "社会保障和就业支出" in text


@pytest.mark.parametrize("media_type", ["text/csv", "text/tab-separated-values"])
def test_accept_alone_picks_csv_and_tsv(web_server: str, media_type: str) -> None:
    """curl's way: only the Accept header, no ``format`` parameter."""
    status, headers, body = fetch(web_server + "/sparql",
                                  data=urllib.parse.urlencode({"query": SELECT}).encode(),
                                  content_type="application/x-www-form-urlencoded",
                                  accept=media_type)
    assert status == 200 and headers["Content-Type"].startswith(media_type)
    assert "社会保障和就业支出" in body.decode()


def test_sparqlwrapper_ask(web_server: str) -> None:
    result = _wrapper(web_server, "ASK { ?s a <http://purl.org/linked-data/cube#Observation> }",
                      JSON).queryAndConvert()
    assert result["boolean"] is True  # type: ignore[index]


CONSTRUCT = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
             "CONSTRUCT { ?c skos:broader ?b } WHERE { ?c skos:broader ?b }")


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, JSONLD])
def test_sparqlwrapper_construct_formats(web_server: str, fmt: str) -> None:
    graph = _wrapper(web_server, CONSTRUCT, fmt).queryAndConvert()
    if isinstance(graph, bytes):  # SPARQLWrapper returns Turtle and N3 as bytes
        graph = rdflib.Graph().parse(data=graph, format="turtle")
    assert len(graph) == 2  # type: ignore[arg-type]


def test_describe_returns_a_graph(web_server: str) -> None:
    client = _wrapper(web_server, f"DESCRIBE <{BASE}id/dept/630223-504001>", RDFXML)
    graph = client.queryAndConvert()
    assert (rdflib.URIRef(BASE + "id/dept/630223-504001"), None, None) in graph  # type: ignore[operator]


@pytest.mark.parametrize("how", ["form", "direct"])
def test_post(web_server: str, how: str) -> None:
    client = _wrapper(web_server, SELECT, JSON)
    client.setMethod(POST)
    if how == "direct":
        client.setRequestMethod(POSTDIRECTLY)
    result = client.queryAndConvert()
    assert len(result["results"]["bindings"]) == 2  # type: ignore[index]


def test_dataset_parameters(web_server: str) -> None:
    query = urllib.parse.urlencode({
        "query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
        "default-graph-uri": BASE + "graph/codelist/func-2024"})
    status, _, body = fetch(f"{web_server}/sparql?{query}",
                            accept="application/sparql-results+json")
    assert status == 200
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "18"


def test_from_clause_is_honoured(web_server: str) -> None:
    query = urllib.parse.urlencode({"query": f"SELECT (COUNT(*) AS ?n) FROM "
                                    f"<{BASE}graph/codelist/func-2024> {{ ?s ?p ?o }}"})
    _, _, body = fetch(f"{web_server}/sparql?{query}", accept="application/sparql-results+json")
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "18"


def test_service_description(web_server: str) -> None:
    status, headers, body = fetch(web_server + "/sparql", accept="text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=body, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (rdflib.URIRef(BASE + "sparql"), rdflib.RDF.type, sd.Service) in graph


# --- SPARQL errors -------------------------------------------------------------

def _error(status: int, headers: dict[str, str], body: bytes) -> dict[str, object]:
    assert headers["Content-Type"] == "application/json"
    error = json.loads(body)
    assert set(error) == {"ok", "status", "error", "message"} and error["status"] == status
    return error  # type: ignore[no-any-return]


def test_syntax_error_is_400_with_the_parser_message(web_server: str) -> None:
    with pytest.raises(QueryBadFormed, match="syntax error"):
        _wrapper(web_server, "SELECT ?x WHERE { ?x ", JSON).queryAndConvert()
    status, headers, body = fetch(web_server + "/sparql?query=SELECT+%3Fx+WHERE+%7B")
    assert status == 400 and "error at 1:" in str(_error(status, headers, body)["message"])


@pytest.mark.parametrize("data, content_type", [
    (b"update=INSERT+DATA+%7B%3Ca%3E+%3Cb%3E+%3Cc%3E%7D", "application/x-www-form-urlencoded"),
    (b"INSERT DATA { <http://a> <http://b> <http://c> }", "application/sparql-update"),
    (b"INSERT DATA { <http://a> <http://b> <http://c> }", "application/sparql-query"),
])
def test_updates_are_refused(web_server: str, data: bytes, content_type: str) -> None:
    status, headers, body = fetch(web_server + "/sparql", data=data, content_type=content_type)
    assert status == 403
    assert "read-only" in str(_error(status, headers, body)["message"])


def test_huge_result_is_refused_with_a_clear_message(web_server: str) -> None:
    query = urllib.parse.urlencode({"query": "SELECT * { ?s ?p ?o }"})
    status, headers, body = fetch(f"{web_server}/sparql?{query}",
                                  accept="application/sparql-results+json")
    assert status == 400
    assert "more than 30 rows" in str(_error(status, headers, body)["message"])


def test_wrong_method_is_405(web_server: str) -> None:
    status, headers, body = fetch(web_server + "/sparql", method="PUT", data=b"x")
    assert status == 405 and "POST" in headers["Allow"]
    _error(status, headers, body)


@pytest.mark.parametrize("query", [
    "SELECT * { SERVICE <http://169.254.169.254/latest/> { ?s ?p ?o } }",
    "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
    r"SELECT * { SERV\u0049CE <http://127.0.0.1:22/> { ?s ?p ?o } }",
    "SELECT * { FILTER EXISTS { SERVICE <http://10.0.0.1/> { ?s ?p ?o } } }",
])
def test_service_off_the_allowlist_is_refused(web_server: str, query: str) -> None:
    status, headers, body = fetch(f"{web_server}/sparql?{urllib.parse.urlencode({'query': query})}")
    assert status == 403
    assert _error(status, headers, body)["error"] == "service_refused"


def test_timeout_stops_a_heavy_query_while_others_answer(web_server: str) -> None:
    outcome: dict[str, object] = {}

    def heavy() -> None:
        status, headers, body = fetch(
            f"{web_server}/sparql?{urllib.parse.urlencode({'query': HEAVY})}")
        outcome.update(status=status, error=_error(status, headers, body)["error"])

    thread = threading.Thread(target=heavy)
    thread.start()
    time.sleep(0.3)
    for _ in range(5):  # another client keeps getting answers meanwhile
        assert _wrapper(web_server, SELECT, JSON).queryAndConvert()
    assert thread.is_alive(), "the other client's queries waited for the heavy one"
    thread.join()
    # the heavy query (a five-way cross product) was stopped at its deadline
    assert outcome["status"] == 504 and outcome["error"] == "query_timeout"
    # the killed process was replaced: heavy and light queries still work afterwards
    assert _wrapper(web_server, SELECT, JSON).queryAndConvert()


def test_concurrent_clients(web_server: str) -> None:
    results: list[int] = []

    def client() -> None:
        for _ in range(5):
            response = _wrapper(web_server, SELECT, JSON).queryAndConvert()
            results.append(len(response["results"]["bindings"]))  # type: ignore[index]

    threads = [threading.Thread(target=client) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [2] * 40


# --- dereferenceable IRIs ------------------------------------------------------

RESOURCES = ["id/code/func/2024/208", "id/dept/630223-504001", "id/obs/qh-2024-t5-1",
             "id/dataset/qh-2024-t5"]
RDF_TYPES = [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
             ("application/n-triples", "nt"), ("application/rdf+xml", "xml")]


@pytest.mark.parametrize("path", RESOURCES)
@pytest.mark.parametrize("accept, rdflib_format", RDF_TYPES)
def test_conneg_rdf(web_server: str, path: str, accept: str, rdflib_format: str) -> None:
    status, headers, body = fetch(f"{web_server}/{path}", accept=accept)
    assert status == 200 and headers["Content-Type"].split(";")[0] == accept
    assert headers["Vary"] == "Accept" and 'rel="alternate"' in headers["Link"]
    graph = rdflib.Graph().parse(data=body, format=rdflib_format)
    assert (rdflib.URIRef(BASE + path), None, None) in graph


@pytest.mark.parametrize("path", RESOURCES)
def test_rdflib_dereferences_through_conneg(web_server: str, path: str) -> None:
    graph = rdflib.Graph().parse(f"{web_server}/{path}")  # rdflib sends its own Accept
    assert (rdflib.URIRef(BASE + path), None, None) in graph


@pytest.mark.parametrize("accept, expected", [
    (None, "text/html"), ("*/*", "text/html"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    ("application/ld+json;q=0.5, text/turtle", "text/turtle"),
    ("application/x-turtle", "text/turtle"), ("application/json", "application/json"),
])
def test_accept_table(web_server: str, accept: str | None, expected: str) -> None:
    _, headers, _ = fetch(f"{web_server}/id/code/func/2024/208", accept=accept)
    assert headers["Content-Type"].split(";")[0] == expected


@pytest.mark.parametrize("fmt, expected", [("ttl", "text/turtle"),
                                           ("jsonld", "application/ld+json"),
                                           ("nt", "application/n-triples"),
                                           ("rdf", "application/rdf+xml"),
                                           ("json", "application/json"), ("html", "text/html")])
def test_format_parameter(web_server: str, fmt: str, expected: str) -> None:
    _, headers, _ = fetch(f"{web_server}/id/code/func/2024/208?format={fmt}", accept="text/html")
    assert headers["Content-Type"].split(";")[0] == expected


def test_unacceptable_is_406(web_server: str) -> None:
    status, headers, body = fetch(f"{web_server}/id/code/func/2024/208", accept="image/png")
    assert status == 406
    _error(status, headers, body)


def test_unknown_iri_is_404(web_server: str) -> None:
    status, headers, body = fetch(f"{web_server}/id/nothing/here", accept="text/turtle")
    assert status == 404
    assert _error(status, headers, body)["error"] == "not_found"


def test_html_page_escapes_untrusted_text(web_server: str) -> None:
    status, _, body = fetch(f"{web_server}/id/dept/630223-504001", accept="text/html")
    page = body.decode()
    assert status == 200 and "互助土族自治县社会保险服务局" in page
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


def test_html_page_shows_english_labels_and_links(web_server: str) -> None:
    page = fetch(f"{web_server}/id/code/func/2024/2080109", accept="text/html")[2].decode()
    assert 'href="/id/code/func/2024/20801"' in page  # our IRIs link to local paths
    assert "社会保险经办机构" in page


# --- landing, VoID, dumps, CORS ---------------------------------------------------

def test_landing_page_and_examples_run(web_server: str) -> None:
    status, _, body = fetch(web_server + "/", accept="text/html")
    assert status == 200 and "三元组" in body.decode()
    page = json.loads(fetch(web_server + "/?format=json")[2])
    assert page["triples"] == 46 and page["documents"] == 0  # no bg:Disclosure here
    for example in page["examples"]:
        status, headers, _ = fetch(web_server + example["run"], accept="text/html")
        assert status == 200 and headers["Content-Type"].startswith("text/html")


def test_void_dcat(web_server: str) -> None:
    status, _, body = fetch(web_server + "/.well-known/void", accept="text/turtle")
    graph = rdflib.Graph().parse(data=body, format="turtle")
    dataset = rdflib.URIRef(BASE + ".well-known/void#dataset")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    assert status == 200 and (dataset, rdflib.RDF.type, dcat.Dataset) in graph
    assert (dataset, rdflib.DCTERMS.license, None) in graph


@pytest.mark.parametrize("path, lines", [("/dumps/all.nq.gz", 46),
                                         ("/dumps/graph/codelist/func-2024.nq.gz", 18)])
def test_dumps(web_server: str, path: str, lines: int) -> None:
    import gzip

    status, headers, body = fetch(web_server + path)
    assert status == 200 and headers["Content-Type"] == "application/gzip"
    dataset = rdflib.Dataset().parse(data=gzip.decompress(body), format="nquads")
    assert len(list(dataset.quads())) == lines


def test_cors(web_server: str) -> None:
    _, headers, _ = fetch(web_server + "/sparql", method="OPTIONS")
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
