"""``budgetgraph serve --endpoint``: our server in front of Virtuoso and the Oxigraph server.

The Qinghai document and the reference graphs are loaded into each engine and
into an embedded store under one per-run base IRI; ``budgetgraph serve`` (the
command, in a subprocess) then serves the embedded store on one port and each
engine on another. A client must not be able to tell them apart: SPARQLWrapper
gets the same results (numbers compared by value: Virtuoso writes
``20153700.00`` as ``20153700``), a bureau's IRI dereferences to the same
triples, and the dumps hold the same quads. An engine that does not answer is
the endpoint's own 504/500. Engines as in ``test_remote.py`` (skipped without
them, failing under ``BUDGETGRAPH_REQUIRE_ENGINES=1``).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from decimal import Decimal

import pytest
import rdflib
from SPARQLWrapper import JSON, POST, TURTLE
from SPARQLWrapper import SPARQLWrapper as Wrapper
from tests.engines import NUMERIC, QUERIES, engine_endpoint, load_everywhere, rows_by_value
from tests.servers import fetch, free_port, start, stop, wait_listening

from budgetgraph.web import serve
from budgetgraph.web.settings import SettingsError

#: The bureau (互助土族自治县社会保险服务局) and its 2024 budget, under the run's base.
BUREAU = "id/org/630223/e6b42d96fa"
DISCLOSURE = BUREAU + "/2024/budget"
ENV_NAMES = {"virtuoso": "VIRTUOSO", "oxigraph": "OXIGRAPH"}


@contextlib.contextmanager
def _running(args: list[str], port: int) -> Iterator[str]:
    """``args`` (a server on ``port``) in a subprocess until it answers; yield its URL."""
    process = start(args, port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def _serve(*options: str) -> tuple[list[str], int]:
    port = free_port()
    return ([sys.executable, "-m", "budgetgraph.cli", "serve", "--port", str(port),
             "--workers", "1", *options], port)


@pytest.fixture(scope="module")
def base() -> str:
    """A base IRI of this run only: the engines keep earlier runs' graphs."""
    return f"http://test.invalid/{uuid.uuid4().hex[:12]}/"


@pytest.fixture(scope="module", params=["virtuoso", "oxigraph"])
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
           base: str) -> Iterator[tuple[str, str]]:
    """(embedded server URL, URL of our server in front of the engine), same documents."""
    name = ENV_NAMES[request.param]
    ep = engine_endpoint(name, request.param)
    store_dir = tmp_path_factory.mktemp("embedded") / "store"
    load_everywhere(ep, store_dir, base)
    credentials = ["--user", ep.user, "--password-env", f"BUDGETGRAPH_{name}_PASSWORD"] \
        if ep.user else []
    with (_running(*_serve("--store", str(store_dir), "--base", base)) as embedded,
          _running(*_serve("--endpoint", os.environ[f"BUDGETGRAPH_{name}_URL"], "--engine",
                           request.param, "--base", base, *credentials)) as engine):
        yield embedded, engine


def _sparql(url: str, query: str, fmt: str) -> bytes:
    client = Wrapper(url + "/sparql")
    client.setMethod(POST)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client.query().response.read()  # type: ignore[no-any-return]


def _by_value(graph: rdflib.Graph) -> set[tuple[rdflib.term.Node, ...]]:
    """Triples with numbers compared by value; no blank nodes in what is compared here."""
    def value(term: rdflib.term.Node) -> rdflib.term.Node:
        if isinstance(term, rdflib.Literal) and str(term.datatype) in NUMERIC:
            return rdflib.Literal(str(Decimal(str(term)).normalize()), datatype=term.datatype)
        return term

    return {tuple(value(t) for t in triple) for triple in graph}


def test_sparqlwrapper_gets_the_same_results_through_the_engine(served: tuple[str, str],
                                                                base: str) -> None:
    embedded, engine = served
    for name, template in QUERIES.items():
        query = template.format(b=base)
        ours = json.loads(_sparql(embedded, query, JSON))
        theirs = json.loads(_sparql(engine, query, JSON))
        if "boolean" in ours:
            assert theirs["boolean"] == ours["boolean"] is True, name
            continue
        variables = ours["head"]["vars"]
        assert ours["results"]["bindings"], f"{name}: the query must find something"
        assert rows_by_value(theirs, variables) == rows_by_value(ours, variables), name
    construct = (f"CONSTRUCT {{ <{base}{BUREAU}> ?p ?o }} WHERE {{ <{base}{BUREAU}> ?p ?o }}")
    graphs = [rdflib.Graph().parse(data=_sparql(url, construct, TURTLE), format="turtle")
              for url in served]
    assert len(graphs[0]) > 3 and _by_value(graphs[0]) == _by_value(graphs[1])


def test_a_bureau_iri_dereferences_to_the_same_triples(served: tuple[str, str],
                                                        base: str) -> None:
    graphs = []
    for url in served:
        status, headers, body = fetch(f"{url}/{BUREAU}", accept="text/turtle")
        assert status == 200 and headers["Content-Type"].startswith("text/turtle")
        graphs.append(rdflib.Graph().parse(data=body, format="turtle"))
    assert (rdflib.URIRef(base + BUREAU), rdflib.RDFS.label, None) in graphs[1]
    assert _by_value(graphs[0]) == _by_value(graphs[1])
    # the department-year page is built from the engine by its own queries
    status, _, page = fetch(f"{served[1]}/{DISCLOSURE}", accept="text/html")
    assert status == 200
    assert "692.81" in page.decode() and "huzhu-social-insurance-bureau-2024-budget.txt:120" \
        in page.decode()


def test_the_dump_holds_our_graphs_and_only_those(served: tuple[str, str], base: str) -> None:
    quads = []
    for url in served:
        status, _, body = fetch(url + "/dumps/all.nq.gz")
        assert status == 200
        dataset = rdflib.Dataset()
        dataset.parse(data=gzip.decompress(body), format="nquads")
        quads.append(dataset)
    graphs = [{str(g.identifier) for g in d.graphs() if len(g)} for d in quads]
    assert graphs[0] == graphs[1] and all(g.startswith(base) for g in graphs[1])
    assert len(quads[0]) == len(quads[1]) > 10_000


def test_the_endpoint_contract_holds_in_front_of_the_engine(served: tuple[str, str]) -> None:
    engine = served[1]

    def post(query: str) -> tuple[int, str]:
        status, _, body = fetch(engine + "/sparql", accept="application/json",
                                data=urllib.parse.urlencode({"query": query}).encode(),
                                content_type="application/x-www-form-urlencoded")
        return status, json.loads(body).get("error", "") if status != 200 else ""

    assert post("SELECT WHERE {") == (400, "bad_query")
    assert post("INSERT DATA { <http://x.invalid/s> <http://x.invalid/p> 1 }") == (
        403, "read_only")
    assert post("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }") == (
        403, "service_refused")


def test_an_engine_that_does_not_answer_is_a_timeout_and_a_closed_one_a_failure(
        silent_server: str) -> None:
    timeout = 1.5
    closed = f"http://127.0.0.1:{free_port()}/sparql"
    for target, expected in ((silent_server, (504, "query_timeout")),
                             (closed, (500, "query_failed"))):
        port = free_port()
        code = (f"from budgetgraph.web import serve; serve(port={port}, workers=1, "
                f"endpoint={target!r}, query_timeout={timeout})")
        process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_listening(port, process)
            started = time.monotonic()
            status, _, body = fetch(url + "/sparql?query=ASK%7B%7D", accept="application/json")
            assert (status, json.loads(body)["error"]) == expected
            status, _, body = fetch(url + "/id/org/x", accept="application/json")
            assert (status, json.loads(body)["error"]) == expected
            assert time.monotonic() - started < 3 * timeout + 3
        finally:
            process.terminate()
            process.wait(timeout=15)


@pytest.mark.parametrize("options", [[], ["--store", "var/x", "--endpoint", "http://h/sparql"]])
def test_serve_needs_exactly_one_of_store_and_endpoint(options: list[str]) -> None:
    result = subprocess.run([sys.executable, "-m", "budgetgraph.cli", "serve", *options],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert "exactly one of --store DIR and --endpoint URL" in result.stderr


def test_a_password_variable_that_is_not_set_stops_the_server_before_it_starts() -> None:
    with pytest.raises(SettingsError, match="BUDGETGRAPH_NOT_SET"):
        serve(endpoint="http://127.0.0.1:9/sparql", endpoint_user="u",
              endpoint_password_env="BUDGETGRAPH_NOT_SET")
