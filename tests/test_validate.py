"""The validator on the real Qinghai document, on a clean document built from the
model, and on malformed graphs; the command's exit codes and report file."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import SH, XSD
from tests.documents import QINGHAI, pdf, write_qinghai_changed

from budgetgraph.model import (
    AmountUnit,
    Column,
    Disclosure,
    DocumentKind,
    Row,
    SourceRef,
    Table,
    TableKind,
)
from budgetgraph.rdf.convert import convert
from budgetgraph.rdf.namespaces import (
    BG,
    DCTERMS,
    OBEU_ATTRIBUTE,
    OBEU_DIMENSION,
    OBEU_MEASURE,
    QB,
    RDF,
    SKOS,
)
from budgetgraph.readers import read
from budgetgraph.report import format_report, run_validate
from budgetgraph.validate import (
    ReadFailure,
    ValidationResult,
    validate,
    validate_many,
    validate_reference,
)


def qinghai_dataset(qinghai: Disclosure) -> Dataset:
    """The Qinghai document's graph, fresh for each test that changes it."""
    return convert([qinghai], reference=False)


def doc_graph(dataset: Dataset) -> Graph:
    return next(g for g in dataset.graphs() if (None, RDF.type, BG.Disclosure) in g)


# -- the real document ------------------------------------------------------------


def test_qinghai_rounding_breaks_are_warnings_naming_every_figure(qinghai: Disclosure) -> None:
    result = validate(qinghai_dataset(qinghai))
    sums = [f for f in result.warnings if f.rule == "TotalEqualsSumOfClasses"]
    assert sums
    for finding in sums:
        assert finding.tolerance is not None and finding.difference is not None
        assert 0 < abs(finding.difference) <= finding.tolerance
        assert finding.left and finding.right
        assert all(f.source and f.line for f in (*finding.left, *finding.right))
        assert finding.left_total == sum(f.value or 0 for f in finding.left)
        assert finding.right_total == sum(f.value or 0 for f in finding.right)


def test_qinghai_violations_are_exact_breaks(qinghai: Disclosure) -> None:
    """Whatever the validator calls a violation in the real document is beyond
    the rounding of the source."""
    result = validate(qinghai_dataset(qinghai))
    for finding in result.violations:
        assert finding.difference is not None and finding.tolerance is not None
        assert abs(finding.difference) > finding.tolerance
        assert finding.sources


def test_qinghai_has_no_violation_and_reports_its_two_weight_columns_disagreeing(
        tmp_path: Path, qinghai: Disclosure) -> None:
    """Line 492 prints 权重 5 but 本年权重 15. The budget year's weights (本年权重)
    add up to 100, so no identity breaks; the disagreement is a warning naming
    both figures and their line."""
    result = validate(qinghai_dataset(qinghai))
    assert result.violations == []
    assert not result.conforms  # warnings are reported, never hidden
    (weights,) = [f for f in result.warnings if f.rule == "WeightColumnsAgree"]
    assert (weights.left_total, weights.right_total) == (5, 15)
    assert weights.sources == [f"{QINGHAI.name}:492"]
    fixed = write_qinghai_changed(tmp_path, 492, "%\t5\t15", "%\t15\t15")
    refound = validate(convert([read(fixed)], reference=False))
    assert refound.violations == []
    assert "WeightColumnsAgree" not in {f.rule for f in refound.warnings}


def test_a_weight_that_breaks_both_columns_is_a_violation(tmp_path: Path) -> None:
    broken = write_qinghai_changed(tmp_path, 492, "%\t5\t15", "%\t5\t5")
    found = {f.rule for f in validate(convert([read(broken)], reference=False)).violations}
    assert "PerformanceWeights" in found


# -- a clean document ---------------------------------------------------------------


def clean_disclosure() -> Disclosure:
    def ref(line: int) -> SourceRef:
        return SourceRef("clean.txt", line)

    columns = [Column("合计", "合计", year=2024), Column("基本支出", "基本支出", year=2024),
               Column("项目支出", "项目支出", year=2024)]

    def rows(first: int) -> list[Row]:
        figures = [
            (None, 0, True, "合计", "30.00", "20.00", "10.00"),
            ("208", 1, False, "社会保障和就业支出", "30.00", "20.00", "10.00"),
            ("20801", 2, False, "人力资源和社会保障管理事务", "30.00", "20.00", "10.00"),
            ("2080109", 3, False, "社会保险经办机构", "30.00", "20.00", "10.00"),
        ]
        return [Row(name=name, code=code, level=level, is_total=total, source=ref(first + i),
                    values={"合计": Decimal(a), "基本支出": Decimal(b), "项目支出": Decimal(c)})
                for i, (code, level, total, name, a, b, c) in enumerate(figures)]

    tables = [
        Table(TableKind.EXPENDITURE, "支出总表", AmountUnit.WAN_YUAN, columns, rows(11), ref(10)),
        Table(TableKind.GENERAL_PUBLIC, "一般公共预算支出表", AmountUnit.WAN_YUAN, columns,
              rows(21), ref(20)),
    ]
    return Disclosure(source_file="clean.txt", kind=DocumentKind.DEPARTMENT_BUDGET, year=2024,
                      department="测试局", region="互助土族自治县", region_code="630223",
                      tables=tables)


def test_clean_document_has_no_finding() -> None:
    result = validate(convert([clean_disclosure()], reference=False))
    assert result.violations == [] and result.warnings == []
    assert result.conforms


def test_clean_document_breaks_when_one_figure_changes() -> None:
    disclosure = clean_disclosure()
    disclosure.tables[0].rows[3].values["基本支出"] = Decimal("21.00")
    found = {f.rule for f in validate(convert([disclosure], reference=False)).violations}
    assert {"ParentEqualsSumOfChildren", "RowTotalEqualsSumOfColumns"} <= found


# -- malformed graphs ----------------------------------------------------------------


def first_observation(graph: Graph) -> URIRef:
    return min(o for o in graph.subjects(RDF.type, QB.Observation) if isinstance(o, URIRef))


def violations_on(dataset: Dataset, node: URIRef) -> set[str]:
    return {f.rule for f in validate(dataset).violations
            if URIRef(f.focus) == node or f.value == str(node)}


def test_missing_amount_is_a_violation(qinghai: Disclosure) -> None:
    dataset = qinghai_dataset(qinghai)
    graph = doc_graph(dataset)
    obs = first_observation(graph)
    graph.remove((obs, OBEU_MEASURE.amount, None))
    assert {"ObservationShape", "IC14AllMeasuresPresent"} <= violations_on(dataset, obs)


def test_float_amount_is_a_violation(qinghai: Disclosure) -> None:
    dataset = qinghai_dataset(qinghai)
    graph = doc_graph(dataset)
    obs = first_observation(graph)
    graph.set((obs, OBEU_MEASURE.amount, Literal("1.5E6", datatype=XSD.double)))
    assert "ObservationShape" in violations_on(dataset, obs)


def test_negative_amount_is_a_violation(qinghai: Disclosure) -> None:
    dataset = qinghai_dataset(qinghai)
    graph = doc_graph(dataset)
    obs = first_observation(graph)
    graph.set((obs, OBEU_MEASURE.amount, Literal("-1.00", datatype=XSD.decimal)))
    assert "ObservationShape" in violations_on(dataset, obs)


def test_unknown_code_is_a_violation(qinghai: Disclosure) -> None:
    dataset = qinghai_dataset(qinghai)
    graph = doc_graph(dataset)
    obs = next(o for o in graph.subjects(BG.functionalClassification, None)
               if isinstance(o, URIRef) and (o, RDF.type, QB.Observation) in graph)
    graph.set((obs, BG.functionalClassification, URIRef("http://example.org/no-such-code")))
    assert "ObservationShape" in violations_on(dataset, obs)


def test_duplicate_observation_is_a_violation(qinghai: Disclosure) -> None:
    dataset = qinghai_dataset(qinghai)
    graph = doc_graph(dataset)
    obs = first_observation(graph)
    twin = URIRef(f"{obs}-twin")
    for p, o in list(graph.predicate_objects(obs)):
        graph.add((twin, p, o))
    found = [f for f in validate(dataset).violations if f.rule == "IC12NoDuplicateObservations"]
    assert found and str(twin) in found[0].message_en and str(obs) in found[0].message_en


def test_stated_prior_year_must_equal_current_minus_change(qinghai: Disclosure) -> None:
    dataset = qinghai_dataset(qinghai)
    graph = doc_graph(dataset)
    prior = next(graph.subjects(RDF.type, BG.PriorYearFigure))
    graph.set((prior, BG.isDerived, Literal(False)))
    amount = graph.value(prior, BG.statedAmount)
    graph.set((prior, BG.statedAmount, Literal(format(Decimal(str(amount)) + 100000, "f"),
                                               datatype=XSD.decimal)))
    assert "NarrativePriorYear" in {f.rule for f in validate(dataset).violations}


# -- the Data Cube shapes on the published cube --------------------------------------
#
# A published observation reaches its document only through its table (qb:dataSet,
# then the table's bg:disclosure); the bg:disclosure of an observation exists only in
# the copy validate() derives for the identities (budgetgraph.shortcuts). The cube
# shapes and the code checks must find their breaks either way: each mutation below
# is validated as validate() runs it, and again with the shortcuts taken away, which
# is the published document graph as a third party would check it.


def _dimension_dropped(graph: Graph, obs: URIRef) -> None:
    graph.remove((obs, OBEU_DIMENSION.fiscalYear, None))


def _duplicated(graph: Graph, obs: URIRef) -> None:
    twin = URIRef(f"{obs}-twin")  # sorts after obs: IC-12 names the smallest IRI
    for p, o in list(graph.predicate_objects(obs)):
        graph.add((twin, p, o))


def _attribute_dropped(graph: Graph, obs: URIRef) -> None:
    """The table's currency (required, attached to the table) taken away."""
    graph.remove((graph.value(obs, QB.dataSet), OBEU_ATTRIBUTE.currency, None))


def _measure_dropped(graph: Graph, obs: URIRef) -> None:
    graph.remove((obs, OBEU_MEASURE.amount, None))


def _column_outside_its_list(graph: Graph, obs: URIRef) -> None:
    graph.set((obs, BG.column, URIRef(f"{obs}-column")))


def _column_unlisted(graph: Graph, obs: URIRef) -> None:
    code = URIRef(f"{obs}-unlisted")
    graph.set((obs, BG.column, code))
    graph.add((code, RDF.type, BG.UnlistedCode))
    graph.add((code, SKOS.notation, Literal("9999")))


def _code_of_another_year(graph: Graph, obs: URIRef) -> None:
    code = URIRef(str(graph.value(obs, BG.functionalClassification)).replace("/2024/", "/2019/"))
    scheme = URIRef(f"{code}-scheme")
    graph.set((obs, BG.functionalClassification, code))
    graph.add((code, RDF.type, SKOS.Concept))
    graph.add((code, SKOS.inScheme, scheme))
    graph.add((scheme, DCTERMS.temporal, Literal("2019")))


#: (name, the mutation of one observation, the shape that must report that observation)
CUBE_MUTATIONS = [
    ("missing dimension", _dimension_dropped, "IC11AllDimensionsRequired"),
    ("duplicate observation", _duplicated, "IC12NoDuplicateObservations"),
    ("missing required attribute", _attribute_dropped, "IC13RequiredAttributes"),
    ("missing measure", _measure_dropped, "IC14AllMeasuresPresent"),
    ("code outside its list", _column_outside_its_list, "IC19CodesFromCodeList"),
    ("unlisted code", _column_unlisted, "UnlistedCodeShape"),
    ("code of another year", _code_of_another_year, "CodeYearShape"),
]
#: The shapes those mutations are for: none of them reports the real documents.
CUBE_RULES = {rule for _, _, rule in CUBE_MUTATIONS}


def _without_shortcuts(monkeypatch: pytest.MonkeyPatch) -> None:
    """validate() on the published graph only: the derived view adds nothing."""
    monkeypatch.setattr("budgetgraph.validate.shortcuts", lambda data, reference: Graph())


def _functional_observation(graph: Graph) -> URIRef:
    """The first observation of the expenditure table (it has every kind of dimension)."""
    return min(o for o in graph.subjects(BG.functionalClassification, None)
               if isinstance(o, URIRef) and (o, RDF.type, QB.Observation) in graph)


@pytest.fixture(scope="module")
def qinghai_nt(qinghai: Disclosure) -> str:
    """The Qinghai document graph, converted once; each test parses its own copy."""
    return doc_graph(qinghai_dataset(qinghai)).serialize(format="nt")


@pytest.mark.parametrize("published_only", [False, True], ids=["validate", "published-only"])
@pytest.mark.parametrize(("name", "mutate", "rule"), CUBE_MUTATIONS,
                         ids=[name for name, _, _ in CUBE_MUTATIONS])
def test_cube_shape_fires_on_one_defect(qinghai_nt: str, monkeypatch: pytest.MonkeyPatch,
                                        published_only: bool, name: str,
                                        mutate: Callable[[Graph, URIRef], None],
                                        rule: str) -> None:
    graph = Graph().parse(data=qinghai_nt, format="nt")
    obs = _functional_observation(graph)
    mutate(graph, obs)
    if published_only:
        _without_shortcuts(monkeypatch)
    result = validate(graph)
    found = [f for f in (*result.violations, *result.warnings) if f.rule == rule]
    assert [f for f in found if f.value == str(obs)], (name, [f.rule for f in result.violations])
    assert not result.conforms


@pytest.mark.parametrize("document", [QINGHAI, pdf("F13")], ids=["qinghai", "F13"])
def test_unmutated_documents_pass_the_cube_shapes(
        read_document: Callable[[Path], Disclosure], monkeypatch: pytest.MonkeyPatch,
        document: Path) -> None:
    """No violation; and the published graph alone gets the same findings from these
    shapes (F13 has a real unlisted code, a warning) as validate() does."""
    dataset = convert([read_document(document)], reference=False)
    result = validate(dataset)
    assert result.violations == []
    _without_shortcuts(monkeypatch)
    published = validate(dataset)
    assert not {f.rule for f in published.violations} & CUBE_RULES
    assert ({(f.rule, f.value) for f in published.warnings if f.rule in CUBE_RULES}
            == {(f.rule, f.value) for f in result.warnings if f.rule in CUBE_RULES})


def test_the_command_reports_a_missing_dimension(qinghai_nt: str, tmp_path: Path) -> None:
    """`budgetgraph validate` on a published document graph with one dimension gone."""
    graph = Graph().parse(data=qinghai_nt, format="nt")
    obs = _functional_observation(graph)
    _dimension_dropped(graph, obs)
    path = tmp_path / "qinghai.ttl"
    graph.serialize(path, format="turtle")
    out = io.StringIO()
    assert run_validate([path], None, out=out) == 1
    assert "IC-11" in out.getvalue() and str(OBEU_DIMENSION.fiscalYear) in out.getvalue()


# -- reports and the command ---------------------------------------------------------


def test_human_report_names_rule_figures_and_lines(qinghai: Disclosure) -> None:
    result = validate(qinghai_dataset(qinghai))
    zh, en = format_report(result, lang="zh"), format_report(result, lang="en")
    warning = result.warnings[0]
    assert warning.title_zh in zh and warning.title_en in en
    for source in warning.sources:
        assert source in zh and source in en


def test_report_graph_is_a_shacl_report(qinghai: Disclosure) -> None:
    graph = validate(qinghai_dataset(qinghai)).report_graph()
    report = next(graph.subjects(RDF.type, SH.ValidationReport))
    assert graph.value(report, SH.conforms) == Literal(False)
    assert len(list(graph.objects(report, SH.result))) >= 2


def test_run_validate_exit_codes_and_report_file(tmp_path: Path) -> None:
    report = tmp_path / "report.ttl"
    assert run_validate([QINGHAI], report) == 0  # warnings only
    assert (None, RDF.type, SH.ValidationReport) in Graph().parse(report)
    broken = write_qinghai_changed(tmp_path, 120, "772.24\t692.81", "772.24\t699.81")
    assert run_validate([broken], None) == 1
    missing = tmp_path / "missing.txt"
    assert run_validate([missing], None) == 2


def test_run_validate_reads_rdf_files(tmp_path: Path, qinghai: Disclosure) -> None:
    trig = tmp_path / "qinghai.trig"
    qinghai_dataset(qinghai).serialize(trig, format="trig")
    assert run_validate([trig], None) == 0
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle", encoding="utf-8")
    assert run_validate([broken], None) == 2
    unrelated = tmp_path / "unrelated.ttl"
    unrelated.write_text("<http://example.org/a> <http://example.org/b> 1 .", encoding="utf-8")
    assert run_validate([unrelated], None) == 2


def test_validate_many_keeps_order_and_reports_unreadable(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    results = validate_many([QINGHAI, missing, QINGHAI], workers=2)
    assert isinstance(results[0], ValidationResult) and isinstance(results[2], ValidationResult)
    assert isinstance(results[1], ReadFailure)
    assert results[0].violations == results[2].violations


def test_reference_data_is_checked_once() -> None:
    result = validate_reference(base="http://127.0.0.1:8000/", year=2024)
    assert {f.rule for f in result.violations} <= {"IC5ConceptDimensionsHaveCodeLists"}


def test_pyshacl_reads_the_same_shapes_and_agrees() -> None:
    """The shape files are standard SHACL-SPARQL: pyshacl (which pre-binds
    $currentShape itself) finds the same breaks as pyrudof on a small document."""
    from pyshacl import validate as pyshacl_validate

    from budgetgraph.validate import (
        DOCUMENT_SHAPES,
        SHAPES_DIR,
        derived_graph,
        document_shapes,
        reference_nt,
    )

    disclosure = clean_disclosure()
    disclosure.tables[0].rows[3].values["基本支出"] = Decimal("21.00")
    dataset = convert([disclosure], reference=False)
    graph = doc_graph(dataset)
    shapes = document_shapes()
    data = Graph().parse(data=reference_nt("http://127.0.0.1:8000/", 2024), format="nt")
    data += graph
    data.parse(data=shapes.parameters_nt, format="nt")
    data += derived_graph(graph, shapes, base="http://127.0.0.1:8000/", year=2024)
    source = Graph()
    for name in DOCUMENT_SHAPES:
        source.parse(SHAPES_DIR / name)
    _, report, _ = pyshacl_validate(data, shacl_graph=source, inplace=True)
    theirs = {str(report.value(r, SH.sourceShape)).rsplit("#", 1)[-1]
              for r in report.subjects(RDF.type, SH.ValidationResult)}
    ours = {f"{f.rule}-violation" for f in validate(dataset).violations}
    assert ours and theirs == ours
