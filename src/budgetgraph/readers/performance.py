"""Reader of the project performance-target table (项目支出绩效目标表).

The table gives, per project, its code and name, 批复数, 预算执行率权重 and goal
text, then one row per indicator (一级/二级/三级指标, operator, target, unit,
weight). In the published exports the table is badly scrambled: merged cells
(unit, project, goal, 一级/二级指标) are printed on whichever line the PDF put
their text, which can be a row of the previous project or the next page; rows
are shifted by a varying number of empty cells; the header repeats on every page
with its labels broken (``预算 执行 率权 重 (%)``).

So nothing here trusts column positions. Each cell is recognised by what it is
(an operator, a known 一级/二级 name, a measure unit, a number, a project or unit
code, free text), and the table is rebuilt in three steps:

1. indicator rows are cut into one run per project where an 一级指标 comes back
   after another (every project lists its 成本/产出/效益/满意度 blocks once);
2. project cells (code, name, figures, goal) are matched to the runs in order;
   a codeless cell that repeats the figures of the previous one after a page
   header is the same merged cell split by the page break;
3. goal text printed alone on a line is given to the run whose lines contain it.

The header is read only for what types cannot tell: the order of the two
project figures (预算执行率权重, 批复数) and of the value columns (指标值, 本年
指标值, 度量单位, 权重, 本年权重). Every inference that a reader of the report
could doubt is written to :attr:`PerformanceTable.reader_notes`; every numeric
token of the lines is marked in the :class:`Ledger`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from budgetgraph.model import AmountUnit, Indicator, PerformanceTable, Project, SourceRef
from budgetgraph.readers.lines import NUMBER_RE, PAGE_MARKER_RE, Ledger, Line, is_amount

#: 一级指标 of the national template.
LEVEL1 = ("成本指标", "产出指标", "效益指标", "满意度指标")
#: 二级指标 and the 一级指标 each belongs to (canonical names, without a trailing 指标
#: where the template has none).
LEVEL2_PARENT: dict[str, str] = {
    "经济成本": "成本指标",
    "社会成本": "成本指标",
    "生态环境成本": "成本指标",
    "数量指标": "产出指标",
    "质量指标": "产出指标",
    "时效指标": "产出指标",
    "经济效益": "效益指标",
    "社会效益": "效益指标",
    "生态效益": "效益指标",
    "生态环境效益": "效益指标",
    "可持续影响": "效益指标",
    "服务对象满意度": "满意度指标",
}
#: Printed operators (绩效指标性质) and their canonical form.
OPERATORS: dict[str, str] = {
    "≥": "≥", "≧": "≥", ">=": "≥", "大于等于": "≥",
    "≤": "≤", "≦": "≤", "<=": "≤", "小于等于": "≤",
    "=": "=", "＝": "=", "等于": "=",
    ">": ">", "＞": ">", "大于": ">",
    "<": "<", "＜": "<", "小于": "<",
    "定性": "定性",
}  # fmt: skip
#: Measure units (绩效度量单位) and the parts compound units are built of (元/个/年).
_UNIT_ATOMS = frozenset((
    "%", "‰", "元", "万元", "亿元", "千元", "人", "万人", "人次", "万人次", "个", "名", "户",
    "户次", "家", "所", "座", "台", "套", "件", "份", "项", "次", "场", "期", "篇", "本", "册",
    "张", "条", "批", "处", "辆", "辆次", "株", "吨", "亩", "公顷", "米", "公里", "千米", "平方米",
    "平方公里", "立方米", "年", "季度", "月", "周", "日", "天", "工作日", "个工作日", "小时",
    "分钟", "分", "岁",
))  # fmt: skip
_BLANK = frozenset(("-", "—", "－", "/"))
_PROJECT_CODE = re.compile(r"^([0-9A-Za-z]*\d[0-9A-Za-z]*)-(.*)$")
#: Budget-unit codes are short (504001); project codes are long (63022300024T000000053).
_UNIT_CODE_MAX = 9
_UNIT_LINE = re.compile(r"^(?:金额)?单位[:：]\s*(万元|元)$")
_HEADER_WORDS = (
    "单位名称",
    "项目名称",
    "执行率",
    "批复数",
    "绩效指标",
    "绩效目标",
    "一级指标",
    "二级指标",
    "三级指标",
    "指标性质",
    "指标值",
    "度量单位",
    "计量单位",
    "权重",
    "预算数",
    "项目金额",
)
#: Header labels are short; a long cell mentioning 绩效目标 is goal text, not a header.
_HEADER_MAX = 12
_TOTAL_WORDS = ("合计", "总计")
#: Shortest repeated text taken as the same words shown on both sides of a page break.
_MIN_OVERLAP = 6
_HUNDRED = Decimal(100)


def _is_cjk(char: str) -> bool:
    return ord(char) > 0x2E7F


def squash(text: str) -> str:
    """Remove the spaces a PDF puts where a cell's text wrapped.

    ``服务对象满意 度`` and ``企业职工 基本 养老保险`` are one word each; a space
    between two ASCII characters (``6050 *``) is kept, since there it may separate.
    """
    parts = text.split()
    if not parts:
        return ""
    out = parts[0]
    for part in parts[1:]:
        out = _join_words(out, part)
    return out


def _join_words(left: str, right: str) -> str:
    """Join two pieces of wrapped text: no space next to a Chinese character."""
    if not left or not right or _is_cjk(left[-1]) or _is_cjk(right[0]):
        return left + right
    return f"{left} {right}"


def is_measure_unit(text: str) -> bool:
    """A 绩效度量单位 cell: ``%``, ``人``, ``万元``, ``元/个/年`` …"""
    parts = squash(text).split("/")
    return all(p in _UNIT_ATOMS for p in parts)


def _level_name(text: str) -> tuple[int, str] | None:
    """(1, name) for a 一级指标, (2, canonical name) for a 二级指标, else None."""
    name = squash(text)
    if name in LEVEL1:
        return 1, name
    for candidate in (name, name.removesuffix("指标")):
        if candidate in LEVEL2_PARENT:
            return 2, candidate
    return None


@dataclass(frozen=True)
class _Cell:
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def _cells(line: Line) -> list[_Cell]:
    """The non-blank cells of a line with their offsets in ``line.text``."""
    cells: list[_Cell] = []
    cursor = 0
    for cell in line.cells:
        if not cell.text:
            continue
        start = line.text.find(cell.text, cursor)
        if start < 0:  # a PDF line whose text is not the cells joined: keep order only
            start = cursor
        cursor = start + len(cell.text)
        if cell.text not in _BLANK:
            cells.append(_Cell(cell.text, start))
    return cells


@dataclass
class _Layout:
    """What the header says about order: project figures, then indicator values."""

    project: list[str] = field(default_factory=lambda: ["exec", "amount"])
    values: list[str] = field(default_factory=lambda: ["target", "unit", "weight"])
    seen: bool = False

    def update(self, labels: list[str]) -> None:
        project: list[str] = []
        values: list[str] = []
        for label in labels:
            if "执行率" in label:
                project.append("exec")
            elif "批复" in label or label.endswith("预算数") or "金额" in label:
                project.append("amount")
            elif "指标值" in label:
                values.append("target")
            elif "单位" in label and "名称" not in label:
                values.append("unit")
            elif "权重" in label:
                values.append("weight")
        if project:
            self.project = project
        if values:
            self.values = values
        self.seen = self.seen or bool(project or values)


@dataclass
class _Actions:
    """Ledger marks of one line, applied spans first, then figures left to right.

    ``Ledger.figure`` marks the first open token equal to the text, so free text
    is spanned before figures are marked, and figures are marked in cell order.
    """

    spans: list[tuple[int, int, str]] = field(default_factory=list)
    marks: list[tuple[int, str, str, str]] = field(default_factory=list)  # start, kind, token, why

    def span(self, start: int, end: int, kind: str) -> None:
        self.spans.append((start, end, kind))

    def figure(self, cell: _Cell) -> None:
        self.marks.append((cell.start, "figure", cell.text, ""))

    def unread(self, cell: _Cell, reason: str) -> None:
        for match in NUMBER_RE.finditer(cell.text):
            self.marks.append((cell.start + match.start(), "unread", match.group(), reason))

    def apply(self, ledger: Ledger, line: Line) -> None:
        for start, end, kind in self.spans:
            ledger.span(line, start, end, kind)
        for _start, kind, token, reason in sorted(self.marks, key=lambda m: m[0]):
            if kind == "figure":
                ledger.figure(line, token)
            else:
                ledger.unread(line, token, reason)


@dataclass
class _Anchor:
    """A project cell: code and name, its figures, the goal text beside them."""

    line: Line
    page: int  # count of page headers seen before it
    code: str | None
    name: str
    figures: dict[str, Decimal]
    goal: list[tuple[int, str]]


@dataclass
class _Row:
    line: Line
    level1: str | None
    level2: str | None
    level3: str
    operator: str
    targets: list[str]
    unit: str
    weights: list[Decimal]


@dataclass
class _Run:
    rows: list[Indicator] = field(default_factory=list)
    current_weights: list[Decimal | None] = field(default_factory=list)
    first: int = 0
    last: int = 0


class _Reader:
    """Collects cells line by line, then rebuilds the projects once every line is seen.

    Matching needs the whole table: a project's cell can come before, inside or
    after its indicator rows, so nothing is assigned until :meth:`finish`.
    """

    def __init__(self, ledger: Ledger, file: str, unit: AmountUnit) -> None:
        self.ledger = ledger
        self.file = file
        self.unit = unit
        self.layout = _Layout()
        self.page = 0
        self.anchors: list[_Anchor] = []
        self.fragments: list[tuple[Line, _Cell]] = []
        self.units: list[tuple[Line, str]] = []
        self.rows: list[_Row] = []
        self.total: Decimal | None = None
        self.total_source: SourceRef | None = None
        self.notes: list[str] = []
        self.in_heading = False

    def where(self, line: Line) -> str:
        return str(line.ref(self.file))

    # -- lines -----------------------------------------------------------------

    def feed(self, line: Line) -> None:
        cells = _cells(line)
        if not cells:
            return
        actions = _Actions()
        text = squash(" ".join(c.text for c in cells))
        labels = [squash(c.text) for c in cells]
        heading = True
        if PAGE_MARKER_RE.match(line.text):
            actions.span(0, len(line.text), "page")
        elif len(cells) == 1 and "绩效目标表" in text:
            self._new_page()
            self._title(cells[0], actions)
        elif len(cells) == 1 and (unit := _UNIT_LINE.match(text)):
            self._new_page()
            if unit.group(1) != self.unit.value:
                self.notes.append(
                    f"{self.where(line)}: the table says 单位：{unit.group(1)}, but its figures "
                    f"are read in {self.unit.value} as the document's reader decided."
                )
        elif all(len(x) <= _HEADER_MAX and any(w in x for w in _HEADER_WORDS) for x in labels):
            self._new_page()
            self.layout.update(labels)
        else:
            heading = False
            if labels[0].startswith(_TOTAL_WORDS):
                self._total(cells, actions)
                if self.total is not None and self.total_source is None:
                    self.total_source = line.ref(self.file)
            else:
                self._data(line, cells, actions)
        self.in_heading = heading
        actions.apply(self.ledger, line)

    def _new_page(self) -> None:
        """Count page headings (title, unit, column header): a run of them is one page break."""
        if not self.in_heading:
            self.page += 1

    def _title(self, cell: _Cell, actions: _Actions) -> None:
        for match in NUMBER_RE.finditer(cell.text):
            start = cell.start + match.start()
            if cell.text[match.end() :].startswith("年"):
                actions.span(start, start + len(match.group()), "year")
            else:
                actions.unread(_Cell(match.group(), start), "number in the table's title")

    def _total(self, cells: list[_Cell], actions: _Actions) -> None:
        amounts = [c for c in cells if is_amount(c.text)]
        if len(amounts) == 1:
            self.total = _amount(amounts[0].text)
            actions.figure(amounts[0])
        else:
            for cell in amounts:
                actions.unread(cell, "合计 row with several figures: cannot tell which is 批复数")

    def _data(self, line: Line, cells: list[_Cell], actions: _Actions) -> None:
        op = next((i for i, c in enumerate(cells) if squash(c.text) in OPERATORS), None)
        if op is None:
            if any(_level_name(c.text) for c in cells):
                for cell in cells:
                    actions.unread(cell, "indicator row without an operator (绩效指标性质)")
                return
            self._project_part(line, cells, actions)
            return
        # backwards from the operator: 三级, then 二级 and 一级 where printed
        at = op - 1
        level3 = None
        if at >= 0 and _level_name(cells[at].text) is None:
            level3 = cells[at]
            at -= 1
        level1 = level2 = None
        named = _level_name(cells[at].text) if at >= 0 else None
        if named and named[0] == 2:
            level2 = named[1]
            at -= 1
            named = _level_name(cells[at].text) if at >= 0 else None
        if named and named[0] == 1:
            level1 = named[1]
            at -= 1
            if (
                level2 is None
                and level1 == "成本指标"
                and at >= 0
                and (_level_name(cells[at].text) == (1, "产出指标"))
            ):
                # the pre-2021 template: 成本指标 is a 二级指标 under 产出指标
                level1, level2 = "产出指标", "成本指标"
                at -= 1
        self._project_part(line, cells[: at + 1], actions)
        if level3 is not None:
            actions.span(level3.start, level3.end, "indicator name (三级指标)")
        targets, unit, weights = self._values(cells[op + 1 :], actions)
        self.rows.append(
            _Row(
                line,
                level1,
                level2,
                squash(level3.text) if level3 else "",
                OPERATORS[squash(cells[op].text)],
                targets,
                unit,
                weights,
            )
        )

    def _values(
        self, cells: list[_Cell], actions: _Actions
    ) -> tuple[list[str], str, list[Decimal]]:
        """Targets, unit and weights of an indicator row, by type and header order.

        The unit cell is recognised by what it is and splits the row where the
        header puts 度量单位; the cells on each side fill the header's columns in
        order (指标值, 本年指标值 | 权重, 本年权重). Without a unit cell the numbers
        fill the columns only where their count leaves no doubt.
        """
        slots = self.layout.values
        unit_at = next(
            (i for i, c in enumerate(cells) if not is_amount(c.text) and is_measure_unit(c.text)),
            None,
        )
        if unit_at is None:
            groups = [(cells, [s for s in slots if s != "unit"])]
            unit = ""
        else:
            cut = slots.index("unit") if "unit" in slots else len(slots)
            groups = [(cells[:unit_at], slots[:cut]), (cells[unit_at + 1 :], slots[cut + 1 :])]
            unit = squash(cells[unit_at].text)
        targets: list[str] = []
        weights: list[Decimal] = []
        for group, group_slots in groups:
            doubtful = unit_at is None and len(group) != len(group_slots)
            for index, cell in enumerate(group):
                slot = group_slots[index] if index < len(group_slots) else None
                number = is_amount(cell.text)
                if doubtful and number:
                    actions.unread(cell, "no 度量单位 cell: cannot tell the target from the weight")
                elif (doubtful or slot == "target") and not number:
                    targets.append(squash(cell.text))
                    actions.span(cell.start, cell.end, "qualitative target (定性)")
                elif slot == "target":
                    targets.append(cell.text)
                    actions.figure(cell)
                elif slot == "weight" and number:
                    weights.append(_amount(cell.text))
                    actions.figure(cell)
                else:
                    actions.unread(cell, f"'{cell.text}' does not fit the header's value columns")
        return targets, unit, weights

    def _project_part(self, line: Line, cells: list[_Cell], actions: _Actions) -> None:
        """Unit cell, project cell with its figures and goal, or a stray goal fragment."""
        code: str | None = None
        name: list[str] = []
        numbers: list[_Cell] = []
        goal: list[_Cell] = []
        loose: list[_Cell] = []
        for cell in cells:
            coded = _PROJECT_CODE.match(cell.text)
            if coded and not is_amount(cell.text):
                split = cell.start + len(coded.group(1))
                actions.span(cell.start, split, "code")
                actions.span(split, cell.end, "project name")
                if len(coded.group(1)) <= _UNIT_CODE_MAX and coded.group(1).isdigit():
                    self.units.append((line, squash(cell.text)))
                else:
                    code = coded.group(1)
                    name.append(squash(coded.group(2)))
            elif is_amount(cell.text):
                numbers.append(cell)
            elif numbers:
                goal.append(cell)
            else:
                loose.append(cell)
        for cell in goal + (loose if code or numbers else []):
            actions.span(cell.start, cell.end, "project goal (绩效目标) or name")
        if code is None and not numbers:
            self.fragments.extend((line, c) for c in loose)
            return
        figures: dict[str, Decimal] = {}
        if len(numbers) == len(self.layout.project):
            for key, cell in zip(self.layout.project, numbers, strict=True):
                figures[key] = _amount(cell.text)
                actions.figure(cell)
        else:
            for cell in numbers:
                actions.unread(
                    cell,
                    f"project cell with {len(numbers)} figures where the header has "
                    f"{len(self.layout.project)} (预算执行率权重, 批复数)",
                )
        self.anchors.append(
            _Anchor(
                line,
                self.page,
                code,
                squash(" ".join(name + [c.text for c in loose])),
                figures,
                [(line.number, squash(" ".join(c.text for c in goal)))] if goal else [],
            )
        )

    # -- table -----------------------------------------------------------------

    def finish(self, source: SourceRef) -> PerformanceTable:
        if not self.layout.seen:
            self.notes.append(
                "No header found: project figures read as 预算执行率权重 then 批复数, "
                "indicator values as 指标值, 度量单位, 权重."
            )
        anchors = self._merge_continued(self.anchors)
        runs = self._runs()
        if len(anchors) != len(runs):
            self.notes.append(
                f"{len(anchors)} project cells but {len(runs)} runs of indicators: matched in "
                "order, so projects after the first mismatch may carry the wrong indicators."
            )
        projects: list[Project] = []
        pairs: list[tuple[_Anchor | None, _Run | None]] = [
            (anchors[i] if i < len(anchors) else None, runs[i] if i < len(runs) else None)
            for i in range(max(len(anchors), len(runs)))
        ]
        for anchor, run in pairs:
            if anchor is not None:
                projects.append(self._project(anchor, run))
            elif run is not None:
                projects.append(self._orphan(run, source))
        self._place_fragments(pairs)
        self._place_units(projects)
        for (anchor, run), project in zip(pairs, projects, strict=True):
            if anchor is not None:
                project.goal = self._goal(anchor, project)
            if run is not None:
                self._check_weights(project, run)
        return PerformanceTable(
            unit=self.unit,
            source=source,
            projects=projects,
            stated_total=self.total,
            reader_notes=self.notes,
            total_source=self.total_source,
        )

    def _merge_continued(self, anchors: list[_Anchor]) -> list[_Anchor]:
        """Join a project cell that a page break split in two.

        The second part has no code (or the same one) and repeats the figures,
        after a page header: the same merged cell, shown on both pages.
        """
        merged: list[_Anchor] = []
        for anchor in anchors:
            previous = merged[-1] if merged else None
            if (
                previous is not None
                and anchor.code in (None, previous.code)
                and anchor.page > previous.page
                and anchor.figures == previous.figures
            ):
                if anchor.name and anchor.name != previous.name:
                    joined = _join_overlapping(previous.name, anchor.name)
                    self.notes.append(
                        f"{_label(previous.code, previous.name)}: the project cell continues on "
                        f"{self.where(anchor.line)} after the page break, repeating its figures "
                        f"and adding the name text '{anchor.name}'; read as one project named "
                        f"'{joined}'."
                    )
                    previous.name = joined
                previous.goal.extend(anchor.goal)
                continue
            merged.append(anchor)
        return merged

    def _runs(self) -> list[_Run]:
        """Cut the indicator rows into one run per project: an 一级指标 seen again starts one."""
        runs: list[_Run] = []
        seen: set[str] = set()
        level1: str | None = None
        level2: str | None = None
        for row in self.rows:
            implied = LEVEL2_PARENT.get(row.level2) if row.level2 else None
            if row.level2 == "成本指标":
                implied = "产出指标"
            resolved = row.level1
            if resolved is None and implied is not None and implied != level1:
                if level1 is not None:
                    self.notes.append(
                        f"{self.where(row.line)}: no 一级指标 printed and the one above is "
                        f"{level1}; {row.level2} belongs to {implied}, so read as {implied}."
                    )
                resolved = implied
            elif resolved is not None and implied is not None and implied != resolved:
                self.notes.append(
                    f"{self.where(row.line)}: 二级指标 {row.level2} printed under {resolved}; "
                    "kept as printed."
                )
            resolved = resolved or level1
            if not runs or (resolved != level1 and resolved in seen):
                runs.append(_Run(first=row.line.number))
                seen = set()
            if resolved != level1:
                level2 = None
            level1 = resolved
            level2 = row.level2 or level2
            if level1 is not None:
                seen.add(level1)
            run = runs[-1]
            run.last = row.line.number
            self._indicator(run, row, level1 or "", level2 or "")
        return runs

    def _indicator(self, run: _Run, row: _Row, level1: str, level2: str) -> None:
        where = self.where(row.line)
        target = row.targets[0] if row.targets else ""
        if len(set(row.targets)) > 1 and not _same_numbers(row.targets):
            self.notes.append(
                f"{where}: 绩效指标值 {row.targets[0]} but 本年绩效指标值 {row.targets[1]} for "
                f"'{row.level3}'; the first is kept."
            )
        weight = row.weights[0] if row.weights else None
        current = row.weights[1] if len(row.weights) > 1 else weight
        if weight is None or current is None:
            self.notes.append(f"{where}: no weight printed for '{row.level3}'.")
        elif current != weight:
            self.notes.append(
                f"{where}: 权重 {_plain(weight)} but 本年权重 {_plain(current)} for "
                f"'{row.level3}'; both are kept."
            )
        run.rows.append(
            Indicator(
                level1=level1,
                level2=level2,
                level3=row.level3,
                operator=row.operator,
                target=target,
                unit=row.unit,
                weight=weight,
                source=row.line.ref(self.file),
                target_value=_amount(target) if is_amount(target) else None,
                current_weight=row.weights[1] if len(row.weights) > 1 else None,
            )
        )
        run.current_weights.append(current)

    def _orphan(self, run: _Run, source: SourceRef) -> Project:
        """Indicators left over when there are more runs than project cells."""
        self.notes.append(
            f"Indicators on lines {run.first}–{run.last} have no project cell left to match; "
            "kept under a project without code or name."
        )
        return Project(None, "", None, None, "", source, indicators=run.rows)

    def _project(self, anchor: _Anchor, run: _Run | None) -> Project:
        project = Project(
            code=anchor.code,
            name=anchor.name,
            amount=anchor.figures.get("amount"),
            execution_weight=anchor.figures.get("exec"),
            goal="",
            source=anchor.line.ref(self.file),
            indicators=run.rows if run else [],
        )
        if run is None:
            self.notes.append(f"{_label(project.code, project.name)}: no indicators left to match.")
        elif not run.first <= anchor.line.number <= run.last:
            self.notes.append(
                f"{_label(project.code, project.name)}: code, name and figures are printed on "
                f"{self.where(anchor.line)}, outside its indicator rows (lines {run.first}–"
                f"{run.last}); matched by order."
            )
        return project

    def _place_fragments(self, pairs: list[tuple[_Anchor | None, _Run | None]]) -> None:
        """Goal text printed alone goes to the project whose indicator lines contain it."""
        for line, cell in self.fragments:
            owner = next(
                (
                    anchor
                    for anchor, run in pairs
                    if anchor and run and run.first <= line.number <= run.last
                ),
                None,
            )
            if owner is None:
                reason = "goal text outside every project's rows: cannot tell whose it is"
                for match in NUMBER_RE.finditer(cell.text):
                    self.ledger.unread(line, match.group(), reason)
                self.notes.append(f"{self.where(line)}: {reason}: '{squash(cell.text)}'.")
                continue
            self.ledger.span(line, cell.start, cell.end, "project goal (绩效目标)")
            owner.goal.append((line.number, squash(cell.text)))

    def _place_units(self, projects: list[Project]) -> None:
        """The 单位名称 cell is merged over all its projects; one unit covers them all."""
        names = sorted({name for _line, name in self.units})
        if len(names) == 1:
            for project in projects:
                project.unit_name = names[0]
            if len(projects) > 1:
                lines = ", ".join(str(line.number) for line, _name in self.units)
                self.notes.append(
                    f"单位名称 '{names[0]}' is printed once for the table (line {lines}) and "
                    "applies to all its projects."
                )
        elif names:
            self.notes.append(
                f"{len(names)} 单位名称 cells ({'; '.join(names)}): which projects belong to "
                "which unit cannot be told from the layout; unit left empty."
            )

    def _goal(self, anchor: _Anchor, project: Project) -> str:
        parts = sorted(anchor.goal)
        text = ""
        overlaps: list[str] = []
        for _number, part in parts:
            joined = _join_overlapping(text, part)
            if len(joined) < len(text) + len(part):
                overlaps.append(part[: len(text) + len(part) - len(joined)])
            text = joined
        if len(parts) > 1:
            lines = ", ".join(str(n) for n, _ in parts)
            note = f"{_label(project.code, project.name)}: goal text joined from lines {lines}"
            if overlaps:
                note += "; words shown on both sides of the page break kept once: " + ", ".join(
                    f"'{o}'" for o in overlaps
                )
            self.notes.append(note + ".")
        return text

    def _check_weights(self, project: Project, run: _Run) -> None:
        """预算执行率权重 + Σ indicator weights must be 100; say so where it is not."""
        label = _label(project.code, project.name)
        weights = [i.weight for i in project.indicators if i.weight is not None]
        if project.execution_weight is None or len(weights) < len(project.indicators):
            missing = len(project.indicators) - len(weights)
            self.notes.append(
                f"{label}: {missing} indicator weight(s) and "
                f"{'no' if project.execution_weight is None else 'a'} 预算执行率权重 printed, "
                "so whether the weights reach 100 cannot be checked."
            )
            return
        total = project.execution_weight + sum(weights, Decimal(0))
        if total == _HUNDRED:
            return
        note = (
            f"{label}: 预算执行率权重 {_plain(project.execution_weight)} + indicator weights "
            f"{_plain(total - project.execution_weight)} = {_plain(total)}, not 100"
        )
        current = [w for w in run.current_weights if w is not None]
        if len(current) == len(run.current_weights):
            other = project.execution_weight + sum(current, Decimal(0))
            if other != total:
                note += f"; with the 本年权重 column instead the sum is {_plain(other)}"
        self.notes.append(note + ".")


def _amount(text: str) -> Decimal:
    """A cell already known to be an amount (``is_amount``), as Decimal."""
    return Decimal(text.strip().replace(" ", "").replace(",", ""))


def _same_numbers(values: list[str]) -> bool:
    return all(is_amount(v) for v in values) and len({_amount(v) for v in values}) == 1


def _plain(value: Decimal) -> str:
    """A weight as a reader writes it: 10, not 10.00."""
    return f"{value.normalize():f}"


def _label(code: str | None, name: str) -> str:
    return f"{code} {name}" if code else name or "(unnamed project)"


def _join_overlapping(left: str, right: str) -> str:
    """Join two parts of one cell; text repeated across a page break is kept once."""
    for size in range(min(len(left), len(right)), _MIN_OVERLAP - 1, -1):
        if left.endswith(right[:size]):
            return left + right[size:]
    return _join_words(left, right)


def read_performance(
    lines: list[Line], ledger: Ledger, file: str, *, unit: AmountUnit
) -> PerformanceTable:
    """Read the 项目支出绩效目标表 from its lines (title up to the next section).

    Every numeric token of ``lines`` ends up marked in ``ledger``: figures read
    into the model, codes and numbers inside kept text as structural, the rest
    unread with the reason.
    """
    reader = _Reader(ledger, file, unit)
    for line in lines:
        reader.feed(line)
    source = lines[0].ref(file) if lines else SourceRef(file, 0)
    table = reader.finish(source)
    for line in lines:
        for token in ledger.open_tokens(line):
            ledger.unread(line, token, "performance table: not recognised as figure, code or text")
    return table
