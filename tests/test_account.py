"""An honest account (issue 12): every number of a document is a figure, or is listed
with its line and what it is instead; and a table that yields no figure from the numbers
under its title is refused, not published as empty."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.documents import F08_TEXT, PDF_DIR, QINGHAI, pdf

from budgetgraph.cli import main
from budgetgraph.model import Disclosure
from budgetgraph.readers.lines import NUMBER_RE, text_lines

#: Reasons that say only where a number stands, not what it is: a number in a table's
#: body must never be given one of them (issue 12).
POSITIONAL = {"table header", "repeated header", "table heading", "table title", "label",
              "text", "note", "cover", "profile text", "glossary text", "table of contents"}

#: The Qinghai 一般公共预算支出表: its title line and its two header lines (printed
#: twice: the table runs over a page), and the line of its first figure.
TITLE, HEADERS, FIRST_ROW = 193, (199, 200, 226, 227), 201


def parse_json(path: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    assert main(["parse", "--json", str(path)]) == 0
    return json.loads(capsys.readouterr().out)


def test_parse_json_lists_every_number_that_is_not_a_figure(
        capsys: pytest.CaptureFixture[str]) -> None:
    coverage = parse_json(QINGHAI, capsys)["coverage"]
    listed = coverage["non_figures"]
    # every numeric token of the file is a figure (read or unread) or listed, once
    printed = sum(len(NUMBER_RE.findall(line.text))
                  for line in text_lines(QINGHAI.read_text(encoding="utf-8")))
    assert coverage["figures_total"] + len(listed) == printed
    # the counts are the list's, by reason
    assert Counter(item["reason"] for item in listed) == coverage["structural"]
    # each entry names its line and column, and the number stands there
    source = QINGHAI.read_text(encoding="utf-8").split("\n")
    for item in listed:
        token = item["token"]
        line = source[token["source"]["line"] - 1]
        assert line[token["column"]:].startswith(token["text"]), item
    assert {"token": {"text": "1", "source": {"file": QINGHAI.name, "line": 54, "page": None},
                      "column": 5}, "reason": "table number"} in listed  # 部门公开表1


def test_human_parse_output_keeps_the_counts_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(QINGHAI)]) == 0
    out = capsys.readouterr().out
    counts = [line for line in out.splitlines() if line.startswith("numbers that are not")]
    assert counts == ["numbers that are not figures: code 134, date 2, glossary text 59, "
                      "indicator name (三级指标) 9, list number 15, project goal (绩效目标) 4, "
                      "project goal (绩效目标) or name 14, project name 1, table number 1, "
                      "threshold 2, year 52"]
    assert f"{QINGHAI.name}:54" not in out  # the table number's line: in the JSON only


@pytest.mark.parametrize("path", [QINGHAI, F08_TEXT, *sorted(PDF_DIR.glob("*.pdf"))],
                         ids=lambda p: p.name[:3])
def test_no_number_in_a_table_body_is_accounted_for_by_its_place(
        path: Path, read_document: Callable[[Path], Disclosure]) -> None:
    doc = read_document(path)
    rows = {(row.source.page, row.source.line): table.title
            for table in doc.tables for row in table.rows}
    if doc.performance is not None:
        rows |= {(p.source.page, p.source.line): "项目支出绩效目标表"
                 for p in doc.performance.projects}
        rows |= {(i.source.page, i.source.line): "项目支出绩效目标表"
                 for p in doc.performance.projects for i in p.indicators}
    positional = [(str(item.token.source), item.token.text, item.reason, rows[where])
                  for item in doc.coverage.non_figures
                  if (where := (item.token.source.page, item.token.source.line)) in rows
                  and item.reason in POSITIONAL]
    assert positional == []


def test_the_numbering_of_a_rows_name_is_a_list_number(
        read_document: Callable[[Path], Disclosure]) -> None:
    """收支总表's rows 1.一般公共预算资金, 2.政府性基金, 3.国有资本经营预算 (F04, page 8):
    their numbers are the names' list numbers, not a "label"."""
    doc = read_document(pdf("F04"))
    on_rows = [(item.token.source.line, item.token.text, item.reason)
               for item in doc.coverage.non_figures
               if item.token.source.page == 8 and item.token.source.line in (6, 7, 8)]
    assert on_rows == [(6, "1", "list number"), (7, "2", "list number"),
                       (8, "3", "list number")]


def test_a_table_whose_numbers_cannot_be_placed_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The Qinghai 一般公共预算支出表 with its value columns' header words erased: the rows are
    read, their 58 figures cannot be placed in any column. It used to parse (exit 0) as
    a table of no figure; it is refused, naming the table and its line."""
    lines = QINGHAI.read_text(encoding="utf-8").split("\n")
    assert lines[TITLE - 1] == "一般公共预算支出表"
    for number in HEADERS:  # the value columns' words (2024年预算数, 合计, 基本支出 …)
        cells = lines[number - 1].split("\t")
        assert "基本支出" in cells or "2024年预算数" in cells
        lines[number - 1] = "\t".join(cells[:2] + ["" for _cell in cells[2:]])
    hollow = tmp_path / QINGHAI.name
    hollow.write_text("\n".join(lines), encoding="utf-8")
    assert main(["parse", str(hollow)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    assert captured.err == (
        f"budgetgraph: error: {QINGHAI.name}:{TITLE}: table '一般公共预算支出表' yields no "
        f"figure, but its body holds 58 number(s), the first '2,181.31' at "
        f"{QINGHAI.name}:{FIRST_ROW}: its rows could not be read\n")


def test_a_table_empty_as_printed_is_still_read(qinghai: Disclosure) -> None:
    """The Qinghai 政府性基金预算支出表 says it has no data (注：本部门2024年没有…): no
    figure, no number but the note's year, and it is kept as a statement of zero."""
    empty = [t for t in qinghai.tables if t.states_empty]
    assert empty and all(v is None for t in empty for r in t.rows for v in r.values.values())
