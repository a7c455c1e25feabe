"""Remote engines (Virtuoso, Oxigraph server) as budgetgraph's store, against real servers.

The engines are started by ``scripts/start-virtuoso.sh`` / ``scripts/start-oxigraph.sh``,
which print ``BUDGETGRAPH_VIRTUOSO_URL`` (+ ``_USER``, ``_PASSWORD``) and
``BUDGETGRAPH_OXIGRAPH_URL``. Without them these tests skip, saying so; with
``BUDGETGRAPH_REQUIRE_ENGINES=1`` (CI) a missing engine is a failure instead.
Every test loads into its own graph IRIs under a per-test base, so the
engines need no reset between runs.
"""

from __future__ import annotations

import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from tests.engines import NUMERIC, QUERIES, engine_endpoint, load_everywhere, rows_by_value

from budgetgraph import remote, store


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


def _value(term: store.Term) -> store.Term:
    """A term with numbers by value (Virtuoso stores ``20153700.00`` as ``20153700``)."""
    if term.kind == "literal" and term.datatype in NUMERIC:
        return term._replace(value=str(Decimal(term.value).normalize()))
    return term


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
