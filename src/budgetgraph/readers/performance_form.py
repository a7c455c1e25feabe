"""Reader of Shanghai's project performance form (财政项目支出绩效目标填报表).

Shanghai's 部门预算 (F14) prints, instead of the national 项目支出绩效目标表,
one form per project and page: 项目名称 / 项目性质 / 项目类别, 主管部门 /
实施单位, planned dates, the funding block (项目资金总额, 年度资金申请总额 and
their breakdown, in 元), 项目总目标 / 年度总体目标, then an indicator grid
(一级指标, 二级指标, 三级指标, 年度(/项目)指标值). The form has no weights and no
project code; a target combines operator, value and unit in one cell
(``≥13459.00(平方米)``) or is written in words (``不低于50%``, ``及时率``).

Each form becomes a :class:`~budgetgraph.model.Project`: ``amount`` is the
年度资金申请总额 (the year's money, as 批复数 is in the national table), ``goal``
the 年度总体目标, ``unit_name`` the 实施单位, ``weight`` None throughout. The
funding breakdown has no field in the model: figures that restate the amount
are consumed as such, the others are left unread with the reason. Grid cells
are placed by their x position under the grid's header, since merged 一级/二级
cells are printed on the first row of their span only and the form puts 成本指标
under 产出指标 as a 二级指标.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from budgetgraph.model import AmountUnit, Indicator, PerformanceTable, Project, SourceRef
from budgetgraph.readers.lines import NUMBER_RE, Cell, Ledger, Line, is_amount, parse_amount
from budgetgraph.readers.vocabulary import squash

_TITLE = "绩效目标填报表"
#: ``≥13459.00(平方米)``, ``=100.00(%)``, ``90.00(度)``: the form's own target cell.
_COMBINED_RE = re.compile(
    r"^(?P<op>[≥≤=><≧≦＝＞＜]|>=|<=)?\s*(?P<value>\d+(?:\.\d+)?)\s*[(（](?P<unit>[^()（）]+)[)）]$")
#: A target in words with one figure: ``不低于50%``, ``开展至少1次团体心理治疗``, ``满意率100%``.
_WORDED_RE = re.compile(
    r"(?P<op>不低于|不少于|至少|不高于|不超过|不多于|大于等于|小于等于)?"
    r"(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>%|％|人次|万人次|[次人个场家份项台辆户]|分|天|小时)")
_WORD_OPERATORS = {"不低于": "≥", "不少于": "≥", "至少": "≥", "大于等于": "≥",
                   "不高于": "≤", "不超过": "≤", "不多于": "≤", "小于等于": "≤"}
_SIGN_OPERATORS = {"≥": "≥", "≧": "≥", ">=": "≥", "≤": "≤", "≦": "≤", "<=": "≤", "=": "=",
                   "＝": "=", ">": ">", "＞": ">", "<": "<", "＜": "<"}
#: Funding cells: the year's amount, and what the model has no field for.
_AMOUNT_LABEL = "年度资金申请总额"
_RESTATING = ("项目资金总额", "其中:财政资金", "其中:当年财政拨款")
_BREAKDOWN = ("上年结转资金", "其他资金")
_GRID_COLUMNS = ("一级指标", "二级指标", "三级指标", "年度(/项目)指标值")


def is_form_title(text: str) -> bool:
    """The title of one page of the form (财政项目支出绩效目标填报表)."""
    return _TITLE in squash(text)


@dataclass
class _Form:
    """One project's page while it is being read."""

    title: Line
    lines: list[Line] = field(default_factory=list)


@dataclass
class _Reader:
    ledger: Ledger
    file: str
    notes: list[str] = field(default_factory=list)

    def where(self, line: Line) -> str:
        return f"p{line.page}:{line.number}" if line.page is not None else f"line {line.number}"

    # -- one form ---------------------------------------------------------------

    def form(self, form: _Form) -> Project:
        self._structural(form.title, "table title")
        fields: dict[str, tuple[str, Line, Cell | None]] = {}
        grid: list[Line] = []
        header: Line | None = None
        goal_lines: list[Line] = []
        for line in form.lines:
            texts = [squash(c.text) for c in line.cells]
            if header is not None:
                grid.append(line)
            elif all(c in texts for c in _GRID_COLUMNS):
                header = line
            elif "项目总目标" in texts or goal_lines or "项目绩效目标" in texts:
                goal_lines.append(line)
            else:
                self._label_values(line, fields)
        name_entry = fields.get("项目名称")
        project = Project(code=None, name=name_entry[0] if name_entry else "",
                          amount=None, execution_weight=None, goal="",
                          source=(name_entry[1] if name_entry else form.title).ref(self.file),
                          unit_name=fields["实施单位"][0] if "实施单位" in fields else None)
        self._funding(project, fields, form.title)
        project.goal = self._goal(goal_lines)
        if header is not None:
            self._grid(project, header, grid)
        return project

    def _label_values(self, line: Line, fields: dict[str, tuple[str, Line, Cell | None]]) -> None:
        """``label ⇥ value`` pairs of the form's top block; dates and the year are structure."""
        cells = list(line.cells)
        for index, cell in enumerate(cells):
            label = squash(cell.text).replace("：", ":")
            value = cells[index + 1] if index + 1 < len(cells) else None
            if value is not None and squash(value.text).replace("：", ":") in fields:
                value = None
            if label.endswith(("名称", "性质", "类别", "部门", "单位", "日期")) \
                    or label in (_AMOUNT_LABEL, *_RESTATING, *_BREAKDOWN):
                # 其他资金 is printed twice on one line (项目资金 and 年度资金 columns)
                key = label if label not in fields else f"{label}#{line.number}:{index}"
                fields[key] = (value.text if value else "", line, value)
        for match in NUMBER_RE.finditer(line.text):
            token = match.group()
            if not is_amount(token) or not any(c.text == token for c in cells):
                # 2023-01-01 and （2023年度）: a date or the form's year
                kind = "year" if "年" in line.text[match.end(): match.end() + 2] else "date"
                self.ledger.span(line, match.start(), match.end(), kind)

    def _funding(self, project: Project, fields: dict[str, tuple[str, Line, Cell | None]],
                 title: Line) -> None:
        amount_entry = fields.get(_AMOUNT_LABEL)
        if amount_entry is None or amount_entry[2] is None:
            self.notes.append(f"{self.where(title)}: no {_AMOUNT_LABEL} on the form")
        else:
            text, line, _cell = amount_entry
            project.amount = parse_amount(text)
            self.ledger.figure(line, text)
        for label in _RESTATING:
            entry = fields.get(label)
            if entry is None or entry[2] is None:
                continue
            text, line, _cell = entry
            if project.amount is not None and parse_amount(text) == project.amount:
                self.ledger.figure(line, text)  # restates the year's amount
                continue
            reason = (f"{label} {text} differs from the {_AMOUNT_LABEL} {project.amount}: "
                      "model.Project holds one amount")
            self.ledger.unread(line, text, reason)
            self.notes.append(f"{self.where(line)}: {project.name}: {reason}")
        for key, (text, line, cell) in fields.items():
            label = key.split("#")[0]
            if label not in _BREAKDOWN or cell is None:
                continue
            for token in NUMBER_RE.findall(text):
                self.ledger.unread(line, token, f"project funding breakdown ({label}): "
                                   "model.Project has no field for it")

    def _goal(self, lines: list[Line]) -> str:
        """The 年度总体目标: the goal text right of the 项目总目标 column (or the only one)."""
        labels = [c for line in lines for c in line.cells
                  if squash(c.text) in ("项目绩效目标", "项目总目标", "年度总体目标")]
        year_label = next((c for c in labels if squash(c.text) == "年度总体目标"), None)
        total_label = next((c for c in labels if squash(c.text) == "项目总目标"), None)
        boundary = None
        if year_label and total_label and year_label.x1 is not None and total_label.x1 is not None:
            boundary = ((total_label.x0 or 0.0) + total_label.x1 + (year_label.x0 or 0.0)
                        + year_label.x1) / 4
        texts: dict[str, list[str]] = {"year": [], "total": []}
        for line in lines:
            for cell in line.cells:
                if cell in labels:
                    continue
                centre = ((cell.x0 or 0.0) + (cell.x1 or 0.0)) / 2
                side = "year" if boundary is None or centre > boundary else "total"
                texts[side].append(cell.text)
            self.ledger.line_structural(line, "goal text")
        return "".join(texts["year"]) or "".join(texts["total"])

    # -- the indicator grid -----------------------------------------------------

    def _grid(self, project: Project, header: Line, grid: list[Line]) -> None:
        centres = {squash(c.text): ((c.x0 or 0.0) + (c.x1 or 0.0)) / 2 for c in header.cells}
        level1 = level2 = ""
        for line in grid:
            cells = list(line.cells)
            if len(cells) < 2:
                self.ledger.line_structural(line, "grid line without a target (reader note)")
                self.notes.append(f"{self.where(line)}: grid line without a target: "
                                  f"{line.text!r}")
                continue
            *names, level3_cell, target_cell = cells
            # the grid's own label (绩效指标), printed on whichever row it is centred on
            names = [c for c in names if squash(c.text) != "绩效指标"]
            for cell in names:
                word = squash(cell.text)
                column = _nearest(cell, centres)
                if column == "一级指标":
                    level1, level2 = word, ""
                elif column == "二级指标":
                    level2 = word
            level3 = squash(level3_cell.text)
            start = line.text.find(level3_cell.text)
            self.ledger.span(line, 0, start + len(level3_cell.text),
                             "indicator names (一级/二级/三级指标)")
            indicator = self._indicator(line, target_cell.text, level1, level2, level3)
            project.indicators.append(indicator)

    def _indicator(self, line: Line, printed: str, level1: str, level2: str,
                   level3: str) -> Indicator:
        target = printed.strip()
        source = line.ref(self.file)
        combined = _COMBINED_RE.match(squash(target))
        worded = list(_WORDED_RE.finditer(squash(target)))
        indicator = Indicator(level1, level2, level3, "定性", target, "", None, source)
        if combined:
            operator = combined["op"]
            indicator.operator = _SIGN_OPERATORS[operator] if operator else "="
            indicator.unit = combined["unit"]
            indicator.target_value = Decimal(combined["value"])
            if not operator:
                self.notes.append(f"{self.where(line)}: target {target!r} has no operator; "
                                  "read as =")
            self.ledger.figure(line, combined["value"])
        elif len(worded) == 1:
            match = worded[0]
            indicator.operator = _WORD_OPERATORS.get(match["op"] or "", "=")
            indicator.unit = "%" if match["unit"] in ("%", "％") else match["unit"]
            indicator.target_value = Decimal(match["value"])
            if not match["op"]:
                self.notes.append(f"{self.where(line)}: target {target!r} names no operator; "
                                  "read as =")
            self.ledger.figure(line, match["value"])
        for token in self.ledger.open_tokens(line):
            self.ledger.unread(line, token, "indicator target with several figures in one "
                               "cell: kept as text (定性)")
        return indicator

    def _structural(self, line: Line, kind: str) -> None:
        self.ledger.line_structural(line, kind)


def _nearest(cell: Cell, centres: dict[str, float]) -> str:
    """The grid header column whose centre is nearest the cell's."""
    centre = ((cell.x0 or 0.0) + (cell.x1 or 0.0)) / 2
    return min(centres, key=lambda name: abs(centres[name] - centre))


def read_performance_form(lines: list[Line], ledger: Ledger, file: str) -> PerformanceTable:
    """Read the forms (one per title) in ``lines`` into one :class:`PerformanceTable`.

    The forms state amounts in 元 (项目资金（元）). Every numeric token of
    ``lines`` is marked in ``ledger``.
    """
    forms: list[_Form] = []
    for line in lines:
        if is_form_title(line.text):
            forms.append(_Form(line))
        elif forms:
            forms[-1].lines.append(line)
        else:
            ledger.line_structural(line, "text before the first form")
    reader = _Reader(ledger, file)
    source = lines[0].ref(file) if lines else SourceRef(file, 0)
    table = PerformanceTable(unit=AmountUnit.YUAN, source=source)
    for form in forms:
        table.projects.append(reader.form(form))
    table.reader_notes = reader.notes
    for line in lines:
        for token in ledger.open_tokens(line):
            ledger.unread(line, token, "performance form: not recognised as figure, date or text")
    return table
