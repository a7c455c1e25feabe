"""Stores the tests build, graph by graph, as ``budgetgraph load`` lays them out: one
named graph per document, and the ontology and each code list in graphs of their own."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset

from budgetgraph import store
from budgetgraph.model import Disclosure
from budgetgraph.pipeline import document_dataset
from budgetgraph.rdf.convert import add_reference, new_dataset
from budgetgraph.rdf.uris import Minter


@dataclass(frozen=True)
class RealStore:
    """The session's store over real documents (conftest.py ``real_store``)."""

    directory: Path
    qinghai_graphs: tuple[str, ...]  # the Qinghai document and every reference graph


def reference_graphs(minter: Minter, years: list[int]) -> list[tuple[str, Dataset]]:
    """The ontology and code lists of ``years``, each graph alone in a dataset."""
    reference = new_dataset()
    add_reference(reference, minter=minter, years=years)
    out = []
    for graph in reference.graphs():
        if len(graph) and not str(graph.identifier).startswith("urn:x-rdflib"):
            single = new_dataset()
            single.graph(graph.identifier).__iadd__(graph)
            out.append((str(graph.identifier), single))
    return out


def load_documents(directory: Path, documents: list[Disclosure], minter: Minter
                   ) -> tuple[list[str], list[str]]:
    """``documents`` and their years' reference graphs into the store at ``directory``;
    the graph IRIs of the documents (in order) and of the reference graphs."""
    loaded = []
    for document in documents:
        iri, dataset = document_dataset(document, minter)
        store.load_graph(directory, iri, dataset)
        loaded.append(iri)
    reference = []
    for iri, single in reference_graphs(minter, sorted({d.year for d in documents})):
        store.load_graph(directory, iri, single)
        reference.append(iri)
    return loaded, reference
