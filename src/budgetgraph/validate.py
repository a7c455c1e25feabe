"""SHACL validation of budgetgraph RDF: structure, Data Cube integrity, and the
identities (勾稽关系) a correct disclosure satisfies.

The rules live in ``shapes/*.ttl``; nothing here knows an identity, a figure or a
tolerance. This module loads the shapes once, runs them over each document with
pyrudof (its SPARQL engine evaluates the identity queries in milliseconds, where
rdflib's takes about a second each: docs/validation.md), and turns the standard
SHACL report into findings a person can act on: which identity, the figures on
each side with their source lines, the difference and the rounding tolerance.

Documents are validated one at a time (a document graph plus the reference
graphs of its year), so a corpus parallelises across processes
(:func:`validate_many`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from multiprocessing import get_context
from pathlib import Path
from typing import Literal as OneOf

import pyrudof
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.exceptions import ParserError
from rdflib.namespace import SH, XSD
from rdflib.term import Node

from budgetgraph.errors import BudgetgraphError
from budgetgraph.rdf import codelists
from budgetgraph.rdf.convert import ontology_graph
from budgetgraph.rdf.namespaces import BG, OBEU_DIMENSION, OBEU_MEASURE, PROV, QB, RDF, RDFS
from budgetgraph.rdf.uris import Minter
from budgetgraph.shortcuts import shortcuts

#: The shapes, kept at the top of the repository like the ontology.
#: The SHACL shapes: package data (``shapes/`` of the repository, mapped into the package
#: by pyproject.toml), so an installed wheel finds them too.
SHAPES_DIR: Traversable = files("budgetgraph.shapes")
#: Shapes run on every document; ``reference.ttl`` checks the ontology once.
DOCUMENT_SHAPES = ("prefixes.ttl", "structure.ttl", "cube.ttl", "identities.ttl")
REFERENCE_SHAPES = ("prefixes.ttl", "reference.ttl")

#: Where the value of a figure named in a result lives (the ``key`` of ``IRI|key``).
FIGURE_KEYS: dict[str, URIRef] = {
    "amount": OBEU_MEASURE.amount,
    "stated": BG.statedAmount,
    "approved": BG.approvedAmount,
    "total": BG.statedPerformanceTotal,
    "weight": BG.weight,
    "currentYearWeight": BG.currentYearWeight,
    "execWeight": BG.executionRateWeight,
    "share": BG.share,
    "growth": BG.growthRate,
    "change": BG.change,
}
#: Keys whose value is money in yuan (the others are percentages or weights).
MONEY_KEYS = frozenset({"amount", "stated", "approved", "total", "change"})
_UNIT_LABELS = {BG.WanYuan: "万元", BG.Yuan: "元"}
_FIGURES_LANG = "x-figures"
_CURRENT_SHAPE = re.compile(r"[$?]currentShape\b")
#: pyrudof runs the shapes; pyshacl is the reference engine they are checked against.
Engine = OneOf["pyrudof", "pyshacl"]


@dataclass(frozen=True)
class Figure:
    """One printed figure a finding compares, with the line it was read from."""

    iri: str
    label: str
    value: Decimal | None
    key: str = "amount"
    printed: Decimal | None = None
    unit: str | None = None
    #: Yuan per unit of ``unit`` (10000 for 万元).
    factor: Decimal | None = None
    source: str | None = None
    line: int | None = None
    page: int | None = None

    @property
    def shown(self) -> str:
        """The figure as the document prints it (``965.50万元``, ``5.05%``, ``10``)."""
        if self.printed is not None:
            return f"{self.printed}{self.unit or ''}"
        if self.value is None:
            return "—"
        if self.key in MONEY_KEYS and self.factor:
            return f"{plain(self.value / self.factor)}{self.unit or ''}"
        if self.key in ("share", "growth"):
            return f"{plain(self.value)}%"
        return plain(self.value)

    def describe(self) -> str:
        where = f" [{self.source}]" if self.source else ""
        return f"{self.label} {self.shown}{where}"


def plain(value: Decimal) -> str:
    """A decimal without exponent or needless trailing zeros (``100``, ``0.01``)."""
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class Finding:
    """One result of validation, in words and figures."""

    rule: str
    #: The shape that reported it (``…-violation``, ``…ObservationShape-amount``).
    shape: str
    title_zh: str
    title_en: str
    severity: str
    focus: str
    value: str | None
    message_zh: str
    message_en: str
    left: tuple[Figure, ...] = ()
    right: tuple[Figure, ...] = ()
    left_total: Decimal | None = None
    right_total: Decimal | None = None
    difference: Decimal | None = None
    tolerance: Decimal | None = None
    #: What the totals measure: "yuan", "percent" or "points" (bg:quantity).
    quantity: str = "yuan"

    @property
    def sources(self) -> list[str]:
        """Every source line of every figure, in order, once."""
        seen: dict[str, None] = {}
        for fig in (*self.left, *self.right):
            if fig.source:
                seen.setdefault(fig.source)
        return list(seen)


@dataclass
class ValidationResult:
    """What validating one or more documents found; ``report_turtle`` is the
    standard SHACL validation report graph."""

    conforms: bool
    violations: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    report_turtle: str = ""

    def report_graph(self) -> Graph:
        return Graph().parse(data=self.report_turtle, format="turtle")


# -- shapes ---------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Shapes:
    """A loaded shapes graph, ready for both engines, with its parameter triples.

    ``graph`` is standard SHACL as written (property shapes named), what the
    reference engine (pyshacl) reads; ``engine_nt`` is the same shapes with
    ``$currentShape`` written into each query, for pyrudof. Compared by identity:
    each loaded set of shapes has its own engine session.
    """

    graph: Graph
    engine_nt: str
    parameters_nt: str


def load_shapes(paths: Iterable[Traversable]) -> Shapes:
    """Parse shape files and prepare them for both engines (:func:`shapes_from_graph`)."""
    source = Graph()
    for path in paths:
        source.parse(data=path.read_text(encoding="utf-8"), format="turtle")
    return shapes_from_graph(source)


def shapes_from_graph(source: Graph) -> Shapes:
    """Prepare a shapes graph for both engines.

    pyrudof 0.3 does not pre-bind ``$currentShape``; pre-binding is substitution
    (SHACL §5.3.1), so each shape gets its own copy of a shared query with the
    shape's IRI written in, for pyrudof only: pyshacl pre-binds it itself and
    reads the queries as written. Property shapes written as blank nodes get IRIs
    (``…ObservationShape-amount``) in both, so a report's sh:sourceShape can be
    traced to its node shape and the engines' results compared. The ``bg:``
    triples of the shapes (identity parameters, bands, topic mappings) are
    returned separately: they join the data graph, since no engine we use exposes
    ``$shapesGraph``.
    """
    graph = Graph()
    for triple in source:
        graph.add(triple)
    _name_property_shapes(graph)
    engine = Graph()
    for triple in graph:
        engine.add(triple)
    for shape, constraint in list(engine.subject_objects(SH.sparql)):
        select = engine.value(constraint, SH.select)
        if select is None or not _CURRENT_SHAPE.search(str(select)):
            continue
        copy = BNode()
        for predicate, obj in engine.predicate_objects(constraint):
            engine.add((copy, predicate, obj))
        engine.set((copy, SH.select, Literal(_CURRENT_SHAPE.sub(f"<{shape}>", str(select)))))
        engine.remove((shape, SH.sparql, constraint))
        engine.add((shape, SH.sparql, copy))
    parameters = Graph()
    for s, p, o in source:
        if str(p).startswith(str(BG)):
            parameters.add((s, p, o))
            _copy_closure(source, o, parameters)
    return Shapes(graph, engine.serialize(format="nt"), parameters.serialize(format="nt"))


def _name_property_shapes(graph: Graph) -> None:
    """Give each blank-node property shape an IRI under its node shape."""
    for shape, prop in sorted(graph.subject_objects(SH.property)):
        if not isinstance(prop, BNode) or not isinstance(shape, URIRef):
            continue
        base = f"{shape}-{_local(graph.value(prop, SH.path))}"
        name, n = URIRef(base), 1
        while (name, None, None) in graph:
            n += 1
            name = URIRef(f"{base}-{n}")
        for p, o in list(graph.predicate_objects(prop)):
            graph.add((name, p, o))
        graph.remove((prop, None, None))
        graph.remove((shape, SH.property, prop))
        graph.add((shape, SH.property, name))


def _copy_closure(graph: Graph, node: Node, into: Graph) -> None:
    """Copy the triples of blank nodes reachable from ``node`` (topic mappings)."""
    if not isinstance(node, BNode):
        return
    for p, o in graph.predicate_objects(node):
        into.add((node, p, o))
        _copy_closure(graph, o, into)


@cache
def document_shapes() -> Shapes:
    return load_shapes(SHAPES_DIR / name for name in DOCUMENT_SHAPES)


@cache
def reference_shapes() -> Shapes:
    return load_shapes(SHAPES_DIR / name for name in REFERENCE_SHAPES)


# -- reference data -------------------------------------------------------------


@cache
def reference_nt(base: str, year: int) -> str:
    """The ontology and the code lists of ``year`` under ``base``, as N-Triples,
    built once per process: the identities look up yuan factors, code parents and
    column meanings there."""
    parts = [ontology_graph().serialize(format="nt")]
    for iri, sub in codelists.reference_graphs(Minter(base), [year]):
        if not iri.endswith(("/region", "/cofog")):
            parts.append(sub.serialize(format="nt"))  # each alone: merging graphs costs more
    return "".join(parts)


@cache
def reference_graph(base: str, year: int) -> Graph:
    """:func:`reference_nt` parsed, for deriving the shortcuts (:mod:`.shortcuts`)."""
    return Graph().parse(data=reference_nt(base, year), format="nt")


# -- what the shapes read beside a document --------------------------------------


def derived_graph(data: Graph, shapes: Shapes, *, base: str, year: int) -> Graph:
    """What the shapes read beside a document: its figures' printed precision and
    the shortcuts of :mod:`budgetgraph.shortcuts`; never published.

    ``bg:roundingUnit`` is one unit of the last printed digit, in yuan, of every
    money figure and ``bg:rateRoundingUnit`` that of every stated rate. The
    tolerances need the printed precision. The converter records it for money
    (``bg:printedDecimals`` on the table, or on a figure printed otherwise; the
    unit on the table, or on a statement): engines keep a decimal's value, not
    its digits, so pyrudof reads ``645.00`` as ``645``. Rates carry theirs in the
    lexical form, which rdflib keeps. Computed here, before the data reaches
    either engine, so both see the same units. A figure without a printed value
    (the stated total of the performance table) gets the shapes' default digit.
    """
    default = Decimal(str(shapes.graph.value(BG.shapes, BG.defaultLastPrintedDigit)))
    factors = _yuan_factors()
    out = shortcuts(data, reference_graph(base, year))
    money = set(data.subjects(BG.sourceValue)) | set(data.subjects(BG.statedPerformanceTotal))
    for subject in money:
        table = data.value(subject, QB.dataSet)
        unit = data.value(subject, BG.sourceUnit)
        decimals = data.value(subject, BG.printedDecimals)
        if table is not None:
            unit = data.value(table, BG.sourceUnit) if unit is None else unit
            decimals = data.value(table, BG.printedDecimals) if decimals is None else decimals
        factor = factors.get(unit) if unit is not None else None
        if factor is None:
            continue
        digit = Decimal(1).scaleb(-int(decimals)) if isinstance(decimals, Literal) else default
        out.add((subject, BG.roundingUnit, _decimal_literal(digit * factor)))
    for predicate in (BG.share, BG.growthRate):
        for subject, rate in data.subject_objects(predicate):
            if isinstance(rate, Literal):
                out.add((subject, BG.rateRoundingUnit, _decimal_literal(_last_digit(rate))))
    return out


def _last_digit(value: Literal) -> Decimal:
    """One unit of the last digit of a printed rate: ``5.05`` → 0.01, ``12`` → 1.

    ``12.0`` also counts as ``12``: the converter writes a whole number with ``.0``
    so that Turtle keeps it a decimal, and the documents print no one-decimal
    rates.
    """
    text = str(value)
    if text.endswith(".0"):
        text = text[:-2]
    exponent = Decimal(text).as_tuple().exponent
    return Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)


def _decimal_literal(value: Decimal) -> Literal:
    return Literal(format(value, "f"), datatype=XSD.decimal)


@cache
def _yuan_factors() -> dict[Node, Decimal]:
    """Yuan per printed unit, from the ontology (bg:WanYuan bg:yuanFactor 10000)."""
    ontology = ontology_graph()
    return {unit: Decimal(str(factor))
            for unit, factor in ontology.subject_objects(BG.yuanFactor)}


# -- validation -----------------------------------------------------------------


@dataclass(frozen=True)
class _Document:
    iri: URIRef
    base: str
    year: int
    graph: Graph


def validate(data: Dataset | Graph, *, shapes: Shapes | None = None,
             engine: Engine = "pyrudof") -> ValidationResult:
    """Validate every disclosure in ``data`` (a converted dataset, or any graph
    holding document graphs) and collect the findings of all of them.

    ``engine`` is pyrudof (fast) or pyshacl, the reference: both read the same
    shapes and data, and tests/test_engines_agree.py holds them to the same
    results on every real document and every mutation."""
    shapes = shapes or document_shapes()
    results = [_validate_document(doc, shapes, engine) for doc in _documents(data)]
    return combine(results)


def combine(results: Iterable[ValidationResult]) -> ValidationResult:
    """One result for several: findings concatenated, one SHACL report graph."""
    results = list(results)
    if len(results) == 1:
        return results[0]
    report = Graph()
    report.bind("sh", SH)
    node = BNode()
    report.add((node, RDF.type, SH.ValidationReport))
    conforms = all(r.conforms for r in results)
    report.add((node, SH.conforms, Literal(conforms)))
    for result in results:
        sub = result.report_graph()
        old_reports = set(sub.subjects(RDF.type, SH.ValidationReport))
        for old in old_reports:
            for res in sub.objects(old, SH.result):
                report.add((node, SH.result, res))
        for triple in sub:
            if triple[0] not in old_reports:
                report.add(triple)
    return ValidationResult(
        conforms=conforms,
        violations=[f for r in results for f in r.violations],
        warnings=[f for r in results for f in r.warnings],
        report_turtle=report.serialize(format="turtle"),
    )


def validate_reference(*, base: str, year: int) -> ValidationResult:
    """Check the ontology and the code lists themselves (once, not per document)."""
    shapes = reference_shapes()
    return _pyrudof_result(_session(shapes, base, year), shapes, Graph())


def _documents(data: Dataset | Graph) -> Iterator[_Document]:
    """Each disclosure of ``data`` with the graph that describes it."""
    graphs = [g for g in data.graphs() if len(g)] if isinstance(data, Dataset) else [data]
    for graph in graphs:
        for doc in graph.subjects(RDF.type, BG.Disclosure):
            if not isinstance(doc, URIRef):
                continue
            year_iri = graph.value(doc, OBEU_DIMENSION.fiscalYear)
            year = int(str(year_iri).rsplit("/", 1)[-1]) if year_iri is not None else 0
            base = str(doc).split("id/org/", 1)[0]
            yield _Document(doc, base, year, graph)


@cache
def _session(shapes: Shapes, base: str, year: int) -> pyrudof.Rudof:
    """An engine with the shapes, the reference data of one base and year and the
    shape parameters loaded once; each document is staged on top of it and
    rolled back, so nothing is parsed twice."""
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_shacl(shapes.engine_nt, format=pyrudof.ShaclFormat.NTriples)
    rudof.read_data(reference_nt(base, year), format=pyrudof.RDFFormat.NTriples)
    if shapes.parameters_nt.strip():
        rudof.read_data(shapes.parameters_nt, format=pyrudof.RDFFormat.NTriples, merge=True)
    return rudof


def _validate_document(doc: _Document, shapes: Shapes, engine: Engine) -> ValidationResult:
    precision = derived_graph(doc.graph, shapes, base=doc.base, year=doc.year)
    if engine == "pyshacl":
        return _pyshacl_result(doc, shapes, precision)
    rudof = _session(shapes, doc.base, doc.year)
    rudof.begin_staging()
    try:
        rudof.read_data(doc.graph.serialize(format="nt"), format=pyrudof.RDFFormat.NTriples,
                        merge=True)
        if len(precision):
            rudof.read_data(precision.serialize(format="nt"), format=pyrudof.RDFFormat.NTriples,
                            merge=True)
        return _pyrudof_result(rudof, shapes, doc.graph)
    finally:
        rudof.rollback_staging()


def _pyrudof_result(rudof: pyrudof.Rudof, shapes: Shapes, data: Graph) -> ValidationResult:
    report = rudof.validate_shacl()
    turtle = rudof.serialize_shacl_validation_results(
        format=pyrudof.ResultShaclValidationFormat.Turtle)
    return _result(bool(report.conforms), Graph().parse(data=turtle, format="turtle"), turtle,
                   shapes, data)


def _pyshacl_result(doc: _Document, shapes: Shapes, precision: Graph) -> ValidationResult:
    """The reference engine on exactly what pyrudof is given: the year's reference
    data, the shapes' parameters, the document and its printed precision.

    pyshacl is imported here: it is the slow reference (seconds per document,
    docs/validation.md), and importing it costs a command that never uses it.
    """
    from pyshacl import validate as pyshacl_validate

    data = Graph()
    data.parse(data=reference_nt(doc.base, doc.year), format="nt")
    data.parse(data=shapes.parameters_nt, format="nt")
    data += doc.graph
    data += precision
    conforms, report, _ = pyshacl_validate(data, shacl_graph=shapes.graph, inplace=True)
    return _result(bool(conforms), report, report.serialize(format="turtle"), shapes, doc.graph)


def _result(conforms: bool, report: Graph, turtle: str, shapes: Shapes,
            data: Graph) -> ValidationResult:
    findings = [_finding(report, res, shapes.graph, data)
                for res in report.subjects(RDF.type, SH.ValidationResult)]
    findings.sort(key=lambda f: (f.rule, f.sources, f.value or ""))
    return ValidationResult(
        conforms=conforms,
        violations=[f for f in findings if f.severity == "Violation"],
        warnings=[f for f in findings if f.severity != "Violation"],
        report_turtle=turtle,
    )


# -- findings -------------------------------------------------------------------


def _finding(report: Graph, result: Node, shapes: Graph, data: Graph) -> Finding:
    source_shape = report.value(result, SH.sourceShape)
    severity = str(report.value(result, SH.resultSeverity) or SH.Violation).rsplit("#", 1)[-1]
    shape = shapes.value(None, SH.property, source_shape) or source_shape  # its node shape
    rule_node = shapes.value(shape, BG.identity) or shape
    messages = {m.language: str(m) for m in report.objects(result, SH.resultMessage)
                if isinstance(m, Literal)}
    value = report.value(result, SH.value)
    figures = _parse_figures(messages.get(_FIGURES_LANG))
    left = _figures(data, figures.get("left", ""))
    right = _figures(data, figures.get("right", ""))
    if not left and not right and isinstance(value, URIRef) and (value, None, None) in data:
        left = (_figure(data, f"{value}|amount"),)
    return Finding(
        rule=_local(rule_node),
        shape=str(source_shape),
        title_zh=_label(shapes, rule_node, "zh"),
        title_en=_label(shapes, rule_node, "en"),
        severity=severity,
        focus=str(report.value(result, SH.focusNode)),
        value=str(value) if value is not None else None,
        message_zh=messages.get("zh") or messages.get(None) or "",
        message_en=messages.get("en") or messages.get(None) or "",
        left=left,
        right=right,
        left_total=_decimal(figures.get("l")),
        right_total=_decimal(figures.get("r")),
        difference=_decimal(figures.get("d")),
        tolerance=_decimal(figures.get("t")),
        quantity=str(shapes.value(rule_node, BG.quantity) or "yuan"),
    )


def _parse_figures(message: str | None) -> dict[str, str]:
    if not message:
        return {}
    return dict(part.split("=", 1) for part in message.split(";") if "=" in part)


def _figures(data: Graph, refs: str) -> tuple[Figure, ...]:
    """The figures of one side, in the order of the source (page, line)."""
    found = [_figure(data, ref) for ref in refs.split()]
    return tuple(sorted(found, key=lambda f: (f.page or 0, f.line or 0, f.label)))


def _figure(data: Graph, ref: str) -> Figure:
    iri, _, key = ref.partition("|")
    node = URIRef(iri)
    raw = data.value(node, FIGURE_KEYS.get(key, OBEU_MEASURE.amount))
    printed = data.value(node, BG.sourceValue)
    unit = data.value(node, BG.sourceUnit)
    money = key in MONEY_KEYS
    # a table's stated total, and its note saying it is empty, have lines of their own
    line = ((key == "total" and data.value(node, BG.statedTotalSource))
            or (key == "note" and data.value(node, BG.emptyNote)) or _source_line(data, node))
    return Figure(
        iri=iri,
        label=str(data.value(node, RDFS.label) or iri.rsplit("/", 1)[-1]),
        value=_decimal(raw),
        key=key,
        printed=_printed(printed) if money and key != "change" else None,
        unit=_UNIT_LABELS.get(unit) if isinstance(unit, URIRef) else None,
        factor=_yuan_factors().get(unit) if isinstance(unit, URIRef) else None,
        source=str(data.value(line, RDFS.label) or line) if line is not None else None,
        line=_int(data.value(line, BG.lineNumber)) if line is not None else None,
        page=_int(data.value(line, BG.pageNumber)) if line is not None else None,
    )


def _source_line(data: Graph, node: URIRef) -> Node | None:
    """The bg:SourceLine a figure was read from, following prov:wasDerivedFrom
    through derived figures (a prior-year figure comes from its statement)."""
    seen: set[Node] = set()
    current: Node | None = node
    while current is not None and current not in seen:
        seen.add(current)
        if (current, RDF.type, BG.SourceLine) in data:
            return current
        current = data.value(current, PROV.wasDerivedFrom)
    return None


def _int(value: Node | None) -> int | None:
    return int(value) if isinstance(value, Literal) else None


def _printed(value: Node | None) -> Decimal | None:
    """A printed value as printed: ``2181.31``, and ``156211123`` for the
    converter's ``156211123.0`` (see :func:`_last_digit`)."""
    if not isinstance(value, Literal):
        return None
    text = str(value)
    return _decimal(text[:-2] if text.endswith(".0") else text)


def _decimal(value: object) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _local(node: Node | None) -> str:
    text = str(node or "")
    return re.split(r"[#/]", text)[-1] if text else ""


def _label(graph: Graph, node: Node | None, lang: str) -> str:
    for label in graph.objects(node, RDFS.label):
        if isinstance(label, Literal) and label.language == lang:
            return str(label)
    return _local(node)


# -- many documents -------------------------------------------------------------


#: RDF files by extension; anything else is read as a disclosure (PDF or text).
RDF_FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig",
               ".jsonld": "json-ld"}


def load_dataset(path: Path) -> Dataset:
    """The RDF of one file: parsed if it is RDF, else read and converted."""
    rdf_format = RDF_FORMATS.get(path.suffix.lower())
    if rdf_format is not None:
        dataset = Dataset(default_union=True)
        dataset.parse(path, format=rdf_format)
        return dataset
    from budgetgraph.rdf.convert import convert
    from budgetgraph.readers import read

    return convert([read(path)], reference=False)


@dataclass(frozen=True)
class ReadFailure:
    """A file that could not be read as a disclosure or as RDF, and why."""

    path: str
    message: str


def validate_path(path: Path) -> ValidationResult | ReadFailure:
    """Read one file (a disclosure or RDF) and validate it, or say why it cannot
    be read; a module-level function so process pools can pickle it."""
    try:
        dataset = load_dataset(path)
    except BudgetgraphError as exc:
        return ReadFailure(str(path), str(exc))
    except (OSError, SyntaxError, ValueError, ParserError) as exc:
        return ReadFailure(str(path), f"{path}: {exc}")
    if next(_documents(dataset), None) is None:
        return ReadFailure(str(path), f"{path}: no bg:Disclosure in the file, nothing to validate")
    return validate(dataset)


def validate_many(paths: Iterable[Path], *, workers: int | None = None
                  ) -> list[ValidationResult | ReadFailure]:
    """Validate documents in parallel, one per process task: documents are
    independent, so a corpus spreads across cores. Results are in input order.

    Workers are spawned, not forked: a process that has run pyrudof holds its
    engine's threads and locks, and a forked child deadlocks on them.
    """
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        return list(pool.map(validate_path, paths))
