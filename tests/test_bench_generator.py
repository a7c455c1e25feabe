"""The benchmark corpus generator writes what it means, readably, and reproducibly.

Generated documents are read back with the real reader and every figure is
compared with the plan the generator drew; the plans themselves must keep the
identities (so validation passes by construction); and one seed must give
identical bytes.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from bench.generate import (
    MARKER,
    Plan,
    plan,
    regions,
    render,
    write_corpus,
)

from budgetgraph.model import TableKind
from budgetgraph.readers import read

SEED = 20_261_128
ZERO = Decimal(0)


def _plans() -> list[Plan]:
    """A handful of varied documents: first types, the 社保 bureau, a township, two years."""
    counties = regions(40, seed=SEED)
    return [plan(counties[0], 0, 2024, seed=SEED), plan(counties[7], 16, 2025, seed=SEED),
            plan(counties[33], 11, 2023, seed=SEED), plan(counties[39], 31, 2026, seed=SEED)]


@pytest.fixture(scope="module", params=range(4), ids=lambda i: f"doc{i}")
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
              ) -> tuple[Plan, Path]:
    p = _plans()[request.param]
    path = tmp_path_factory.mktemp("generated") / p.file
    path.write_text(render(p), encoding="utf-8")
    return p, path


def _value(values: dict[str, Decimal | None], key: str) -> Decimal:
    value = values.get(key)
    return ZERO if value is None else value


def test_named_and_marked_as_generated(generated: tuple[Plan, Path]) -> None:
    _, path = generated
    assert path.name.startswith("generated-")
    assert MARKER in path.read_text(encoding="utf-8").splitlines()
    assert "不是真实数据" in MARKER and "not real data" in MARKER


def test_reader_accounts_for_every_figure(generated: tuple[Plan, Path]) -> None:
    p, path = generated
    doc = read(path)
    assert doc.department == p.department and doc.year == p.year
    assert doc.coverage.unread == [] and doc.warnings == []
    assert {t.kind for t in doc.tables} >= {
        TableKind.SUMMARY, TableKind.INCOME, TableKind.EXPENDITURE, TableKind.FISCAL_SUMMARY,
        TableKind.GENERAL_PUBLIC, TableKind.GENERAL_PUBLIC_BASIC, TableKind.THREE_PUBLIC,
        TableKind.GOVERNMENT_FUND, TableKind.STATE_CAPITAL}


def test_functional_tables_read_as_meant(generated: tuple[Plan, Path]) -> None:
    p, path = generated
    doc = read(path)
    for kind in (TableKind.EXPENDITURE, TableKind.GENERAL_PUBLIC):
        table = doc.table(kind)
        assert table is not None
        read_rows = {r.code: r for r in table.rows if r.code}
        assert set(read_rows) == set(p.functional)
        for code, meant in p.functional.items():
            values = read_rows[code].values
            assert (_value(values, "合计"), _value(values, "基本支出"),
                    _value(values, "项目支出")) == (meant.total, meant.basic, meant.project), code
        total = table.total_row()
        assert total is not None and _value(total.values, "合计") == p.total


def test_economic_and_three_public_tables_read_as_meant(generated: tuple[Plan, Path]) -> None:
    p, path = generated
    doc = read(path)
    basic = doc.table(TableKind.GENERAL_PUBLIC_BASIC)
    assert basic is not None
    items = {r.code: _value(r.values, "合计") for r in basic.rows if r.code and len(r.code) == 5}
    assert items == p.economic
    total = basic.total_row()
    assert total is not None
    assert (_value(total.values, "人员经费"), _value(total.values, "公用经费")) == (
        p.personnel, p.public_use)
    three = doc.table(TableKind.THREE_PUBLIC)
    assert three is not None
    row = next(r for r in three.rows if any(v is not None for v in r.values.values()))
    key = next(k for k in row.values if k.endswith("合计") and not k.startswith("上年"))
    assert _value(row.values, key) == sum(p.three_public, ZERO)


def test_narrative_restates_the_tables(generated: tuple[Plan, Path]) -> None:
    p, path = generated
    doc = read(path)
    income = [s for s in doc.statements if s.topic == "收入预算"]
    assert income and all(s.value == p.total for s in income)
    items = {s.code: s for s in doc.statements if s.topic == "功能科目" and s.code}
    leaves = {c: r for c, r in p.functional.items() if len(c) == 7}
    assert set(items) == set(leaves)
    for code, row in leaves.items():
        stated = items[code]
        assert stated.value == row.total
        assert stated.previous == p.prior[code], code  # current − change = last year


def test_performance_table_read_as_meant(generated: tuple[Plan, Path]) -> None:
    p, path = generated
    doc = read(path)
    assert doc.performance is not None and doc.performance.reader_notes == []
    assert [(x.code, x.amount) for x in doc.performance.projects] == [
        (code, amount) for code, _, amount in p.projects]
    for project in doc.performance.projects:
        weights = sum((i.weight or ZERO for i in project.indicators), ZERO)
        assert (project.execution_weight or ZERO) + weights == 100


@pytest.mark.parametrize("index", range(4))
def test_plans_keep_the_identities(index: int) -> None:
    p = _plans()[index]
    for code, row in p.functional.items():
        children = [r for c, r in p.functional.items()
                    if len(c) == len(code) + 2 and c.startswith(code)]
        if len(code) < 7:
            assert row.basic == sum((c.basic for c in children), ZERO), code
            assert row.project == sum((c.project for c in children), ZERO), code
    assert p.basic == p.personnel + p.public_use  # table 5 基本支出 = table 6 合计
    assert p.project == sum((a for _, _, a in p.projects), ZERO)
    assert p.three_public[2] == p.economic.get("30231", ZERO)
    assert p.three_public[3] == p.economic.get("30217", ZERO)
    amounts = [*p.economic.values(), *(r.basic for r in p.functional.values()),
               *(r.project for r in p.functional.values())]
    assert all(a == a.quantize(Decimal("0.01")) for a in amounts)


def test_one_seed_gives_identical_bytes(tmp_path: Path) -> None:
    first = write_corpus(tmp_path / "a", regions_count=3, departments=4, years=2, seed=SEED)
    second = write_corpus(tmp_path / "b", regions_count=3, departments=4, years=2, seed=SEED)
    other = write_corpus(tmp_path / "c", regions_count=3, departments=4, years=2, seed=SEED + 1)
    assert len(first) == 24
    assert [f.read_bytes() for f in first] == [f.read_bytes() for f in second]
    assert (tmp_path / "a" / "manifest.json").read_bytes() == (
        tmp_path / "b" / "manifest.json").read_bytes()
    assert [f.read_bytes() for f in first] != [f.read_bytes() for f in other]


def test_the_validation_stage_runs_both_engines_on_generated_documents(tmp_path: Path) -> None:
    """The benchmark's validation stage, as `bench.run` starts it (a fresh process): the
    generated documents conform under pyrudof, and pyshacl conforms on the same input."""
    import json
    import subprocess
    import sys

    write_corpus(tmp_path, regions_count=1, departments=2, years=1, seed=SEED)
    args = {"corpus": str(tmp_path), "documents": 2, "runs": 1, "pyshacl_docs": 1}
    done = subprocess.run([sys.executable, "-m", "bench.stages", "validation", json.dumps(args)],
                          capture_output=True, text=True, timeout=600,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["documents"] == 2 and result["non_conforming"] == 0
    assert result["pyshacl_docs"] == 1 and result["pyshacl_conforms"] is True
