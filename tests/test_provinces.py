"""Other provinces' covers, kinds and layouts: the passages of tests/corpus/excerpts/.

Each passage is a real page of another province (see its MANIFEST.md). A complete
table in one must be read; a passage cut short may be refused, but with a reason that
says it was cut short — never "not a disclosure" for a disclosure.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests.documents import EXCERPTS_DIR

from budgetgraph.cli import main
from budgetgraph.errors import ReadError
from budgetgraph.model import DocumentKind, TableKind
from budgetgraph.readers import read


def excerpt(prefix: str) -> str:
    return str(next(EXCERPTS_DIR.glob(f"{prefix}_*.txt")))


#: passages cut before their first table: (file, kind, year, department the error names)
TRUNCATED = [
    ("P04", "部门预算", 2025, "昆明市五华区民政局"),
    ("P05", "部门决算", 2024, "华容县人力资源和社会保障局"),  # year before the name
    ("P06", "部门预算", 2024, "海原县社会保险事业管理中心"),  # below a breadcrumb
    ("P07", "部门预算", 2024, "开江县惠民帮扶中心"),
    ("P08", "部门预算", 2019, "宿州市公共资源交易管理局"),  # below page metadata
    ("P09", "部门决算", 2024, "卓尼县乡村振兴局"),
    ("P10", "单位决算", 2023, "竹山县上庸镇财政所"),
]


@pytest.mark.parametrize(("prefix", "kind", "year", "department"), TRUNCATED,
                         ids=[t[0] for t in TRUNCATED])
def test_a_passage_cut_before_its_tables_is_refused_as_truncated(
        prefix: str, kind: str, year: int, department: str) -> None:
    with pytest.raises(ReadError) as refused:
        read(excerpt(prefix))
    message = str(refused.value)
    assert "truncated" in message
    assert f"{kind} {year} {department}" in message  # the cover was read, in any order


def test_the_table_of_contents_names_what_is_missing() -> None:
    with pytest.raises(ReadError, match=r"table of contents lists 9 table\(s\)"):
        read(excerpt("P10"))


def test_row_and_column_numbers_are_never_figures() -> None:
    """P03 (Hubei, 部门决算): a 收支总表 with a 行次 column beside each side's names and a
    栏次 line, one cell per line, cut after five rows."""
    doc = read(excerpt("P03"))
    assert doc.kind is DocumentKind.DEPARTMENT_FINAL and doc.year == 2019
    summary = doc.table(TableKind.SUMMARY)
    assert summary is not None
    income = {row.name: row for row in summary.rows if row.side == "收入"}
    spending = {row.code or row.name: row for row in summary.rows if row.side == "支出"}
    assert list(income["一般公共预算财政拨款收入"].values.values()) == [Decimal("440.55")]
    assert list(income["上级补助收入"].values.values()) == [Decimal("10.00")]
    assert list(spending["201"].values.values()) == [Decimal("423.20")]
    structural = doc.coverage.structural
    assert structural["row number (行次)"] == 8
    assert structural["column number (栏次)"] == 2
    assert not any(u.token.text in ("29", "30", "31", "32") for u in doc.coverage.unread)


@pytest.mark.parametrize(("prefix", "kind", "year", "columns"), [
    # Nantong 2016: 小计 / 其中:一般公共预算安排数; 因公出国 "单位不需填列"; 会议费 and 培训费
    # printed in the same table, outside 三公
    ("P01", DocumentKind.THREE_PUBLIC_BUDGET, 2016,
     {"本年:合计": "21.63", "本年:因公出国(境)费": None, "本年:公务接待费": "14.83",
      "本年:公务用车购置及运行费": "6.8", "本年:公务用车购置费": None,
      "本年:公务用车运行费": "6.8", "本年:会议费": "7.59", "本年:培训费": "15.86"}),
    # Guilin 2015: pipe-ruled, its title in the first row; the page's own inconsistency
    # (公务用车费 0, 其中 运行维护费 32.65) is kept as printed, for validate to report
    ("P02", DocumentKind.THREE_PUBLIC_BUDGET, 2015,
     {"本年:合计": "34.35", "本年:因公出国(境)费": "0", "本年:公务接待费": "1.70",
      "本年:公务用车购置及运行费": "0", "本年:公务用车运行费": "32.65",
      "本年:公务用车购置费": "0"}),
], ids=["P01", "P02"])
def test_a_transposed_three_public_table_is_read_cell_by_cell(
        prefix: str, kind: DocumentKind, year: int, columns: dict[str, str | None]) -> None:
    """One row per kind of spending, one column per measure: read as the template's
    columns, each printed column a row of the model, every figure consumed."""
    doc = read(excerpt(prefix))
    assert (doc.kind, doc.year) == (kind, year)
    table = doc.table(TableKind.THREE_PUBLIC)
    assert table is not None and len(table.rows) == 2
    for row in table.rows:
        printed = {k: (None if v is None else str(v)) for k, v in row.values.items()}
        assert printed == columns
    assert doc.coverage.figures_consumed == doc.coverage.figures_total == 12
    assert any("transposed" in note for note in table.reader_notes)


def test_parse_names_the_truncation_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", excerpt("P05")]) == 2
    err = capsys.readouterr().err
    assert "truncated" in err and "Traceback" not in err
