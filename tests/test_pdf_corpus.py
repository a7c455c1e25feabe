"""The 14 corpus PDFs read end to end: coverage, pinned figures, PDF = text export.

Each PDF is read once per session (``docs``, from ``read_document``). The pinned figures were
read off the rendered PDF pages by hand, one table of every kind in every
layout family: 部门决算 (F01), 部门预算 (F04), 单位预算 (F05), 市级单位预算 (F12),
plus the 决算 and F12 layout defects fixed in the readers (F02's fragmented 三公
header, the 合计 label printed after its amounts, the 决算 fund tables' columns).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from tests.documents import F08_TEXT, PDF_DIR

from budgetgraph.model import AmountUnit, Disclosure, Row, TableKind
from budgetgraph.readers import read

PDFS = {p.name[:3]: p for p in sorted(PDF_DIR.glob("F*.pdf"))}

pytestmark = pytest.mark.corpus

#: Least share of figures read into the model, per PDF. What is left is unread
#: with a specific reason (tested below); the floors sit just under today's
#: figures so that a regression shows.
COVERAGE_FLOOR = {
    "F01": 1.0, "F02": 0.99, "F03": 1.0, "F04": 1.0, "F05": 1.0, "F06": 1.0, "F07": 1.0,
    "F08": 0.99, "F09": 0.99, "F10": 0.99, "F11": 1.0, "F12": 1.0, "F13": 1.0, "F14": 0.97,
}


@pytest.fixture(scope="module")
def docs(read_document: Callable[[Path], Disclosure]) -> dict[str, Disclosure]:
    """Every corpus PDF, read once per session (read times: bench/pdf_read.py)."""
    return {name: read_document(path) for name, path in PDFS.items()}


def row(doc: Disclosure, kind: TableKind, *, code: str | None = None, name: str | None = None,
        side: str | None = None, total: bool = False) -> Row:
    table = doc.table(kind)
    assert table is not None, kind
    found = [r for r in table.rows if (code is None or r.code == code)
             and (name is None or r.name == name) and (side is None or r.side == side)
             and (not total or r.is_total)]
    assert found, (kind, code, name, side)
    return found[0]


def test_all_14_parse_with_every_table_of_the_template(docs: dict[str, Disclosure]) -> None:
    for name, doc in docs.items():
        kinds = {t.kind for t in doc.tables}
        assert len(doc.tables) == 9, name
        assert kinds == {TableKind.SUMMARY, TableKind.INCOME, TableKind.EXPENDITURE,
                         TableKind.FISCAL_SUMMARY, TableKind.GENERAL_PUBLIC,
                         TableKind.GENERAL_PUBLIC_BASIC, TableKind.THREE_PUBLIC,
                         TableKind.GOVERNMENT_FUND, TableKind.STATE_CAPITAL}, name
        assert not doc.warnings, (name, doc.warnings)


@pytest.mark.parametrize("name", sorted(COVERAGE_FLOOR))
def test_coverage_and_every_unread_token_has_a_reason(docs: dict[str, Disclosure],
                                                      name: str) -> None:
    coverage = docs[name].coverage
    print(f"{name}: {coverage.figures_consumed}/{coverage.figures_total} figures consumed")
    assert coverage.figures_total > 250
    assert coverage.ratio >= COVERAGE_FLOOR[name]
    assert not [u for u in coverage.unread if u.reason == "not understood"]


def test_cover_names_wrapped_over_lines(docs: dict[str, Disclosure]) -> None:
    """F02 and F03 wrap the department's name over two cover lines."""
    assert docs["F02"].department == "上海市普陀区规划和自然资源局"
    assert docs["F03"].department == "中共上海市普陀区委社会工作部"
    assert docs["F03"].profile.text  # the contents page is no longer taken for the cover


# --- 部门决算 (F01: split 类/款/项 columns, 万元) ----------------------------------


def test_final_accounts_f01_every_kind(docs: dict[str, Disclosure]) -> None:
    doc = docs["F01"]
    assert all(t.unit is AmountUnit.WAN_YUAN for t in doc.tables)
    summary = row(doc, TableKind.SUMMARY, name="一般公共预算财政拨款收入", side="收入")
    assert summary.values["决算数"] == Decimal("2940.05")
    assert row(doc, TableKind.SUMMARY, side="支出", total=True).values["决算数"] == \
        Decimal("2995.39")
    income = row(doc, TableKind.INCOME, total=True).values
    assert (income["合计"], income["财政拨款收入"], income["其他收入"]) == \
        (Decimal("2946.25"), Decimal("2940.05"), Decimal("6.20"))
    expenditure = row(doc, TableKind.EXPENDITURE, code="2010601").values
    assert (expenditure["合计"], expenditure["基本支出"], expenditure["项目支出"]) == \
        (Decimal("1511.89"), Decimal("1503.52"), Decimal("8.37"))
    fiscal = row(doc, TableKind.FISCAL_SUMMARY, code="221", side="支出").values
    assert fiscal["合计"] == fiscal["一般公共预算"] == Decimal("445.69")
    # the 合计 label printed below its amounts (its cell is not a ruled box) joins them
    general = row(doc, TableKind.GENERAL_PUBLIC, total=True)
    assert general.name == "合计"
    assert general.values["合计"] == Decimal("2940.05")
    assert general.values["基本支出"] == Decimal("2336.91")
    basic = doc.table(TableKind.GENERAL_PUBLIC_BASIC)
    assert basic is not None
    assert row(doc, TableKind.GENERAL_PUBLIC_BASIC, code="30101").values["决算数"] == \
        Decimal("262.33")
    assert row(doc, TableKind.GENERAL_PUBLIC_BASIC, code="30239").values["决算数"] == \
        Decimal("48.49")
    assert row(doc, TableKind.GENERAL_PUBLIC_BASIC, name="人员经费合计").values["决算数"] == \
        Decimal("2152.26")
    three = row(doc, TableKind.THREE_PUBLIC).values
    # p18 prints 0.95 under 预算数 of 合计 and of 公务接待费; every 决算数 is blank
    assert three["本年:合计"] == three["本年:公务接待费"] == Decimal("0.95")
    assert three["本年:合计:决算"] is None
    for kind in (TableKind.GOVERNMENT_FUND, TableKind.STATE_CAPITAL):
        table = doc.table(kind)
        assert table is not None and table.states_empty
        assert [c.key for c in table.columns] == [
            "年初结转和结余", "本年收入", "合计", "基本支出", "项目支出", "年末结转和结余"]


def test_final_accounts_f02_three_public_header_fragments(docs: dict[str, Disclosure]) -> None:
    """因公出国 / （境）费 and 公务用车 / 购置费 are joined; 合计 between its two leaves."""
    table = docs["F02"].table(TableKind.THREE_PUBLIC)
    assert table is not None
    assert [c.key for c in table.columns] == [
        "本年:合计", "本年:合计:决算", "本年:因公出国(境)费", "本年:因公出国(境)费:决算",
        "本年:公务用车购置及运行费", "本年:公务用车购置及运行费:决算", "本年:公务用车购置费",
        "本年:公务用车购置费:决算", "本年:公务用车运行费", "本年:公务用车运行费:决算",
        "本年:公务接待费", "本年:公务接待费:决算"]
    (values,) = [r.values for r in table.rows]
    assert values["本年:合计"] == values["本年:公务接待费"] == Decimal("2.85")
    assert values["本年:合计:决算"] == values["本年:公务接待费:决算"] == Decimal("0.39")
    assert not table.reader_notes


def test_final_accounts_f02_f03_fund_tables(docs: dict[str, Disclosure]) -> None:
    """合计 row label in the sub-header row; 注：本表反映… is a description, 说明 the zero."""
    for name in ("F02", "F03"):
        for kind in (TableKind.GOVERNMENT_FUND, TableKind.STATE_CAPITAL):
            table = docs[name].table(kind)
            assert table is not None
            assert [c.key for c in table.columns] == [
                "年初结转和结余", "本年收入", "合计", "基本支出", "项目支出", "年末结转和结余"]
            assert [r.name for r in table.rows] == ["合计"]
            assert [n.states_empty for n in table.notes] == [False, True]
    instruction = docs["F03"].table(TableKind.GOVERNMENT_FUND)
    assert instruction is not None
    assert any("仍保留该表格式" in n for n in instruction.reader_notes)
    assert all("仍保留" not in n.text for n in instruction.notes)


def test_final_accounts_f02_numbered_fiscal_rows_are_rows(docs: dict[str, Disclosure]) -> None:
    names = [r.name for r in docs["F02"].tables[3].rows if r.side == "收入"]
    assert names[-4:] == ["一般公共预算财政拨款", "政府性基金预算财政拨款",
                          "国有资本经营预算财政拨款", "总计"]


# --- 部门预算 (F04) and 单位预算 (F05): 元, 三公 in 万元 ------------------------------


@pytest.mark.parametrize("name", ["F04", "F05"])
def test_budget_every_kind(docs: dict[str, Disclosure], name: str) -> None:
    doc = docs[name]
    side = "预算数" if name == "F04" else "合计"  # 单位预算 splits table 1's expenditure side
    assert row(doc, TableKind.SUMMARY, code="201", side="支出").values[side] == \
        Decimal("82096797.42")
    assert row(doc, TableKind.SUMMARY, side="收入", total=True).values["预算数"] == \
        Decimal("91016775.35")
    assert row(doc, TableKind.INCOME, code="2010301").values["财政拨款收入"] == \
        Decimal("12029501.84")
    expenditure = row(doc, TableKind.EXPENDITURE, total=True).values
    assert (expenditure["合计"], expenditure["基本支出"], expenditure["项目支出"]) == \
        (Decimal("91016775.35"), Decimal("24606775.35"), Decimal("66410000.00"))
    assert row(doc, TableKind.FISCAL_SUMMARY, side="支出", total=True).values["一般公共预算"] == \
        Decimal("91016775.35")
    general = row(doc, TableKind.GENERAL_PUBLIC, code="2010301").values
    assert (general["基本支出"], general["项目支出"]) == \
        (Decimal("11919501.84"), Decimal("110000.00"))
    basic = row(doc, TableKind.GENERAL_PUBLIC_BASIC, total=True).values
    assert (basic["人员经费"], basic["公用经费"]) == \
        (Decimal("22473997.81"), Decimal("2132777.54"))
    assert row(doc, TableKind.GENERAL_PUBLIC_BASIC, code="30101").values["合计"] == \
        Decimal("2540192.00")
    three = doc.table(TableKind.THREE_PUBLIC)
    assert three is not None and three.unit is AmountUnit.WAN_YUAN
    (values,) = [r.values for r in three.rows]
    assert values["本年:合计"] == Decimal("867.50")
    assert values["本年:因公出国(境)费"] == Decimal("839.00")
    assert values["本年:公务接待费"] == Decimal("28.50")
    assert values["本年:公务用车购置及运行费"] is None
    assert values["本年:机关运行经费"] == Decimal("213.28")
    for kind in (TableKind.GOVERNMENT_FUND, TableKind.STATE_CAPITAL):
        table = doc.table(kind)
        assert table is not None and table.states_empty
        assert all(v is None for r in table.rows for v in r.values.values())


def test_unit_budget_f05_summary_splits_expenditure(docs: dict[str, Disclosure]) -> None:
    values = row(docs["F05"], TableKind.SUMMARY, code="201", side="支出").values
    assert (values["人员经费"], values["公用经费"], values["项目支出"]) == \
        (Decimal("13819399.88"), Decimal("1867397.54"), Decimal("66410000.00"))


# --- 市级单位预算 (F12): whole 元, table 1 split, 合计 printed after its amounts -------


def test_municipal_f12_every_kind(docs: dict[str, Disclosure]) -> None:
    doc = docs["F12"]
    summary = doc.table(TableKind.SUMMARY)
    assert summary is not None
    assert [(c.key, c.side) for c in summary.columns] == [
        ("预算数", "收入"), ("合计", "支出"), ("人员经费", "支出"), ("公用经费", "支出"),
        ("项目支出", "支出")]
    values = row(doc, TableKind.SUMMARY, code="201", side="支出").values
    assert (values["合计"], values["人员经费"], values["公用经费"], values["项目支出"]) == (
        Decimal("127886849"), Decimal("60330260"), Decimal("24531459"), Decimal("43025130"))
    assert row(doc, TableKind.SUMMARY, name="一般公共预算资金").values["预算数"] == \
        Decimal("171915169")
    assert row(doc, TableKind.INCOME, code="2080801").values["合计"] == Decimal("1200000")
    assert row(doc, TableKind.EXPENDITURE, total=True).values["基本支出"] == \
        Decimal("127642039")
    assert row(doc, TableKind.FISCAL_SUMMARY, code="221", side="支出").values["合计"] == \
        Decimal("21800000")
    assert row(doc, TableKind.GENERAL_PUBLIC, code="2010601").values["基本支出"] == \
        Decimal("84861719")
    total = row(doc, TableKind.GENERAL_PUBLIC_BASIC, total=True)
    assert total.name == "合计" and total.source.page == 19
    assert (total.values["合计"], total.values["人员经费"], total.values["公用经费"]) == (
        Decimal("127642039"), Decimal("102464260"), Decimal("25177779"))
    (three,) = [r.values for r in doc.tables[-1].rows]
    assert three["本年:因公出国(境)费"] == Decimal("288.70")
    assert three["本年:公务用车运行费"] == Decimal("32.20")
    assert three["本年:机关运行经费"] == Decimal("2517.78")
    for kind in (TableKind.GOVERNMENT_FUND, TableKind.STATE_CAPITAL):
        table = doc.table(kind)  # no note under F12's empty tables: only the 合计 row
        assert table is not None and not table.notes
        assert all(v is None for r in table.rows for v in r.values.values())


def test_misprinted_class_code_is_repaired_with_a_note(docs: dict[str, Disclosure]) -> None:
    """F13 p9 prints 类 7 for 210 under 款 210 11."""
    table = docs["F13"].table(TableKind.EXPENDITURE)
    assert table is not None
    assert row(docs["F13"], TableKind.EXPENDITURE, code="2101102").name == "事业单位医疗"
    assert any("7 11 02" in n for n in table.reader_notes)


# --- F14's performance forms ----------------------------------------------------


def test_f14_performance_forms(docs: dict[str, Disclosure]) -> None:
    performance = docs["F14"].performance
    assert performance is not None and performance.unit is AmountUnit.YUAN
    assert [(p.name, p.amount) for p in performance.projects] == [
        ("新建万里街道社区公共服务中心", Decimal("4100000.00")),
        ("就业援助基地补贴", Decimal("6351000.00")),
        ("社区环境整治和建设经费", Decimal("4563800.00")),
        ("各类工作经费", Decimal("7595500.00")),
        ("公共服务设施运行经费", Decimal("10903043.00")),
    ]
    first = performance.projects[0]
    area = first.indicators[0]
    assert (area.level1, area.level2, area.level3) == ("产出指标", "数量指标", "规划建筑面积")
    assert (area.operator, area.target_value, area.unit, area.weight) == \
        ("≥", Decimal("13459.00"), "平方米", None)
    assert [i.level2 for i in first.indicators] == [
        "数量指标", "质量指标", "成本指标", "社会效益指标", "服务对象满意度指标"]
    assert first.indicators[1].operator == "定性" and first.indicators[1].target == "及时率"
    assert first.goal.startswith("建成后作为万里街道社区事务受理")
    assert [len(p.indicators) for p in performance.projects] == [5, 4, 4, 43, 9]
    worded = performance.projects[2].indicators[2]
    assert (worded.operator, worded.target_value, worded.unit) == ("≥", Decimal("50"), "%")
    # p35's 当年财政拨款 differs from its 年度资金申请总额: said, not silently dropped
    assert any("11,419,043.00" in n for n in performance.reader_notes)


# --- the same document as PDF and as text export ----------------------------------


def test_f08_pdf_and_text_export_give_the_same_tables(docs: dict[str, Disclosure]) -> None:
    text = read(F08_TEXT)
    pdf = docs["F08"]
    assert [t.kind for t in pdf.tables] == [t.kind for t in text.tables]
    for from_pdf, from_text in zip(pdf.tables, text.tables, strict=True):
        assert from_pdf.unit is from_text.unit
        assert [c.key for c in from_pdf.columns] == [c.key for c in from_text.columns]
        assert [(r.side, r.code, r.name, r.is_total, r.values) for r in from_pdf.rows] == \
            [(r.side, r.code, r.name, r.is_total, r.values) for r in from_text.rows], \
            from_pdf.kind
    assert sum(len(t.rows) for t in pdf.tables) == 268
