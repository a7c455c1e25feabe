"""Read one table from its lines: header → columns by meaning, rows → codes and values.

Two ways to match data cells to header columns, chosen per table:

* **by position** — where every line keeps its blank cells (tab exports that
  print ``→→`` for an empty cell, or PDF lines whose cells carry x positions),
  a data cell belongs to the header column at the same position; headers split
  over several lines are stacked per position and the bottom-most cell names
  the column.
* **by reading order** — where the export drops blank cells (runs of spaces,
  or tabs after non-blank cells only), the header's words are read in order
  and values are assigned from the left; the table gets a reader note saying so.

Nothing here knows the file format: the caller gives :class:`Line` objects.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal

from budgetgraph.errors import ReadError
from budgetgraph.model import AmountUnit, Column, Note, Phase, Row, Table, TableKind
from budgetgraph.readers.codes import code_of
from budgetgraph.readers.lines import (
    NUMBER_RE,
    PAGE_MARKER_RE,
    Cell,
    Ledger,
    Line,
    is_amount,
    parse_amount,
)
from budgetgraph.readers.placement import (
    BREAK_COST,
    MAX_STEPS,
    Draft,
    Group,
    Rule,
    candidates,
    place,
    row_rules,
)
from budgetgraph.readers.procurement import read_procurement
from budgetgraph.readers.rownumbers import without_row_numbers
from budgetgraph.readers.stream import (
    RowText,
    Token,
    figure_runs,
    paired,
    restore_codes,
    rows_by_code,
    rows_by_name,
    tokens,
)
from budgetgraph.readers.transposed import read_income_list, read_transposed
from budgetgraph.readers.vocabulary import (
    TABLE_NUMBER_RE,
    HeaderTerm,
    functional_class_code,
    header_term,
    header_terms,
    scan_header,
    squash,
    strip_numbering,
)

TWO_SIDED = (TableKind.SUMMARY, TableKind.FISCAL_SUMMARY)
_UNIT_RE = re.compile(r"单位\s*[:：]\s*(万元|元)")
_META_RE = re.compile(r"(部门名称|编制部门|编制单位|预算单位|单位名称|单位)\s*[:：]")
_CODE_PART = re.compile(r"^\d{1,7}$")
_GLUED_CODE = re.compile(r"^[2-5]\d\d(?:\d\d){0,2}[\u4e00-\u9fff]")
#: The national template's instruction to the filer (无…的，仍保留该表格式，并在本表
#: 下方作下述说明：), which some documents print under an empty table.
_INSTRUCTION_RE = re.compile(r"仍保留(?:该|本)表格式|在本表下方作")
_TOTAL_NAMES = ("合计", "总计")
#: Tables whose first row is the 合计 of the template, whether it is named or not.
_TOTAL_FIRST = (TableKind.EXPENDITURE, TableKind.INCOME)
#: A total row named for what it sums (收入总计, 本年支出合计, 人员经费合计).
_NAMED_TOTAL = re.compile(r"^[\u4e00-\u9fff]{2,8}(?:总计|合计)$")

_THREE_PUBLIC_CHILD = {"小计": "公务用车购置及运行费"}
_THREE_PUBLIC_KEYS = ("合计", "因公出国(境)费", "公务用车购置及运行费", "小计", "公务用车购置费",
                      "公务用车运行费", "公务接待费", "机关运行经费", "预算数", "决算数")
#: Headings over the halves of a two-sided table, not value columns there.
_SIDE_HEADINGS = ("财政拨款收入", "财政拨款支出", "本年收入", "本年支出", "收入", "支出")


@dataclass
class TableContext:
    """What the table reader needs from the document around it."""

    file: str
    ledger: Ledger
    year: int
    #: the phase of a column whose header names none: 决算 in final accounts
    phase: Phase = Phase.BUDGET


@dataclass
class _Layout:
    columns: list[Column]
    #: by-position mode: the cell position of each column; None in reading-order mode
    positions: list[int] | None
    label_positions: dict[int, str] = field(default_factory=dict)
    #: reading-order mode: other possible orders of the columns (the first is
    #: ``columns``); the figures' identities choose between them
    orders: list[list[Column]] = field(default_factory=list)


def read_table(kind: TableKind, title: Line, body: list[Line], ctx: TableContext) -> Table:
    """Read the table titled by ``title`` from the lines that follow it."""
    ledger = ctx.ledger
    _structural_numbers(ledger, title, "table title")
    if kind is TableKind.PROCUREMENT:
        return read_procurement(title, body, ledger=ledger, file=ctx.file, year=ctx.year)
    body = without_row_numbers(body, ledger)
    on_title = _UNIT_RE.search(squash(title.text).replace("单位:", "单位："))
    unit: AmountUnit | None = AmountUnit(on_title.group(1)) if on_title else None
    notes: list[Note] = []
    header: list[Line] = []
    data: list[Line] = []
    table_remarks: list[str] = []
    content: list[Line] = []  # header and data lines, in order
    for index, line in enumerate(body):
        text = line.text.strip()
        if not text:
            continue
        if PAGE_MARKER_RE.match(text):
            ledger.line_structural(line, "page marker")
            continue
        if TABLE_NUMBER_RE.match(squash(text)):  # 公开表十一 under the title
            ledger.line_structural(line, "table number")
            continue
        unit_match = _UNIT_RE.search(squash(text).replace("单位:", "单位："))
        if unit_match or (_META_RE.search(text) and not data and not _has_amount(line)):
            if unit_match:
                unit = AmountUnit(unit_match.group(1))
            _structural_numbers(ledger, line, "table heading")
            continue
        if _INSTRUCTION_RE.search(text):
            # the template's instruction to the filer, left in by mistake: says
            # nothing about this table's data (the 说明 line after it does)
            table_remarks.append(f"template instruction printed under the table, not read as "
                                 f"a note: {text!r}")
            _structural_numbers(ledger, line, "template instruction")
            continue
        if text.startswith(("注", "说明")) and (":" in text[:4] or "：" in text[:4]):
            notes.append(Note(text, line.ref(ctx.file)))
            _structural_numbers(ledger, line, "note")
            continue
        following = next((b for b in body[index + 1:] if b.text.strip()), None)
        content.append(line)
        if _is_data(line, kind, bool(header), following, data_seen=bool(data)):
            data.append(line)
        elif data and _is_repeated_header(line, header):
            _structural_numbers(ledger, line, "repeated header")
        elif not data:
            header_part, total_part = _split_total_label(line, header)
            header.append(header_part)
            if total_part is not None:
                data.append(total_part)
        else:
            data.append(line)  # continuation of a wrapped name, handled below
    if unit is None:
        raise ReadError(f"table {title.text.strip()!r} names no unit (单位：万元 or 元)",
                        file=ctx.file, line=title.number, page=title.page)
    if kind is TableKind.INCOME:
        listed = read_income_list(title, data, unit=unit, ledger=ledger, file=ctx.file,
                                  year=ctx.year, phase=ctx.phase)
        if listed is not None:
            listed.notes.extend(notes)
            return listed
    if kind is TableKind.THREE_PUBLIC:
        transposed = read_transposed(title, header, data, unit=unit, ledger=ledger,
                                     file=ctx.file, year=ctx.year, phase=ctx.phase)
        if transposed is not None:
            transposed.notes.extend(notes)
            return transposed
    slotted = _has_geometry(header, data)
    if not slotted and not _positional(header, data) \
            and kind not in (*TWO_SIDED, TableKind.THREE_PUBLIC):
        header, data = _scattered_header(content, header, data)
    for line in header:
        _structural_numbers(ledger, line, "table header")
    _lift_header_words(header, data)
    if slotted:
        header, data = _slotted(header, data, two_sided=kind in TWO_SIDED)
    layout = _layout(kind, header, data, title.text, ctx, slotted=slotted)
    table = Table(kind=kind, title=title.text.strip(), unit=unit, columns=layout.columns,
                  rows=[], source=title.ref(ctx.file), notes=notes,
                  reader_notes=table_remarks)
    if layout.positions is None:
        halves = data if kind in TWO_SIDED else _side_by_side(header, data)  # sides: paired
        _read_stream(table, halves, ctx, layout.orders or [layout.columns])
    elif kind in TWO_SIDED:
        _read_two_sided(table, layout, data, ctx)
    else:
        _read_rows(table, layout, data, ctx)
    if kind is TableKind.THREE_PUBLIC:
        _check_three_public(table)
    return table


# ---------------------------------------------------------------------------
# Line classification
# ---------------------------------------------------------------------------


def _parts(line: Line) -> list[str]:
    """The line's words and numbers: its cells split on spaces too (single-space exports)."""
    return [p for c in line.texts for p in c.split()]


def _scattered_header(content: list[Line], header: list[Line],
                      data: list[Line]) -> tuple[list[Line], list[Line]]:
    """Header and rows of a table read without positions, where the header's words
    are scattered among the rows.

    An extractor that reads a page in blocks (pdftotext without -layout) can
    print a row's code before the header's words, and a header word after the
    first rows (``收入预算`` / ``其他收入`` under ``204``). In a table of codes a
    line of header words only is never a row: wherever such lines stand, they
    are the header, and everything else the rows. Where the first cut at the
    header lines already has every header word, it is kept.
    """
    kept = {id(line) for line in header + data}  # not the repeated headers dropped
    first_figure = next((i for i, line in enumerate(content) if _has_figure(line)),
                        len(content))
    # before the first figure: header words and pieces of them (合计 is a column
    # there); after it: lines of header words only (合计 is the total row's label)
    words = [line for index, line in enumerate(content) if id(line) in kept
             and not _has_figure(line)
             and ((index < first_figure and (_header_like(line) or _header_fragment(line)))
                  or (_header_like(line) and not _is_total_label(line)))]
    first = {t.key for _, t in header_terms(_header_words(header)) if t.kind == "value"}
    every = {t.key for _, t in header_terms(_header_words(words)) if t.kind == "value"}
    if first and every <= first:
        return header, data
    return words, [line for line in content if id(line) in kept and line not in words]


def _is_total_label(line: Line) -> bool:
    return squash(line.text) in _TOTAL_NAMES


def _has_figure(line: Line) -> bool:
    """A line with an amount printed as one (decimals or thousands separators)."""
    return any(is_amount(p) and ("." in p or "," in p) for p in _parts(line))


def _header_fragment(line: Line) -> bool:
    """A short piece of a wrapped header cell (款, 项, 经营支 / 出): no code, no row's name."""
    text = squash(line.text)
    return 0 < len(text) <= 6 and not any(c.isdigit() for c in text) \
        and not _is_row_label(line.text) and functional_class_code(text) is None


def _has_amount(line: Line) -> bool:
    return any(is_amount(p) for p in _parts(line))


def _is_data(line: Line, kind: TableKind, header_seen: bool, following: Line | None, *,
             data_seen: bool) -> bool:
    cells = [c for c in line.texts if c]
    if not cells:
        return False
    if _has_amount(line):
        return True
    if kind is TableKind.THREE_PUBLIC:
        return False  # one row of figures under a header of words (合计 is a column there)
    first = _parts(line)[0]
    if (_CODE_PART.match(first) and len(first) in (3, 5, 7)) or _GLUED_CODE.match(first):
        return True
    if not header_seen:
        return False
    if all(squash(c) in _TOTAL_NAMES for c in cells):
        # the total row's label, or a 合计 column over sub-columns on the next line
        return following is None or not _header_like(following) or _has_amount(following)
    if kind in TWO_SIDED:
        # before the first row, only a row's name starts the rows: a word of a
        # header broken over lines (一般公共 / 预算财政 / 拨款) is header
        if not data_seen and not _is_row_label(_parts(line)[0]):
            return False
        return not _header_like(line)
    return False


def _header_like(line: Line) -> bool:
    """Most of the line's text is header words (项目, 预算数, 合计 …).

    A numbered line (``二、政府性基金预算财政拨款``) is a row, even where its
    name is also a header word: headers are never numbered. So is a total row
    named for what it sums (收入总计, 本年支出合计, 人员经费合计).
    """
    text = squash(line.text)
    if strip_numbering(line.text.strip()) != line.text.strip():
        return False
    if _NAMED_TOTAL.match(text):
        return False
    known = sum(len(word) for word, _ in scan_header(text))
    return bool(text) and known >= 0.8 * len(text)


def _split_total_label(line: Line, header: list[Line]) -> tuple[Line, Line | None]:
    """A header line that opens with the total row's label: (header, total row).

    The 决算 fund tables (F02, F03) print the 合计 row's label in the same
    ruled row as 本年支出's sub-headers (``合计 ⇥ 合计 ⇥ 基本支出 ⇥ 项目支出``):
    the first 合计 is a row, the rest are columns. It is told from a 合计
    column (Qinghai's 三公 header) by where it stands: under the 项目 label
    cell of the header above. Without positions (a text export) nothing is split.
    """
    cells = [c for c in line.cells if c.text]
    if len(cells) < 2 or squash(cells[0].text) not in _TOTAL_NAMES \
            or not all(header_term(c.text) is not None for c in cells[1:]) \
            or cells[0].x0 is None:
        return line, None
    above = [c for h in header for c in h.cells if c.text and c.x0 is not None
             and _overlap(c, cells[0]) > 0]
    if not above or not all(_is_label(c.text) for c in above):
        return line, None
    rest = cells[1:]
    return (Line(line.number, "\t".join(c.text for c in rest), rest, line.page),
            Line(line.number, cells[0].text, [cells[0]], line.page))


def _is_repeated_header(line: Line, header: list[Line]) -> bool:
    """A header line printed again on a new page (same words as the first header).

    A lone header word is not enough: a wrapped name's last word (``支出``)
    is often one.
    """
    text = squash(line.text)
    if any(text == squash(h.text) for h in header):
        return True
    return _header_like(line) and len(scan_header(text)) >= 2


def _structural_numbers(ledger: Ledger, line: Line, kind: str) -> None:
    """Numbers of a non-data line: years, table numbers, page numbers."""
    for match in NUMBER_RE.finditer(line.text):
        token = match.group()
        after = line.text[match.end(): match.end() + 1]
        label = "year" if (len(token) == 4 and after == "年") else kind
        ledger.structural(line, token, label)


# ---------------------------------------------------------------------------
# Columns
# ---------------------------------------------------------------------------


def _is_label(text: str) -> bool:
    term = _leaf_term(text)
    return term is not None and term.kind == "label"


def _lift_header_words(header: list[Line], data: list[Line]) -> None:
    """Move header words printed in a data line (类 款 项 beside 合计) into the header."""
    for index, line in enumerate(data[:2]):
        words = [c for c in line.cells if squash(c.text) in ("类", "款", "项")]
        if not words:
            continue
        rest = [c for c in line.cells if c not in words]
        header.append(Line(line.number, "\t".join(c.text for c in words), words, line.page))
        data[index] = Line(line.number, "\t".join(c.text for c in rest), rest, line.page)


def _has_geometry(header: list[Line], data: list[Line]) -> bool:
    """Cells carry x positions (a PDF): columns can be matched by position on the page."""
    cells = [c for line in header + data for c in line.cells if c.text]
    return bool(header) and bool(cells) and all(c.x0 is not None for c in cells)


def _overlap(a: Cell, b: Cell) -> float:
    assert a.x0 is not None and a.x1 is not None and b.x0 is not None and b.x1 is not None
    return min(a.x1, b.x1) - max(a.x0, b.x0)


def _slotted(header: list[Line], data: list[Line], *,
             two_sided: bool) -> tuple[list[Line], list[Line]]:
    """Rewrite PDF lines so that cell *i* of every line is column slot *i*.

    The slots are the header's leaf cells (those with no header cell under
    them), left to right. A wide group header goes to the first slot it
    spans, as a tab export would print it; a data cell goes to the slot it
    overlaps most. After this the table reads like an export that keeps its
    blank cells, by position.
    """
    cells = [(i, c) for i, line in enumerate(header) for c in line.cells if c.text]
    for i, cell in list(cells):
        # the nearest header line under the cell that has text under it: a word
        # broken over two lines may have a blank line between its halves
        under = [(j, d) for j, d in cells if j > i and _overlap(cell, d) > 0]
        below = [d for j, d in under if j == under[0][0]] if under else []
        if len(below) == 1 and header_term(cell.text) is None \
                and header_term(below[0].text) is None \
                and header_term(cell.text + below[0].text) is not None:
            # one header word broken over two lines ("因公出国" / "(境)费")
            joined = Cell(cell.text + below[0].text, below[0].x0, below[0].x1)
            cells = [(j, joined if d is below[0] else d) for j, d in cells]
    # only words that name a column can be leaves: group headings and the
    # headings over the halves of a two-sided table span columns
    named = [(i, c) for i, c in cells if _leaf_term(c.text) is not None
             and not (two_sided and squash(c.text) in _SIDE_HEADINGS)]
    leaves = [c for i, c in named if not any(j > i and _overlap(c, d) > 0 for j, d in named)
              and not _over_phase_pair(i, c, named)]
    slots = sorted(leaves + _unnamed_leaves(cells, named, data, two_sided=two_sided),
                   key=lambda c: c.x0 or 0.0)
    # in a two-sided table 预算数/决算数 is the side's measure itself (F12's
    # table 1 prints 合计 over the expenditure side only)
    parents = [""] * len(slots) if two_sided else _phase_parents(named, slots)

    labels = [n for n, slot in enumerate(slots) if _is_label(slot.text)]
    names = [n for n in labels if (_leaf_term(slots[n].text) or HeaderTerm("", "")).key == "name"]
    values = [n for n in range(len(slots)) if n not in labels]

    def centre(cell: Cell) -> float:
        return ((cell.x0 or 0.0) + (cell.x1 or 0.0)) / 2

    def pick(cell: Cell, candidates: list[int]) -> int:
        """The candidate slot the cell overlaps most, else the one nearest its centre."""
        score, index = max((_overlap(cell, slots[n]), n) for n in candidates)
        if score > 0:
            return index
        return min(candidates, key=lambda n: abs(centre(slots[n]) - centre(cell)))

    def best(cell: Cell, *, first: bool) -> int | None:
        if not slots:
            return None
        if first:  # a header cell: the first slot it spans, as a tab export prints it
            touching = [n for n in range(len(slots)) if _overlap(cell, slots[n]) > 0]
            return touching[0] if touching else None
        if _CODE_PART.match(cell.text):  # a code, or an unseparated amount such as 0
            return pick(cell, list(range(len(slots))))
        if not is_amount(cell.text):  # a name: name slots first, then any label slot
            return pick(cell, names or labels or values)
        return pick(cell, values or labels)

    def in_order(cells: list[Cell]) -> dict[int, int] | None:
        """Figures that would share a slot, put each in its own, keeping their order.

        A figure right-aligned in a wide column can sit nearer the next column's
        header text than its own (J02: 15897.44 under 合计). Cells keep their left-
        to-right order, so where two figures pick one slot the figures of the line
        go, in order, to the value slots nearest them in total.
        """
        figures = [n for n, c in enumerate(cells) if c.text and is_amount(c.text)
                   and not _CODE_PART.match(c.text)]
        picks = [best(cells[n], first=False) for n in figures]
        if len(set(picks)) == len(picks) or len(figures) > len(values):
            return None
        cost: dict[tuple[int, int], tuple[float, list[int]]] = {}

        def solve(f: int, v: int) -> tuple[float, list[int]]:
            if f == len(figures):
                return 0.0, []
            if len(values) - v < len(figures) - f:
                return math.inf, []
            if (f, v) not in cost:
                here = abs(centre(cells[figures[f]]) - centre(slots[values[v]]))
                rest, chosen = solve(f + 1, v + 1)
                skip = solve(f, v + 1)
                cost[f, v] = min((here + rest, [values[v], *chosen]), skip)
            return cost[f, v]

        return dict(zip(figures, solve(0, 0)[1], strict=True))

    def rewrite(line: Line, *, is_header: bool) -> Line:
        texts = [""] * len(slots)
        ordered = None if is_header else in_order(line.cells)
        for number, cell in enumerate(line.cells):
            if not cell.text or (not is_header and squash(cell.text) in ("类", "款", "项")):
                continue
            index = ordered[number] if ordered and number in ordered \
                else best(cell, first=is_header)
            if index is not None:
                texts[index] = f"{texts[index]} {cell.text}".strip() if texts[index] else cell.text
        slotted = [Cell(t, s.x0, s.x1) for t, s in zip(texts, slots, strict=True)]
        return Line(line.number, "\t".join(texts), slotted, line.page)

    new_header = [rewrite(line, is_header=True) for line in header]
    if any(parents):  # just above the phase leaves: what each of them measures
        leaf_line = new_header[-1]
        new_header.insert(len(new_header) - 1, Line(
            leaf_line.number, "\t".join(parents),
            [Cell(t, s.x0, s.x1) for t, s in zip(parents, slots, strict=True)], leaf_line.page))
    return new_header, [rewrite(line, is_header=False) for line in data]


def _unnamed_leaves(cells: list[tuple[int, Cell]], named: list[tuple[int, Cell]],
                    data: list[Line], *, two_sided: bool) -> list[Cell]:
    """Header cells no alias knows that stand over figures of their own.

    Provinces add columns (单位预留机动经费, 会议费): a figure under such a header is
    that column's, not a neighbour's. A cell counts when it is the lowest of its
    stack (nothing in the header under it) and some figure overlaps it more than
    any named column; its figures then get a column keyed by the header's words.
    """
    figures = [c for line in data for c in line.cells if c.text and is_amount(c.text)]
    named_cells = [c for _, c in named]
    found: list[Cell] = []
    for row, cell in cells:
        if header_term(cell.text) is not None or _is_label(cell.text) \
                or (two_sided and squash(cell.text) in _SIDE_HEADINGS) \
                or any(j > row and _overlap(cell, d) > 0 for j, d in cells):
            continue
        if any(_overlap(f, cell) > 0
               and all(_overlap(f, cell) > _overlap(f, n) for n in named_cells)
               for f in figures):
            found.append(cell)
    return found


def _over_phase_pair(row: int, cell: Cell, named: list[tuple[int, Cell]]) -> bool:
    """A measure printed centred over its 预算数 | 决算数 pair, touching neither.

    A PDF gives a header cell's text extent, not its box: a short word such as
    合计 centred over two phase leaves can fall in the gap between them (F02's
    三公 table), and would otherwise become a value column of its own.
    """
    term = _leaf_term(cell.text)
    if term is None or term.kind != "value" or term.key in _PHASE_LEAVES:
        return False
    for line in sorted({j for j, _ in named if j > row}):
        lower = [d for j, d in named if j == line]
        left = [d for d in lower if (d.x1 or 0.0) <= (cell.x0 or 0.0)]
        right = [d for d in lower if (d.x0 or 0.0) >= (cell.x1 or 0.0)]
        if left and right:
            nearest = (max(left, key=lambda d: d.x1 or 0.0), min(right, key=lambda d: d.x0 or 0.0))
            return all((_leaf_term(d.text) or HeaderTerm("", "")).key in _PHASE_LEAVES
                       for d in nearest)
    return False


def _phase_parents(named: list[tuple[int, Cell]], slots: list[Cell]) -> list[str]:
    """For each slot that is a phase leaf (预算数, 决算数), the measure it belongs to.

    A PDF gives each header cell's text extent, not its box: a measure printed
    centred over its 预算数 | 决算数 pair may overlap only one of them. The
    measure whose centre is nearest the leaf's is its parent.
    """
    def centre(cell: Cell) -> float:
        return ((cell.x0 or 0.0) + (cell.x1 or 0.0)) / 2

    def is_measure(cell: Cell) -> bool:
        term = _leaf_term(cell.text)
        return (term is not None and term.kind == "value" and term.key not in _PHASE_LEAVES
                and term.key not in _SIDE_HEADINGS)

    measures = [(i, c) for i, c in named if is_measure(c)]
    leaves = [c for i, c in measures
              if not any(j > i and _overlap(c, d) > 0 for j, d in measures)]
    parents = []
    for slot in slots:
        term = _leaf_term(slot.text)
        if leaves and term is not None and term.key in _PHASE_LEAVES:
            parents.append(min(leaves, key=lambda c: abs(centre(c) - centre(slot))).text)
        else:
            parents.append("")
    return parents


def _layout(kind: TableKind, header: list[Line], data: list[Line], title: str,
            ctx: TableContext, *, slotted: bool) -> _Layout:
    """Columns by position where cells keep their places (always, once slotted)."""
    if (slotted and header) or _positional(header, data):
        return _layout_by_position(kind, header, data, ctx)
    return _layout_by_reading_order(kind, header, title, ctx)


def _positional(header: list[Line], data: list[Line]) -> bool:
    """Cells keep their positions when header and data lines have the same width."""
    if not header or not data:
        return False
    widths = {len(line.cells) for line in header} | {len(line.cells) for line in data}
    return len(widths) == 1 and next(iter(widths)) > 2


def _column(kind: TableKind, term: HeaderTerm, label: str, group: HeaderTerm | None,
            ctx: TableContext, side: str | None = None) -> Column:
    key = term.key
    phase = ctx.phase
    year = ctx.year
    if group is not None and group.phase:
        phase = Phase(group.phase)
    if term.phase:
        phase = Phase(term.phase)
    if key in _PHASE_LEAVES:
        phase = _PHASE_LEAVES[key]
    offset = group.year_offset if group is not None else None
    if offset is not None:
        year = ctx.year + offset
    if key == "上年决算数":
        year, phase = ctx.year - 1, Phase.FINAL
    if kind is TableKind.THREE_PUBLIC:
        key = _THREE_PUBLIC_CHILD.get(key, key)
        key = f"{'上年' if offset == -1 else '本年'}:{key}"
        if phase is not Phase.BUDGET:  # 决算 prints 预算数 and 决算数 side by side
            key = f"{key}:{phase.value}"
    elif key == "小计":
        key = "合计"
    return Column(key=key, label=label, phase=phase, year=year, side=side)


#: Leaf headers that say only which phase a figure is; what it measures is the
#: header cell above them (三公 决算: 合计 over 预算数 | 决算数).
_PHASE_LEAVES = {"预算数": Phase.BUDGET, "决算数": Phase.FINAL, "年初预算数": Phase.BUDGET,
                 "调整预算数": Phase.ADJUSTED, "全年预算数": Phase.ADJUSTED}


def _layout_by_position(kind: TableKind, header: list[Line], data: list[Line],
                        ctx: TableContext) -> _Layout:
    width = len(header[0].cells)
    columns: list[Column] = []
    positions: list[int] = []
    labels: dict[int, str] = {}
    # group headers span from their cell to the next non-empty cell of their line
    groups: list[HeaderTerm | None] = [None] * width
    for line in header:
        current: HeaderTerm | None = None
        spans = False
        for index, cell in enumerate(line.texts):
            term = header_term(cell) if cell else None
            if cell:
                spans = term is not None and term.kind == "group"
                current = term if spans else None
            if spans and current is not None:
                groups[index] = current
    # a measure over phase leaves spans to the next non-empty cell of its line too
    parents: list[list[tuple[int, str, HeaderTerm] | None]] = []
    for row, line in enumerate(header):
        current_parent: tuple[int, str, HeaderTerm] | None = None
        spans_line: list[tuple[int, str, HeaderTerm] | None] = []
        for cell in line.texts:
            if cell:
                term = _leaf_term(cell)
                current_parent = (row, cell, term) if term and term.kind == "value" else None
            spans_line.append(current_parent)
        parents.append(spans_line)
    sides = _sides_by_position(header) if kind in TWO_SIDED else {}
    for index in range(width):
        rows = [r for r, line in enumerate(header) if line.texts[index]]
        stack = [header[r].texts[index] for r in rows]
        leaf_row = next((r for r in reversed(rows) if _leaf_term(header[r].texts[index])), None)
        if leaf_row is None:
            if stack and _has_figures_at(data, index) and not any(
                    header_term(cell) is not None for cell in stack):
                # a column no alias knows, over figures of its own: its printed name
                name = squash("".join(stack))
                columns.append(_column(kind, HeaderTerm("value", name), " / ".join(stack),
                                       groups[index], ctx, sides.get(index)))
                positions.append(index)
            continue
        leaf = header[leaf_row].texts[index]
        term = _leaf_term(leaf)
        assert term is not None
        if term.kind == "label":
            labels[index] = term.key
            continue
        if kind is TableKind.THREE_PUBLIC and term.key not in _THREE_PUBLIC_KEYS:
            continue  # a stray word of the title block (财政拨款…)
        label = " / ".join(stack)
        if kind not in TWO_SIDED and term.key in _PHASE_LEAVES and len(header) > 1:
            above = [parents[r][index] for r in range(leaf_row)]
            parent = next((p for p in reversed(above) if p is not None), None)
            if parent is not None:
                phase = _PHASE_LEAVES[term.key]
                term = HeaderTerm("value", parent[2].key, term.year_offset, phase.value)
                label = f"{parent[1]} / {leaf}"
        columns.append(_column(kind, term, label, groups[index], ctx, sides.get(index)))
        positions.append(index)
    if kind is TableKind.THREE_PUBLIC:
        columns = _three_public_subtotal(columns)
    return _Layout(columns, positions, labels)


def _three_public_subtotal(columns: list[Column]) -> list[Column]:
    """Two 小计 columns: the first is 三公's own total, the printed 合计 a larger one.

    The template's only 小计 is the vehicles' (公务用车购置及运行费). Jiangsu prints
    会议费 and 培训费 in the 三公 table, a 合计 over all of them, and 三公's total as
    a 小计 under "三公"经费, left of 因公出国(境)费. That 小计 is the 三公 合计 the
    template means (the 三公 identity checks it); the printed 合计 keeps its figure
    under a key of its own, naming what else it sums.
    """
    out = list(columns)
    for period in dict.fromkeys(c.key.split(":")[0] for c in columns):  # 上年, 本年
        vehicles = f"{period}:公务用车购置及运行费"
        subtotals = [i for i, c in enumerate(columns)
                     if c.key == vehicles and squash(c.label).endswith("小计")]
        others = [c.label for c in columns if c.key.startswith(f"{period}:")
                  and c.key.split(":")[1] not in _THREE_PUBLIC_KEYS]
        if len(subtotals) != 2 or not others:
            continue
        for i, column in enumerate(columns):
            if column.key == f"{period}:合计":
                out[i] = replace(column, key=f"{period}:合计(三公、{'、'.join(others)})")
        out[subtotals[0]] = replace(columns[subtotals[0]], key=f"{period}:合计")
    return out


def _has_figures_at(data: list[Line], index: int) -> bool:
    return any(index < len(line.texts) and is_amount(line.texts[index]) for line in data)


def _leaf_term(cell: str) -> HeaderTerm | None:
    term = header_term(cell)
    if term is None or term.kind == "group":
        return None
    return term


def _sides_by_position(header: list[Line]) -> dict[int, str]:
    """Two-sided tables: positions left of the second 项目 label are 收入, the rest 支出."""
    width = len(header[0].cells)
    # label cells on any header line: each half's 项目名称 may sit on a line of its
    # own (Jiangsu prints 支出用途 above the right one), and the 支出 half may be
    # printed twice, by 功能分类 and by 支出用途
    by_line = [[i for i, c in enumerate(line.texts) if c and _leaf_term(c)
                and _leaf_term(c).kind == "label"] for line in header]  # type: ignore[union-attr]
    labels = sorted({i for line in by_line for i in line})
    split = labels[1] if len(labels) >= 2 else width
    for line in by_line:  # a line with both halves' labels says where they meet
        if len(line) >= 2 and line[0] == labels[0]:
            split = line[1]
            break
    return {i: ("收入" if i < split else "支出") for i in range(width)}


_WIDE_GAP = re.compile(r"\S {3,}\S")
_INDENT = re.compile(r"^ {4,}\S")


def _laid_out(lines: list[Line]) -> bool:
    """Text laid out with spaces where the page prints it (``pdftotext -layout``).

    Its lines are indented to their place and its cells apart by wide gaps; a
    text whose tabs were merely turned into spaces has gaps but no indent, and
    its words' places say nothing.
    """
    return any(_INDENT.match(line.text) for line in lines) \
        and any(_WIDE_GAP.search(line.text) for line in lines)
_LAID_OUT_CELL = re.compile(r"\S+(?: \S+)*")


def _header_words(header: list[Line]) -> list[list[str]]:
    """The words of each header line; in text laid out with spaces, in the order they
    stand across the page, wrapped cells rejoined.

    A layout extractor (``pdftotext -layout``) keeps each piece of a wrapped
    header cell where the page prints it: ``本年收入合`` with ``计`` below it,
    ``附属单`` / ``位上`` / ``缴收入`` two lines apart. Pieces that are no
    header word on their own are joined with the pieces under them (overlapping
    in character columns: a layout extractor gives each character, Chinese or not,
    one column of its grid, so ``事业收`` at column 64 stands over ``入`` at 65
    whatever is printed to their left) until they make one. The
    words are then read left to right by where they stand, whatever their line:
    a header on two levels has its short cells on one line, its tall ones
    (基本支出) centred on another.
    """
    if not _laid_out(header):
        return [_parts(line) for line in header]
    placed = [[(m.group(), m.start(),
                m.start() + len(m.group()))
               for m in _LAID_OUT_CELL.finditer(line.text)] for line in header]
    used: set[tuple[int, int]] = set()
    words: list[tuple[int, int, str]] = []  # (x, line, word)
    for row, cells in enumerate(placed):
        for index, (text, x0, x1) in enumerate(cells):
            if (row, index) in used:
                continue
            found = scan_header(text)
            if header_term(text) is not None or (
                    found and sum(len(w) for w, _ in found) == len(squash(text))):
                words.extend((x0, row, word) for word in text.split())
                continue
            chain = [(row, index, text)]
            for below in range(row + 1, min(row + 5, len(placed))):
                piece = next(((below, n, t) for n, (t, a, b) in enumerate(placed[below])
                              if (below, n) not in used and min(x1, b) - max(x0, a) > 0),
                             None)
                if piece is None:
                    continue
                chain.append(piece)
                if header_term("".join(t for _, _, t in chain)) is not None:
                    used.update((r, n) for r, n, _ in chain)
                    break
            joined = "".join(t for _, _, t in chain)
            words.append((x0, row, joined if header_term(joined) is not None else text))
    return [[word] for _, _, word in sorted(words)]  # whole words: none joins its neighbour


#: Header words over sub-columns: where the sub-columns are printed, they take
#: the parent's place (a header on two levels read line by line puts the
#: sub-columns after the parent's later siblings).
_SUB_COLUMNS = {"基本支出": ("人员经费", "公用经费")}


def _layout_by_reading_order(kind: TableKind, header: list[Line], title: str,
                             ctx: TableContext) -> _Layout:
    """Columns from the header's words in reading order (the cells' positions are lost)."""
    if kind is TableKind.THREE_PUBLIC:
        orders = _three_public_orders(header, title, ctx)
        return _Layout(orders[0], None, orders=orders)
    floating: set[str] = set()
    terms = header_terms(_header_words(header), floating=floating)
    entries: list[tuple[str, HeaderTerm, HeaderTerm | None]] = []
    group: HeaderTerm | None = None
    for text, term in terms:
        if term.kind == "group":
            group = term
        elif term.kind == "value" and not (kind in TWO_SIDED and text in _SIDE_HEADINGS):
            entries.append((text, term, group))
    keys = [t.key for _, t, _ in entries]
    for parent, subs in _SUB_COLUMNS.items():
        if parent in keys and any(k in keys for k in subs):
            moved = [e for e in entries if e[1].key in subs]
            at = keys.index(parent)
            rest = [e for e in entries if e[1].key not in subs]
            at = next(i for i, e in enumerate(rest) if e[1].key == parent)
            entries = rest[:at] + moved + rest[at + 1:]
            keys = [t.key for _, t, _ in entries]
    columns: list[Column] = []
    for text, term, term_group in entries:
        column = _column(kind, term, text, term_group, ctx)
        if kind in TWO_SIDED or all(c.key != column.key for c in columns):
            columns.append(column)
    if kind in TWO_SIDED and columns:
        # the income side has one column, its phase word (预算数) where printed;
        # on the expenditure side a phase word over several columns is their
        # heading, not a column
        at = next((i for i, c in enumerate(columns) if c.key in _PHASE_LEAVES), 0)
        columns.insert(0, columns.pop(at))
        first, rest = columns[0], columns[1:] or [columns[0]]
        if len(rest) > 1:
            rest = [c for c in rest if c.key not in _PHASE_LEAVES] or rest
        columns = [_with_side(first, "收入")] + [_with_side(c, "支出") for c in rest]
    if kind is TableKind.FISCAL_SUMMARY and columns:
        columns = columns[:1] + _fund_columns(header, columns[1:], ctx)
    # a header on several levels read line by line can put 合计 after the
    # columns it sums; the template prints it first: both orders are tried
    total_first = sorted(columns, key=lambda c: (c.side or "", c.key != "合计"))
    if kind not in TWO_SIDED:
        total_first = sorted(columns, key=lambda c: c.key != "合计")
    orders = [columns] + ([total_first] if total_first != columns else [])
    for word in sorted(floating) if kind not in TWO_SIDED else ():
        orders = [moved for order in orders for moved in _floated(order, word)] or orders
    template = _template_order(kind, columns, ctx)
    if template is not None:
        orders = [template, *(o for o in orders if o != template)]
    return _Layout(columns, None, orders=orders[:_MAX_ORDERS])


#: Column orders of the templates seen, by table kind: budget (预算) and final
#: accounts (决算) print some tables' columns in different orders.
_TEMPLATE_ORDERS: dict[TableKind, dict[Phase, tuple[tuple[str, ...], ...]]] = {
    TableKind.INCOME: {
        Phase.BUDGET: (
            ("合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"),
            ("合计", "上年结转", "一般公共预算拨款收入", "政府性基金预算拨款收入",
             "国有资本经营预算拨款收入", "财政专户管理资金收入", "事业收入", "上级补助收入",
             "附属单位上缴收入", "事业单位经营收入", "其他收入")),
        Phase.FINAL: (
            ("合计", "财政拨款收入", "上级补助收入", "事业收入", "事业单位经营收入",
             "附属单位上缴收入", "其他收入"),)},
    TableKind.EXPENDITURE: {
        Phase.BUDGET: (("合计", "基本支出", "项目支出", "事业单位经营支出", "上缴上级支出",
                        "对附属单位补助支出"),),
        Phase.FINAL: (("合计", "基本支出", "项目支出", "上缴上级支出", "事业单位经营支出",
                       "对附属单位补助支出"),)},
}


def _template_order(kind: TableKind, columns: list[Column],
                    ctx: TableContext) -> list[Column] | None:
    """The header's columns in a known template's order, where it has that template's
    columns: text read in blocks scrambles a header's words, and where every cell is
    printed (0.00 for blank) the identities cannot tell one order from another."""
    keys = [c.key for c in columns]
    for order in _TEMPLATE_ORDERS.get(kind, {}).get(ctx.phase, ()):
        present = [k for k in order if k in keys]
        if set(present) == set(keys) and len(present) == len(keys) and len(keys) > 2:
            return [next(c for c in columns if c.key == k) for k in present]
    return None


#: The three budgets, in the order the law and every template list them, and
#: the word that names each however its header cell wraps.
_FUNDS = (("一般公共预算", "一般公共"), ("政府性基金预算", "政府性基"),
          ("国有资本经营预算", "国有资本"))


def _fund_columns(header: list[Line], spending: list[Column], ctx: TableContext) -> list[Column]:
    """The expenditure side of the 财政拨款收支总表: 合计 and the three budgets.

    Its headers wrap inside words and stack (一般公共预 / 算财政拨款), so the
    budgets are found by the word that names each, and put in the template's
    order; no other column belongs there.
    """
    text = squash("".join(line.text for line in header))
    total = [c for c in spending if c.key == "合计"] or [
        Column("合计", "合计", ctx.phase, ctx.year, "支出")]
    funds = [Column(key, key, total[0].phase, total[0].year, "支出")
             for key, word in _FUNDS if word in text]
    return total[:1] + funds


#: Column orders tried at most for one table (a header with several floating
#: cells would otherwise give very many).
_MAX_ORDERS = 12


def _floated(order: list[Column], word: str) -> list[Column] | list[list[Column]]:
    """The orders a column whose place the header does not tell can take.

    A header cell wrapped onto the lines around the others (``事业单位`` /
    … / ``经营收入``) tells what the column is, not where it stands: it may
    stand anywhere after 合计 and before an 其他… column, latest first (the
    figures' identities choose; where they cannot, the latest place wins).
    """
    column = next((c for c in order if c.label == word), None)
    if column is None:
        return [order]
    rest = [c for c in order if c is not column]
    first = next((i + 1 for i, c in enumerate(rest) if c.key == "合计"), 0)
    last = next((i for i, c in enumerate(rest) if c.key.startswith("其他")), len(rest))
    return [[*rest[:at], column, *rest[at:]] for at in range(last, first - 1, -1)]


def _with_side(column: Column, side: str) -> Column:
    return Column(column.key, column.label, column.phase, column.year, side)


#: The measures of the 三公 table and the orders regions print them in: the
#: national template (公务用车 before 接待) and Shanghai's (接待 before 公务用车).
_VEHICLE = "公务用车购置及运行费"
_THREE_PUBLIC_ORDERS = (
    ("合计", "因公出国(境)费", _VEHICLE, "公务用车购置费", "公务用车运行费", "公务接待费"),
    ("合计", "因公出国(境)费", "公务接待费", _VEHICLE, "公务用车购置费", "公务用车运行费"),
)


def _three_public_orders(header: list[Line], title: str,
                         ctx: TableContext) -> list[list[Column]]:
    """The 三公 table's possible column orders, from a header whose positions are lost.

    Its header is printed on three or four levels (period, measure, 公务用车's
    小计/购置费/运行费, and in 决算 a 预算数 | 决算数 pair under each), so the
    words' reading order rarely is the columns' order. The header says which
    measures, periods and phases there are; the orders are the header's own and
    the orders regions are known to print (:data:`_THREE_PUBLIC_ORDERS`). The
    figures' identities choose between them (see :func:`_read_stream`).
    """
    text = squash("".join(line.text for line in header))
    # header words wrap anywhere (因公出国 / (境)费, 机关运行经 / 费预算数): a
    # measure is there where its distinctive word is, wherever it stands
    # the sub-columns' words, apart from the parent's name and 机关运行经费 (same length)
    subs_only = re.sub(r"公务用车购置及运行(?:维护)?费|机关运行",
                       lambda m: "#" * len(m.group()), text)
    markers = {"合计": text.find("合计"), "因公出国(境)费": text.find("出国"),
               _VEHICLE: min((i for i in (text.find("公务用车"), text.find("小计")) if i >= 0),
                             default=-1),
               "公务用车购置费": subs_only.find("购置"), "公务用车运行费": subs_only.find("运行"),
               "公务接待费": text.find("接待")}
    measures = sorted((m for m, at in markers.items() if at >= 0), key=lambda m: markers[m])
    if "机关运行" in squash(title) + text:  # a tall cell at the right edge; the title names it
        measures.append("机关运行经费")
    phases = [p for p, word in (("预算", "预算数"), ("决算", "决算数")) if word in text]
    if len(phases) < 2:
        phases = []  # one phase: the document's own
    years = sorted({int(y) for y in re.findall(r"(20\d\d)年", text)})
    periods: list[HeaderTerm] = []
    if {ctx.year - 1, ctx.year} <= set(years) or ("上年" in text and "本年" in text):
        periods = [HeaderTerm("group", "上年", -1, None), HeaderTerm("group", "本年", 0, None)]
    extra = [m for m in measures if m not in _THREE_PUBLIC_ORDERS[0]]  # 机关运行经费
    header_order = [m for m in measures if m not in extra]
    if _VEHICLE in header_order:  # the parent's sub-columns follow it
        subs = [m for m in header_order if m in ("公务用车购置费", "公务用车运行费")]
        header_order = [m for m in header_order if m not in subs]
        at = header_order.index(_VEHICLE) + 1
        header_order[at:at] = subs
    orders: list[list[str]] = []
    for order in (header_order, *_THREE_PUBLIC_ORDERS):
        kept = [m for m in order if m in measures] + extra
        if kept not in orders:
            orders.append(kept)
    groups: list[HeaderTerm | None] = [*periods] or [None]
    result = []
    for order in orders:
        columns = []
        for group in groups:
            for measure in order:
                for phase in phases or [None]:
                    term = HeaderTerm("value", measure, None, phase)
                    columns.append(_column(TableKind.THREE_PUBLIC, term, measure, group, ctx))
        result.append(columns)
    return result


# ---------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------


def _values(table: Table, columns: list[Column], cells: list[str], line: Line,
            ctx: TableContext) -> dict[str, Decimal | None]:
    values: dict[str, Decimal | None] = {}
    if len(cells) > len(columns) and any(cells[len(columns):]):
        extra = [c for c in cells[len(columns):] if c]
        raise ReadError(f"{len(extra)} more figure(s) than the {len(columns)} columns of "
                        f"{table.title!r}: {extra}", file=ctx.file, line=line.number,
                        page=line.page)
    for column, cell in zip(columns, cells, strict=False):
        try:
            value = parse_amount(cell)
        except ValueError:
            raise ReadError(f"text {cell!r} where a figure belongs (column {column.label!r} "
                            f"of {table.title!r})", file=ctx.file, line=line.number,
                            page=line.page) from None
        values[column.key] = value
        if value is not None:
            ctx.ledger.figure(line, cell.strip())
    if 0 < len([c for c in cells if c]) < len(columns) and len(cells) < len(columns):
        note = "the export drops blank cells: values were assigned to columns from the left"
        if note not in table.reader_notes:
            table.reader_notes.append(note)
    for column in columns[len(cells):]:
        values.setdefault(column.key, None)
    return values


def _split_code(cells: list[str], table: Table) -> tuple[str | None, int]:
    """Leading code cells → the joined code and how many cells it took.

    Split 类/款/项 columns (``208 05 05``) are joined; a 款 or 项 printed
    with its leading zero lost (``301 2``) is padded, with a reader note.
    """
    parts: list[str] = []
    for cell in cells:
        if not _CODE_PART.match(cell) or len(parts) == 3:
            break
        if parts and len(cell) > 2:
            break
        if not parts and len(cell) not in (3, 5, 7):
            break
        parts.append(cell)
    if not parts:
        return None, 0
    head, rest = parts[0], parts[1:]
    padded = [p.zfill(2) for p in rest]
    if padded != rest:
        table.reader_notes.append(
            f"code part(s) {rest} printed without leading zero; read as {padded}")
    return head + "".join(padded), len(parts)


def _misprinted_code(parts: list[str], above: list[Row], notes: list[str]) -> str | None:
    """A 项 whose 类 cell is misprinted (F13 p9: ``7 ⇥ 11 ⇥ 02`` under 款 ``210 11``).

    Where the 款 and 项 parts are well formed and the 款 row just above has
    the same 款 part, the 类 is that row's; the table says so in a reader note.
    Anything else is left as printed (no code, the parts kept in the name).
    """
    if len(parts) != 3 or not all(len(p) == 2 and p.isdigit() for p in parts[1:]):
        return None
    parent = next((r for r in reversed(above) if r.code and len(r.code) == 5), None)
    if parent is None or parent.code is None or parent.code[3:] != parts[1]:
        return None
    code = parent.code + parts[2]
    notes.append(
        f"code printed as {' '.join(parts)}: 类 {parts[0]!r} is not a 3-digit code; read as "
        f"{code}, under the 款 {parent.code} above it")
    return code


def _code_cells(cells: list[str], layout: _Layout, code: str | None) -> list[str]:
    """The printed parts of a row's code, to account for their digits as a code."""
    if code is None:
        return []
    if layout.positions is not None:
        # a short part in a code column is a code part even where misprinted
        return [cells[i] for i, k in layout.label_positions.items()
                if k == "code" and i < len(cells) and cells[i]
                and (cells[i] in code or len(cells[i]) < 3)]
    parts: list[str] = []
    for cell in (c for c in cells if c):
        if len("".join(parts)) >= len(code) or not _CODE_PART.match(cell):
            break
        parts.append(cell)
    return parts


def _level(code: str | None) -> int | None:
    return {3: 1, 5: 2, 7: 3}.get(len(code)) if code else None


def _halves(layout: _Layout) -> list[tuple[list[int], list[int]]]:
    """(label positions, value-column indexes) of each table printed side by side.

    Most tables have one half. The 决算 基本支出 table prints two (经济分类 …
    决算数 | 经济分类 … 决算数): a new half starts where a code or name label
    follows a value column.
    """
    assert layout.positions is not None
    marks = sorted([(p, "label", k) for p, k in layout.label_positions.items()]
                   + [(p, "value", str(i)) for i, p in enumerate(layout.positions)])
    halves: list[tuple[list[int], list[int]]] = [([], [])]
    for position, what, key in marks:
        if what == "label":
            if halves[-1][1]:
                halves.append(([], []))
            halves[-1][0].append(position)
        else:
            halves[-1][1].append(int(key))
    return [h for h in halves if h[0] or h[1]]


def _read_rows(table: Table, layout: _Layout, data: list[Line], ctx: TableContext) -> None:
    halves = _halves(layout) if layout.positions is not None else []
    if len(halves) > 1:  # the same columns printed twice: keep one set
        first = {table.columns[i].key for i in halves[0][1]}
        table.columns = [c for i, c in enumerate(table.columns) if i in halves[0][1]
                         or c.key not in first]
    for line in data:
        cells = line.texts
        pieces: list[tuple[str | None, str, list[str], list[Column]]] = []
        if layout.positions is not None:
            for labels, value_indexes in halves:
                code_cells = [cells[i] for i in labels if layout.label_positions[i] == "code"
                              and i < len(cells) and cells[i]]
                name = " ".join(cells[i] for i in labels if layout.label_positions[i] == "name"
                                and i < len(cells) and cells[i])
                code, _ = _split_code(code_cells, table)
                if code is None and code_cells:
                    code = _misprinted_code(code_cells, table.rows, table.reader_notes)
                    if code is None:
                        name = " ".join([*code_cells, name]).strip()
                positions = [layout.positions[i] for i in value_indexes]
                value_cells = [cells[p] if p < len(cells) else "" for p in positions]
                columns = [layout.columns[i] for i in value_indexes]
                pieces.append((code, name, value_cells, columns))
        else:
            stripped = [c for c in cells if c] if _has_amount(line) else cells
            stripped = [c for c in stripped if c != ""] or [""]
            code, used = _split_code(stripped, table)
            rest = stripped[used:]
            name_parts = []
            while rest and rest[0] and not is_amount(rest[0]):
                name_parts.append(rest.pop(0))
            pieces.append((code, " ".join(name_parts), rest, table.columns))
        for code, name, value_cells, columns in pieces:
            _read_row(table, line, code, name, value_cells, columns, layout, ctx)


def _read_row(table: Table, line: Line, code: str | None, name: str, value_cells: list[str],
              columns: list[Column], layout: _Layout, ctx: TableContext) -> None:
    for part in _code_cells(line.texts, layout, code):
        ctx.ledger.structural(line, part, "code")
    _name_numbers(ctx.ledger, line, name)
    if code is None and not name and not any(value_cells):
        return
    above = table.rows[-1] if table.rows else None
    if code is None and not name and above is not None and _just_above(above, line) \
            and all(v is None for v in above.values.values()):
        # a row's figures a line below its code and name (a tall cell centres them)
        above.values = _values(table, columns, value_cells, line, ctx)
        return
    if code is None and name and not any(value_cells) and above is not None \
            and not above.name and above.code is None and _just_above(above, line):
        # a row's figures a line above its name (J06: 21,940.96 / 合计)
        above.name = name.strip()
        above.is_total = squash(name) in _TOTAL_NAMES
        above.level = 0 if above.is_total else above.level
        return
    if code is None and not name and above is None and table.kind in _TOTAL_FIRST:
        name = "合计"  # 支出总表 printed as one line of totals, without a row name
    if (code is None and name and not any(value_cells) and table.rows
            and squash(name) not in _TOTAL_NAMES and not table.rows[-1].is_total):
        table.rows[-1].name += name  # a wrapped name cell
        return
    values = _values(table, columns, value_cells, line, ctx)
    is_total = code is None and squash(name) in _TOTAL_NAMES
    table.rows.append(Row(name=name.strip(), values=values, source=line.ref(ctx.file),
                          code=code, level=0 if is_total else _level(code),
                          is_total=is_total))


def _is_total_name(name: str) -> bool:
    """合计, 支出合计, 当年支出小计 …: a total's name, which may span both 支出 halves."""
    return squash(name).endswith(("合计", "小计", "总计"))


def _just_above(row: Row, line: Line) -> bool:
    """``row`` was read from the line printed just above ``line``."""
    return row.source.page == line.page and row.source.line == line.number - 1


def _read_two_sided(table: Table, layout: _Layout, data: list[Line], ctx: TableContext) -> None:
    by_side = {side: [c for c in table.columns if c.side == side] for side in ("收入", "支出")}
    last: dict[int, Row] = {}  # the last row read under each label column
    for line in data:
        pieces = _sides_of(line, layout)
        for n, (side, name, cells) in enumerate(pieces):
            if not name and not any(cells):
                continue
            if not name and any(cells) and n in last and _just_above(last[n], line) \
                    and all(v is None for v in last[n].values.values()):
                # figures printed a line below their name in a tall cell
                columns = _piece_columns(layout, n) if layout.positions is not None \
                    else by_side[side]
                last[n].values = _values(table, columns, cells, line, ctx)
                continue
            if not name and n > 0 and _is_total_name(pieces[n - 1][1]) \
                    and not any(pieces[n - 1][2]):
                name = pieces[n - 1][1]  # a total's name printed across both 支出 halves
            elif name and not any(cells) and _wraps(last.get(n), name):
                row = last[n]  # a name wrapped onto the next line (社会保障和就 / 业支出)
                row.name += name
                row.code = functional_class_code(row.name)
                row.level = 1
                continue
            elif name and not any(cells) and n in last and len(squash(name)) <= 2 \
                    and last[n].code is None and last[n].source.page == line.page \
                    and line.number - last[n].source.line <= 2:
                last[n].name += squash(name)  # the last characters of a tall cell (一般公共预 / 算)
                continue
            if n + 1 < len(pieces) and not pieces[n + 1][1] and any(pieces[n + 1][2]) \
                    and not any(cells) and _is_total_name(name):
                continue  # its figures are in the next half: read there, under this name
            _name_numbers(ctx.ledger, line, name)
            columns = _piece_columns(layout, n) if layout.positions is not None else by_side[side]
            values = _values(table, columns, cells, line, ctx)
            bare = strip_numbering(name)
            code = functional_class_code(bare) if side == "支出" else None
            row = Row(name=bare, values=values, source=line.ref(ctx.file),
                      code=code, level=1 if code else None, side=side,
                      is_total="总计" in bare)
            table.rows.append(row)
            last[n] = row


def _wraps(row: Row | None, tail: str) -> bool:
    """``tail`` finishes the 类 name of ``row``, which alone names no class."""
    return row is not None and row.side == "支出" and row.code is None \
        and functional_class_code(row.name + tail) is not None


def _piece_columns(layout: _Layout, n: int) -> list[Column]:
    """The value columns between the ``n``-th label column and the next."""
    assert layout.positions is not None
    starts = sorted(layout.label_positions)
    start = starts[n]
    end = starts[n + 1] if n + 1 < len(starts) else 1 << 30
    return [c for c, p in zip(layout.columns, layout.positions, strict=True) if start < p < end]


def _sides_of(line: Line, layout: _Layout) -> list[tuple[str, str, list[str]]]:
    """Split a two-sided row into (side, name, value cells) pieces."""
    cells = line.texts
    if layout.positions is not None:
        label_positions = sorted(layout.label_positions)
        pieces = []
        for n, start in enumerate(label_positions):
            end = label_positions[n + 1] if n + 1 < len(label_positions) else len(cells)
            side = "收入" if n == 0 else "支出"
            value_cells = [cells[p] for p in layout.positions if start < p < end and p < len(cells)]
            name = cells[start] if start < len(cells) else ""
            pieces.append((side, name, value_cells))
        return pieces
    pieces = []
    current: tuple[str, str, list[str]] | None = None
    for cell in (c for c in cells if c):
        if is_amount(cell):
            if current is None:
                current = ("收入", "", [])
                pieces.append(current)
            current[2].append(cell)
            continue
        side = "收入" if not pieces and not _expenditure_name(cell) else "支出"
        current = (side, cell, [])
        pieces.append(current)
    return pieces


def _expenditure_name(name: str) -> bool:
    return _side_of_name(name) == "支出"


def _side_by_neighbours(table: Table, text_rows: list[RowText], number: int,
                        above: list[Row]) -> str:
    """The side of a row whose name says none (总计): by its figures and neighbours.

    More figures than the income side has columns make it 支出; the first of
    two such rows in a row is 收入 (收入 总计 | 支出 总计); otherwise the second
    on a line, or one after an income row, is 支出.
    """
    income = len([c for c in table.columns if c.side == "收入"])
    row = text_rows[number]
    if len(row.figures) > income:
        return "支出"
    after = text_rows[number + 1] if number + 1 < len(text_rows) else None
    if after is not None and _side_of_name(after.name) is None:
        return "收入"
    before = above[-1] if above else None
    if before is not None and (before.side == "收入" or before.source.line == row.line.number):
        return "支出"
    return "收入"


def _side_of_name(name: str) -> str | None:
    """The half of a two-sided table a row's name belongs to, where the name says.

    ``总计`` and ``合计`` say nothing: the caller decides by their neighbours.
    """
    bare = squash(strip_numbering(name))
    if functional_class_code(bare) is not None or "支出" in bare \
            or bare.startswith(("结转下年", "年末", "结余分配")):
        return "支出"
    if bare.startswith(("上年结转", "年初")) or any(
            w in bare for w in ("收入", "资金", "拨款", "结转", "结余", "弥补", "基金")):
        return "收入"
    return None


def _check_three_public(table: Table) -> None:
    """Say so when the 三公 columns, as read, break the table's own identity."""
    for row in table.rows:
        for period in ("上年", "本年"):
            values = {k.split(":", 1)[1]: v or Decimal(0) for k, v in row.values.items()
                      if k.startswith(f"{period}:")}
            if "合计" not in values:
                continue
            parts = sum((values.get(k, Decimal(0)) for k in
                         ("因公出国(境)费", "公务用车购置及运行费", "公务接待费")), Decimal(0))
            if values["合计"] != parts:
                table.reader_notes.append(
                    f"{period}: 合计 {values['合计']} ≠ 出国 + 公务用车 + 接待 = {parts} as read; "
                    "check the column order of this export")


# ---------------------------------------------------------------------------
# Reading without positions: a stream of tokens, placed by the identities
# ---------------------------------------------------------------------------

#: How the unnumbered row names of the two-sided tables (收支总表s) end:
#: 收入总计, 上年结转, 年末结转和结余, 结余分配, 用事业基金弥补收支差额 …
_SUMMARY_ROW_ENDINGS = ("收入", "支出", "合计", "总计", "结转", "结余", "分配", "差额", "资金")


@dataclass
class _Placed:
    """Where the figures of a table's stream rows went, for one order of its columns."""

    columns: list[Column]
    places: list[list[str]]
    ambiguous: list[set[str]]
    cost: int
    cut_short: bool


def _read_stream(table: Table, data: list[Line], ctx: TableContext,
                 orders: list[list[Column]]) -> None:
    """Read the body as tokens in reading order and put each figure in its column by the
    table's identities (:mod:`budgetgraph.readers.placement`).

    ``orders`` are the possible orders of the columns (the header's reading order
    first); the one whose placement breaks the fewest identities is kept.
    """
    lines = _laid_out_lines(data)
    if table.kind in TWO_SIDED:
        lines = paired(lines)
    stream = tokens(lines, plain_figures=_plain_figures(data))
    coded = table.kind not in TWO_SIDED and any(t.kind == "code" for t in stream)
    width = max((len([c for c in o if c.side is None]) for o in orders), default=0)
    if coded:
        scheme = "econ" if table.kind.has_economic_rows else "func"
        text_rows = restore_codes(rows_by_code(stream, width=width),
                                  lambda name, above: code_of(name, scheme=scheme, above=above))
    else:
        text_rows = rows_by_name(stream, is_label=_is_row_label, completes=_completes_name)
    rows: list[Row] = []
    kept: list[RowText] = []
    strays: list[Token] = []
    for number, text_row in enumerate(text_rows):
        row = _stream_row(table, text_row, rows, ctx)
        if row is None:
            strays.extend(text_row.figures)  # figures before any row's name or code
            continue
        if table.kind in TWO_SIDED and row.side is None:
            row.side = _side_by_neighbours(table, text_rows, number, rows)
        width = len([c for c in table.columns if c.side == row.side])
        if len(text_row.figures) > width:
            # more figures than the row has columns: those beyond are another row's
            strays.extend(text_row.figures[width:])
            text_row.figures = text_row.figures[:width]
        rows.append(row)
        kept.append(text_row)
    position = {id(token): n for n, token in enumerate(stream)}
    strays = _give_back(table, rows, kept, strays, position, orders,
                        runs=coded and _lines_of_cells(data))
    for token in strays:
        reason = (f"a figure of {table.title.strip()!r} the text printed apart from its row "
                  f"(line {token.line.number}): no row's identities take it")
        ctx.ledger.unread(token.line, token.text, reason)
    if strays:
        table.reader_notes.append(f"{', '.join(t.text for t in strays)}: printed apart from "
                                  "their rows, and no row's identities take them; not read")
    figures = [[parse_amount(t.text) or Decimal(0) for t in r.figures] for r in kept]
    runs = [figure_runs(r) if coded and _lines_of_cells(data) else None for r in kept]
    for text_row in kept:
        _account(text_row, ctx.ledger)
    best: _Placed | None = None
    for columns in orders:
        if best is not None and best.cost == 0:
            break
        placed = _place_rows(rows, figures, columns, runs=runs,
                             limit=None if best is None else best.cost - 1,
                             steps=max(2_000, MAX_STEPS // len(orders)))
        if best is None or placed.cost < best.cost:
            best = placed
    if best is None:
        return
    table.columns = best.columns
    if best.cut_short:
        table.reader_notes.append("the placement of figures in columns was cut short "
                                  "(too many possibilities): the best found is kept")
    for row, values, keys, unsure in zip(rows, figures, best.places, best.ambiguous,
                                         strict=True):
        row.values = {c.key: None for c in table.columns if c.side == row.side}
        row.values.update(zip(keys, values, strict=True))
        row.ambiguous = unsure
        if unsure:
            table.reader_notes.append(
                f"line {row.source.line}: the export drops blank cells and more than one "
                f"placement of {', '.join(str(f) for f in values)} satisfies the table's "
                f"identities; the columns of {', '.join(sorted(unsure))} are ambiguous")
    table.rows.extend(rows)
    width = {side: len([c for c in table.columns if c.side == side])
             for side in (None, "收入", "支出")}
    if any(0 < len(f) < width[row.side] for row, f in zip(rows, figures, strict=True)):
        table.reader_notes.append("the export drops blank cells: each figure was put in its "
                                  "column by the table's identities (合计 = Σ parts, parent = "
                                  "Σ children)")


def _lines_of_cells(data: list[Line]) -> bool:
    """The body prints rows as lines of several cells, not one cell per line: then a
    row's figures on two lines are two runs, cut where the extractor cut the row."""
    filled = [line for line in data if line.text.strip()]
    several = [line for line in filled if len(line.text.split()) > 1]
    return len(several) * 2 > len(filled)


def _side_by_side(header: list[Line], data: list[Line]) -> list[Line]:
    """A table printed twice side by side (人员经费 left, 公用经费 right, each with its
    code, name and 决算数), laid out with spaces: its left half, then its right half.

    The header repeats its words at one distance (``经济分类`` at columns 4 and 43,
    ``类`` at 0 and 39): the right half starts there. Each body line is cut between
    the end of the left half's header and that start, so that each half is read as
    a stream of its own rows, as the page shows them. Text without the repeat, or
    not laid out, is read as it is.
    """
    if not _laid_out(header):
        return data
    shifts: Counter[int] = Counter()
    starts: list[int] = []
    for line in header:
        cells = [(m.group(), m.start()) for m in _LAID_OUT_CELL.finditer(line.text)]
        texts = [t for t, _ in cells]
        for text, at in cells:
            again = [x for t, x in cells if t == text and x > at]
            if texts.count(text) == 2 and again:
                shifts[again[0] - at] += 1
                starts.append(at)
    if not shifts or sum(shifts.values()) < 2:
        return data
    shift, _ = shifts.most_common(1)[0]
    cut = min(starts) + shift
    placed = {id(line): [(m.start(), m.group()) for m in _LAID_OUT_CELL.finditer(line.text)]
              for line in data}
    # where each half's codes stand on a page (each page is laid out anew): the
    # left half's at the margin, the right half's where codes stand after a cell
    columns: dict[int | None, tuple[int, int]] = {}
    for page in dict.fromkeys(line.page for line in data):
        cells = [placed[id(line)] for line in data if line.page == page]
        inner = Counter(x for line in cells for x, t in line[1:] if _CODE_CELL.match(t))
        outer = [x for line in cells for x, t in line[:1] if _CODE_CELL.match(t)]
        columns[page] = (min(outer, default=min(starts)),
                         inner.most_common(1)[0][0] if inner else cut)

    def on_right(x: int, text: str, page: int | None) -> bool:
        at_left, at_right = columns[page]
        if _CODE_CELL.match(text):  # a code: in the nearer half's code column
            return abs(x - at_right) < abs(x - at_left)
        return x >= at_right - 2

    left: list[Line] = []
    right: list[Line] = []
    for line in data:
        cells = placed[id(line)]
        # everything from the first piece of the right half on is the right half's
        split = next((n for n, (x, t) in enumerate(cells) if on_right(x, t, line.page)),
                     len(cells))
        for half, kept in ((left, cells[:split]), (right, cells[split:])):
            text = ""
            for x, cell in kept:  # each piece where the page prints it
                text += " " * max(2 if text else 0, x - len(text)) + cell
            half.append(Line(line.number, text, [Cell(c) for _, c in kept] or [Cell("")],
                             line.page))
    return left + right


_CODE_CELL = re.compile(r"^[2-5]\d\d(?:\d\d)?$")


def _laid_out_lines(data: list[Line]) -> list[Line]:
    """The body of text laid out with spaces, its tall rows' figures rejoined to their rows.

    A layout extractor (``pdftotext -layout``) prints each piece where the page
    does. A tall row's figures, centred in their cells, then fall on a line of
    their own above the row's code and name: such a line of figures only is
    joined to the next line that has a code or a name, its figures put among
    that line's in the order they stand across the page. A 类 code alone on its
    line (``302``) with its 款 opening the next (``01   办公费``) is one code:
    the two lines are one row. Text without such gaps is read as it is.
    """
    if not _laid_out(data):
        return data
    lines: list[Line] = []
    placed: list[list[tuple[int, str]]] = []
    loose: list[tuple[int, str]] = []
    for line in data:
        cells = [(m.start(), m.group())
                 for m in _LAID_OUT_CELL.finditer(line.text)]
        if cells and all(is_amount(text) and ("." in text or "," in text) for _, text in cells):
            loose.extend(cells)
            continue
        if loose:
            cells, loose = sorted(cells + loose), []
        if placed and cells and re.fullmatch(r"\d\d", cells[0][1]) \
                and lines[-1].page == line.page \
                and [t for _, t in placed[-1] if not ("." in t or "," in t)] in (
                    [t] for _, t in placed[-1] if re.fullmatch(r"[2-5]\d\d", t)):
            cells = sorted(placed.pop() + cells)  # 类 above, 款 and name below
            lines.pop()
        placed.append(cells)
        lines.append(Line(line.number, "  ".join(t for _, t in cells),
                          [Cell(t) for _, t in cells], line.page))
    if loose:
        last = data[-1]
        lines.append(Line(last.number, "  ".join(t for _, t in loose),
                          [Cell(t) for _, t in loose], last.page))
    return lines


def _give_back(table: Table, rows: list[Row], kept: list[RowText], strays: list[Token],
               position: dict[int, int], orders: list[list[Column]], *,
               runs: bool = False) -> list[Token]:
    """Figures the text printed apart from their rows, given back by the row identities.

    A block-reading extractor (pdftotext without -layout) prints a row's name
    and 合计 together but its other cells in a run of their own, a few rows
    before or after. Such a row is short (合计 alone cannot equal the sum of its
    other, blank, cells) and its neighbours long (more figures than columns, or
    figures that break their row's identity). A long row keeps the figures that
    fit and gives the rest to the pool; a short row then takes from the pool the
    nearest figures that complete its identity exactly. What no row takes is
    returned, for the caller to report.
    """
    pool = list(strays)
    short: list[int] = []
    for index, (row, text_row) in enumerate(zip(rows, kept, strict=True)):
        keys = [c.key for c in table.columns if c.side == row.side]
        rules = row_rules(keys)
        if not rules or any(_fits(text_row.figures, [c.key for c in order if c.side == row.side],
                                  rules, runs=runs) for order in orders):
            continue  # the figures fit the columns in one of their possible orders
        if len(text_row.figures) == len(keys) and _printed_with_row(text_row):
            continue  # every cell printed with the row: a break is the source's
        for size in range(len(text_row.figures) - 1, 0, -1):
            fitting = next((chosen for chosen in itertools.combinations(text_row.figures, size)
                            if _fits(list(chosen), keys, rules)), None)
            if fitting is not None:
                pool.extend(t for t in text_row.figures if t not in fitting)
                text_row.figures = list(fitting)
                break
        else:
            short.append(index)
    if not pool:
        return pool
    for index in short:
        row, text_row = rows[index], kept[index]
        keys = [c.key for c in table.columns if c.side == row.side]
        rules = row_rules(keys)
        at = position.get(id(text_row.figures[0]), 0) if text_row.figures else 0

        def distance(token: Token, at: int = at) -> int:
            return abs(position.get(id(token), 0) - at)

        def completed(chosen: tuple[Token, ...], text_row: RowText = text_row) -> list[Token]:
            """The row's 合计 first, then the figures given back, in printed order."""
            ordered = sorted(chosen, key=lambda printed: position.get(id(printed), 0))
            return [*text_row.figures[:1], *ordered, *text_row.figures[1:]]

        near = sorted(pool, key=distance)[:12]
        room = len(keys) - len(text_row.figures)
        tries = sorted((c for size in range(1, min(room, 3) + 1)
                        for c in itertools.combinations(near, size)),
                       key=lambda c: sum(map(distance, c)))
        choice = next((c for c in tries if _fits(completed(c), keys, rules)), None)
        if choice is None:
            continue
        text_row.figures = completed(choice)
        for token in choice:
            pool.remove(token)
        given = ", ".join(t.text for t in text_row.figures if t in choice)
        table.reader_notes.append(f"line {row.source.line}: {given} printed apart from the "
                                  "row, given back by its identities")
    return pool


def _printed_with_row(text_row: RowText) -> bool:
    """The row's figures follow its code and name line by line, nothing between: its own
    cells, not figures of other rows an extractor printed in a run."""
    lines = [t.line for t in (*text_row.code_parts, *text_row.words, *text_row.figures)]
    if not text_row.code_parts or not text_row.figures:
        return False
    numbers = [line.number for line in lines]
    return all(b.page == a.page and 0 <= b.number - a.number <= 1
               for a, b in itertools.pairwise(lines)) \
        and numbers[-1] - numbers[0] <= len(lines)


def _fits(tokens: list[Token], keys: list[str], rules: list[Rule], *,
          runs: bool = False) -> bool:
    """The figures keep the row's identities in some order-keeping placement (each
    line's run in order, with ``runs``)."""
    values = [parse_amount(t.text) or Decimal(0) for t in tokens]
    if len(values) > len(keys):
        return False
    draft = Draft(values, keys, runs=figure_runs(RowText(figures=tokens)) if runs else None)
    unit = _printed_unit([draft])
    return any(cost < BREAK_COST for cost, _ in candidates(draft, rules, unit))


def _plain_figures(data: list[Line]) -> bool:
    """The table prints its figures as bare integers (no separators, no decimals)."""
    numbers = [p for line in data for p in _parts(line) if is_amount(p)]
    return bool(numbers) and not any("." in n or "," in n for n in numbers)


def _account(text_row: RowText, ledger: Ledger) -> None:
    """Every number of a stream row in the ledger: figures, codes, row numbers, labels."""
    for token in text_row.figures:
        ledger.figure(token.line, token.text)
    for token in text_row.code_parts:
        ledger.structural(token.line, token.text, "code")
    for token in text_row.others:
        ledger.structural(token.line, token.text, "row number")
    for token in (*text_row.before, *text_row.words, *text_row.after):
        _name_numbers(ledger, token.line, token.text)


def _place_rows(rows: list[Row], figures: list[list[Decimal]], columns: list[Column],
                expected: dict[int, dict[str, Decimal]] | None = None, *,
                runs: list[list[int] | None] | None = None,
                limit: int | None = None, steps: int = MAX_STEPS) -> _Placed:
    """Place every row's figures in ``columns``, side by side for two-sided tables.

    ``expected`` holds, by row, what other tables or the narrative say its cells are;
    ``runs``, by row, the runs of figures printed on separate lines (:class:`Draft`).
    """
    places: list[list[str]] = [[] for _ in rows]
    ambiguous: list[set[str]] = [set() for _ in rows]
    cost = 0
    cut_short = False
    by_side: dict[str | None, list[int]] = {}
    for index, row in enumerate(rows):
        by_side.setdefault(row.side, []).append(index)
    for side, indexes in by_side.items():
        keys = [c.key for c in columns if c.side == side]
        drafts = [Draft(figures[i], keys, expected=(expected or {}).get(i, {}),
                        runs=runs[i] if runs else None) for i in indexes]
        placement = place(drafts, row_rules(keys), _groups([rows[i] for i in indexes]),
                          unit=_printed_unit(drafts), limit=limit, steps=steps)
        for n, i in enumerate(indexes):
            places[i] = placement.places[n]
            ambiguous[i] = placement.ambiguous[n]
        cost += placement.cost
        cut_short = cut_short or placement.cut_short
    return _Placed(columns, places, ambiguous, cost, cut_short)


def settle(table: Table, expected: dict[int, dict[str, Decimal]], source: str) -> None:
    """Place an ambiguous table's figures again, with what ``source`` says of its cells.

    The figures' printed order is their order in the columns, so each row's
    figures are taken back from its cells. Rows whose ambiguity this settles
    are told in a reader note.
    """
    figures = [[row.values[c.key] for c in table.columns if c.side == row.side
                and row.values.get(c.key) is not None] for row in table.rows]
    figures = [[f for f in row if f is not None] for row in figures]
    placed = _place_rows(table.rows, figures, table.columns, expected)
    for row, values, keys, unsure in zip(table.rows, figures, placed.places, placed.ambiguous,
                                         strict=True):
        if not row.ambiguous:
            continue
        row.values = {c.key: None for c in table.columns if c.side == row.side}
        row.values.update(zip(keys, values, strict=True))
        settled = row.ambiguous - unsure
        row.ambiguous = unsure
        if settled:
            table.reader_notes.append(f"line {row.source.line}: the columns of "
                                      f"{', '.join(sorted(settled))} settled by {source}")


def _is_row_label(words: str) -> bool:
    """Words that begin a row of a table without codes: numbered, or a known row name."""
    text = words.strip()
    if strip_numbering(text) != text:
        return True
    bare = squash(text)
    return functional_class_code(bare) is not None or bare in _TOTAL_NAMES or (
        len(bare) > 2 and bare.endswith(_SUMMARY_ROW_ENDINGS))


def _completes_name(name: str, words: str) -> bool:
    """Words after a row's figures that finish its wrapped name, not a row of their own.

    They do where name and words together are a name the code lists know
    (``文化旅游体育与传媒`` + ``支出``), or where they are a short fragment
    that names no row (``级)``).
    """
    joined = squash(strip_numbering(name) + words)
    if functional_class_code(joined) is not None:
        return True
    return len(squash(words)) <= 3 and not _is_row_label(words)


def _stream_row(table: Table, text_row: RowText, above: list[Row],
                ctx: TableContext) -> Row | None:
    """The model row of a row read from the stream (values are placed later)."""
    name = text_row.name.strip()
    if not text_row.figures and not text_row.code_parts and not name:
        return None
    code: str | None = None
    if text_row.code_parts:
        parts = [t.text for t in text_row.code_parts]
        code, _ = _split_code(parts, table)
        if code is None:
            code = _misprinted_code(parts, above, table.reader_notes)
    elif text_row.found_code:
        code = text_row.found_code
        table.reader_notes.append(f"line {text_row.line.number}: {name} read as {code}, "
                                  f"{text_row.code_reason}")
    is_total = code is None and squash(strip_numbering(name)) in _TOTAL_NAMES
    side: str | None = None
    if table.kind in TWO_SIDED:
        bare = strip_numbering(name)
        side = _side_of_name(bare)
        code = functional_class_code(bare) if side == "支出" else None
        return Row(name=bare, values={}, source=text_row.line.ref(ctx.file), code=code,
                   level=1 if code else None, side=side, is_total="总计" in bare)
    return Row(name=name, values={}, source=text_row.line.ref(ctx.file), code=code,
               level=0 if is_total else _level(code), is_total=is_total)


def _groups(rows: list[Row]) -> list[Group]:
    """The column identities among rows: parent code = Σ child codes, total = Σ top rows.

    A row's parent is the nearest row above it whose code is the longest proper
    prefix of its own. In a two-sided table the 支出 total sums the 类 rows.
    """
    children: dict[int, list[int]] = {}
    top: list[int] = []
    for index, row in enumerate(rows):
        if row.is_total or row.code is None:
            continue
        parent = None
        for above in range(len(rows)):
            other = rows[above].code
            if above != index and other and len(other) < len(row.code) \
                    and row.code.startswith(other) \
                    and (parent is None or len(other) > len(rows[parent].code or "")):
                parent = above
        if parent is None:
            top.append(index)
        else:
            children.setdefault(parent, []).append(index)
    groups = [Group(parent, tuple(kids)) for parent, kids in children.items()]
    totals = [i for i, row in enumerate(rows) if row.is_total]
    if len(totals) == 1 and top:
        groups.append(Group(totals[0], tuple(top)))
    elif len(totals) == 1 and not any(row.code for row in rows):
        others = tuple(i for i in range(len(rows)) if i != totals[0])
        if others and rows[0].side is None:
            groups.append(Group(totals[0], others))
    return groups


def _printed_unit(drafts: list[Draft]) -> Decimal:
    """The last printed decimal of the figures: 0.01 for two decimals, 1 for whole 元."""
    places = [-f.as_tuple().exponent for d in drafts for f in d.figures
              if isinstance(f.as_tuple().exponent, int)]
    return Decimal(1).scaleb(-max(places)) if places else Decimal("0.01")


def _name_numbers(ledger: Ledger, line: Line, name: str) -> None:
    """The numbers printed in a row's name, each by what it is: the name's list number
    (``1.一般公共预算资金``), a year (``2023年``), or a number the name is made of.

    Not one reason for all ("label"): an amount glued to a name by the extraction
    would hide under it. An amount-shaped number (decimals, thousands separators)
    is no part of a name, and is left unread where it can be seen.
    """
    text = name.strip()
    numbering = len(text) - len(strip_numbering(text))
    for match in NUMBER_RE.finditer(text):
        token = match.group()
        if match.end() <= numbering:
            ledger.structural(line, token, "list number")
        elif len(token) == 4 and text[match.end(): match.end() + 1] == "年":
            ledger.structural(line, token, "year")
        elif "." in token or "," in token:
            ledger.unread(line, token, "amount printed inside a row's name")
        else:
            ledger.structural(line, token, "number in a row's name")
