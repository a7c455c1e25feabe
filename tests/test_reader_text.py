"""The text reader on the real documents: specific figures from every table."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from tests.documents import F08_TEXT, QINGHAI, QINGHAI_CORPUS

from budgetgraph.model import AmountUnit, Disclosure, DocumentKind, Phase, TableKind
from budgetgraph.readers import read

D = Decimal


@pytest.fixture(scope="module")
def f08(read_document: Callable[[Path], Disclosure]) -> Disclosure:
    return read_document(F08_TEXT)


def test_data_copy_is_the_corpus_document() -> None:
    assert QINGHAI.read_bytes() == QINGHAI_CORPUS.read_bytes()


def test_qinghai_document(qinghai: Disclosure) -> None:
    assert qinghai.kind is DocumentKind.DEPARTMENT_BUDGET
    assert qinghai.year == 2024
    assert qinghai.department == "互助土族自治县社会保险服务局"
    assert (qinghai.region, qinghai.region_code) == ("互助土族自治县", "630223")
    assert [t.kind for t in qinghai.tables] == [
        TableKind.SUMMARY, TableKind.INCOME, TableKind.EXPENDITURE, TableKind.FISCAL_SUMMARY,
        TableKind.GENERAL_PUBLIC, TableKind.GENERAL_PUBLIC_BASIC, TableKind.THREE_PUBLIC,
        TableKind.GOVERNMENT_FUND, TableKind.STATE_CAPITAL]
    assert all(t.unit is AmountUnit.WAN_YUAN for t in qinghai.tables)


def test_qinghai_summary_table(qinghai: Disclosure) -> None:
    table = qinghai.table(TableKind.SUMMARY)
    assert table is not None
    income = [r for r in table.rows if r.side == "收入"]
    spending = {r.code: r for r in table.rows if r.side == "支出" and r.code}
    assert income[0].name == "一般公共预算拨款收入"
    assert income[0].values["预算数"] == D("2181.31")
    assert len(spending) == 28  # all 28 类, most of them blank
    assert spending["208"].values["预算数"] == D("2015.37")
    assert spending["201"].values["预算数"] is None
    assert spending["221"].source.line == 82
    totals = {r.name: r.values["预算数"] for r in table.rows if r.is_total}
    assert totals == {"收入总计": D("2181.31"), "支出总计": D("2181.31")}


def test_qinghai_income_table(qinghai: Disclosure) -> None:
    table = qinghai.table(TableKind.INCOME)
    assert table is not None
    assert [c.key for c in table.columns][:3] == ["合计", "上年结转", "一般公共预算拨款收入"]
    own = table.rows[-1]
    assert own.name == "互助土族自治县社会保险服务局（本级）"
    assert own.values["一般公共预算拨款收入"] == D("2181.31")
    assert own.values["上年结转"] is None


def test_qinghai_expenditure_table(qinghai: Disclosure) -> None:
    table = qinghai.table(TableKind.EXPENDITURE)
    assert table is not None
    row = table.row("2080109")
    assert row is not None
    assert row.name == "社会保险经办机构"
    assert row.level == 3
    assert row.values["基本支出"] == D("692.81")
    assert row.values["项目支出"] == D("79.43")
    assert row.values["事业单位经营支出"] is None
    assert row.source.line == 120
    # the table continues on the next page under a repeated header
    assert table.row("2210201") is not None
    assert table.row("2210201").values["合计"] == D("75.69")
    total = table.total_row()
    assert total is not None and total.values["合计"] == D("2181.31")


def test_qinghai_fiscal_summary(qinghai: Disclosure) -> None:
    table = qinghai.table(TableKind.FISCAL_SUMMARY)
    assert table is not None
    row = next(r for r in table.rows if r.code == "208")
    assert row.values == {"合计": D("2015.37"), "一般公共预算": D("2015.37"),
                          "政府性基金预算": None, "国有资本经营预算": None}


def test_qinghai_basic_expenditure(qinghai: Disclosure) -> None:
    table = qinghai.table(TableKind.GENERAL_PUBLIC_BASIC)
    assert table is not None
    assert table.row("30217").values["公用经费"] == D("1.90")
    assert table.row("30307").values["人员经费"] == D("5.79")  # after the page break
    total = table.total_row()
    assert total.values == {"合计": D("1006.20"), "人员经费": D("965.50"), "公用经费": D("40.70")}


def test_qinghai_three_public(qinghai: Disclosure) -> None:
    table = qinghai.table(TableKind.THREE_PUBLIC)
    assert table is not None
    (row,) = table.rows
    assert row.values["本年:合计"] == D("4.50")
    assert row.values["本年:公务用车运行费"] == D("2.60")
    assert row.values["本年:公务接待费"] == D("1.90")
    assert row.values["上年:合计"] is None
    assert table.column("上年:合计").year == 2023
    assert table.column("本年:合计").phase is Phase.BUDGET
    assert table.reader_notes == []  # the identities hold under the header order


@pytest.mark.parametrize("kind", [TableKind.GOVERNMENT_FUND, TableKind.STATE_CAPITAL])
def test_qinghai_empty_tables_state_zero(qinghai: Disclosure, kind: TableKind) -> None:
    table = qinghai.table(kind)
    assert table is not None
    assert table.states_empty
    assert "故本表无数据" in table.notes[0].text
    assert all(v is None for r in table.rows for v in r.values.values())


def test_f08_tables(f08: Disclosure) -> None:
    assert f08.department == "上海市普陀区人民政府万里街道办事处"
    assert f08.region_code == "310107"
    in_yuan = [t for t in f08.tables if t.kind is not TableKind.THREE_PUBLIC]
    assert all(t.unit is AmountUnit.YUAN for t in in_yuan)
    spending = f08.table(TableKind.EXPENDITURE)
    row = spending.row("2010507")  # split 类/款/项 columns: 201 05 07
    assert row.name == "专项普查活动"
    assert row.values == {"合计": D("257700"), "基本支出": D("0"), "项目支出": D("257700")}
    assert row.source.page == 16
    assert spending.total_row().values["基本支出"] == D("99706020")
    income = f08.table(TableKind.INCOME)
    assert income.row("2120199").values["财政拨款收入"] == D("54212362")
    summary = f08.table(TableKind.SUMMARY)
    assert next(r for r in summary.rows if r.code == "212").values["预算数"] == D("119385303")


def test_f08_economic_codes_lost_zero(f08: Disclosure) -> None:
    table = f08.table(TableKind.GENERAL_PUBLIC_BASIC)
    assert table.row("30102").values["人员经费"] == D("16623810")  # printed "301 2"
    assert any("without leading zero" in n for n in table.reader_notes)


def test_f08_three_public_and_running_costs(f08: Disclosure) -> None:
    table = f08.table(TableKind.THREE_PUBLIC)
    assert table.unit is AmountUnit.WAN_YUAN  # the one table in 万元
    (row,) = table.rows
    assert row.values["本年:合计"] == D("47.91")
    assert row.values["本年:公务接待费"] == D("1.35")
    assert row.values["本年:公务用车购置费"] == D("25")
    assert row.values["本年:机关运行经费"] == D("443.18")
    # the printed note claims the table is empty although it has figures: both kept
    assert table.states_empty


def test_reader_accepts_gbk(tmp_path) -> None:
    gbk = tmp_path / "qinghai-gbk.txt"
    gbk.write_bytes(QINGHAI.read_text(encoding="utf-8").encode("gb18030"))
    doc = read(gbk)
    assert doc.table(TableKind.EXPENDITURE).row("2080109").values["基本支出"] == D("692.81")


def test_qinghai_accounts_for_every_number(qinghai: Disclosure) -> None:
    coverage = qinghai.coverage
    assert coverage.figures_total == coverage.figures_consumed == 542
    assert coverage.unread == []
    # numbers that are not figures are counted by kind, not hidden
    assert {"year", "code", "list number"} <= set(coverage.structural)


def test_f08_text_unread_numbers_each_have_a_reason(f08: Disclosure) -> None:
    coverage = f08.coverage
    assert coverage.figures_consumed >= coverage.figures_total - 3
    assert coverage.unread, "F08 restates an item's amount differently: that must show"
    for item in coverage.unread:
        assert item.reason != "not understood"
        assert item.token.source.line > 0


def test_space_separated_export_gives_the_same_tables(f08: Disclosure, tmp_path) -> None:
    """Cells separated by runs of spaces instead of tabs (pdftotext-style)."""
    spaced = tmp_path / "f08-spaces.txt"
    spaced.write_text(F08_TEXT.read_text(encoding="utf-8").replace("\t", "   "),
                      encoding="utf-8")
    doc = read(spaced)

    def figures(d: Disclosure) -> list[tuple[str, str | None, str, dict[str, Decimal | None]]]:
        return [(t.kind.value, r.code, r.name, r.values) for t in d.tables for r in t.rows]

    assert figures(doc) == figures(f08)
