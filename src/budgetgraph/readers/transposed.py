"""A 三公 table printed the other way round: one row per kind of spending.

The national template prints the 三公 table with the kinds of spending as columns
(合计, 因公出国(境)费, 公务用车购置及运行费 …) and one row of figures. Many cities print it
transposed (Nantong 2016, Guilin 2015 in tests/corpus/excerpts/): the kinds are rows
(``(二)公务接待费 14.83 14.83``) and the columns are measures (本年预算数, 其中:一般公共
预算安排数). Read by meaning, both are the same cells: here each printed row becomes the
column of its kind, and each printed column a row of the model, so everything after the
reader (the converter, the 三公 identity) sees the template's table.

Kinds outside 三公 printed in the same table (会议费, 培训费) keep their own names as
columns: they are figures of the document, not parts of 三公.
"""

from __future__ import annotations

import re
from decimal import Decimal

from budgetgraph.model import AmountUnit, Column, Phase, Row, Table, TableKind
from budgetgraph.readers.lines import Ledger, Line, parse_amount
from budgetgraph.readers.vocabulary import squash, strip_numbering

#: what a printed row's name means, tested in this order (购置 before 公务用车费)
_KINDS: tuple[tuple[str, str], ...] = (
    ("合计", "合计"),
    ("因公出国", "因公出国(境)费"),
    ("公务接待", "公务接待费"),
    ("购置", "公务用车购置费"),
    ("运行", "公务用车运行费"),
    ("公务用车", "公务用车购置及运行费"),
)
#: cells that say the kind does not apply to the unit: blank, not zero
_NOT_APPLICABLE = ("单位不需填列", "不需填列", "—", "-", "/")
_AMOUNT = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
_SUB_NUMBERING = re.compile(r"^(?:其中\s*[:：])?\s*(?:[(（]\d+[)）]|\d+\s*[.．、])?")


def three_public_kind(name: str) -> str | None:
    """The template column a printed row's name stands for, or None if it is not 三公."""
    text = squash(name)
    for word, key in _KINDS:
        if word in text:
            return key
    return None


def _row_name(text: str) -> str:
    bare = strip_numbering(text.strip())
    return _SUB_NUMBERING.sub("", squash(bare)).strip("“”\"") or squash(bare)


def _split(line: Line) -> tuple[str, list[str]] | None:
    """A printed row: its name, then its cells (figures or 'not applicable')."""
    parts = [p for p in re.split(r"\s+|\|", line.text.strip()) if p]
    cells: list[str] = []
    while parts and (_AMOUNT.fullmatch(parts[-1]) or parts[-1] in _NOT_APPLICABLE):
        cells.insert(0, parts.pop())
    if not parts:
        return None
    return " ".join(parts), cells


def read_transposed(title: Line, header: list[Line], data: list[Line], *, unit: AmountUnit,
                    ledger: Ledger, file: str, year: int, phase: Phase) -> Table | None:
    """The table, if its rows are kinds of 三公 spending; None for the template's layout."""
    rows = [(line, split) for line in data if (split := _split(line)) is not None]
    kinds = [three_public_kind(_row_name(name)) for _line, (name, _cells) in rows]
    if sum(k is not None for k in kinds) < 2 or not any(cells for _l, (_n, cells) in rows):
        return None
    measures = _measures(header, max(len(cells) for _l, (_n, cells) in rows))
    columns: list[Column] = []
    model_rows = [Row(name=m, values={}, source=title.ref(file)) for m in measures]
    notes: list[str] = []
    for (line, (name, cells)), kind in zip(rows, kinds, strict=True):
        key = f"本年:{kind or _row_name(name)}"
        if key not in {c.key for c in columns}:
            columns.append(Column(key=key, label=_row_name(name), phase=phase, year=year))
        if 0 < len(cells) < len(measures):
            notes.append(f"line {line.number}: {name} prints {len(cells)} figure(s) for "
                         f"{len(measures)} columns; read from the first column on")
        for row, cell in zip(model_rows, cells, strict=False):
            value: Decimal | None = None
            if cell not in _NOT_APPLICABLE:
                value = parse_amount(cell)
                ledger.figure(line, cell)
            row.values[key] = value
            row.source = line.ref(file) if row.source.line == title.number else row.source
        ledger.line_structural(line, "list number")  # 1.公务用车购置费, (2)公务用车购置
    for row in model_rows:
        for column in columns:
            row.values.setdefault(column.key, None)
    notes.insert(0, "printed transposed (one row per kind of spending): read as the "
                    "template's columns")
    return Table(kind=TableKind.THREE_PUBLIC, title=title.text.strip(" |\t"),
                 unit=unit, columns=columns, rows=model_rows, source=title.ref(file),
                 reader_notes=notes)


def _measures(header: list[Line], count: int) -> list[str]:
    """The printed columns' names: the header's last ``count`` cells after 项目."""
    names = [squash(p) for line in header for p in re.split(r"\s+|\|", line.text.strip())
             if p and squash(p) not in ("项目", "项", "目", "?")]
    names = [n for n in names if n]
    if len(names) >= count:
        return names[-count:]
    return names + [f"第{n + 1}列" for n in range(len(names), count)]
