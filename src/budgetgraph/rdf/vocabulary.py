"""The vocabulary budgetgraph publishes at ``/def``: the ontology and the Data Cube structure."""

from __future__ import annotations

from functools import cache

from rdflib import BNode, Literal, URIRef

from budgetgraph.rdf import codelists
from budgetgraph.rdf.convert import ontology_graph
from budgetgraph.rdf.namespaces import ONTOLOGY_IRI as ONTOLOGY_IRI

#: A term as plain data: (kind, value, datatype, language), what web.store's Term takes.
PlainTerm = tuple[str, str, str | None, str | None]


def _plain(term: object) -> PlainTerm:
    if isinstance(term, URIRef):
        return ("iri", str(term), None, None)
    if isinstance(term, BNode):
        return ("bnode", str(term), None, None)
    assert isinstance(term, Literal)
    if term.language:
        return ("literal", str(term), None, term.language)
    datatype = str(term.datatype) if term.datatype else "http://www.w3.org/2001/XMLSchema#string"
    return ("literal", str(term), datatype, None)


@cache
def vocabulary_statements() -> tuple[tuple[PlainTerm, PlainTerm, PlainTerm], ...]:
    """Every triple of the ontology and of the structure, as plain terms."""
    graph = ontology_graph()
    graph.parse(data=codelists.STRUCTURE_PATH.read_text(encoding="utf-8"), format="turtle")
    return tuple((_plain(s), _plain(p), _plain(o)) for s, p, o in graph)
