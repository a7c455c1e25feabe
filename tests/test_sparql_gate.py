"""The SERVICE allow-list, the FROM reading and the update test of ``/sparql`` (issue #15 item 2).

The gate reads query text (:mod:`budgetgraph.web.sparqltext`); the engine alone
decides validity. Three kinds of test hold it to that:

* tables of queries refused and passed, however the call is nested, named or
  escaped, including forms only Oxigraph's scannerless parser reads as SERVICE;
* a differential test against the engine itself: generated queries run on a
  pyoxigraph store next to a local listener, and every query that made the
  engine connect must have been refused by the gate;
* real servers on real ports and SPARQLWrapper, with the issue's own query.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import random
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from SPARQLWrapper import JSON
from SPARQLWrapper import SPARQLWrapper as Wrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed
from tests.servers import fetch, serving

from budgetgraph import store
from budgetgraph.web.errors import ServiceRefused
from budgetgraph.web.sparql import check_query
from budgetgraph.web.sparqltext import READ_AHEAD, is_update, names_dataset, service_calls

ALLOWED = "http://127.0.0.1:8002/sparql"
ENDPOINT = "http://127.0.0.1:8000/sparql"  # the engine's base: the endpoint's own IRI
#: The issue's query, refused with 403 by the rdflib gate although 8002 was allowed.
ISSUE_QUERY = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT DISTINCT ?name WHERE { "
    "{ { ?x ?p ?name } UNION { GRAPH ?g { ?x ?p ?name } } } UNION { SERVICE "
    "<http://127.0.0.1:8002/sparql> { { ?x ?p ?name } UNION { GRAPH ?g { ?x ?p ?name } } } } "
    "FILTER(isLiteral(?name)) }")


def refused(query: str, *, base: str | None = ENDPOINT) -> bool:
    try:
        check_query(query, (ALLOWED,), base=base)
    except ServiceRefused:
        return True
    return False


# --- tables --------------------------------------------------------------------

EVIL = "<http://169.254.169.254/latest/>"
REFUSED = {
    "plain": f"SELECT * {{ SERVICE {EVIL} {{ ?s ?p ?o }} }}",
    "lower case, SILENT": f"select * {{ service silent {EVIL} {{ ?s ?p ?o }} }}",
    "sub-select": f"SELECT * {{ {{ SELECT ?s {{ SERVICE {EVIL} {{ ?s ?p ?o }} }} }} }}",
    "UNION": f"SELECT * {{ {{ ?s ?p ?o }} UNION {{ SERVICE {EVIL} {{ ?s ?p ?o }} }} }}",
    "OPTIONAL": f"SELECT * {{ ?s ?p ?o OPTIONAL {{ SERVICE {EVIL} {{ ?s ?q ?v }} }} }}",
    "MINUS": f"SELECT * {{ ?s ?p ?o MINUS {{ SERVICE {EVIL} {{ ?s ?p ?o }} }} }}",
    "FILTER EXISTS": f"SELECT * {{ ?s ?p ?o FILTER EXISTS {{ SERVICE {EVIL} {{ ?s ?p ?o }} }} }}",
    "NOT EXISTS in BIND": f"SELECT * {{ BIND(NOT EXISTS {{ SERVICE {EVIL} {{}} }} AS ?b) }}",
    "GRAPH": f"SELECT * {{ GRAPH ?g {{ SERVICE {EVIL} {{ ?s ?p ?o }} }} }}",
    "inside an allowed SERVICE": f"SELECT * {{ SERVICE <{ALLOWED}> {{ SERVICE {EVIL} {{}} }} }}",
    "second of two": f"SELECT * {{ SERVICE <{ALLOWED}> {{}} SERVICE {EVIL} {{}} }}",
    "CONSTRUCT": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE {EVIL} {{ ?s ?p ?o }} }}",
    "ASK": f"ASK {{ SERVICE {EVIL} {{}} }}",
    "DESCRIBE": f"DESCRIBE ?s WHERE {{ SERVICE {EVIL} {{ ?s ?p ?o }} }}",
    "prefixed name": "PREFIX e: <http://10.0.0.1/> SELECT * { SERVICE e:sparql { } }",
    "empty prefix": "PREFIX : <http://10.0.0.1/> SELECT * { SERVICE :sparql { } }",
    "namespace alone": "PREFIX e: <http://10.0.0.1/sparql> SELECT * { SERVICE e: { } }",
    "escaped local name": r"PREFIX e: <http://127.0.0.1:8002/> SELECT * { SERVICE e:sp\-arql {} }",
    "prefix redeclared": ("PREFIX e: <http://127.0.0.1:8002/> PREFIX e: <http://10.0.0.1/> "
                          "SELECT * { SERVICE e:sparql {} }"),
    "undeclared prefix": "SELECT * { SERVICE dbpedia:sparql { } }",
    "relative, BASE": "BASE <http://10.0.0.1/> SELECT * { SERVICE <sparql> { } }",
    "relative, endpoint base": "SELECT * { SERVICE <other> { } }",
    "relative, two BASEs": ("BASE <http://127.0.0.1:8002/x/> BASE <../../../10.0.0.1/> "
                            "SELECT * { SERVICE <sparql> { } }"),
    "prefix relative to BASE": ("BASE <http://10.0.0.1/> PREFIX e: <x/> "
                                "SELECT * { SERVICE e:sparql { } }"),
    r"\u in the keyword": rf"SELECT * {{ SERV\u0049CE {EVIL} {{}} }}",
    r"\U in the keyword": rf"SELECT * {{ \U00000053ERVICE {EVIL} {{}} }}",
    r"\u in the IRI": r"SELECT * { SERVICE <http://127.0.0.1:8002/sp\u0061rq\u006C/> {} }",
    r"\u making the IRI": r"SELECT * { SERVICE \u003Chttp://10.0.0.1/\u003E {} }",
    r"\u in SILENT": rf"SELECT * {{ SERVICE S\u0049LENT {EVIL} {{}} }}",
    "variable": "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
    "variable, $": "SELECT * { VALUES $e { <http://10.0.0.1/> } SERVICE $e { } }",
    "variable, SILENT": "SELECT * { SERVICE SILENT ?e { } }",
    "comment before the IRI": f"SELECT * {{ SERVICE # hidden?\n {EVIL} {{}} }}",
    "lines apart": f"SELECT * {{ SERVICE\n\tSILENT\r\n{EVIL}\n{{}} }}",
    "trailing slash": f"SELECT * {{ SERVICE <{ALLOWED}/> {{}} }}",
    "query string": f"SELECT * {{ SERVICE <{ALLOWED}?x=1> {{}} }}",
    "fragment": f"SELECT * {{ SERVICE <{ALLOWED}#x> {{}} }}",
    "another port": "SELECT * { SERVICE <http://127.0.0.1:80020/sparql> {} }",
    "upper-case scheme": "SELECT * { SERVICE <HTTP://127.0.0.1:8002/sparql> {} }",
    # Oxigraph's parser needs no blanks around keywords; each of these makes it call the host.
    "glued to a literal": f"SELECT * {{ ?s ?p trueSERVICE{EVIL}{{}} }}",
    "glued to a number": f"SELECT * {{ ?s ?p 1SERVICE{EVIL}{{}} }}",
    "glued SILENT": f"SELECT * {{ SERVICESILENT{EVIL}{{}} }}",
    "glued prefixed name": "PREFIX : <http://10.0.0.1/> SELECT * { SERVICE:sparql{} }",
    "prefixed name that fails as a name": (
        "PREFIX e: <http://x:> SELECT * { ?s ?p e:SERVICE<http://10.0.0.1/>{} }"),
    "after a less-than a tokenizer reads as an IRI": (
        f"SELECT * {{ ?a ?b ?c FILTER(?a<?b||'x>') SERVICE {EVIL} {{}} FILTER('') }}"),
    # Over-approximation: text shaped like a call is refused wherever it stands.
    "commented out": f"SELECT * {{ ?s ?p ?o # SERVICE {EVIL} {{\n}}",
}

PASSED = {
    "allowed": f"SELECT * {{ SERVICE <{ALLOWED}> {{ ?s ?p ?o }} }}",
    "allowed, SILENT, nested": (f"SELECT * {{ {{ SELECT * {{ OPTIONAL {{ SERVICE SILENT "
                                f"<{ALLOWED}> {{ ?s ?p ?o }} }} }} }} }}"),
    "allowed by prefix": "PREFIX e: <http://127.0.0.1:8002/> SELECT * { SERVICE e:sparql {} }",
    "allowed by BASE": "BASE <http://127.0.0.1:8002/a/> SELECT * { SERVICE <../sparql> {} }",
    r"allowed, \u in the IRI": r"SELECT * { SERVICE <http://127.0.0.1:8002/sp\u0061rql> {} }",
    "the issue's query": ISSUE_QUERY,
    "no SERVICE": "SELECT * { ?s ?p ?o }",
    "variables named service": "SELECT ?service $myService { ?service ?p $myService }",
    "a variable named service before a group": "SELECT ?service ?x { ?service ?p ?x }",
    "IRIs with service": ("SELECT * { ?s <http://example.org/service> <urn:service:x> . "
                          "?s <http://x/service?a> ?o }"),
    "prefixed names with service": ("PREFIX service: <http://example.org/> "
                                    "SELECT * { ?s service:name ?o ; service:service ?v }"),
    "strings with service": """SELECT * { ?s ?p "SERVICE" FILTER(?o != 'use SERVICE <x>') }""",
}


@pytest.mark.parametrize("query", REFUSED.values(), ids=REFUSED.keys())
def test_service_off_the_allowlist_is_refused(query: str) -> None:
    assert refused(query)


@pytest.mark.parametrize("query", PASSED.values(), ids=PASSED.keys())
def test_allowed_or_absent_service_passes(query: str) -> None:
    assert not refused(query)


def test_relative_targets_are_refused_when_the_engine_base_is_unknown() -> None:
    query = "SELECT * { SERVICE <sparql> { } }"
    assert not refused(query, base="http://127.0.0.1:8002/")
    assert refused(query, base=None)  # a remote engine resolves against its own base


def test_the_message_names_the_target() -> None:
    with pytest.raises(ServiceRefused, match=r"SERVICE <http://10\.0\.0\.1/sparql> is not"):
        check_query("PREFIX e: <http://10.0.0.1/> SELECT * { SERVICE e:sparql {} }", (),
                    base=ENDPOINT)
    with pytest.raises(ServiceRefused, match=r"fixed endpoint IRI, not \?e"):
        check_query("SELECT * { SERVICE ?e {} }", (ALLOWED,), base=ENDPOINT)


# --- the engine itself as the reference -----------------------------------------

class Listener:
    """A local TCP port that records the path of each HTTP request it gets, then hangs up."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.paths: set[str] = set()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:  # closed
                return
            with connection:
                connection.settimeout(5)
                with contextlib.suppress(OSError):
                    line = connection.recv(4096).split(b"\r\n", 1)[0].decode("latin-1")
                    self.paths.add(line.split(" ")[1] if " " in line else line)

    def close(self) -> None:
        self.socket.close()
        self._thread.join(timeout=5)


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> store.ReadOnlyStore:
    """A store with rows for every pattern the generated queries join with."""
    directory = tmp_path_factory.mktemp("engine") / "store"
    store.load_graph(directory, "http://example.org/g", (
        '<http://example.org/s> <http://example.org/p> "true"^^'
        "<http://www.w3.org/2001/XMLSchema#boolean> <http://example.org/g> .\n"
        "<http://example.org/s> <http://example.org/p> <http://example.org/o> "
        "<http://example.org/g> .\n"))
    return store.open_read_only(directory)


def _generated(port: int, count: int) -> Iterator[tuple[str, str]]:
    """(path the engine would request, query): SERVICE written every way Oxigraph reads it."""
    host = f"http://127.0.0.1:{port}/"
    prologues = ["", f"PREFIX : <{host}> PREFIX e: <http://x:> BASE <{host}> "]
    before = ["", " ?s ?p ?o ", " ?s ?p true", " ?s ?p 1", " FILTER(?a<?b||'x>') ",
              " ?s ?p ?o . "]
    keywords = ["SERVICE", "service", "SeRvIcE"]
    blanks = ["", " ", "\n", " # note\n", "\t"]
    silent = ["", "SILENT", "silent"]
    targets = ["<{host}{path}>", r"<{host}\u0071{rest}>", ":{path}", r":\-{path}", "<{path}>"]
    around = ["{}", "OPTIONAL {{ {} }}", "{{ ?x ?y ?z }} UNION {{ {} }}", "MINUS {{ {} }}",
              "FILTER EXISTS {{ {} }}", "{{ SELECT * {{ {} }} }}", "GRAPH ?g {{ {} }}"]
    choices = list(itertools.product(prologues, before, keywords, blanks, silent, blanks,
                                     targets, blanks, around))
    for number, (prologue, ahead, keyword, gap1, quiet, gap2, target, gap3, wrap) in enumerate(
            random.Random(15).sample(choices, count)):
        path = f"q{number}"
        written = target.format(host=host, path=path, rest=path[1:])
        if written.startswith(":") or written == f"<{path}>":
            if not prologue:  # prefix and base are only declared in one prologue
                continue
            path = "-" + path if written.startswith(r":\-") else path
        pattern = f"{ahead}{keyword}{gap1}{quiet}{gap2 if quiet else ''}{written}{gap3}{{ }}"
        body = wrap.format(pattern)
        yield "/" + path, f"{prologue}SELECT * WHERE {{ ?a ?b ?c . {body} }}"


def test_every_call_the_engine_makes_is_refused(engine: store.ReadOnlyStore,
                                                listener: Listener) -> None:
    queries = list(_generated(listener.port, 400))
    for _, query in queries:
        store.run_query(engine, store.QuerySpec(
            query, "application/sparql-results+json", None, 100, 100_000,
            base_iri=f"http://127.0.0.1:{listener.port}/"))
    called = [(path, query) for path, query in queries if path in listener.paths]
    assert len(called) > len(queries) / 3, "the engine called too rarely for this to test much"
    missed = [query for _, query in called
              if not refused(query, base=f"http://127.0.0.1:{listener.port}/")]
    assert missed == []


@pytest.mark.parametrize("base", ["http://a/b/c/d;p?q", "HTTP://a/b/", "http://127.0.0.1:8002/x"])
@pytest.mark.parametrize("reference", [
    # RFC 3986 §5.4's normal and abnormal examples, and some aimed at the allow-list
    "g:h", "g", "./g", "g/", "/g", "//g", "?y", "g?y", "#s", "g#s", "g?y#s", ";x", "g;x", "",
    ".", "./", "..", "../", "../g", "../..", "../../g", "../../../g", "/./g", "/../g", "g.",
    "..g", "./../g", "./g/.", "g/./h", "g/../h", "g;x=1/../y", "g?y/../x", "g#s/../x",
    "http:g", "sparql", "../sparql", "//127.0.0.1:8002/sparql", "HTTP://127.0.0.1:8002/sparql",
    "http://127.0.0.1:8002/x/../sparql",
])
def test_relative_targets_resolve_as_the_engine_resolves_them(
        engine: store.ReadOnlyStore, base: str, reference: str) -> None:
    outcome = store.run_query(engine, store.QuerySpec(
        f"SELECT (<{reference}> AS ?iri) {{}}", "application/sparql-results+json", None, 1,
        10_000, base_iri=base))
    resolved = json.loads(outcome.body)["results"]["bindings"][0]["iri"]["value"]
    [call] = service_calls(f"SELECT * {{ SERVICE <{reference}> {{}} }}", base)
    assert call.target == resolved


# --- FROM and updates -------------------------------------------------------------

@pytest.mark.parametrize("query, expected", [
    ("SELECT * FROM <http://x/g> { ?s ?p ?o }", True),
    ("select * from named <http://x/g> where { graph ?g { ?s ?p ?o } }", True),
    ("PREFIX e: <http://x/> CONSTRUCT { ?s e:from ?o } FROM e:g WHERE { ?s ?p ?o }", True),
    ("DESCRIBE <http://x/a> FROM <http://x/g>", True),
    ("ASK FROM<http://x/g>{}", True),
    ("SELECT ?from { ?from <http://x/from> 'FROM' }", False),
    ("PREFIX from: <http://x/> SELECT * { ?s from:p ?o } # FROM <http://x/g>\n", False),
    ("SELECT (CONCAT('{', ?x) AS ?y) { ?s ?p ?x FILTER(?x != \"from\") }", False),
    ("SELECT * { { SELECT ?s { ?s ?p ?o } } } ORDER BY ?s", False),
])
def test_names_dataset(query: str, expected: bool) -> None:
    assert names_dataset(query) is expected


@pytest.mark.parametrize("text, expected", [
    ("INSERT DATA { <a:b> <a:b> <a:b> }", True),
    ("PREFIX e: <http://x/> # comment\n delete where { ?s ?p ?o }", True),
    ("BASE <http://x/> LOAD <http://10.0.0.1/data>", True),
    ("WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", True),
    ("SELECT * { ?s ?p ?o", False),
    ("PREFIX insert: <http://x/> SELECT * {", False),
])
def test_is_update(text: str, expected: bool) -> None:
    assert is_update(text) is expected


# --- real servers, a real client -------------------------------------------------------

def _one_literal_store(directory: Path, value: str) -> Path:
    store.load_graph(directory, f"http://127.0.0.1:8000/graph/{value}",
                     f'<http://127.0.0.1:8000/id/{value}> <http://www.w3.org/2000/01/'
                     f'rdf-schema#label> "{value}" <http://127.0.0.1:8000/graph/{value}> .\n')
    return directory


@pytest.fixture(scope="module")
def federation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(A, B): A's allow-list holds B's /sparql, and nothing else."""
    root = tmp_path_factory.mktemp("gate")
    with serving(_one_literal_store(root / "b", "乙")) as b, \
            serving(_one_literal_store(root / "a", "甲"), service_allowlist=f"{b}/sparql",
                    query_timeout=5.0) as a:
        yield a, b


def _client(url: str, query: str) -> Wrapper:
    client = Wrapper(url + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(JSON)
    return client


def test_the_issues_query_runs_when_its_target_is_allowed(federation: tuple[str, str]) -> None:
    a, b = federation
    query = ISSUE_QUERY.replace("http://127.0.0.1:8002", b)
    result = _client(a, query).queryAndConvert()
    names = {row["name"]["value"] for row in result["results"]["bindings"]}  # type: ignore[index]
    assert names == {"甲", "乙"}  # one from A's store, one from B's through SERVICE


@pytest.mark.parametrize("query", [
    ISSUE_QUERY.replace("8002", "9"),  # not A's allowed target
    REFUSED["glued to a literal"],
    REFUSED[r"\u in the keyword"],
    "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
])
def test_a_client_gets_403_service_refused(federation: tuple[str, str], query: str) -> None:
    a, _ = federation
    with pytest.raises(Exception) as raised:  # SPARQLWrapper passes a 403 on as HTTPError
        _client(a, query).queryAndConvert()
    error = raised.value
    assert getattr(error, "code", None) == 403
    body = json.loads(error.read())  # type: ignore[attr-defined]
    assert body == {"ok": False, "status": 403, "error": "service_refused",
                    "message": body["message"]}


def test_a_syntax_error_stays_a_400_for_a_client(federation: tuple[str, str]) -> None:
    with pytest.raises(QueryBadFormed, match="SPARQL syntax error"):
        _client(federation[0], "SELECT * { SERVICE <x> }").queryAndConvert()


def test_relative_iris_resolve_against_the_endpoint(federation: tuple[str, str]) -> None:
    query = urllib.parse.urlencode({"query": "SELECT ?label { <id/甲> ?p ?label }"})
    status, _, body = fetch(f"{federation[0]}/sparql?{query}",
                            accept="application/sparql-results+json")
    assert status == 200
    assert [row["label"]["value"] for row in json.loads(body)["results"]["bindings"]] == ["甲"]


def test_a_bad_dataset_iri_is_a_400(federation: tuple[str, str]) -> None:
    query = urllib.parse.urlencode({"query": "ASK {}", "default-graph-uri": "not an IRI"})
    status, _, body = fetch(f"{federation[0]}/sparql?{query}")
    assert status == 400 and json.loads(body)["error"] == "bad_query"


# --- the check's own cost ----------------------------------------------------------

def test_a_target_written_past_the_read_ahead_is_refused() -> None:
    long_iri = "http://127.0.0.1:8002/" + "a" * READ_AHEAD
    assert refused(f"SELECT * {{ SERVICE <{long_iri}> {{}} }}")
    assert refused(f"SELECT * {{ SERVICE #{'c' * READ_AHEAD}\n <{ALLOWED}> {{}} }}")
    assert not refused(f"SELECT * {{ SERVICE #{'c' * 100}\n <{ALLOWED}> {{}} }}")


@pytest.mark.parametrize("unit", [
    "service", "service<", "service#", "service silent #", "servicee:", "\\u0073ervice",
    "service:a", "'''", "'", "PREFIX #", "from ", "?service ",
])
def test_the_check_stays_linear_on_hostile_text(unit: str) -> None:
    """200,000 characters of one repeated unit: a quadratic scan took minutes here.

    The bound is wall-clock but ~20x what a loaded two-core machine needs.
    """
    text = unit * (200_000 // len(unit))
    started = time.perf_counter()
    with contextlib.suppress(ServiceRefused):
        check_query(text, (ALLOWED,), base=ENDPOINT)
    names_dataset(text)
    is_update(text)
    assert time.perf_counter() - started < 10
