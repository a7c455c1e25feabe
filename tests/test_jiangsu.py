"""The Jiangsu provincial PDFs (tests/corpus/fetched/jiangsu/): a layout of their own.

Jiangsu prints the income table as a list of sources, the expenditure table as one
row of totals without codes, a 收支总表 whose 支出 half is printed twice (by 功能分类
and by 支出用途), tables the template lacks (财政拨款基本支出, 机关运行经费, 政府采购),
会议费 and 培训费 inside the 三公 table, and some pages twice. These tests pin what
is read, and that what is not read is accounted for with a reason.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests.documents import JIANGSU_DIR

from budgetgraph.errors import ReadError
from budgetgraph.model import Disclosure, TableKind
from budgetgraph.readers import read


def jiangsu(prefix: str) -> Disclosure:
    return read(next(JIANGSU_DIR.glob(f"{prefix}_*.pdf")))


#: documents that read whole, and the share of their figures read as measured (the
#: rest is the 政府采购 table outside the template and a few narrative numbers)
READ = {"J01": 0.88, "J02": 0.80, "J05": 0.77, "J06": 0.77, "J07": 0.78}


@pytest.mark.parametrize("prefix", sorted(READ))
def test_reads_with_every_number_accounted(prefix: str) -> None:
    doc = jiangsu(prefix)
    assert doc.coverage.ratio >= READ[prefix]
    kinds = {t.kind for t in doc.tables}
    assert {TableKind.SUMMARY, TableKind.INCOME, TableKind.EXPENDITURE,
            TableKind.FISCAL_SUMMARY, TableKind.GENERAL_PUBLIC, TableKind.GENERAL_PUBLIC_BASIC,
            TableKind.THREE_PUBLIC, TableKind.FISCAL_GRANT_BASIC,
            TableKind.OPERATING_COSTS} <= kinds
    reasons = {u.reason.split(" (")[0] for u in doc.coverage.unread}
    assert "table outside the national template" in reasons  # 政府采购
    for table in doc.tables:
        if table.kind is not TableKind.GOVERNMENT_FUND:  # printed empty: 无政府性基金支出
            assert any(v is not None for r in table.rows for v in r.values.values()), table.title


def test_income_list_becomes_the_total_rows_income_columns() -> None:
    income = jiangsu("J05").table(TableKind.INCOME)
    assert income is not None and len(income.rows) == 1 and income.rows[0].is_total
    values = income.rows[0].values
    assert values["合计"] == Decimal("17996.68")
    assert values["一般公共预算拨款收入"] == Decimal("17981.68")  # 一般公共预算资金 小计
    assert values["其他资金"] == Decimal("15.00")  # 其他资金 小计: no template column
    assert values["其他收入"] == Decimal("15.00")


def test_group_names_on_any_line_of_their_group() -> None:
    """J06 prints each group's name in a merged cell that lands below its 小计."""
    values = jiangsu("J06").table(TableKind.INCOME).rows[0].values  # type: ignore[union-attr]
    assert values["合计"] == Decimal("21955.35")
    assert values["一般公共预算拨款收入"] == Decimal("21940.96")
    assert values["其他资金"] == Decimal("14.39")


def test_expenditure_row_without_codes_keeps_each_figure_in_its_column() -> None:
    """J02's figures sit nearer the next column's header than their own."""
    row = jiangsu("J02").table(TableKind.EXPENDITURE).rows[0]  # type: ignore[union-attr]
    assert row.values["合计"] == Decimal("15897.44")
    assert row.values["基本支出"] == Decimal("7877.76")
    assert row.values["项目支出"] == Decimal("6333.96")
    assert row.values["单位预留机动经费"] == Decimal("1685.72")


def test_three_public_subtotal_is_the_three_public_total() -> None:
    table = jiangsu("J01").table(TableKind.THREE_PUBLIC)
    assert table is not None
    values = table.rows[0].values
    assert values["本年:合计"] == Decimal("833.60")  # 222.50 + 183.60 + 427.50
    assert values["本年:合计(三公、会议费、培训费)"] == Decimal("2542.60")
    assert values["本年:会议费"] == Decimal("1305.25")
    assert not table.reader_notes  # the 三公 identity holds as read


def test_summary_reads_both_expenditure_halves_and_wrapped_names() -> None:
    summary = jiangsu("J01").table(TableKind.SUMMARY)
    assert summary is not None
    by_name = {(r.side, r.name): r for r in summary.rows}
    assert by_name["支出", "社会保障和就业支出"].code == "208"
    assert by_name["支出", "社会保障和就业支出"].values["预算数"] == Decimal("1608.51")
    assert by_name["支出", "基本支出"].values["预算数"] == Decimal("7666.68")
    assert by_name["支出", "医疗卫生与计划生育支出"].code == "210"  # its 2017 name
    assert by_name["支出", "支出合计"].values["预算数"] == Decimal("13649.07")


def test_a_table_printed_twice_is_read_once() -> None:
    doc = jiangsu("J01")
    assert [t.kind for t in doc.tables].count(TableKind.FISCAL_GRANT_BASIC) == 1
    assert doc.coverage.structural["repeated table"] == 24
    assert any("printed twice" in w for w in doc.warnings)


@pytest.mark.parametrize(("prefix", "says"), [
    ("J03", "truncated"),  # the narrative half of a disclosure published as two files
    ("J04", "not a budget disclosure"),  # its table half: not yet read as one document
])
def test_two_file_disclosure_still_refused(prefix: str, says: str) -> None:
    with pytest.raises(ReadError, match=says):
        jiangsu(prefix)
