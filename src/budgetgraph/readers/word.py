"""Word documents (.docx), read with python-docx.

The body in its own order, paragraphs and tables interleaved: a paragraph is a
line (split into cells as a text export's line is, so a tab-aligned paragraph
gives cells), a table row is a line of cells. Merged cells keep the columns: a
cell spanning three grid columns is its text and two blank cells, a cell merged
into the one above it is blank (its text was printed once, above), and grid
columns a row skips before or after its cells are blank. A cell's paragraphs are
joined into one text. Explicit page breaks (and paragraphs set to start a page)
number the pages; a document without any has no pages, as a text export.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

from budgetgraph.errors import ReadError
from budgetgraph.readers.lines import Line, grid_lines, join_cell_texts

_P, _TBL, _SDT, _SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")
_PAGE_BREAK = "w:br[@w:type='page']"


def docx_lines(path: Path) -> list[Line]:
    """The lines of a .docx body, in document order."""
    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError,
            etree.XMLSyntaxError) as exc:
        raise ReadError(f"not a readable Word document (.docx): {exc}", file=str(path)) from None
    pages: list[list[str | list[str]]] = [[]]
    for kind, item in _blocks(document.element.body):
        if kind == "break":
            pages.append([])
        else:
            pages[-1].append(item)
    if not any(pages):
        raise ReadError("the Word document has no text", file=str(path))
    return grid_lines(pages, paged=len(pages) > 1)


def _blocks(parent: etree._Element) -> Iterator[tuple[str, str | list[str]]]:
    """("line", text or cells) and ("break", "") for a page break, in body order."""
    for child in parent.iterchildren():
        if child.tag == _P:
            if child.xpath("./w:pPr/w:pageBreakBefore[not(@w:val='0' or @w:val='false')]"):
                yield "break", ""
            yield "line", Paragraph(child, None).text
            if child.xpath(f"./w:r/{_PAGE_BREAK}"):
                yield "break", ""
        elif child.tag == _TBL:
            for row in child.iterchildren(qn("w:tr")):
                yield "line", _row_cells(row)
        elif child.tag == _SDT:  # a content control wraps ordinary blocks
            for content in child.iterchildren(_SDT_CONTENT):
                yield from _blocks(content)


def _row_cells(row: etree._Element) -> list[str]:
    cells = [""] * row.grid_before
    for tc in row.tc_lst:
        merged_above = tc.vMerge == "continue"
        text = "" if merged_above else join_cell_texts(
            [Paragraph(p, None).text for p in tc.iter(_P)])
        cells.append(text)
        cells.extend([""] * (tc.grid_span - 1))
    cells.extend([""] * row.grid_after)
    return cells
