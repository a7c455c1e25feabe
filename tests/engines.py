"""Remote engines (Virtuoso, the Oxigraph server) for the tests that need them, and how
their answers are compared with the embedded store's.

The engines are started by ``scripts/start-virtuoso.sh`` / ``scripts/start-oxigraph.sh``,
which print ``BUDGETGRAPH_VIRTUOSO_URL`` (+ ``_USER``, ``_PASSWORD``) and
``BUDGETGRAPH_OXIGRAPH_URL``. Without them a test that needs one skips, saying so; with
``BUDGETGRAPH_REQUIRE_ENGINES=1`` (CI) a missing engine is a failure instead.
"""

from __future__ import annotations

import os
import time
from decimal import Decimal
from pathlib import Path

import pytest
from tests.documents import QINGHAI
from tests.stores import reference_graphs

from budgetgraph import remote, store
from budgetgraph.pipeline import document_dataset
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


def load_everywhere(ep: remote.Endpoint, store_dir: Path, base: str) -> tuple[str, float]:
    """The Qinghai document and the reference graphs, into the engine and an embedded store."""
    minter = Minter(base)
    iri, dataset = document_dataset(read(QINGHAI), minter)
    for graph_iri, single in reference_graphs(minter, [2024]):
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
