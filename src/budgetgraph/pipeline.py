"""The stages chained: read → convert → validate → load, one document at a time.

Kept out of the CLI so tests and the benchmarks run exactly what ``budgetgraph
load`` runs. Each document goes into its own named graph and replaces it whole;
the ontology and code lists are loaded once, into their own graphs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset

from budgetgraph import remote, store
from budgetgraph.errors import BudgetgraphError
from budgetgraph.model import Disclosure
from budgetgraph.rdf.convert import add_reference, disclosure_graph, new_dataset
from budgetgraph.rdf.uris import Minter
from budgetgraph.readers import read


class ValidationRefused(BudgetgraphError):
    """A document breaks identities exactly: not loaded unless forced."""

    exit_code = 1


@dataclass
class Loaded:
    """What one ``load`` did, for the progress lines and the tests."""

    documents: list[tuple[str, str, int]] = field(default_factory=list)  # file, graph, quads
    reference_quads: int = 0
    findings: list[str] = field(default_factory=list)


def document_dataset(doc: Disclosure, minter: Minter) -> tuple[str, Dataset]:
    """One document's named graph, alone in a dataset."""
    iri, graph = disclosure_graph(doc, minter=minter)
    dataset = new_dataset()
    named = dataset.graph(iri)
    named += graph
    return str(iri), dataset


def load(paths: Iterable[Path], store_dir: Path | None, *, base: str, force: bool = False,
         endpoint: remote.Endpoint | None = None,
         say: Callable[[str], None] = print) -> Loaded:
    """Load documents into the store at ``store_dir`` (or a remote ``endpoint``),
    each replacing its own graph.

    Every document is read, converted and validated before anything is
    written; a document with violations is refused (:class:`ValidationRefused`)
    unless ``force``, and nothing of the run is loaded. Each graph's
    replacement is one transaction, so an interrupted load leaves every graph
    either as it was or wholly new.
    """
    from budgetgraph.validate import validate  # the shapes need rdflib only here

    if endpoint is not None:
        write: Callable[..., int] = functools.partial(remote.load_graph, endpoint)
    elif store_dir is not None:
        write = functools.partial(store.load_graph, store_dir)
    else:
        raise BudgetgraphError("load needs a store directory or an endpoint")
    minter = Minter(base)
    prepared: list[tuple[Path, str, Dataset]] = []
    years: set[int] = set()
    result = Loaded()
    for path in paths:
        doc = read(path)
        iri, dataset = document_dataset(doc, minter)
        outcome = validate(dataset)
        result.findings.extend(f"{path.name}: {finding.severity} {finding.title_en}"
                               for finding in (*outcome.violations, *outcome.warnings))
        if outcome.violations and not force:
            raise ValidationRefused(
                f"{len(outcome.violations)} violation(s); not loaded (use --force to load "
                "anyway; `budgetgraph validate` shows them)", file=str(path))
        say(f"read {path.name}: {len(doc.tables)} tables, "
            f"{doc.coverage.figures_consumed}/{doc.coverage.figures_total} figures, "
            f"{len(outcome.violations)} violation(s), {len(outcome.warnings)} warning(s)")
        prepared.append((path, iri, dataset))
        years.add(doc.year)
    reference = new_dataset()
    add_reference(reference, minter=minter, years=sorted(years))
    for graph in reference.graphs():
        if len(graph) == 0 or str(graph.identifier).startswith("urn:x-rdflib"):
            continue
        single = new_dataset()
        named = single.graph(graph.identifier)
        named += graph
        result.reference_quads += write(str(graph.identifier), single)
    for path, iri, dataset in prepared:
        quads = write(
            iri, dataset,
            progress=lambda n, name=path.name: say(f"  {name}: {n} quads read"))
        result.documents.append((path.name, iri, quads))
        say(f"loaded {path.name} into <{iri}>: {quads} quads")
    return result
