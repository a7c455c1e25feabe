"""The government procurement table (政府采购预算表): a tree of purchases, one amount each.

Provinces that print it (Jiangsu: 采购品目大类 | 专项名称 | 经济科目 | 采购物品名称 |
采购组织形式 | 总计) print one line per node of a tree: the 合计, each category
(一、货物A, 三、服务C), each project with its economic item (办公设备购置费 |
办公设备购置), and each item bought with how it is bought (台式计算机（20万以下） |
分散自行组织). What a line is follows from what it says, not from where it sits:
a category is numbered, an item ends in a form of procurement, anything else is a
project. Each node becomes a row of the table, its one figure the row's 合计;
items are named under their project, so that the same purchase under two projects
stays two rows. The tree's sums (category = Σ its projects, project = Σ its items)
are checked here, and a break is said in a reader note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from budgetgraph.errors import ReadError
from budgetgraph.model import AmountUnit, Column, Note, Row, SourceRef, Table, TableKind
from budgetgraph.readers.codes import names_a_code
from budgetgraph.readers.lines import (
    NUMBER_RE,
    PAGE_MARKER_RE,
    Ledger,
    Line,
    is_amount,
    parse_amount,
)
from budgetgraph.readers.vocabulary import squash

_UNIT_RE = re.compile(r"单位[:：](万元|元)")
_CATEGORY = re.compile(r"^[一二三四五六七八九十]+[、.．]\s*")
#: how an item is bought: the last words of an item's line
_FORM = re.compile(r"(?:集中采购|分散采购|自行组织|自行采购|委托代理|集中采购机构采购)$")
_TOTAL = ("合计", "总计")
_HEADER_WORDS = ("采购", "品目", "专项", "科目", "总计", "金额")


def read_procurement(title: Line, body: list[Line], *, ledger: Ledger, file: str,
                     year: int) -> Table:
    """The table whose title line is ``title``, from the lines under it."""
    unit: AmountUnit | None = None
    notes: list[str] = []
    tree = _Tree()
    pending: list[str] = []  # labels printed a line above their figure
    notes_printed: list[Note] = []
    printed = [line for line in body if line.text.strip()]
    for index, line in enumerate(printed):
        text = squash(line.text)
        if PAGE_MARKER_RE.match(line.text) or text == str(line.page):  # - 16 - or 16
            ledger.line_structural(line, "page marker")
            continue
        found = _UNIT_RE.search(text)
        if found or (not tree.rows and not _amounts(line)
                     and any(w in text for w in _HEADER_WORDS)):
            unit = AmountUnit(found.group(1)) if found else unit
            _numbers_in_words(ledger, line, "table heading")
            continue
        amounts = _amounts(line)
        note_goes_on = bool(notes_printed) and not amounts
        if text.startswith(("注:", "注：", "说明:", "说明：")) or note_goes_on:
            # a note under the table (注：1.采购组织形式为… / 2.…), on as many lines as it takes
            if note_goes_on:
                last = notes_printed.pop()
                notes_printed.append(Note(f"{last.text}{line.text.strip()}", last.source))
            else:
                notes_printed.append(Note(line.text.strip(), line.ref(file)))
            _numbers_in_words(ledger, line, "note")
            continue
        labels = [c for c in _cells(line) if c.strip() and c.strip() not in amounts]
        if not amounts:
            _numbers_in_words(ledger, line, "number in a row's name")
            after = printed[index + 1] if index + 1 < len(printed) else None
            if after is not None and _amounts(after) and not [
                    c for c in _cells(after) if c.strip() and c.strip() not in _amounts(after)]:
                pending.extend(labels)  # its figure is on the next line, alone
            elif tree.rows:  # a name wrapped onto a line of its own
                tree.rows[-1].name += "".join(_bare(c) for c in labels)
            continue
        _numbers_in_words(ledger, line, "number in a row's name", keep=amounts)
        entries, pending = _entries([*pending, *_cells(line)]), []
        for labels, amount in entries:
            if amount is None:  # names after the line's last figure: the next line's
                pending = labels
                continue
            if not labels and tree.rows:
                raise ReadError(f"figure {amount} of {title.text.strip()!r} names no purchase",
                                file=file, line=line.number, page=line.page)
            ledger.figure(line, amount)
            tree.add(labels, parse_amount(amount), line.ref(file))
    if unit is None:
        raise ReadError(f"table {title.text.strip()!r} names no unit (单位：万元 or 元)",
                        file=file, line=title.number, page=title.page)
    notes.extend(_tree_breaks(tree.rows))
    return Table(kind=TableKind.PROCUREMENT, title=title.text.strip(), unit=unit,
                 columns=[Column(key="合计", label="总计", year=year)], rows=tree.rows,
                 source=title.ref(file), notes=notes_printed, reader_notes=notes)


@dataclass
class _Tree:
    """The rows read so far, and the project line the items below it belong to."""

    rows: list[Row] = field(default_factory=list)
    project: str | None = None  # the project line above, which names its items
    special: str | None = None  # its 专项名称 alone
    seen: dict[str, int] = field(default_factory=dict)

    def add(self, labels: list[str], amount: Decimal, source: SourceRef) -> None:
        """One node: its labels say whether it is the total, a category, an item or a
        project (see the module's docstring)."""
        first = _bare(labels[0]) if labels else ""
        if first in _TOTAL:
            name, level = "合计", 0
        elif _CATEGORY.match(first):
            name, level, self.project, self.special = _CATEGORY.sub("", first), 1, None, None
        elif labels and _FORM.search(squash(labels[-1])):
            item = "".join(_bare(c) for c in labels[:-1])
            under = f"{self.project}：" if self.project else ""
            name, level = f"{under}{item}（{_bare(labels[-1])}）", 3
        else:
            words = [_bare(c) for c in labels]
            if len(words) == 1 and self.special and names_a_code(words[0], scheme="econ"):
                words = [self.special, *words]  # another economic item of the project above
            self.special = words[0]
            self.project = words[0] + (f"（{'、'.join(words[1:])}）" if len(words) > 1 else "")
            name, level = self.project, 2
        self.seen[name] = self.seen.get(name, 0) + 1
        if self.seen[name] > 1:  # the same purchase printed again: a row of its own
            name = f"{name}（第{self.seen[name]}次）"
        self.rows.append(Row(name=name, values={"合计": amount}, source=source, level=level,
                             is_total=level == 0))


def _entries(cells: list[str]) -> list[tuple[list[str], str | None]]:
    """The line's nodes: the names before each figure, with the figure; names after the
    last figure come last, with None (an extractor may print two nodes on one line)."""
    entries: list[tuple[list[str], str | None]] = []
    labels: list[str] = []
    for cell in (c.strip() for c in cells if c.strip()):
        if is_amount(cell):
            entries.append((labels, cell))
            labels = []
        else:
            labels.append(cell)
    if labels:
        entries.append((labels, None))
    return entries


def _bare(cell: str) -> str:
    """A cell's words as printed, without the spaces a PDF puts inside them."""
    return re.sub(r"\s+", "", cell)


def _amounts(line: Line) -> list[str]:
    """The line's figures: cells that are amounts, not numbers inside a name."""
    return [c.strip() for c in _cells(line) if c.strip() and is_amount(c.strip())]


def _cells(line: Line) -> list[str]:
    """The line's cells; a line that is one cell (an extractor that separates cells by
    single spaces, like pdfplumber) split at its spaces."""
    return line.texts if len(line.cells) > 1 else line.text.split()


def _numbers_in_words(ledger: Ledger, line: Line, kind: str, *,
                      keep: list[str] | None = None) -> None:
    """Numbers inside the line's words (台式计算机（20万以下）) are not figures."""
    for cell in _cells(line):
        if cell.strip() in (keep or []):
            continue
        for number in NUMBER_RE.findall(cell):
            ledger.structural(line, number, kind)


def _tree_breaks(rows: list[Row]) -> list[str]:
    """Each node against the sum of the nodes under it, where the tree prints them."""
    notes: list[str] = []
    for index, row in enumerate(rows):
        below: list[Row] = []
        for other in rows[index + 1:]:
            if other.level is None or row.level is None or other.level <= row.level:
                break
            if other.level == row.level + 1 or (row.level == 0 and other.level == 1):
                below.append(other)
        if not below:
            continue
        total = sum((r.values["合计"] or Decimal(0) for r in below), Decimal(0))
        if total != row.values["合计"]:
            notes.append(f"{row.name} {row.values['合计']} ≠ {total}, the sum of the "
                         f"{len(below)} line(s) under it ({row.source})")
    return notes
