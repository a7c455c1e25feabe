"""Every input a department publishes: Excel (.xlsx, .xls), Word (.docx), web pages
(HTML) and documents named by URL give the model the text export gives.

The workbooks, Word documents and pages are written at test time from the Qinghai
text export's own lines (one row per line, its cells in their columns), so each
must read back to the same tables, figures, narrative and coverage. The real
Fujian pages of tests/corpus/html/ check the HTML tables as published (colspan,
rowspan, full-width text). URLs are served by a real HTTP server on a real port.
"""

from __future__ import annotations

import contextlib
import dataclasses
import html
import http.server
import io
import json
import re
import threading
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
import xlwt
from python_calamine import CalamineWorkbook
from rdflib import Dataset, URIRef
from rdflib.namespace import DCTERMS, PROV
from tests.documents import HTML_DIR, QINGHAI

from budgetgraph.cli import main
from budgetgraph.errors import ReadError
from budgetgraph.model import Disclosure, SourceRef, TableKind
from budgetgraph.readers import read, read_source_lines
from budgetgraph.readers.download import download
from budgetgraph.readers.lines import AMOUNT_RE, Line
from budgetgraph.readers.spreadsheet import cell_text

# --- the model, without what names the file ---------------------------------------


def account(doc: Disclosure) -> Any:
    """The whole model as plain data, with the file's name and page numbers left out:
    what must not depend on the format the document came in."""
    name = re.escape(doc.source_file)

    def plain(value: Any) -> Any:
        if isinstance(value, SourceRef):
            return value.line
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                    if f.name != "source_file"}
        if isinstance(value, str):
            return re.sub(rf"{name}(?::p\d+)?", "FILE", value)
        if isinstance(value, Decimal | Enum):
            return str(value)
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if isinstance(value, set | frozenset):
            return sorted(plain(v) for v in value)
        return value

    return plain(doc)


def figures(doc: Disclosure) -> list[tuple[str, str, str | None, dict[str, Decimal | None]]]:
    """Each table row's figures, by value (``345`` = ``345.00``)."""
    return [(table.kind.value, row.name, row.code,
             {key: None if v is None else v.normalize() for key, v in row.values.items()})
            for table in doc.tables for row in table.rows]


@pytest.fixture(scope="module")
def text_model() -> Disclosure:
    return read(QINGHAI)


@pytest.fixture(scope="module")
def text_lines() -> list[Line]:
    return read_source_lines(QINGHAI)


def rows(lines: list[Line]) -> list[list[str]]:
    """Each line's cells as the text export gives them (a blank line: no cell)."""
    return [[] if line.is_blank else line.texts for line in lines]


# --- Excel --------------------------------------------------------------------------


def write_workbook(lines: list[Line], path: Path, *, numbers: bool) -> Path:
    """The lines as a workbook, row by row and column by column, and a hidden sheet
    of scratch figures nobody published. With ``numbers`` each amount is a numeric
    cell formatted ``#,##0.00``, as a finance system exports it; else every cell is
    text."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    hidden = workbook.create_sheet("底稿")
    hidden.append(["草稿", 9999.99, "不公开"])
    hidden.sheet_state = "hidden"
    for line in lines:
        for column, text in enumerate([] if line.is_blank else line.texts, start=1):
            if not text:
                continue
            cell = sheet.cell(line.number, column)
            if numbers and AMOUNT_RE.match(text) and "." in text:
                cell.value = float(text.replace(",", ""))
                cell.number_format = "#,##0.00"
            else:
                cell.value = text
    workbook.save(path)
    return path


def test_xlsx_of_text_cells_reads_as_the_text_export(tmp_path: Path, text_lines: list[Line],
                                                      text_model: Disclosure) -> None:
    path = write_workbook(text_lines, tmp_path / "qinghai.xlsx", numbers=False)
    doc = read(path)
    assert doc.source_file == "qinghai.xlsx"
    assert account(doc) == account(text_model)
    assert doc.tables[0].source == SourceRef("qinghai.xlsx", 56, 1)  # sheet 1, row 56
    assert not any("草稿" in line.text for line in read_source_lines(path))


def test_each_sheet_is_a_page_numbered_by_its_rows(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    first = workbook.active
    first["B2"], first["D2"] = "收支总表", "单位：万元"
    second = workbook.create_sheet("表2")
    second["A1"], second["C3"] = "收入总表", 2181.31
    workbook.save(tmp_path / "two.xlsx")
    lines = read_source_lines(tmp_path / "two.xlsx")
    assert [(line.page, line.number, line.texts) for line in lines] == [
        (1, 1, [""]), (1, 2, ["", "收支总表", "", "单位：万元"]),
        (2, 1, ["收入总表", "", ""]), (2, 2, [""]), (2, 3, ["", "", "2181.31"])]
    assert lines[1].text == "\t收支总表\t\t单位：万元"


def test_xlsx_of_numeric_cells_gives_the_same_figures(tmp_path: Path, text_lines: list[Line],
                                                      text_model: Disclosure) -> None:
    path = write_workbook(text_lines, tmp_path / "qinghai-numbers.xlsx", numbers=True)
    doc = read(path)
    assert figures(doc) == figures(text_model)
    assert doc.coverage.figures_consumed == text_model.coverage.figures_consumed
    assert doc.coverage.figures_total == text_model.coverage.figures_total
    assert not doc.coverage.unread
    assert [s.text for s in doc.statements] == [s.text for s in text_model.statements]
    # a figure's value is the decimal printed, never a binary float's digits
    total = doc.tables[0].rows[0].values["预算数"]
    assert total == Decimal("2181.31") and str(total) == "2181.31"


def write_xls(lines: list[Line], path: Path, *, numbers: bool) -> Path:
    """The lines as an Excel 97-2003 workbook (BIFF8, written by xlwt), as
    :func:`write_workbook` writes them: row by row, a hidden sheet of scratch
    figures, and with ``numbers`` each amount a numeric cell formatted ``#,##0.00``."""
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("表1")
    hidden = workbook.add_sheet("底稿")
    for column, value in enumerate(["草稿", 9999.99, "不公开"]):
        hidden.write(0, column, value)
    hidden.visibility = 1  # the BOUNDSHEET record's hidden state
    money = xlwt.easyxf(num_format_str="#,##0.00")
    for line in lines:
        for column, text in enumerate([] if line.is_blank else line.texts):
            if not text:
                continue
            if numbers and AMOUNT_RE.match(text) and "." in text:
                sheet.write(line.number - 1, column, float(text.replace(",", "")), money)
            else:
                sheet.write(line.number - 1, column, text)
    workbook.save(str(path))
    return path


def test_xls_of_text_cells_reads_as_the_text_export(tmp_path: Path, text_lines: list[Line],
                                                     text_model: Disclosure) -> None:
    """An Excel 97-2003 file, the format many finance systems still export."""
    path = write_xls(text_lines, tmp_path / "qinghai.xls", numbers=False)
    assert path.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2, not a zip
    doc = read(path)
    assert doc.source_file == "qinghai.xls"
    assert account(doc) == account(text_model)
    assert doc.tables[0].source == SourceRef("qinghai.xls", 56, 1)  # sheet 1, row 56
    assert not any("草稿" in line.text for line in read_source_lines(path))


def test_xls_of_numeric_cells_gives_the_same_figures(tmp_path: Path, text_lines: list[Line],
                                                     text_model: Disclosure) -> None:
    path = write_xls(text_lines, tmp_path / "qinghai-numbers.xls", numbers=True)
    book = CalamineWorkbook.from_path(str(path))
    try:  # the amounts are numbers in the file, not text
        cells = [v for row in book.get_sheet_by_index(0).to_python() for v in row]
        assert 2181.31 in cells and "2181.31" not in cells
    finally:
        book.close()
    doc = read(path)
    assert figures(doc) == figures(text_model)
    assert doc.coverage.figures_consumed == text_model.coverage.figures_consumed
    assert doc.coverage.figures_total == text_model.coverage.figures_total
    assert not doc.coverage.unread
    assert [s.text for s in doc.statements] == [s.text for s in text_model.statements]
    total = doc.tables[0].rows[0].values["预算数"]
    assert total == Decimal("2181.31") and str(total) == "2181.31"


@pytest.mark.parametrize(("value", "text"), [
    (2181.31, "2181.31"), (4.5, "4.50"), (0.1 + 0.2, "0.30"), (1006.2, "1006.20"),
    (345.0, "345"), (-0.0, "0"), (1234.5678, "1234.5678"), (2024, "2024"),
    (1e20, "100000000000000000000"), ("1,234.50", "1,234.50"), (None, ""), (True, "TRUE"),
])
def test_a_numeric_cell_is_written_as_excel_shows_it(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_cli_parse_reads_a_workbook(tmp_path: Path, text_lines: list[Line],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = write_workbook(text_lines, tmp_path / "qinghai.xlsx", numbers=True)
    assert main(["parse", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("qinghai.xlsx: 部门预算 2024 互助土族自治县社会保险服务局")
    assert "tables: 9" in out and "figures: 542 consumed / 542 (100.0%)" in out
    assert main(["parse", "--json", str(path)]) == 0
    dumped = json.loads(capsys.readouterr().out)
    assert dumped["source_file"] == "qinghai.xlsx" and dumped["tables"][0]["rows"][0]["values"] \
        == {"预算数": "2181.31"}


# --- Word ---------------------------------------------------------------------------


def write_docx(lines: list[Line], path: Path) -> Path:
    """The lines as a Word document: single-cell lines as paragraphs, runs of lines
    of several cells as tables, in order. Trailing blank cells of a row become one
    merged cell (gridSpan), and a cell with a blank cell below it is merged down
    (vMerge), as Word documents of these tables print them."""
    document = docx.Document()
    index = 0
    while index < len(lines):
        line = lines[index]
        if len(line.cells) < 2:
            document.add_paragraph(line.text)
            index += 1
            continue
        block = []
        while index < len(lines) and len(lines[index].cells) >= 2:
            block.append(lines[index].texts)
            index += 1
        width = max(len(r) for r in block)
        table = document.add_table(rows=len(block), cols=width)
        for row, cells in zip(table.rows, block, strict=True):
            row_cells = row.cells  # computed per call: once per row
            for cell, text in zip(row_cells, cells, strict=False):
                if text:
                    cell.text = text
            filled = len(cells) - 1
            while filled > 0 and not cells[filled]:
                filled -= 1
            if filled + 1 < width - 1:
                row_cells[filled + 1].merge(row_cells[width - 1])
        for r in range(len(block) - 1):
            above, below = block[r], block[r + 1]
            if above[0] and len(below) > 1 and not below[0] and below[1] and \
                    table.cell(r, 0)._tc.grid_span == 1 and table.cell(r + 1, 0)._tc.grid_span == 1:
                table.cell(r, 0).merge(table.cell(r + 1, 0))
                break  # one is enough to show it
    document.save(str(path))
    return path


def test_docx_reads_as_the_text_export(tmp_path: Path, text_lines: list[Line],
                                       text_model: Disclosure) -> None:
    path = write_docx(text_lines, tmp_path / "qinghai.docx")
    body = docx.Document(str(path)).element.body
    assert body.xpath(".//w:gridSpan") and body.xpath(".//w:vMerge")
    doc = read(path)
    assert doc.source_file == "qinghai.docx"
    assert account(doc) == account(text_model)


# --- HTML ---------------------------------------------------------------------------


def write_html(lines: list[Line], path: Path, *, encoding: str = "utf-8") -> Path:
    """The lines as a web page of the kind portals publish: a head, a script, text
    blocks as paragraphs (a blank line as ``<p>&nbsp;</p>``), runs of lines of several
    cells as tables with trailing blank cells spanned (colspan) and a cell spanning
    down over a blank one (rowspan)."""
    out = [f'<!DOCTYPE html><html><head><meta charset="{encoding}"><title>预算公开</title>'
           "<script>var x = '<p>不是正文</p>';</script><style>p{margin:0}</style></head>"
           "<body><div class='content'>"]
    index = 0
    while index < len(lines):
        line = lines[index]
        if len(line.cells) < 2:
            out.append(f"<p>{html.escape(line.text) if line.text.strip() else '&nbsp;'}</p>\n")
            index += 1
            continue
        block = []
        while index < len(lines) and len(lines[index].cells) >= 2:
            block.append(lines[index].texts)
            index += 1
        width = max(len(r) for r in block)
        spanned_down: set[int] = set()
        out.append('<table border="1">\n')
        for r, cells in enumerate(block):
            out.append("<tr>")
            filled = len(cells) - 1
            while filled > 0 and not cells[filled]:
                filled -= 1
            for c, text in enumerate(cells[:filled + 1]):
                if c == 0 and r in spanned_down:
                    continue  # covered by the cell above
                below = block[r + 1] if r + 1 < len(block) else None
                down = ' rowspan="2"' if (c == 0 and text and below and len(below) > 1
                                          and not below[0] and not spanned_down) else ""
                if down:
                    spanned_down.add(r + 1)
                across = width - c if c == filled and filled + 1 < width else 1
                span = f' colspan="{across}"' if across > 1 else ""
                out.append(f"<td{span}{down}>{html.escape(text)}</td>")
            out.append("</tr>\n")
        out.append("</table>\n")
    out.append("</div></body></html>\n")
    path.write_bytes("".join(out).encode(encoding))
    return path


def test_html_page_reads_as_the_text_export(tmp_path: Path, text_lines: list[Line],
                                            text_model: Disclosure) -> None:
    path = write_html(text_lines, tmp_path / "qinghai.html")
    page = path.read_text(encoding="utf-8")
    assert "colspan=" in page and "rowspan=" in page
    doc = read(path)
    assert doc.source_file == "qinghai.html"
    assert account(doc) == account(text_model)


def test_html_page_in_gbk_reads_by_its_declared_charset(tmp_path: Path, text_lines: list[Line],
                                                        text_model: Disclosure) -> None:
    path = write_html(text_lines, tmp_path / "qinghai-gbk.htm", encoding="gbk")
    assert figures(read(path)) == figures(text_model)


def fujian(prefix: str) -> Path:
    return next(HTML_DIR.glob(f"{prefix}_*.html"))


def test_real_fujian_table_keeps_its_columns_through_colspan_and_rowspan() -> None:
    """H02 as published: a two-row header where 公务用车购置及运行维护费 spans three
    columns and the others span two rows down; every figure row has all eight cells."""
    rows = [line.texts for line in read_source_lines(fujian("H02")) if len(line.cells) > 1]
    lines = {cells[0]: cells for cells in rows}
    top = next(cells for cells in rows if "公务接待费" in cells)
    assert top[0].replace(" ", "") == "项目"
    assert top[1:] == ["", "“三公”经费公共财政拨款支出合计", "因公出国（境）费",
                       "公务用车购置及运行维护费小计", "", "", "公务接待费"]
    header = lines["支出功能分类科目编码"]
    assert header[5:7] == ["公务用车购置费", "公务用车运行维护费"] and len(header) == 8
    assert lines["2040401"] == ["2040401", "行政运行", "43.07", "3.38", "37.62", "", "37.62",
                                "2.08"]
    assert lines["2040402"] == ["2040402", "一般行政管理事务", "17.09", "", "11.07", "",
                                "11.07", "6.02"]


def test_real_fujian_page_reads_its_text_and_table_in_order() -> None:
    """H15: the narrative, then the 三公 table it announces, and no script or style."""
    lines = read_source_lines(fujian("H15"))
    texts = [line.text for line in lines]
    title = texts.index("2018年度平潭综合实验区本级一般公共预算“三公”经费支出决算表")
    said = next(i for i, t in enumerate(texts) if "公务接待费414.11万元" in t.replace(" ", ""))
    assert said < title
    assert lines[title + 4].texts == ["（一）支出合计", "", "1,583.50", ""]
    assert not any("function(" in t or "{" in t for t in texts)


def test_real_fujian_page_that_is_no_disclosure_is_one_clear_error() -> None:
    """A town's 三公 spending of one month (H16, 2018年1月份) is not a year's budget or
    final accounts: refused naming the file, the title's line and the month."""
    with pytest.raises(ReadError) as error:
        read(fujian("H16"))
    assert error.value.file and error.value.file.endswith(".html")
    assert error.value.line == 25
    assert "part of a year (2018年1月份" in str(error.value)


@pytest.mark.parametrize(("prefix", "cover"), [
    ("H02", ("三公经费决算", 2014, "平潭县人民检察院")),
    ("H04", ("部门预算", 2015, "平潭综合实验区管委会办公室")),
    ("H10", ("部门决算", 2016, "平潭综合实验区中楼乡人民政府")),
    ("H15", ("三公经费决算", 2018, "平潭综合实验区本级")),
])
def test_real_fujian_pages_are_read_below_their_chrome(prefix: str,
                                                       cover: tuple[str, int, str]) -> None:
    """Titles below 25 lines of site navigation, a column label in 【】, a prose 决算说明
    announced by "说明如下": each page is the disclosure its title names, and every
    number on it is a figure or says why not."""
    doc = read(fujian(prefix))
    assert (doc.kind.value, doc.year, doc.department) == cover
    assert doc.tables or doc.statements
    assert all(u.reason for u in doc.coverage.unread)


def test_fujian_three_public_final_accounts_page_reads_money_not_counts() -> None:
    """H15 prints the 三公 figures and, in the same table, counts (团组数（个）, 保有量
    （辆）): the counts are named as counts, never read into an amount's column."""
    doc = read(fujian("H15"))
    table = doc.table(TableKind.THREE_PUBLIC)
    assert table is not None and len(table.rows) == 1
    values = table.rows[0].values
    assert values["本年:因公出国(境)费"] == Decimal("189.91")
    assert values["本年:公务用车购置及运行费"] == Decimal("979.48")
    assert values["本年:公务用车购置费"] == Decimal("370.72")
    assert values["本年:公务接待费"] == Decimal("414.11")
    counts = [k for k in doc.coverage.structural if k.startswith("count, not an amount")]
    assert len(counts) == 10  # 团组数, 人次数, 购置数, 保有量, 批次 and 人次 of each kind
    assert len(doc.statements) > 10  # the 情况说明 above the table


# --- bad input ------------------------------------------------------------------------


def zip_of(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(("name", "make", "says"), [
    ("notes.zip", lambda p: zip_of(p, {"readme.txt": b"hello"}),
     "neither an Excel workbook (.xlsx) nor a Word document (.docx)"),
    ("broken.xlsx", lambda p: zip_of(p, {"xl/workbook.xml": b"<not xml"}),
     "not a readable Excel workbook"),
    ("broken.docx", lambda p: zip_of(p, {"word/document.xml": b"<not xml"}),
     "not a readable Word document"),
    ("truncated.xlsx", lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 200),
     "damaged zip archive"),
    ("old.xls", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
     "not a readable Excel workbook"),
    ("empty.html", lambda p: p.write_text("<html><body>  </body></html>"),
     "the web page shows no text"),
])
def test_bad_input_is_one_clear_error_naming_the_file(tmp_path: Path, name: str, make: Any,
                                                      says: str,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    path = tmp_path / name
    make(path)
    with pytest.raises(ReadError) as error:
        read(path)
    assert error.value.file == str(path) and says in error.value.message
    assert main(["parse", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"budgetgraph: error: {path}: ") and "Traceback" not in err


def test_a_workbook_read_with_its_sheets_empty_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(ReadError, match="no visible cell"):
        read(path)


# --- URLs -------------------------------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _Unannounced(_Quiet):
    """Streams a large body without Content-Length, as a chunked answer does."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.end_headers()
        with contextlib.suppress(OSError):
            for _ in range(64):
                self.wfile.write(b"x" * 1024)


@contextlib.contextmanager
def http_server(directory: Path, handler: type[_Quiet] = _Quiet) -> Iterator[str]:
    """A real HTTP server on a real local port, serving ``directory``."""
    def make(*args: Any) -> _Quiet:
        return handler(*args, directory=str(directory))

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, text_lines: list[Line]) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("site")
    (folder / "2024").mkdir()
    write_workbook(text_lines, folder / "2024" / "部门预算.xlsx", numbers=True)
    write_html(text_lines, folder / "2024" / "index.html")
    with http_server(folder) as url:
        yield url


def test_read_a_url(site: str, text_model: Disclosure) -> None:
    doc = read(f"{site}/2024/index.html")
    assert doc.source_file == "index.html"
    assert account(doc) == account(text_model)


def test_convert_a_url_keeps_it_as_the_source(site: str, tmp_path: Path) -> None:
    url = f"{site}/2024/%E9%83%A8%E9%97%A8%E9%A2%84%E7%AE%97.xlsx"  # 部门预算.xlsx
    out = tmp_path / "doc.trig"
    assert main(["convert", url, "--format", "trig", "-o", str(out)]) == 0
    dataset = Dataset()
    dataset.parse(out, format="trig")
    described = {s for s, _, _, _ in dataset.quads((None, DCTERMS.source, URIRef(url), None))}
    documents = {s for s, _, _, _ in dataset.quads((None, PROV.hadPrimarySource, None, None))}
    files = {o for _, _, o, _ in dataset.quads((None, PROV.hadPrimarySource, None, None))}
    assert len(documents) == len(files) == 1
    assert described == documents | files  # the document and its source file


def test_load_a_url(site: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"{site}/2024/index.html"
    status = main(["load", url, "--store", str(tmp_path / "store"),
                   "--base", "http://example.org/"])
    err = capsys.readouterr().err
    assert status == 0, err
    assert "loaded index.html into <http://example.org/graph/org/630223/" in err


def test_a_url_that_fails_is_one_clear_error(site: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    url = f"{site}/2024/missing.pdf"
    assert main(["parse", url]) == 2
    assert capsys.readouterr().err == f"budgetgraph: error: {url}: cannot download: HTTP 404 " \
                                      "File not found\n"


def test_a_download_larger_than_the_limit_is_refused(site: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    url = f"{site}/2024/index.html"
    # announced by Content-Length: refused before reading the body
    with pytest.raises(ReadError, match=r"the server announces .* MB, larger than any "
                                        r"disclosure") as error:
        download(url, tmp_path, max_bytes=1000)
    assert error.value.file == url
    # the same through the command, with the reader's limit lowered
    monkeypatch.setattr("budgetgraph.readers.MAX_INPUT_BYTES", 1000)
    assert main(["convert", url]) == 2
    assert "larger than any disclosure" in capsys.readouterr().err
    # not announced: stopped once more than the limit has come
    with http_server(tmp_path, _Unannounced) as unannounced, \
            pytest.raises(ReadError, match=r"more than .* MB, larger than any disclosure: "
                                           r"download stopped"):
        download(f"{unannounced}/big", tmp_path, max_bytes=10_000)


def test_a_silent_server_times_out(silent_server: str, tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="no answer within 1 s") as error:
        download(f"{silent_server}/doc.pdf", tmp_path, max_bytes=1000, timeout=1)
    assert error.value.file == f"{silent_server}/doc.pdf"


def test_a_served_zip_that_is_no_document_is_refused(tmp_path: Path) -> None:
    zip_of(tmp_path / "attachments.zip", {"a.txt": b"x", "b/c.txt": b"y"})
    with http_server(tmp_path) as url, pytest.raises(ReadError, match="neither an Excel"):
        read(f"{url}/attachments.zip")


def test_a_url_is_not_folded_into_a_path() -> None:
    """argparse gives the readers the URL as typed (``Path`` would make it ``http:/…``)."""
    from budgetgraph.cli import _parser

    args = _parser().parse_args(["parse", "https://example.org/a/b.xlsx", "local.xlsx"])
    assert args.files == ["https://example.org/a/b.xlsx", Path("local.xlsx")]


def test_bytes_sniffed_not_names(tmp_path: Path, text_lines: list[Line]) -> None:
    """A workbook saved as .txt is still a workbook; an HTML page saved as .xls a page."""
    book = write_workbook(text_lines, tmp_path / "export.txt", numbers=False)
    assert read_source_lines(book)[0].page == 1
    page = write_html(text_lines[:5], tmp_path / "export.xls")
    assert all(line.page is None for line in read_source_lines(page))
    assert io.BytesIO(book.read_bytes()).read(2) == b"PK"
