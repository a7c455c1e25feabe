"""Tables printed the other way round: what the template prints as columns, as rows.

**三公.**
The national template prints the 三公 table with the kinds of spending as columns
(合计, 因公出国(境)费, 公务用车购置及运行费 …) and one row of figures. Many cities print it
transposed (Nantong 2016, Guilin 2015 in tests/corpus/excerpts/): the kinds are rows
(``(二)公务接待费 14.83 14.83``) and the columns are measures (本年预算数, 其中:一般公共
预算安排数). Read by meaning, both are the same cells: here each printed row becomes the
column of its kind, and each printed column a row of the model, so everything after the
reader (the converter, the 三公 identity) sees the template's table.

Kinds outside 三公 printed in the same table (会议费, 培训费) keep their own names as
columns: they are figures of the document, not parts of 三公.

**收入总表 as a list.** Jiangsu prints the income table as one column of amounts, one
line per source of income, grouped (一般公共预算资金 | 小计 / 公共财政拨款(补助)资金 /
专项收入; 其他资金 | 小计 / 事业收入 …), the group's name in a merged cell that lands on
any line of its group. Those lines are the template's income columns of the table's
合计 row: each becomes the column its name means (事业收入, 上年结转 …); a group's 小计
becomes the column of the group (一般公共预算资金 → 一般公共预算拨款收入); a name the
template has no column for (专项收入, 债务资金) keeps its own, so the row-total identity
sums only the template's incomes, which is what it means.
"""

from __future__ import annotations

import re
from decimal import Decimal

from budgetgraph.model import AmountUnit, Column, Phase, Row, Table, TableKind
from budgetgraph.readers.lines import Ledger, Line, parse_amount
from budgetgraph.readers.vocabulary import header_term, squash, strip_numbering

#: what a printed row's name means, tested in this order (购置 before 公务用车费)
_KINDS: tuple[tuple[str, str], ...] = (
    ("合计", "合计"),
    ("因公出国", "因公出国(境)费"),
    ("公务接待", "公务接待费"),
    ("购置及运行", "公务用车购置及运行费"),
    ("购置", "公务用车购置费"),
    ("运行", "公务用车运行费"),
    ("公务用车", "公务用车购置及运行费"),
)
#: cells that say the kind does not apply to the unit: blank, not zero
_NOT_APPLICABLE = ("单位不需填列", "不需填列", "—", "-", "/")
_AMOUNT = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
#: a row that counts (groups, persons, vehicles, visits), not money
_COUNT = re.compile(r"[(（](?:个|人|辆|次|批次|人次|台|件)[)）]$"
                    r"|团组数|人次数|批次|保有量|购置数")
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
    if any(re.match(r"\d{3}", name) for _line, (name, _cells) in rows):
        return None  # rows by classification code: the template's layout
    measures = _measures(header, max(len(cells) for _l, (_n, cells) in rows))
    columns: list[Column] = []
    model_rows = [Row(name=m, values={}, source=title.ref(file)) for m in measures]
    notes: list[str] = []
    for (line, (name, cells)), kind in zip(rows, kinds, strict=True):
        prose = len(squash(name)) > 24 or squash(name).startswith(("注", "备注", "说明"))
        heading = prose or (kind is None and all(c in _NOT_APPLICABLE for c in cells))
        if heading or _COUNT.search(squash(name)):
            # a heading row (一、"三公"经费支出), a note printed in the table, or a count
            # (团组数（个）, 保有量（辆）): not an amount of the table
            for cell in cells:
                if cell not in _NOT_APPLICABLE:
                    ledger.structural(line, cell, f"count, not an amount ({_row_name(name)})")
            ledger.line_structural(line, "list number")
            continue
        key = f"本年:{kind or _row_name(name)}"
        if any(key in row.values for row in model_rows):  # 因公出国 twice: a part of it
            key = f"本年:{_row_name(name)}"
        if any(key in row.values for row in model_rows):  # the same name twice
            key = f"{key}（{line.number}）"
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
             if p and squash(p) not in ("项目", "项", "目", "?") and p not in _NOT_APPLICABLE
             and strip_numbering(p) == p]  # not a row's label (一、"三公"经费支出)
    names = [n for n in names if n]
    if len(names) >= count:
        return names[-count:]
    return names + [f"第{n + 1}列" for n in range(len(names), count)]


#: Groups of income a list-form 收入总表 prints, and the template column each stands for.
_INCOME_GROUPS: dict[str, str] = {
    "一般公共预算资金": "一般公共预算拨款收入",
    "政府性基金": "政府性基金预算拨款收入",
    "政府性基金预算资金": "政府性基金预算拨款收入",
    "财政专户管理资金": "财政专户管理资金收入",
    "上年结转和结余资金": "上年结转",
    "其他资金": "其他资金",
}
_SUBTOTAL = "小计"


def read_income_list(title: Line, data: list[Line], *, unit: AmountUnit, ledger: Ledger,
                     file: str, year: int, phase: Phase) -> Table | None:
    """The 收入总表 if it is printed as a list of income sources; None otherwise.

    A list has a total line (收入总计), no classification code, at most one figure a
    line, and names the income groups; anything else is the template's layout.
    """
    printed = [(line, split) for line in data if (split := _split(line)) is not None]
    if not printed or any(len(cells) > 1 for _l, (_n, cells) in printed) \
            or any(re.match(r"\d{3}", name) for _l, (name, _c) in printed):
        return None
    words = [[squash(w) for w in name.split()] for _l, (name, _c) in printed]
    if not any(w in _INCOME_GROUPS for ws in words for w in ws) \
            or not any(ws and ws[0].endswith(("总计", "合计")) for ws in words):
        return None
    groups = _group_of_each_subtotal(words)
    row = Row(name="合计", values={}, source=title.ref(file), level=0, is_total=True)
    columns: list[Column] = []
    for (line, (_name, cells)), names, group in zip(printed, words, groups, strict=True):
        names = [n for n in names if n not in _INCOME_GROUPS] or names
        label = names[-1]
        if label == _SUBTOTAL:
            key, label = _INCOME_GROUPS[group] if group else _SUBTOTAL, f"{group or ''}{label}"
        elif label.endswith(("总计", "合计")):
            key = "合计"
            row.source = line.ref(file)
        else:
            bare = label.removeprefix("其中:").removeprefix("其中：")
            term = header_term(bare)
            key = term.key if term is not None and term.kind == "value" else bare
        if key in row.values:  # the same source printed twice: keep both, apart
            key = f"{key}（{line.number}）"
        columns.append(Column(key=key, label=label, phase=phase, year=year))
        row.values[key] = parse_amount(cells[0]) if cells else None
        if cells:
            ledger.figure(line, cells[0])
    return Table(kind=TableKind.INCOME, title=title.text.strip(" |\t"), unit=unit,
                 columns=columns, rows=[row], source=title.ref(file),
                 reader_notes=[f"printed as a list of {len(printed)} income sources, one a "
                               "line: read as the template's income columns of the 合计 row"])


def _group_of_each_subtotal(words: list[list[str]]) -> list[str | None]:
    """The income group each printed line belongs to, where the line is a 小计.

    A group runs from its 小计 to the line before the next 小计; its name, printed in a
    merged cell, is on one of those lines (or, centred over an even number of lines,
    on the line just before the 小计).
    """
    starts = [i for i, ws in enumerate(words) if _SUBTOTAL in ws]
    names = [(i, w) for i, ws in enumerate(words) for w in ws if w in _INCOME_GROUPS]
    group: list[str | None] = [None] * len(words)
    taken: set[int] = set()
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(words)
        inside = [(i, w) for i, w in names if start <= i < end and i not in taken]
        before = [(i, w) for i, w in names if i == start - 1 and i not in taken]
        found = (inside or before)[:1]
        if found:
            taken.add(found[0][0])
            group[start] = found[0][1]
    return group
