"""The ontology loads, documents every own term in Chinese and English, and is
OWL-RL consistent, alone and with converted data."""

from __future__ import annotations

import owlrl
import pytest
from owlrl.Namespaces import ERRNS
from rdflib import Graph, Literal, URIRef
from tests.samples import BASE, sample_disclosure

from budgetgraph.rdf import convert, merged, ontology_graph
from budgetgraph.rdf.codelists import STRUCTURE_PATH
from budgetgraph.rdf.namespaces import BG, OBEU_DIMENSION, OWL, RDF, RDFS, SKOS
from budgetgraph.rdf.uris import Minter

TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)


def own_terms(graph: Graph) -> set[URIRef]:
    return {s for t in TERM_TYPES for s in graph.subjects(RDF.type, t)
            if isinstance(s, URIRef) and s.startswith(str(BG))}


def inconsistencies(graph: Graph) -> list[str]:
    """Run the OWL-RL closure; report its error messages and owl:Nothing members."""
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    messages = graph.subjects(RDF.type, ERRNS.ErrorMessage)
    errors = [str(graph.value(m, ERRNS.error)) for m in messages]
    return errors + [str(s) for s in graph.subjects(RDF.type, OWL.Nothing)]


def test_ontology_loads_and_documents_every_term() -> None:
    graph = ontology_graph()
    assert (URIRef("https://w3id.org/budgetgraph/def"), RDF.type, OWL.Ontology) in graph
    terms = own_terms(graph)
    assert len(terms) > 60
    for term in terms:
        for predicate in (RDFS.label, SKOS.definition):
            langs = {o.language for o in graph.objects(term, predicate) if isinstance(o, Literal)}
            assert {"zh", "en"} <= langs, (term, predicate)


def test_ontology_alone_is_owl_rl_consistent() -> None:
    assert inconsistencies(ontology_graph()) == []


@pytest.fixture(scope="module")
def data() -> Graph:
    return merged(convert([sample_disclosure()], base=BASE))


def test_every_own_term_the_converter_uses_is_declared(data: Graph) -> None:
    """By the ontology, or (the structures, their code lists and scopes) by the
    structure graph beside it."""
    declared = set(ontology_graph().subjects()) | set(
        Graph().parse(data=STRUCTURE_PATH.read_text(encoding="utf-8"), format="turtle").subjects())
    used = {t for triple in data for t in triple if isinstance(t, URIRef) and t.startswith(str(BG))}
    assert used and used <= declared, used - declared


def test_converted_data_is_owl_rl_consistent(data: Graph) -> None:
    graph = Graph()
    for triple in data:
        graph.add(triple)
    assert inconsistencies(graph) == []


def test_the_check_can_fail(data: Graph) -> None:
    """A department typed as one of its budget units contradicts the ontology."""
    graph = Graph()
    for triple in data:
        graph.add(triple)
    department = next(data.subjects(RDF.type, BG.Department))
    graph.add((department, RDF.type, BG.BudgetUnit))
    assert inconsistencies(graph)


def test_budget_phases_are_openbudgets_own(data: Graph) -> None:
    """Figures carry OpenBudgets.eu's budget phases themselves, read by their tools."""
    obeu = "http://data.openbudgets.eu/resource/codelist/budget-phase/"
    phases = set(data.objects(None, OBEU_DIMENSION.budgetPhase))
    assert phases == {URIRef(obeu + "approved")}
    assert Minter(BASE).base == BASE
