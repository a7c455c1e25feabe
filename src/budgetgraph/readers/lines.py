"""The common currency of every reader: lines of cells, and the coverage ledger.

A text export and a PDF both become a list of :class:`Line`: the 1-based line
number in the source, the page where known, and the cells of the line (split on
tabs, on runs of spaces, or on horizontal gaps in a PDF). The table, narrative
and performance readers work on lines only, so every input format gives the same
model.

The :class:`Ledger` records what happened to each numeric token of the source:
read as a figure, recognised as structure (a year, a list number, a code), or
left unread with a reason. It is how "nothing is dropped silently" is checked.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from budgetgraph.model import Coverage, NonFigure, SourceRef, Token, Unread

#: A numeric token: digits with optional thousands separators and decimals.
#: A full-width digit run is normalised before matching (see ``normalise``).
NUMBER_RE = re.compile(r"(?<![\d.])-?\d[\d,]*(?:\.\d+)?")
#: A well-formed amount cell: optional sign, thousands groups, optional decimals.
AMOUNT_RE = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
#: A page marker an export prints between pages: ``-- 3 of 33 --`` (a portal's
#: export), ``- 3 -`` or ``— 3 —`` (a page footer), ``第 3 页`` / ``第3页 共20页``.
PAGE_MARKER_RE = re.compile(
    r"^\s*(?:--\s*(\d+)\s+of\s+(\d+)\s*--|[-—–─]\s*\d{1,4}\s*[-—–─]"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?)\s*$")
_SPACE_RUN = re.compile(r" {2,}|\u3000+")
#: Cells separated by pipes (``| 合计 | 1,234.00 |``), as some portals print tables.
_PIPES = re.compile(r"\s*[|｜]\s*")
_BARE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")

_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def normalise(text: str) -> str:
    """Full-width digits to ASCII; non-breaking spaces to spaces.

    Full-width punctuation (，．) stays: in Chinese text it is punctuation, not a
    thousands separator or decimal point.
    """
    return text.translate(_FULLWIDTH).replace("\xa0", " ")


def parse_amount(cell: str) -> Decimal | None:
    """A printed amount as Decimal; ``None`` for a blank cell.

    Raises ValueError for text that is not an amount, so the caller can report it.
    """
    text = cell.strip()
    if text in ("", "-", "—", "－"):
        return None
    if not AMOUNT_RE.match(text):
        raise ValueError(f"not an amount: {cell!r}")
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - AMOUNT_RE guards this
        raise ValueError(f"not an amount: {cell!r}") from exc


def is_amount(cell: str) -> bool:
    return bool(AMOUNT_RE.match(cell.strip()))


@dataclass(frozen=True)
class Cell:
    """One cell of a line; ``x0``/``x1`` are horizontal positions when the source has them."""

    text: str
    x0: float | None = None
    x1: float | None = None


@dataclass
class Line:
    number: int
    text: str
    cells: list[Cell]
    page: int | None = None

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()

    def ref(self, file: str) -> SourceRef:
        return SourceRef(file, self.number, self.page)


def split_cells(text: str) -> list[Cell]:
    """Cells of a text line: tab-separated where there are tabs, pipe-separated where
    the line is ruled with pipes, else runs of spaces.

    Tab- and pipe-separated exports keep blank cells (two separators in a row),
    which is what lets blank cells keep their column; space-separated ones cannot.
    """
    if "\t" in text:
        return [Cell(part.strip()) for part in text.split("\t")]
    if len(_PIPES.findall(text)) >= 2:
        parts = _PIPES.split(text.strip())
        if parts and not parts[0]:  # a leading and a trailing pipe frame the row
            parts = parts[1:]
        if parts and not parts[-1]:
            parts = parts[:-1]
        return [Cell(part) for part in parts]
    return [Cell(part.strip()) for part in _SPACE_RUN.split(text.strip())]


def text_lines(text: str) -> list[Line]:
    """Split a decoded text export into lines, tracking pages from breaks and markers.

    A form feed ends a page, and also the line it stands in: extractors that join
    pages with ``\\f`` (pdftotext, pdfplumber pages joined) put the last line of
    one page and the first of the next on one line of the file. Both halves keep
    the file's line number and get their own page. Page markers (``-- 3 of 33
    --``) advance the page too; they stay as lines so their numbers are accounted
    for.
    """
    lines: list[Line] = []
    page: int | None = None
    has_breaks = "\f" in text
    if has_breaks:
        page = 1
    for number, raw in enumerate(text.split("\n"), start=1):
        parts = raw.split("\f")
        for index, part in enumerate(parts):
            if index:
                page = (page or 1) + 1
            part = normalise(part.rstrip("\r"))
            if index and not part.strip():
                continue
            if any(c in part for c in "\v\x1c\x1d\x1e\x85\u2028\u2029"):
                part = re.sub(r"[\v\x1c\x1d\x1e\x85\u2028\u2029]", " ", part)
            marker = PAGE_MARKER_RE.match(part)
            lines.append(Line(number, part, split_cells(part), page))
            if marker and marker.group(1) and not has_breaks:
                # the marker closes page N: what follows is on page N + 1
                page = int(marker.group(1)) + 1
    if text.endswith("\n") and lines and not lines[-1].text:
        lines.pop()
    if any(PAGE_MARKER_RE.match(line.text) for line in lines):
        # markers close pages: lines before the first marker are on page 1
        for line in lines:
            if line.page is None:
                line.page = 1
    mark_bare_page_numbers(lines)
    return lines


#: Characters that cannot stay inside one cell of a line: tabs separate cells, the
#: others end lines. A cell's own line breaks become spaces.
_CELL_BREAKS = re.compile(r"[\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")


def join_cell_texts(parts: Iterable[str]) -> str:
    """The paragraphs of one table cell as one text: a name wrapped over two lines of a
    cell is one name. Chinese runs on without a space (``社会保障`` + ``和就业支出``);
    a space is kept only between two ASCII letters or digits (``GB/T`` ``2260``)."""
    text = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if text and text[-1].isascii() and text[-1].isalnum() \
                and part[0].isascii() and part[0].isalnum():
            text += " "
        text += part
    return text


def grid_lines(pages: Iterable[Iterable[str | Sequence[str]]], *, paged: bool) -> list[Line]:
    """Lines of a source whose cells are given: a spreadsheet, a Word document, a web page.

    Each item of a page is one line: a sequence of cells (a table row, blank cells
    kept so that every cell keeps its column, as a tab-separated export keeps them)
    or a string (a paragraph, split into cells as a text export's line is). With
    ``paged`` the pages are numbered from 1 (a workbook's sheets) and lines from 1 on
    each page, as a PDF's are (a sheet's line number is its row number); else there is
    no page (one web page) and lines are numbered through. A line's text drops
    trailing blank cells — they are no text, only columns — while its cells keep them.
    """
    lines: list[Line] = []
    number = 0
    for page_number, page in enumerate(pages, start=1):
        if paged:
            number = 0
        for item in page:
            number += 1
            page_of_line = page_number if paged else None
            if isinstance(item, str):
                text = normalise(item.rstrip("\r\n"))
                text = re.sub(r"[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+", " ", text)
                lines.append(Line(number, text, split_cells(text), page_of_line))
                continue
            cells = [_CELL_BREAKS.sub(" ", normalise(cell)).strip() for cell in item]
            text = "\t".join(cells).rstrip("\t")
            if not text:
                lines.append(Line(number, "", [Cell("")], page_of_line))
                continue
            lines.append(Line(number, text, [Cell(c) for c in cells], page_of_line))
    mark_bare_page_numbers(lines)
    return lines


def mark_bare_page_numbers(lines: list[Line]) -> None:
    """A bare number alone on the last line of every page is a page number.

    A bare number can also be a figure (one cell per line), so it is taken for a
    page number only where pages are known and the numbers at the page ends
    count up with the pages: at least three of them stand the same distance from
    their page's index (the cover and contents are often unnumbered; a page of
    tables may print no number), and those are rewritten as marker lines
    (``- 3 -``) so that every reader skips them.
    """
    ends: list[Line] = []
    for line, after in zip(lines, [*lines[1:], None], strict=True):
        if line.page is not None and (after is None or after.page != line.page) \
                and _BARE_NUMBER.match(line.text):
            ends.append(line)
    offsets = Counter(int(line.text) - (line.page or 0) for line in ends)
    if not offsets:
        return
    offset, count = offsets.most_common(1)[0]
    if count < 3:
        return
    for line in ends:
        if int(line.text) - (line.page or 0) != offset:
            continue
        line.text = f"- {line.text.strip()} -"
        line.cells = [Cell(line.text)]


@dataclass
class Ledger:
    """What became of every numeric token of one source file."""

    file: str
    lines: list[Line]
    _tokens: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    _state: dict[tuple[int, int], str] = field(default_factory=dict)
    _reasons: dict[tuple[int, int], str] = field(default_factory=dict)
    _position: dict[tuple[int | None, int], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for index, line in enumerate(self.lines):
            self._position[(line.page, line.number)] = index
            found = [(m.start(), m.group()) for m in NUMBER_RE.finditer(line.text)]
            if found:
                self._tokens[index] = found

    def _index(self, line: Line) -> int:
        # by place, not by text: two lines with the same text are two places in the
        # source, and a reader may hand back a rewritten copy of a line
        return self._position[(line.page, line.number)]

    def _mark(self, line: Line, number_text: str, state: str, *, reason: str = "") -> bool:
        """Mark the first open token of ``line`` equal to ``number_text``."""
        index = self._index(line)
        wanted = number_text.strip().lstrip("+")
        for offset, token in self._tokens.get(index, []):
            key = (index, offset)
            if key in self._state:
                continue
            if token == wanted or token.lstrip("-") == wanted.lstrip("-"):
                self._state[key] = state
                if reason:
                    self._reasons[key] = reason
                return True
        return False

    def figure(self, line: Line, number_text: str) -> bool:
        """A token read into the model as a figure."""
        return self._mark(line, number_text, "figure")

    def structural(self, line: Line, number_text: str, kind: str) -> bool:
        """A token that is not a figure: a year, list number, code, page marker …"""
        return self._mark(line, number_text, f"structural:{kind}")

    def unread(self, line: Line, number_text: str, reason: str) -> bool:
        return self._mark(line, number_text, "unread", reason=reason)

    def span(self, line: Line, start: int, end: int, kind: str) -> None:
        """Every open token inside ``line.text[start:end]`` as ``kind`` (structural)."""
        index = self._index(line)
        for offset, _token in self._tokens.get(index, []):
            key = (index, offset)
            if start <= offset < end and key not in self._state:
                self._state[key] = f"structural:{kind}"

    def refile(self, line: Line, kind: str) -> None:
        """The line's figures were a copy (a table printed twice): structural ``kind``."""
        index = self._index(line)
        for offset, _token in self._tokens.get(index, []):
            if self._state.get((index, offset)) == "figure":
                self._state[(index, offset)] = f"structural:{kind}"

    def line_structural(self, line: Line, kind: str) -> None:
        self.span(line, 0, len(line.text), kind)

    def not_structural(self, lines: Iterable[Line]) -> list[tuple[Line, str]]:
        """The tokens of ``lines`` that no reader has called structural, in order: read
        as figures, left unread, or not taken at all. The numbers a region of the
        document holds as data, whatever became of them."""
        found: list[tuple[Line, str]] = []
        for line in lines:
            index = self._index(line)
            found.extend((line, token) for offset, token in self._tokens.get(index, [])
                         if not self._state.get((index, offset), "").startswith("structural:"))
        return found

    def open_tokens(self, line: Line) -> list[str]:
        index = self._index(line)
        return [t for o, t in self._tokens.get(index, []) if (index, o) not in self._state]

    def coverage(self, default_reason: str = "not understood") -> Coverage:
        """The account: figures consumed, structural tokens one by one and by kind, the
        rest unread. Tokens come in source order (the ledger's lines are the source's)."""
        coverage = Coverage()
        kinds: Counter[str] = Counter()
        for index, tokens in self._tokens.items():
            line = self.lines[index]
            for offset, text in tokens:
                state = self._state.get((index, offset))
                if state and state.startswith("structural:"):
                    kind = state.split(":", 1)[1]
                    kinds[kind] += 1
                    coverage.non_figures.append(
                        NonFigure(Token(text, line.ref(self.file), offset), kind))
                    continue
                coverage.figures_total += 1
                if state == "figure":
                    coverage.figures_consumed += 1
                else:
                    reason = self._reasons.get((index, offset), default_reason)
                    token = Token(text, line.ref(self.file), offset)
                    coverage.unread.append(Unread(token, reason))
        coverage.structural = dict(sorted(kinds.items()))
        return coverage
