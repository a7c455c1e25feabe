"""What validation found, as RDF published beside each document in its own graph.

A reader of the store can then ask which documents break which identity, with
the figures compared and the rounding tolerance, and see that a document was
loaded although it has violations (``load --force``): the SHACL report of the
document, rebuilt from the findings with stable IRIs and only public text (the
machine-readable ``@x-figures`` messages the engines exchange are left out; the
figures are links instead).
"""

from __future__ import annotations

import hashlib

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from budgetgraph.rdf.convert import decimal
from budgetgraph.rdf.namespaces import BG, DCTERMS, PREFIXES, PROV, RDF, RDFS, XSD
from budgetgraph.validate import Finding, ValidationResult


def findings_graph(doc: URIRef, result: ValidationResult, *, forced: bool,
                   validated: str | None = None) -> Graph:
    """The validation report of one document: every violation and warning, the
    identity it breaks, the figures on each side, the difference and tolerance;
    ``forced`` marks a document loaded despite violations."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("sh", SH)
    report = URIRef(f"{doc}/validation")
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, RDF.type, PROV.Entity))
    graph.add((report, BG.validates, doc))
    graph.add((report, SH.conforms, Literal(not result.violations)))
    graph.add((report, RDFS.label, Literal("校验结果", lang="zh")))
    graph.add((report, RDFS.label, Literal("validation findings", lang="en")))
    graph.add((report, PROV.wasDerivedFrom, doc))
    if validated:
        graph.add((report, DCTERMS.created, Literal(validated, datatype=XSD.dateTime)))
    if forced and result.violations:
        graph.add((report, BG.loadedDespiteViolations, Literal(True)))
    for finding in (*result.violations, *result.warnings):
        _result(graph, report, doc, finding)
    return graph


def _result(graph: Graph, report: URIRef, doc: URIRef, finding: Finding) -> None:
    key = "|".join((finding.shape, finding.focus, finding.value or "", finding.message_en))
    node = URIRef(f"{report}/{finding.rule}/{hashlib.sha1(key.encode()).hexdigest()[:10]}")
    graph.add((report, SH.result, node))
    graph.add((node, RDF.type, SH.ValidationResult))
    graph.add((node, SH.focusNode, doc))
    graph.add((node, SH.resultSeverity, SH.Violation if finding.severity == "Violation"
               else SH.Warning))
    graph.add((node, SH.sourceShape, URIRef(finding.shape)))
    if finding.value and finding.value.startswith("http"):
        graph.add((node, SH.value, URIRef(finding.value)))
    graph.add((node, SH.resultMessage, Literal(finding.message_zh, lang="zh")))
    graph.add((node, SH.resultMessage, Literal(finding.message_en, lang="en")))
    identity = BG[finding.rule]
    graph.add((node, BG.identity, identity))
    graph.add((identity, RDFS.label, Literal(finding.title_zh, lang="zh")))
    graph.add((identity, RDFS.label, Literal(finding.title_en, lang="en")))
    for predicate, figures in ((BG.leftFigure, finding.left), (BG.rightFigure, finding.right)):
        for figure in figures:
            graph.add((node, predicate, URIRef(figure.iri)))
    for predicate, value in ((BG.difference, finding.difference),
                             (BG.tolerance, finding.tolerance)):
        if value is not None:
            graph.add((node, predicate, decimal(value)))
