"""Read a PDF into :class:`~budgetgraph.readers.lines.Line` s: text lines of cells.

The table, narrative and performance readers work on lines only, so a PDF must
become what a good text export would be: one line per printed text line, top
to bottom, its cells split where the horizontal gap is wider than a word gap,
each cell with its horizontal extent (``x0``/``x1``) so that a reader can align
a row's cells to the header columns even where cells are blank.

Why pypdfium2 and not pdfplumber: both give per-character boxes, but pdfplumber
(pdfminer.six) took 0.8–2.6 s per corpus document against 0.03–0.15 s here
(docs/layouts.md has the figures); at 100,000 documents that is days against
hours. PDFium is also the engine Chrome uses, so it copes with the fonts and
encodings of WPS, Word, Excel and ONLYOFFICE exports alike.

Why characters and not PDFium's own text: Chinese text has no spaces, so words
cannot be found by spaces; PDFium's text (``get_text_range``) inserts spaces and
line breaks by its own heuristics and would put a table row's cells in one
space-separated string. Grouping the characters by position ourselves gives
cells and their positions.
"""

from __future__ import annotations

import bisect
import ctypes
import itertools
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from budgetgraph.errors import ReadError
from budgetgraph.readers.lines import Cell, Line, mark_bare_page_numbers, normalise

#: Two characters of one line whose baselines differ by more than this share of
#: the character height are on different lines. Table headers centre their
#: cells vertically, so fragments of a two-line header sit half a line apart;
#: 0.3 keeps those apart while allowing the jitter of one printed line.
BASELINE_TOLERANCE = 0.3
#: A horizontal gap wider than this share of the character height separates
#: cells. A space glyph is 0.25–0.5 em wide and justified text stretches gaps to
#: about 0.7 em; table columns without a ruling between them leave at least one
#: em. Where a ruled line separates two characters they are split whatever the
#: gap: right-aligned amounts end 0.3 em before the next column's text.
CELL_GAP = 1.0
#: A path segment is a ruling when it runs along one axis: less than this
#: (points) across and at least this long.
RULING_THICKNESS = 1.0
#: Cells whose top borders are this close (points) start the same table row;
#: exporters draw one border as several segments a fraction of a point apart.
SAME_BORDER = 1.5
#: A ruled box larger than this share of the page is a frame, not a table cell.
MAX_CELL_SHARE = 0.4
#: Characters smaller than this (points) are not text a reader sees (hidden
#: markers, hairline artefacts); they are left out of lines.
MIN_CHAR_HEIGHT = 2.0
#: An image covering this share of a page without text is a scanned page.
SCAN_COVER = 0.5
#: PDF files end with ``%%EOF``; a truncated file does not (some writers add a
#: few bytes of padding, hence the tail searched).
_EOF_TAIL = 1024


@dataclass(frozen=True)
class _Char:
    """One printed character: its text, loose box (font bounds) and baseline."""

    text: str
    x0: float
    x1: float
    bottom: float
    top: float
    baseline: float

    @property
    def height(self) -> float:
        return self.top - self.bottom

    @property
    def is_space(self) -> bool:
        return self.text.isspace()


def pdf_lines(path: Path, *, pages: int | None = None) -> list[Line]:
    """Every text line of every page, in reading order, as :class:`Line` s.

    ``page`` is 1-based and ``number`` is the 1-based line within its page, so a
    figure's :class:`~budgetgraph.model.SourceRef` reads ``file:p3:12``.
    ``text`` is the cells joined by a tab. Raises :class:`ReadError` (naming the
    file) for an empty, truncated, corrupt, encrypted or scanned PDF. ``pages`` reads
    only that many pages from the start.
    """
    data = _read_bytes(path)
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ReadError(_open_error(exc), file=path.name) from exc
    try:
        lines: list[Line] = []
        pages_with_text = 0
        for page_number, page in enumerate(_pages(document, path, pages), start=1):
            chars = _page_chars(page)
            if not any(not c.is_space for c in chars):
                if _is_scanned(page):
                    raise ReadError(
                        "page is a scanned image without a text layer; OCR it first",
                        file=path.name, page=page_number,
                    )
                continue
            pages_with_text += 1
            lines.extend(_page_lines(chars, _grid(page), page_number))
        if not pages_with_text:
            raise ReadError(
                "the PDF has no text layer (a scan?); OCR it first", file=path.name
            )
        mark_bare_page_numbers(lines)
        return lines
    finally:
        document.close()


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing what is plainly not a whole PDF before PDFium sees it.

    PDFium repairs a truncated file by scanning for objects and would give the
    pages it can find without a word; a disclosure read in part would drop
    tables silently, so a missing ``%%EOF`` is an error here.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read the file: {exc.strerror}", file=path.name) from exc
    if not data:
        raise ReadError("the file is empty", file=path.name)
    if not data.lstrip()[:5] == b"%PDF-":
        raise ReadError("not a PDF (no %PDF- header)", file=path.name)
    if b"%%EOF" not in data[-_EOF_TAIL:]:
        raise ReadError("the PDF is truncated (no %%EOF at the end)", file=path.name)
    return data


def _open_error(exc: pdfium.PdfiumError) -> str:
    code = getattr(exc, "err_code", None)
    if code == pdfium_c.FPDF_ERR_PASSWORD:
        return "the PDF is encrypted and needs a password"
    if code == pdfium_c.FPDF_ERR_SECURITY:
        return "the PDF uses an unsupported security handler"
    if code == pdfium_c.FPDF_ERR_FORMAT:
        return "the PDF is corrupt (not a readable PDF structure)"
    return f"the PDF cannot be opened: {exc}"


def _pages(document: pdfium.PdfDocument, path: Path,
           count: int | None = None) -> Iterator[pdfium.PdfPage]:
    for index in range(min(len(document), count or len(document))):
        try:
            page = document[index]
        except pdfium.PdfiumError as exc:
            raise ReadError(f"page cannot be loaded: {exc}", file=path.name,
                            page=index + 1) from exc
        try:
            yield page
        finally:
            page.close()


def _page_chars(page: pdfium.PdfPage) -> list[_Char]:
    """The page's printed characters in page coordinates (y up), rotation undone.

    Characters PDFium generates itself (the spaces and line breaks it infers)
    are skipped: lines and cells come from positions, not from its guesses.
    """
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        rect = pdfium_c.FS_RECTF()
        origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
        turn = page.get_rotation() % 360
        width, height = page.get_width(), page.get_height()
        chars: list[_Char] = []
        for index in range(textpage.count_chars()):
            if pdfium_c.FPDFText_IsGenerated(raw, index) == 1:
                continue
            code = pdfium_c.FPDFText_GetUnicode(raw, index)
            if not code or code in (0xFFFE, 0xFFFF):
                continue
            pdfium_c.FPDFText_GetLooseCharBox(raw, index, rect)
            pdfium_c.FPDFText_GetCharOrigin(raw, index, origin_x, origin_y)
            box = _turn(turn, width, height, rect.left, rect.bottom, rect.right, rect.top)
            x0, bottom, x1, top = box
            baseline = _turn(turn, width, height, origin_x.value, origin_y.value,
                             origin_x.value, origin_y.value)[1]
            if top - bottom < MIN_CHAR_HEIGHT:
                continue
            chars.append(_Char(normalise(chr(code)), x0, x1, bottom, top, baseline))
        return chars
    finally:
        textpage.close()


def _turn(turn: int, width: float, height: float, left: float, bottom: float,
          right: float, top: float) -> tuple[float, float, float, float]:
    """A box in unrotated page space to the space of the page as displayed.

    ``width``/``height`` are the displayed page size (PDFium swaps them for
    pages rotated by 90° or 270°).
    """
    if turn == 90:
        return bottom, width - right, top, width - left
    if turn == 180:
        return width - right, height - top, width - left, height - bottom
    if turn == 270:
        return height - top, left, height - bottom, right
    return left, bottom, right, top


@dataclass(frozen=True)
class _Grid:
    """The ruled lines of a page: vertical ``(x, bottom, top)``, horizontal ``(y, left, right)``."""

    verticals: list[tuple[float, float, float]]
    horizontals: list[tuple[float, float, float]]
    width: float
    height: float

    def borders(self, middle: float) -> list[float]:
        """The x of every vertical ruling crossing height ``middle``, sorted."""
        return sorted(x for x, bottom, top in self.verticals if bottom <= middle <= top)

    def box(self, x: float, y: float) -> tuple[float, float, float, float] | None:
        """The ruled cell around a point, as ``(left, bottom, right, top)``, if any.

        A cell is bounded by the nearest rulings on all four sides that pass the
        point. A box taller or wider than a table cell can be (a page frame) is
        not a cell.
        """
        left = max((v for v, b, t in self.verticals if v <= x and b <= y <= t), default=None)
        right = min((v for v, b, t in self.verticals if v >= x and b <= y <= t), default=None)
        bottom = max((h for h, a, z in self.horizontals if h <= y and a <= x <= z), default=None)
        top = min((h for h, a, z in self.horizontals if h >= y and a <= x <= z), default=None)
        if left is None or right is None or bottom is None or top is None:
            return None
        too_tall = top - bottom > MAX_CELL_SHARE * self.height
        if too_tall or right - left > MAX_CELL_SHARE * self.width:
            return None
        return (round(left, 1), round(bottom, 1), round(right, 1), round(top, 1))


def _grid(page: pdfium.PdfPage) -> _Grid:
    """The page's ruled lines, from the straight segments of its path objects.

    Exporters draw table borders as stroked lines, as thin filled rectangles or
    as one rectangle per cell; every axis-parallel segment of any of them is a
    ruling. Curves are ignored.
    """
    turn = page.get_rotation() % 360
    width, height = page.get_width(), page.get_height()
    verticals: list[tuple[float, float, float]] = []
    horizontals: list[tuple[float, float, float]] = []
    matrix = pdfium_c.FS_MATRIX()
    x, y = ctypes.c_float(), ctypes.c_float()
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,)):
        pdfium_c.FPDFPageObj_GetMatrix(obj.raw, matrix)
        points: list[tuple[float, float]] = []
        start: tuple[float, float] | None = None
        for index in range(pdfium_c.FPDFPath_CountSegments(obj.raw)):
            segment = pdfium_c.FPDFPath_GetPathSegment(obj.raw, index)
            pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
            point = (matrix.a * x.value + matrix.c * y.value + matrix.e,
                     matrix.b * x.value + matrix.d * y.value + matrix.f)
            kind = pdfium_c.FPDFPathSegment_GetType(segment)
            if kind == pdfium_c.FPDF_SEGMENT_LINETO and points:
                points.append(point)
            else:
                _add_rulings(points, verticals, horizontals, turn, width, height)
                points = [point]
                start = point
                if kind != pdfium_c.FPDF_SEGMENT_MOVETO:
                    points = []
            if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None and points:
                points.append(start)
        _add_rulings(points, verticals, horizontals, turn, width, height)
    return _Grid(verticals, horizontals, width, height)


def _add_rulings(points: list[tuple[float, float]], verticals: list[tuple[float, float, float]],
                 horizontals: list[tuple[float, float, float]], turn: int, width: float,
                 height: float) -> None:
    """The axis-parallel segments of one polyline, in displayed page space."""
    for (ax, ay), (bx, by) in itertools.pairwise(points):
        left, bottom, right, top = _turn(turn, width, height, min(ax, bx), min(ay, by),
                                         max(ax, bx), max(ay, by))
        if right - left < RULING_THICKNESS <= top - bottom:
            verticals.append(((left + right) / 2, bottom, top))
        elif top - bottom < RULING_THICKNESS <= right - left:
            horizontals.append(((bottom + top) / 2, left, right))


def _is_scanned(page: pdfium.PdfPage) -> bool:
    """True where an image covers most of a page that has no text."""
    area = page.get_width() * page.get_height()
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):
        left, bottom, right, top = obj.get_bounds()
        if (right - left) * (top - bottom) >= SCAN_COVER * area:
            return True
    return False


@dataclass
class _Fragment:
    """Characters of one printed line between two cell boundaries."""

    chars: list[_Char]

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars).strip()

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @property
    def x1(self) -> float:
        return self.chars[-1].x1

    @property
    def top(self) -> float:
        return max(c.top for c in self.chars)

    @property
    def baseline(self) -> float:
        return self.chars[0].baseline

    @property
    def middle(self) -> float:
        return statistics.median((c.bottom + c.top) / 2 for c in self.chars)


def _page_lines(chars: list[_Char], grid: _Grid, page_number: int) -> list[Line]:
    """Group a page's characters into lines (top to bottom) and cells (left to right).

    Inside a ruled table a line is a table row: the cells whose ruled boxes
    share a top border, each cell's wrapped text joined. Exporters place the
    text of one row at different heights (top-aligned codes, centred names,
    amounts on the bottom line), so grouping by baseline alone would tear rows
    apart. Outside rulings, characters on one baseline form a line.
    """
    boxed: dict[tuple[float, float, float, float], list[_Fragment]] = {}
    placed: list[tuple[float, list[Cell]]] = []
    for row in _baseline_rows(chars):
        middle = statistics.median((c.bottom + c.top) / 2 for c in row)
        borders = grid.borders(middle)
        free: list[_Fragment] = []
        row_boxes: list[tuple[float, float, float, float]] = []
        for fragment in _fragments(row, borders):
            box = grid.box((fragment.x0 + fragment.x1) / 2, fragment.middle)
            if box is None:
                free.append(fragment)
            else:
                boxed.setdefault(box, []).append(fragment)
                row_boxes.append(box)
        if free and row_boxes:
            # A merged label cell (合计 over the code and name columns) whose
            # borders are not drawn as one box: on the baseline of a ruled row
            # and inside the table's rulings, it belongs to that row.
            _, bottom, _, top = row_boxes[0]
            inside = [f for f in free
                      if borders and borders[0] <= (f.x0 + f.x1) / 2 <= borders[-1]]
            for fragment in inside:
                boxed.setdefault((fragment.x0, bottom, fragment.x1, top), []).append(fragment)
            free = [f for f in free if f not in inside]
        if free:
            cells = [Cell(f.text, round(f.x0, 2), round(f.x1, 2)) for f in free]
            placed.append((max(f.top for f in free), cells))
    rows_by_top: list[tuple[float, list[tuple[float, Cell]]]] = []
    for (left, _bottom, _right, top), fragments in sorted(boxed.items(), key=lambda b: -b[0][3]):
        if not rows_by_top or rows_by_top[-1][0] - top > SAME_BORDER:
            rows_by_top.append((top, []))
        rows_by_top[-1][1].append((left, _cell_of(fragments)))
    for top, cells in rows_by_top:
        placed.append((top, [cell for _left, cell in sorted(cells, key=lambda c: c[0])]))
    placed.sort(key=lambda item: (-item[0], item[1][0].x0 or 0.0))
    lines: list[Line] = []
    for _top, cells in placed:
        text = "\t".join(c.text for c in cells)
        lines.append(Line(len(lines) + 1, text, cells, page_number))
    return lines


def _baseline_rows(chars: list[_Char]) -> list[list[_Char]]:
    """Characters grouped by baseline, top to bottom, each row left to right."""
    rows: list[list[_Char]] = []
    for char in sorted(chars, key=lambda c: (-c.baseline, c.x0)):
        if rows:
            row = rows[-1]
            size = max(char.height, row[0].height)
            if abs(row[0].baseline - char.baseline) <= BASELINE_TOLERANCE * size:
                row.append(char)
                continue
        rows.append([char])
    return [sorted(row, key=lambda c: c.x0) for row in rows]


def _cell_of(fragments: list[_Fragment]) -> Cell:
    """One ruled cell's text: its wrapped lines joined, top to bottom.

    Wrapped Chinese joins without a space (``本年支出合`` + ``计``); a space is
    kept only between two Latin letters or digits, so numbers never fuse.
    """
    ordered = sorted(fragments, key=lambda f: (-f.baseline, f.x0))
    text = ""
    for fragment in ordered:
        part = fragment.text
        if text and (text[-1].isascii() and text[-1].isalnum()) and (
                part[:1].isascii() and part[:1].isalnum()):
            text += " "
        text += part
    return Cell(text, round(min(f.x0 for f in fragments), 2),
                round(max(f.x1 for f in fragments), 2))


def _fragments(row: list[_Char], borders: list[float]) -> list[_Fragment]:
    """Split one line's characters at ruled borders and at gaps wider than a word gap.

    Space glyphs never start or end a fragment (Word exports end every table
    cell with one); between two characters of one fragment they become one space.
    """
    printed = [c for c in row if not c.is_space]
    if not printed:
        return []
    size = statistics.median(c.height for c in printed)
    fragments: list[_Fragment] = []
    current: list[_Char] = []
    pending_space = False
    for char in row:
        if char.is_space:
            pending_space = bool(current)
            continue
        if current and _is_split(current[-1], char, size, borders):
            fragments.append(_Fragment(current))
            current, pending_space = [], False
        if _is_duplicate(current, char):
            continue
        if pending_space or (current and _is_word_gap(current[-1], char, size)):
            current.append(_Char(" ", char.x0, char.x0, char.bottom, char.top, char.baseline))
        pending_space = False
        current.append(char)
    if current:
        fragments.append(_Fragment(current))
    return fragments


def _is_split(previous: _Char, char: _Char, size: float, borders: list[float]) -> bool:
    """A cell ends between two characters at a ruled border or a wide gap."""
    if char.x0 - previous.x1 > CELL_GAP * size:
        return True
    left = (previous.x0 + previous.x1) / 2
    right = (char.x0 + char.x1) / 2
    index = bisect.bisect_right(borders, left)
    return index < len(borders) and borders[index] < right


def _is_word_gap(previous: _Char, char: _Char, size: float) -> bool:
    """A visible gap without a space glyph (Latin words placed apart) reads as a space."""
    return char.x0 - previous.x1 > 0.2 * size and previous.text.isascii() and char.text.isascii()


def _is_duplicate(current: list[_Char], char: _Char) -> bool:
    """The same glyph printed twice on the same spot (fake bold) is one character."""
    if not current:
        return False
    last = current[-1]
    return last.text == char.text and abs(last.x0 - char.x0) < 0.5 and abs(
        last.baseline - char.baseline) < 0.5
