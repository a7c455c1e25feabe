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

import re
from dataclasses import dataclass, field
from decimal import Decimal

from budgetgraph.errors import ReadError
from budgetgraph.model import AmountUnit, Column, Note, Phase, Row, Table, TableKind
from budgetgraph.readers.lines import (
    NUMBER_RE,
    PAGE_MARKER_RE,
    Cell,
    Ledger,
    Line,
    is_amount,
    parse_amount,
)
from budgetgraph.readers.vocabulary import (
    HeaderTerm,
    functional_class_code,
    header_term,
    scan_header,
    squash,
    strip_numbering,
)

TWO_SIDED = (TableKind.SUMMARY, TableKind.FISCAL_SUMMARY)
_UNIT_RE = re.compile(r"单位\s*[:：]\s*(万元|元)")
_META_RE = re.compile(r"(部门名称|编制部门|编制单位|预算单位|单位名称|单位)\s*[:：]")
_CODE_PART = re.compile(r"^\d{1,7}$")
#: The national template's instruction to the filer (无…的，仍保留该表格式，并在本表
#: 下方作下述说明：), which some documents print under an empty table.
_INSTRUCTION_RE = re.compile(r"仍保留(?:该|本)表格式|在本表下方作")
_TOTAL_NAMES = ("合计", "总计")

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


def read_table(kind: TableKind, title: Line, body: list[Line], ctx: TableContext) -> Table:
    """Read the table titled by ``title`` from the lines that follow it."""
    ledger = ctx.ledger
    _structural_numbers(ledger, title, "table title")
    unit: AmountUnit | None = None
    notes: list[Note] = []
    header: list[Line] = []
    data: list[Line] = []
    table_remarks: list[str] = []
    for line in body:
        text = line.text.strip()
        if not text:
            continue
        if PAGE_MARKER_RE.match(text):
            ledger.line_structural(line, "page marker")
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
        if _is_data(line, kind, bool(header)):
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
    for line in header:
        _structural_numbers(ledger, line, "table header")
    _lift_header_words(header, data)
    slotted = _has_geometry(header, data)
    if slotted:
        header, data = _slotted(header, data, two_sided=kind in TWO_SIDED)
    layout = _layout(kind, header, data, ctx, slotted=slotted)
    table = Table(kind=kind, title=title.text.strip(), unit=unit, columns=layout.columns,
                  rows=[], source=title.ref(ctx.file), notes=notes,
                  reader_notes=table_remarks)
    if kind in TWO_SIDED:
        _read_two_sided(table, layout, data, ctx)
    else:
        _read_rows(table, layout, data, ctx)
    if kind is TableKind.THREE_PUBLIC:
        _check_three_public(table)
    return table


# ---------------------------------------------------------------------------
# Line classification
# ---------------------------------------------------------------------------


def _has_amount(line: Line) -> bool:
    return any(is_amount(c) for c in line.texts if c)


def _is_data(line: Line, kind: TableKind, header_seen: bool) -> bool:
    cells = [c for c in line.texts if c]
    if not cells:
        return False
    if _has_amount(line):
        return True
    if _CODE_PART.match(cells[0]) and len(cells[0]) in (3, 5, 7):
        return True
    if not header_seen:
        return False
    if all(squash(c) in _TOTAL_NAMES for c in cells):
        return True
    if kind in TWO_SIDED:
        return not _header_like(line)
    return False


def _header_like(line: Line) -> bool:
    """Most of the line's text is header words (项目, 预算数, 合计 …).

    A numbered line (``二、政府性基金预算财政拨款``) is a row, even where its
    name is also a header word: headers are never numbered.
    """
    text = squash(line.text)
    if strip_numbering(line.text.strip()) != line.text.strip():
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
    """A header line printed again on a new page (same words as the first header)."""
    text = squash(line.text)
    if any(text == squash(h.text) for h in header):
        return True
    return _header_like(line)


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
    slots = sorted(leaves, key=lambda c: c.x0 or 0.0)
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

    def rewrite(line: Line, *, is_header: bool) -> Line:
        texts = [""] * len(slots)
        for cell in line.cells:
            if not cell.text or (not is_header and squash(cell.text) in ("类", "款", "项")):
                continue
            index = best(cell, first=is_header)
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


def _layout(kind: TableKind, header: list[Line], data: list[Line], ctx: TableContext, *,
            slotted: bool) -> _Layout:
    """Columns by position where cells keep their places (always, once slotted)."""
    if (slotted and header) or _positional(header, data):
        return _layout_by_position(kind, header, ctx)
    return _layout_by_reading_order(kind, header, ctx)


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


def _layout_by_position(kind: TableKind, header: list[Line], ctx: TableContext) -> _Layout:
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
    return _Layout(columns, positions, labels)


def _leaf_term(cell: str) -> HeaderTerm | None:
    term = header_term(cell)
    if term is None or term.kind == "group":
        return None
    return term


def _sides_by_position(header: list[Line]) -> dict[int, str]:
    """Two-sided tables: positions left of the second 项目 label are 收入, the rest 支出."""
    width = len(header[0].cells)
    split = width
    for line in header:
        labels = [i for i, c in enumerate(line.texts) if c and _leaf_term(c)
                  and _leaf_term(c).kind == "label"]  # type: ignore[union-attr]
        if len(labels) >= 2:
            split = labels[1]
            break
    return {i: ("收入" if i < split else "支出") for i in range(width)}


def _layout_by_reading_order(kind: TableKind, header: list[Line], ctx: TableContext) -> _Layout:
    if kind is TableKind.THREE_PUBLIC:
        return _Layout(_three_public_columns(header, ctx), None)
    terms = [t for line in header for cell in line.texts for t in scan_header(cell)]
    columns: list[Column] = []
    group: HeaderTerm | None = None
    for text, term in terms:
        if term.kind == "group":
            group = term
        elif term.kind == "value" and not (kind in TWO_SIDED and text in _SIDE_HEADINGS):
            columns.append(_column(kind, term, text, group, ctx))
    if kind in TWO_SIDED and columns:
        first, rest = columns[0], columns[1:] or [columns[0]]
        columns = [_with_side(first, "收入")] + [_with_side(c, "支出") for c in rest]
    return _Layout(columns, None)


def _with_side(column: Column, side: str) -> Column:
    return Column(column.key, column.label, column.phase, column.year, side)


def _three_public_columns(header: list[Line], ctx: TableContext) -> list[Column]:
    """The 三公 table's columns from a header whose cell positions are lost.

    The vehicle column (公务用车购置及运行费) is a parent whose children
    (小计, 购置费, 运行费) are printed on a later line: they take its place.
    A measure printed beside the period headers (机关运行经费) comes last, as
    it is printed as a tall cell at the right edge.
    """
    per_line = [[t for cell in line.texts for t in scan_header(cell)] for line in header]
    children = [t for terms in per_line for _, t in terms
                if t.kind == "value" and t.key in ("小计", "公务用车购置费", "公务用车运行费")]
    groups = [t for terms in per_line for _, t in terms if t.kind == "group"] or [None]
    leaves: list[tuple[str, HeaderTerm]] = []
    for terms in per_line:
        for text, term in terms:
            if term.kind != "value" or term.key in (
                    "小计", "公务用车购置费", "公务用车运行费", "预算数", "机关运行经费"):
                continue
            if term.key == "公务用车购置及运行费" and children:
                leaves.extend(("", c) for c in children[:3])
                children = children[3:]
            else:
                leaves.append((text, term))
    # a tall cell at the right edge, its name often wrapped over two lines
    tail = [("机关运行经费", HeaderTerm("value", "机关运行经费"))] \
        if "机关运行经费" in squash("".join(line.text for line in header)) else []
    per_group = max(1, len(leaves) // len(groups))
    columns = []
    for index, (text, term) in enumerate(leaves):
        group = groups[min(index // per_group, len(groups) - 1)]
        columns.append(_column(TableKind.THREE_PUBLIC, term, text or term.key, group, ctx))
    for text, term in tail:
        columns.append(_column(TableKind.THREE_PUBLIC, term, text, groups[-1], ctx))
    return columns


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


def _misprinted_code(parts: list[str], table: Table) -> str | None:
    """A 项 whose 类 cell is misprinted (F13 p9: ``7 ⇥ 11 ⇥ 02`` under 款 ``210 11``).

    Where the 款 and 项 parts are well formed and the 款 row just above has
    the same 款 part, the 类 is that row's; the table says so in a reader note.
    Anything else is left as printed (no code, the parts kept in the name).
    """
    if len(parts) != 3 or not all(len(p) == 2 and p.isdigit() for p in parts[1:]):
        return None
    parent = next((r for r in reversed(table.rows) if r.code and len(r.code) == 5), None)
    if parent is None or parent.code is None or parent.code[3:] != parts[1]:
        return None
    code = parent.code + parts[2]
    table.reader_notes.append(
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
                    code = _misprinted_code(code_cells, table)
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
    for part in NUMBER_RE.findall(name):
        ctx.ledger.structural(line, part, "label")
    if code is None and not name and not any(value_cells):
        return
    if (code is None and name and not any(value_cells) and table.rows
            and squash(name) not in _TOTAL_NAMES and not table.rows[-1].is_total):
        table.rows[-1].name += name  # a wrapped name cell
        return
    values = _values(table, columns, value_cells, line, ctx)
    is_total = code is None and squash(name) in _TOTAL_NAMES
    table.rows.append(Row(name=name.strip(), values=values, source=line.ref(ctx.file),
                          code=code, level=0 if is_total else _level(code),
                          is_total=is_total))


def _read_two_sided(table: Table, layout: _Layout, data: list[Line], ctx: TableContext) -> None:
    by_side = {side: [c for c in table.columns if c.side == side] for side in ("收入", "支出")}
    for line in data:
        for side, name, cells in _sides_of(line, layout):
            if not name and not any(cells):
                continue
            for part in NUMBER_RE.findall(name):
                ctx.ledger.structural(line, part, "label")
            values = _values(table, by_side[side], cells, line, ctx)
            bare = strip_numbering(name)
            code = functional_class_code(bare) if side == "支出" else None
            table.rows.append(Row(name=bare, values=values, source=line.ref(ctx.file),
                                  code=code, level=1 if code else None, side=side,
                                  is_total="总计" in bare))


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
    bare = squash(strip_numbering(name))
    return (functional_class_code(bare) is not None or "支出" in bare
            or bare.startswith(("结转下年", "年末结转")))


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
