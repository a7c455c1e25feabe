"""Remote engines (Virtuoso, Oxigraph server) as budgetgraph's store, against real servers.

The engines are started by ``scripts/start-virtuoso.sh`` / ``scripts/start-oxigraph.sh``,
which print ``BUDGETGRAPH_VIRTUOSO_URL`` (+ ``_USER``, ``_PASSWORD``) and
``BUDGETGRAPH_OXIGRAPH_URL``. Without them these tests skip, saying so; with
``BUDGETGRAPH_REQUIRE_ENGINES=1`` (CI) a missing engine is a failure instead.
Every test loads into its own graph IRIs under a per-test base, so the
engines need no reset between runs.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Dataset

from budgetgraph import fixtures, remote, store
from budgetgraph.pipeline import document_dataset
from budgetgraph.rdf.convert import add_reference, new_dataset
from budgetgraph.rdf.uris import Minter
from budgetgraph.readers import read

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + name for name in ("decimal", "integer", "double", "float", "int", "long")}


def engine_endpoint(name: str, engine: str) -> remote.Endpoint:
    url = os.environ.get(f"BUDGETGRAPH_{name}_URL")
    if not url:
        message = (f"BUDGETGRAPH_{name}_URL is not set: start the engine with "
                   f"`eval \"$(scripts/start-{engine}.sh)\"`")
        if os.environ.get("BUDGETGRAPH_REQUIRE_ENGINES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return remote.endpoint(url, engine=engine, user=os.environ.get(f"BUDGETGRAPH_{name}_USER"),
                           password=os.environ.get(f"BUDGETGRAPH_{name}_PASSWORD"))


@pytest.fixture(params=["virtuoso", "oxigraph"])
def engine(request: pytest.FixtureRequest) -> remote.Endpoint:
    """Each engine in turn; an engine named in the environment must answer."""
    ep = engine_endpoint(request.param.upper(), request.param)
    remote.RemoteStore(ep, timeout=5).ask("ASK {}")  # unreachable → RemoteError, a failure
    return ep


@pytest.fixture
def base() -> str:
    """A base IRI of this test only: its graphs never meet another run's."""
    return f"http://test.invalid/{uuid.uuid4().hex[:12]}/"


def _reference(minter: Minter) -> list[tuple[str, Dataset]]:
    reference = new_dataset()
    add_reference(reference, minter=minter, years=[2024])
    out = []
    for graph in reference.graphs():
        if len(graph) and not str(graph.identifier).startswith("urn:x-rdflib"):
            single = new_dataset()
            single.graph(graph.identifier).__iadd__(graph)
            out.append((str(graph.identifier), single))
    return out


def load_everywhere(ep: remote.Endpoint, store_dir: Path, base: str) -> tuple[str, float]:
    """The Qinghai document and the reference graphs, into the engine and an embedded store."""
    minter = Minter(base)
    iri, dataset = document_dataset(read(fixtures.SOURCE), minter)
    for graph_iri, single in _reference(minter):
        remote.load_graph(ep, graph_iri, single)
        store.load_graph(store_dir, graph_iri, single)
    started = time.perf_counter()
    remote.load_graph(ep, iri, dataset)
    elapsed = time.perf_counter() - started
    store.load_graph(store_dir, iri, dataset)
    return iri, elapsed


def canonical(binding: dict[str, str] | None) -> tuple[str, ...]:
    """A result term compared by value: engines rewrite ``20153700.00`` as ``20153700``."""
    if binding is None:
        return ("unbound",)
    kind = binding["type"]
    if kind in ("literal", "typed-literal"):
        datatype = binding.get("datatype", XSD + "string")
        if datatype in NUMERIC:
            return ("number", str(Decimal(binding["value"]).normalize()))
        if "xml:lang" in binding:
            return ("lang", binding["value"], binding["xml:lang"].lower())
        return ("literal", binding["value"], datatype)
    return (kind, binding["value"])


def _value(term: store.Term) -> store.Term:
    """A term with numbers by value (Virtuoso stores ``20153700.00`` as ``20153700``)."""
    if term.kind == "literal" and term.datatype in NUMERIC:
        return term._replace(value=str(Decimal(term.value).normalize()))
    return term


def rows_by_value(data: dict, variables: list[str]) -> list[tuple[tuple[str, ...], ...]]:
    return sorted(tuple(canonical(row.get(v)) for v in variables)
                  for row in data["results"]["bindings"])


#: Questions a researcher asks, each scoped to this test's graphs by the base in ``{b}``.
QUERIES: dict[str, str] = {
    "observations per table": """PREFIX bg: <https://w3id.org/budgetgraph/def#>
SELECT ?table (COUNT(?obs) AS ?n) (SUM(?amount) AS ?sum) WHERE {{
  ?obs <http://purl.org/linked-data/cube#dataSet> ?table ;
       <http://data.openbudgets.eu/ontology/dsd/measure/amount> ?amount .
  FILTER(STRSTARTS(STR(?obs), "{b}")) }} GROUP BY ?table""",
    "208 by broader": """PREFIX bg: <https://w3id.org/budgetgraph/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?code ?amount WHERE {{
  ?table bg:tableKind <{b}id/code/table/general-public> .
  ?obs <http://purl.org/linked-data/cube#dataSet> ?table ; bg:column <{b}id/code/column/total> ;
       bg:functionalClassification ?code ;
       <http://data.openbudgets.eu/ontology/dsd/measure/amount> ?amount .
  ?code skos:broader+ <{b}id/code/func/2024/208> }}""",
    "prior-year figures": """PREFIX bg: <https://w3id.org/budgetgraph/def#>
SELECT ?statement ?text ?prior ?rate WHERE {{
  GRAPH ?g {{ ?statement bg:statementText ?text ; bg:priorYearFigure ?f .
              ?f bg:statedAmount ?prior . OPTIONAL {{ ?statement bg:growthRate ?rate }} }}
  FILTER(STRSTARTS(STR(?g), "{b}")) }}""",
    "labels in Chinese": """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?concept ?label WHERE {{ GRAPH <{b}graph/code/func/2024> {{
  ?concept skos:prefLabel ?label FILTER(LANG(?label) = "zh") }} }}""",
    "projects": """PREFIX bg: <https://w3id.org/budgetgraph/def#>
SELECT ?target ?amount ?weight WHERE {{ ?target bg:approvedAmount ?amount ;
  bg:executionRateWeight ?weight . FILTER(STRSTARTS(STR(?target), "{b}")) }}""",
    "triples per graph": """SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
  FILTER(STRSTARTS(STR(?g), "{b}")) }} GROUP BY ?g""",
    "empty tables stated": """PREFIX bg: <https://w3id.org/budgetgraph/def#>
ASK {{ ?obs bg:isExplicitZero true . FILTER(STRSTARTS(STR(?obs), "{b}")) }}""",
}


def _embedded_json(store_dir: Path, query: str) -> dict:
    import json

    spec = store.QuerySpec(query, "application/sparql-results+json", None, 100_000, 50_000_000)
    outcome = store.run_query(store.open_read_only(store_dir), spec)
    assert outcome.status == "ok", outcome.message
    return json.loads(outcome.body)  # type: ignore[no-any-return]


def test_qinghai_document_gives_the_same_results_in_the_engine_and_the_embedded_store(
        engine: remote.Endpoint, tmp_path: Path, base: str) -> None:
    _, seconds = load_everywhere(engine, tmp_path / "store", base)
    print(f"{engine.engine}: Qinghai document (7,399 triples) loaded in {seconds:.2f} s")
    remote_store = remote.RemoteStore(engine)
    for name, template in QUERIES.items():
        query = template.format(b=base)
        local = _embedded_json(tmp_path / "store", query)
        theirs = remote_store._json(query)
        if "boolean" in local:
            assert theirs["boolean"] == local["boolean"] is True, name
            continue
        variables = local["head"]["vars"]
        assert rows_by_value(theirs, variables) == rows_by_value(local, variables), name
        assert local["results"]["bindings"], f"{name}: the query must find something"


def test_loading_again_replaces_the_graph(engine: remote.Endpoint, base: str) -> None:
    graph = base + "graph/doc"
    first = "<http://x.invalid/s> <http://x.invalid/p> \"1\" .\n" \
            "<http://x.invalid/s> <http://x.invalid/p> \"2\" .\n"
    second = "<http://x.invalid/s> <http://x.invalid/q> \"新\"@zh .\n"
    assert remote.load_graph(engine, graph, first) == 2
    assert remote.load_graph(engine, graph, first) == 2
    remote_store = remote.RemoteStore(engine)
    assert [g.triples for g in remote_store.graphs() if g.iri == graph] == [2]
    assert remote.load_graph(engine, graph, second) == 1
    rows = remote_store.select(f"SELECT ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert [(r["p"].value, r["o"].value, r["o"].language) for r in rows] == [
        ("http://x.invalid/q", "新", "zh")]


def test_a_quad_of_another_graph_is_refused(engine: remote.Endpoint, base: str) -> None:
    data = f"<http://x.invalid/s> <http://x.invalid/p> \"1\" <{base}graph/other> .\n"
    with pytest.raises(remote.RemoteError, match="expected only"):
        remote.load_graph(engine, base + "graph/doc", data)
    assert not remote.RemoteStore(engine).has_graph(base + "graph/other")


def test_remote_store_lookups_match_the_embedded_store(engine: remote.Endpoint, tmp_path: Path,
                                                       base: str) -> None:
    iri, _ = load_everywhere(engine, tmp_path / "store", base)
    local, theirs = store.open_read_only(tmp_path / "store"), remote.RemoteStore(engine)
    department = next(t.value for _, p, t in local.describe(iri.replace("/graph/", "/id/"),
                                                            limit=500)
                      if p.value.endswith("/organization"))
    labels = ("http://www.w3.org/2000/01/rdf-schema#label",
              "http://www.w3.org/2004/02/skos/core#prefLabel")
    assert theirs.has_graph(iri) and theirs.is_known(department)
    assert not theirs.is_known(base + "id/nothing")
    assert sorted(theirs.objects(department, labels)) == sorted(local.objects(department, labels))
    assert set(theirs.incoming(department, limit=1000)) == set(local.incoming(department,
                                                                              limit=1000))
    ours = {(s, p, _value(o)) for s, p, o in local.describe(department, limit=500)}
    assert {(s, p, _value(o)) for s, p, o in theirs.describe(department, limit=500)} == ours


def test_forwarded_queries_keep_the_caps(engine: remote.Endpoint, base: str) -> None:
    graph = base + "graph/doc"
    data = "".join(f"<http://x.invalid/s{i}> <http://x.invalid/p> \"{i}\" .\n" for i in range(20))
    remote.load_graph(engine, graph, data)
    queries = remote.RemoteQueries(engine)
    select = f"SELECT ?s WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    spec = store.QuerySpec(select, "application/sparql-results+json", "text/turtle", 30, 10**6)
    ok = queries.run(spec, timeout=10)
    assert (ok.status, ok.form) == ("ok", "solutions")
    small = store.QuerySpec(select, "application/sparql-results+json", None, 10, 10**6)
    assert queries.run(small, timeout=10).status == "too_large"
    construct = store.QuerySpec(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", None,
        "text/turtle", 30, 10**6)
    assert queries.run(construct, timeout=10).form == "graph"
    broken = store.QuerySpec("SELECT WHERE {", "application/sparql-results+json", None, 10, 10**6)
    assert queries.run(broken, timeout=10).status == "syntax"


@pytest.fixture
def silent_server() -> Iterator[str]:
    """An endpoint that accepts connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        accepted: list[socket.socket] = []
        stop = threading.Event()

        def accept() -> None:
            listener.settimeout(0.2)
            while not stop.is_set():
                try:
                    accepted.append(listener.accept()[0])
                except TimeoutError:
                    continue

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()


def test_a_silent_engine_times_out_and_a_closed_port_is_an_error(silent_server: str) -> None:
    started = time.monotonic()
    with pytest.raises(remote.RemoteTimeout):
        remote.RemoteStore(remote.endpoint(silent_server), timeout=1).ask("ASK {}")
    assert time.monotonic() - started < 5
    with pytest.raises(remote.RemoteTimeout):
        remote.load_graph(remote.endpoint(silent_server, engine="oxigraph"),
                          "http://x.invalid/g", "", timeout=1)
    closed = remote.endpoint("http://127.0.0.1:9/sparql")
    with pytest.raises(remote.RemoteError, match="cannot connect"):
        remote.RemoteStore(closed, timeout=1).ask("ASK {}")


def test_engine_layouts() -> None:
    virtuoso = remote.endpoint("http://h:8890/sparql", engine="virtuoso", user="u", password="p")
    assert (virtuoso.graph_store_url, virtuoso.write) == (
        "http://h:8890/sparql-graph-crud-auth", "graph-store")
    oxigraph = remote.endpoint("http://h:7878/query", engine="oxigraph")
    assert (oxigraph.update_url, oxigraph.write) == ("http://h:7878/update", "update")
    fuseki = remote.endpoint("http://h:3030/ds/sparql", engine="fuseki")
    assert (fuseki.query_url, fuseki.graph_store_url) == ("http://h:3030/ds/query",
                                                          "http://h:3030/ds/data")
    with pytest.raises(remote.RemoteError, match="unknown engine"):
        remote.endpoint("http://h/", engine="stardog")
