"""Web pages (HTML), parsed with lxml's HTML parser.

What a browser shows, as lines: each block of text (a paragraph, a heading, a
``<br>``-separated line) is a line, split into cells as a text export's line is;
each row of a ``<table>`` is a line of cells. ``colspan`` and ``rowspan`` keep the
columns: a cell spanning three columns is its text and two blank cells, and the
rows a cell spans down get a blank cell in its column (its text was printed once,
above). A table holding other tables is page layout, not data: its cells are read
as blocks of text, in order, and the tables inside as tables. Scripts, styles
and the page's ``<head>`` are not shown and not read.

The encoding is the one the page declares (``<meta charset>``), else detected as
for a text export (UTF-8, then GBK/GB18030).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import lxml.etree
import lxml.html

from budgetgraph.errors import ReadError
from budgetgraph.readers.lines import Line, grid_lines, join_cell_texts
from budgetgraph.readers.text import decode

#: Elements whose content a browser does not show.
_HIDDEN = {"head", "script", "style", "noscript", "template", "title", "meta", "link",
           "object", "embed", "iframe", "select", "option", "button", "svg", "math"}
#: Elements that end the line of text before them and start a new one.
_BLOCKS = {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
           "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure",
           "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html",
           "legend", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
           "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "br"}
_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's white space; &nbsp; and U+3000 are text
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
#: A colspan or rowspan larger than this is a page's mistake, not a table's width.
_MAX_SPAN = 1000


def looks_like_html(head: bytes) -> bool:
    """Whether the first bytes of a file are an HTML page (a doctype, ``<html>``, or a
    page fragment starting with a common element, after comments and white space)."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    while text.startswith(b"<!--"):
        end = text.find(b"-->")
        if end < 0:
            return False
        text = text[end + 3:].lstrip()
    return bool(re.match(rb"<(!doctype\s+html|html|head|body|meta|table|div|p)\b", text, re.I))


def decode_html(data: bytes, file: str) -> str:
    """The page's text, in the encoding it declares when that is a known one."""
    declared = _CHARSET.search(data[:8192])
    if declared and not data.startswith(b"\xef\xbb\xbf"):
        name = declared.group(1).decode("ascii").lower()
        if name in ("gb2312", "gbk", "x-gbk", "gb_2312-80"):
            name = "gb18030"  # what pages labelled GB2312 or GBK really use
        try:
            return data.decode(codecs.lookup(name).name)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown label: detect instead
    return decode(data, file)


def html_lines(path: Path) -> list[Line]:
    data = path.read_bytes()
    text = _XML_DECLARATION.sub("", decode_html(data, str(path)), count=1)
    if not text.strip():
        raise ReadError("empty web page", file=str(path))
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ReadError(f"not a readable web page: {exc}", file=str(path)) from None
    flow = _Flow()
    flow.walk(root)
    flow.end_line()
    if not any(flow.items):
        raise ReadError("the web page shows no text", file=str(path))
    return grid_lines([flow.items], paged=False)


def _tag(element: lxml.etree._Element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


class _Flow:
    """The page as a browser lays it out: text joined into lines, tables into rows."""

    def __init__(self) -> None:
        self.items: list[str | list[str]] = []
        self._text: list[str] = []

    def add_text(self, text: str | None) -> None:
        if text:
            self._text.append(_SPACE.sub(" ", text))

    def end_line(self) -> None:
        """End the line of text so far. A block holding only non-breaking spaces
        (``<p>&nbsp;</p>``) is a blank line, as a browser shows it; an empty one shows
        nothing and is no line."""
        line = "".join(self._text).strip(" ")
        self._text.clear()
        if line:
            self.items.append(line if line.strip() else "")

    def walk(self, element: lxml.etree._Element) -> None:
        """``element`` and its content (its tail is the caller's)."""
        tag = _tag(element)
        if not tag or tag in _HIDDEN:  # a comment, processing instruction or hidden
            return
        if tag == "table" and not element.xpath(".//table"):
            self.end_line()
            self.table(element)
            return
        block = tag in _BLOCKS
        if block:
            self.end_line()
        self.add_text(element.text)
        for child in element:
            self.walk(child)
            self.add_text(child.tail)
        if block:
            self.end_line()

    def table(self, table: lxml.etree._Element) -> None:
        """A data table: its caption as a line, then one line of cells per row."""
        for caption in table.xpath("./caption"):
            self.add_text(caption.text_content())
            self.end_line()
        spanned: dict[int, int] = {}  # column → how many more rows a cell above covers
        for row in table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr"):
            cells: list[str] = []
            for cell in row.xpath("./td | ./th"):
                while spanned.get(len(cells)):
                    cells.append("")
                across, down = _span(cell, "colspan"), _span(cell, "rowspan")
                for column in range(len(cells), len(cells) + across):
                    if down > 1:
                        spanned[column] = down  # decremented below, with this row
                cells.append(_cell_text(cell))
                cells.extend([""] * (across - 1))
            while spanned and len(cells) <= max(spanned):
                cells.append("")  # the row ends, the cells spanning down from above go on
            for column in list(spanned):
                spanned[column] -= 1
                if not spanned[column]:
                    del spanned[column]
            self.items.append(cells)


def _span(cell: lxml.etree._Element, name: str) -> int:
    value = (cell.get(name) or "").strip()
    return min(int(value), _MAX_SPAN) if value.isdigit() and int(value) > 0 else 1


def _cell_text(cell: lxml.etree._Element) -> str:
    """A cell's text: its paragraphs and ``<br>`` lines joined as one cell's text."""
    flow = _Flow()
    flow.add_text(cell.text)
    for child in cell:
        flow.walk(child)
        flow.add_text(child.tail)
    flow.end_line()
    return join_cell_texts(str(item) for item in flow.items)
