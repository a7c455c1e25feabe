"""Each identity fires on a one-figure change of the real Qinghai text, through the
whole pipeline (read → convert → validate), naming both figures and their lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from _pytest.mark.structures import ParameterSet
from rdflib import Graph
from tests.documents import QINGHAI_MUTATIONS, write_qinghai_changed

from budgetgraph.model import Disclosure
from budgetgraph.rdf.convert import convert
from budgetgraph.rdf.namespaces import BG
from budgetgraph.readers import read
from budgetgraph.validate import (
    DOCUMENT_SHAPES,
    SHAPES_DIR,
    Finding,
    Shapes,
    ValidationResult,
    shapes_from_graph,
    validate,
)


def mutated(tmp_path: Path, line: int, old: str, new: str, *,
            shapes: Shapes | None = None) -> ValidationResult:
    path = write_qinghai_changed(tmp_path, line, old, new)
    return validate(convert([read(path)], reference=False), shapes=shapes)


def naming(result: ValidationResult, *lines: int) -> list[Finding]:
    """The violations whose figures come from every one of ``lines``."""
    return [f for f in result.violations
            if {str(n) for n in lines} <= {s.rsplit(":", 1)[-1] for s in f.sources}]


def without(rule: str) -> Shapes:
    """The document shapes with both shapes of one identity taken out."""
    source = Graph()
    for name in DOCUMENT_SHAPES:
        source.parse(SHAPES_DIR / name)
    for band in ("violation", "warning"):
        source.remove((BG[f"{rule}-{band}"], None, None))
    return shapes_from_graph(source)


@pytest.mark.parametrize(("rule", "line", "old", "new", "other"), QINGHAI_MUTATIONS)
def test_identity_fires(tmp_path: Path, rule: str, line: int, old: str, new: str,
                        other: int) -> None:
    result = mutated(tmp_path, line, old, new)
    hits = [f for f in result.violations if f.rule == rule]
    assert hits, [f.rule for f in result.violations]
    assert [f for f in naming(result, line, other) if f.rule == rule]
    assert all(f.left or f.right for f in hits)
    assert all(f.difference for f in hits)


#: Mutations that break more than one identity: the other identities that name the
#: same lines, by rule and changed line. Every other mutation is caught by its
#: identity alone.
ALSO_CAUGHT_BY: dict[tuple[str, int], set[str]] = {
    # a 项 row's 合计: its 款 and the same row of table 5 disagree too
    ("RowTotalEqualsSumOfColumns", 120): {"ParentEqualsSumOfChildren",
                                          "ExpenditureMatchesGeneralPublic"},
    ("RowTotalEqualsSumOfColumns", 253): {"ParentEqualsSumOfChildren"},
    # the narrative restates the 三公 total and the 支出总计
    ("ThreePublicTotal", 278): {"NarrativeMatchesTables"},
    ("IncomeEqualsExpenditure", 97): {"NarrativeMatchesTables", "SummaryBalance"},
}


#: The cases without their marks: the line the converter records for the performance
#: total does not matter once its shape is gone.
UNMARKED = [tuple(c.values) if isinstance(c, ParameterSet) else c for c in QINGHAI_MUTATIONS]


@pytest.mark.parametrize(("rule", "line", "old", "new", "other"), UNMARKED)
def test_the_mutation_goes_unreported_without_its_shape(
        tmp_path: Path, qinghai: Disclosure, rule: str, line: int, old: str, new: str,
        other: int) -> None:
    """The identity under test is what catches each mutation: with its shapes taken
    out of the shapes graph, the mutation test's finding is gone, and no other
    violation names the changed line and the other line together (beyond what the
    unchanged document reports) unless listed in ALSO_CAUGHT_BY."""
    shapes = without(rule)
    before = {(f.shape, f.value)
              for f in validate(convert([qinghai], reference=False),
                                shapes=shapes).violations}
    after = mutated(tmp_path, line, old, new, shapes=shapes)
    assert not [f for f in after.violations if f.rule == rule]
    others = {f.rule for f in naming(after, line, other) if (f.shape, f.value) not in before}
    assert others == ALSO_CAUGHT_BY.get((rule, line), set())
