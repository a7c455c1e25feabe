"""The W3C SPARQL syntax tests, sent to a real server: no valid query refused for syntax.

Every positive syntax test of the SPARQL 1.1 suite (and of the 1.0 suite it
includes) is POSTed to ``/sparql`` on a real port and must be answered with a
result that parses; the only other answer allowed is ``service_refused`` for the
three federation tests, whose SERVICE targets are not on the (empty) allow-list,
and ``unsupported_query`` for the eight that call functions nobody defines.
Every negative test must be a 400 ``bad_query`` with the engine's message, never
a 5xx. The files and their licence: ``tests/fixtures/w3c-sparql-syntax/MANIFEST.md``.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from tests.servers import fetch, serving

from budgetgraph import store
from budgetgraph.web.sparqltext import names_dataset

W3C = Path(__file__).parent / "fixtures" / "w3c-sparql-syntax"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
POSITIVE = (MF.PositiveSyntaxTest, MF.PositiveSyntaxTest11)
NEGATIVE = (MF.NegativeSyntaxTest, MF.NegativeSyntaxTest11)
#: Positive tests that call SERVICE: refused, as no target is allowed here.
CALLS_SERVICE = {"sparql11/syntax-fed/syntax-service-01.rq",
                 "sparql11/syntax-fed/syntax-service-02.rq",
                 "sparql11/syntax-fed/syntax-service-03.rq"}
#: Positive tests that call functions no engine defines (``:myFunc``, ``q:name``). SPARQL
#: makes such a call an error for each solution; Oxigraph 0.5 refuses the whole query, which
#: the endpoint answers as the client's 400 ``unsupported_query``, not as a syntax error.
UNKNOWN_FUNCTIONS = {"sparql10/syntax-sparql1/syntax-expr-05.rq",
                     "sparql10/syntax-sparql1/syntax-order-05.rq",
                     "sparql10/syntax-sparql1/syntax-order-06.rq",
                     "sparql10/syntax-sparql2/syntax-function-01.rq",
                     "sparql10/syntax-sparql2/syntax-function-02.rq",
                     "sparql10/syntax-sparql2/syntax-function-03.rq",
                     "sparql10/syntax-sparql2/syntax-function-04.rq",
                     "sparql11/syntax-query/syntax-select-expr-04.rq"}
#: Negative tests that Oxigraph 0.5 accepts. ``FILTER (?x<?a&&?b>?y)`` must be read
#: with ``<?a&&?b>`` as one IRI (the longest token), which makes it invalid; Oxigraph
#: parses comparisons there. The endpoint defers to its engine on validity.
ENGINE_ACCEPTS = {"sparql10/syntax-sparql3/syn-bad-26.rq"}


def _tests(kinds: tuple[rdflib.URIRef, ...]) -> list[str]:
    """The query files of every test of ``kinds``, relative to :data:`W3C`."""
    found = []
    for manifest in sorted(W3C.rglob("manifest.ttl")):
        graph = rdflib.Graph().parse(manifest, format="turtle")
        for kind in kinds:
            for test in graph.subjects(rdflib.RDF.type, kind):
                name = urllib.parse.unquote(str(graph.value(test, MF.action)).rsplit("/", 1)[1])
                found.append((manifest.parent / name).relative_to(W3C).as_posix())
    return sorted(found)


POSITIVES = _tests(POSITIVE)
NEGATIVES = _tests(NEGATIVE)


def test_the_suite_is_all_here() -> None:
    assert (len(POSITIVES), len(NEGATIVES)) == (215, 81)
    assert set(POSITIVES) >= CALLS_SERVICE | UNKNOWN_FUNCTIONS
    assert set(NEGATIVES) >= ENGINE_ACCEPTS
    assert all((W3C / name).is_file() for name in POSITIVES + NEGATIVES)


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over one triple, with no SERVICE target allowed."""
    directory = tmp_path_factory.mktemp("w3c") / "store"
    store.load_graph(directory, "http://example.org/g",
                     "<http://example.org/s> <http://example.org/p> <http://example.org/o> "
                     "<http://example.org/g> .\n")
    with serving(directory) as url:
        yield url


def _post(endpoint: str, name: str) -> tuple[int, dict[str, str], bytes]:
    return fetch(endpoint + "/sparql", data=(W3C / name).read_bytes(),
                 content_type="application/sparql-query",
                 accept="application/sparql-results+json, text/turtle;q=0.9")


def _error(status: int, headers: dict[str, str], body: bytes) -> str:
    assert headers["Content-Type"] == "application/json"
    error = json.loads(body)
    assert set(error) == {"ok", "status", "error", "message"} and error["status"] == status
    return str(error["error"])


@pytest.mark.parametrize("name", POSITIVES)
def test_a_positive_syntax_test_is_answered(endpoint: str, name: str) -> None:
    status, headers, body = _post(endpoint, name)
    if name in CALLS_SERVICE:
        assert (status, _error(status, headers, body)) == (403, "service_refused")
        return
    if name in UNKNOWN_FUNCTIONS:
        assert (status, _error(status, headers, body)) == (400, "unsupported_query")
        assert "is not supported" in json.loads(body)["message"]
        return
    assert status == 200, body[:300]
    if headers["Content-Type"].startswith("text/turtle"):
        rdflib.Graph().parse(data=body, format="turtle")
    else:
        result = json.loads(body)
        assert "boolean" in result or "bindings" in result["results"]


@pytest.mark.parametrize("name", NEGATIVES)
def test_a_negative_syntax_test_is_a_400(endpoint: str, name: str) -> None:
    status, headers, body = _post(endpoint, name)
    if name in ENGINE_ACCEPTS:
        assert status == 200  # when Oxigraph starts refusing it, drop it from ENGINE_ACCEPTS
        return
    assert (status, _error(status, headers, body)) == (400, "bad_query")
    assert json.loads(body)["message"].startswith("SPARQL syntax error")


def test_names_dataset_agrees_with_rdflib_on_the_queries_rdflib_parses() -> None:
    from rdflib.plugins.sparql.parser import parseQuery

    compared = 0
    for name in POSITIVES:
        text = (W3C / name).read_text(encoding="utf-8")
        try:
            parsed = parseQuery(text)
        except Exception:  # rdflib's grammar misses parts of SPARQL 1.1: nothing to compare
            continue
        compared += 1
        assert names_dataset(text) is ("datasetClause" in parsed[1]), name
    assert compared > 150
