"""The typed model of one budget disclosure (部门预算, 单位预算 or 部门决算).

Every reader (text export, PDF) produces a :class:`Disclosure`; every later stage
(RDF conversion, validation, the web pages) reads only this model. Nothing here
knows about RDF, HTTP or the file format a figure came from.

Amounts are kept exactly as printed, as :class:`~decimal.Decimal` in the unit of
their table (``万元`` or ``元``); :func:`to_yuan` normalises. Every figure carries
the :class:`SourceRef` of the line it was read from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class DocumentKind(StrEnum):
    """What the document discloses; the cover says which."""

    DEPARTMENT_BUDGET = "部门预算"
    UNIT_BUDGET = "单位预算"
    DEPARTMENT_FINAL = "部门决算"
    UNIT_FINAL = "单位决算"
    #: A 三公经费 publication of its own: the 三公 table, its 情况说明, or both.
    THREE_PUBLIC_BUDGET = "三公经费预算"
    THREE_PUBLIC_FINAL = "三公经费决算"

    @property
    def is_final(self) -> bool:
        return self in (DocumentKind.DEPARTMENT_FINAL, DocumentKind.UNIT_FINAL,
                        DocumentKind.THREE_PUBLIC_FINAL)

    @property
    def is_three_public(self) -> bool:
        """A publication of the 三公 figures only: no other standard table is expected."""
        return self in (DocumentKind.THREE_PUBLIC_BUDGET, DocumentKind.THREE_PUBLIC_FINAL)


class Phase(StrEnum):
    """Budget phase of a figure (OpenBudgets.eu's budgetPhase: draft/revised/executed)."""

    BUDGET = "预算"
    ADJUSTED = "调整预算"
    FINAL = "决算"


class TableKind(StrEnum):
    """The standard tables of the national template, recognised by meaning.

    The value is the short canonical title; printed titles vary by region and
    year (部门财务收支预算总表, 收入支出决算总表, …) and are kept in
    :attr:`Table.title`.
    """

    SUMMARY = "收支总表"
    INCOME = "收入总表"
    EXPENDITURE = "支出总表"
    FISCAL_SUMMARY = "财政拨款收支总表"
    GENERAL_PUBLIC = "一般公共预算支出表"
    GENERAL_PUBLIC_BASIC = "一般公共预算基本支出表"
    THREE_PUBLIC = "一般公共预算“三公”经费支出表"
    GOVERNMENT_FUND = "政府性基金预算支出表"
    STATE_CAPITAL = "国有资本经营预算支出表"
    FISCAL_GRANT_EXPENDITURE = "财政拨款支出表"
    #: Provinces' own tables beside the template's (Jiangsu prints both): basic
    #: expenditure of all fiscal grants, and 机关运行经费, each by economic code.
    FISCAL_GRANT_BASIC = "财政拨款基本支出表"
    OPERATING_COSTS = "机关运行经费支出表"
    #: the purchases the budget plans, as a tree (category → project → item)
    PROCUREMENT = "政府采购预算表"
    PERFORMANCE = "项目支出绩效目标表"

    @property
    def has_economic_rows(self) -> bool:
        """Rows are economic classification codes (30101 基本工资), not functional ones."""
        return self in (TableKind.GENERAL_PUBLIC_BASIC, TableKind.FISCAL_GRANT_BASIC,
                        TableKind.OPERATING_COSTS)


class AmountUnit(StrEnum):
    WAN_YUAN = "万元"
    YUAN = "元"

    @property
    def factor(self) -> Decimal:
        return Decimal(10000) if self is AmountUnit.WAN_YUAN else Decimal(1)


def to_yuan(value: Decimal, unit: AmountUnit) -> Decimal:
    """Normalise an amount to yuan, exactly (no binary floats anywhere)."""
    return value * unit.factor


@dataclass(frozen=True, order=True)
class SourceRef:
    """Where a figure or fact was read: file, 1-based line, and page when known.

    For text exports ``line`` is the line of the file; for PDFs it is the line
    of the page's extraction and ``page`` the 1-based page number.
    """

    file: str
    line: int
    page: int | None = None

    def __str__(self) -> str:
        if self.page is None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:p{self.page}:{self.line}"


@dataclass(frozen=True)
class Column:
    """One value column of a table, keyed by what its header means.

    ``key`` is the canonical meaning (合计, 基本支出, 项目支出, 人员经费,
    一般公共预算, 预算数, 年初预算数, 决算数 …); ``label`` the header as printed
    (its fragments joined); ``year`` the fiscal year the column's figures are for
    when the header says (上年 → year − 1); ``phase`` 预算, 调整预算 or 决算.
    Keys are unique within a table (within a side, for two-sided tables): where a
    header repeats for two periods
    (the 三公 table's 上年/本年 groups) the key carries the period, e.g.
    ``上年:合计``.
    """

    key: str
    label: str
    phase: Phase = Phase.BUDGET
    year: int | None = None
    #: For two-sided tables (收支总表): "收入" or "支出", the half the column belongs to.
    side: str | None = None


@dataclass
class Row:
    """One row of a table.

    ``code`` is the classification code normalised to digits (``2080109``; split
    类/款/项 columns joined), ``None`` for total and unnamed rows. ``level`` is 1
    for 类, 2 for 款, 3 for 项, 0 for a total row, ``None`` when the row has no
    code. ``side`` separates the two halves of two-sided tables (收入 / 支出).
    Values are in the table's unit; ``None`` is a blank cell.
    """

    name: str
    values: dict[str, Decimal | None]
    source: SourceRef
    code: str | None = None
    level: int | None = None
    side: str | None = None
    is_total: bool = False
    #: Column keys whose figure's place is uncertain: the source lost the blank
    #: cells and more than one placement satisfies the table's identities.
    ambiguous: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Note:
    """A printed note (注：…) with its line."""

    text: str
    source: SourceRef

    @property
    def states_empty(self) -> bool:
        """True where the note says the table has no data: an explicit zero.

        A note that describes the table (``注：本表反映…``) is not a statement of
        zero, whatever words it uses.
        """
        body = self.text.split("：", 1)[-1].split(":", 1)[-1].strip()
        if body.startswith("本表反映"):
            return False
        return any(w in self.text for w in ("无数据", "空表", "没有", "无“", "无\""))


@dataclass
class Table:
    """One table of the disclosure, whatever its printed number or title."""

    kind: TableKind
    title: str
    unit: AmountUnit
    columns: list[Column]
    rows: list[Row]
    source: SourceRef
    number: int | None = None
    notes: list[Note] = field(default_factory=list)
    #: Remarks of the reader about how it read the table (e.g. an inferred
    #: column order); shown in reports, never silent.
    reader_notes: list[str] = field(default_factory=list)

    @property
    def states_empty(self) -> bool:
        """The table carries a note saying it has no data (a statement of zero)."""
        return any(n.states_empty for n in self.notes)

    def row(self, code: str) -> Row | None:
        return next((r for r in self.rows if r.code == code), None)

    def total_row(self, side: str | None = None) -> Row | None:
        return next((r for r in self.rows if r.is_total and r.side == side), None)

    def column(self, key: str, side: str | None = None) -> Column | None:
        return next((c for c in self.columns if c.key == key and c.side == side), None)


@dataclass
class Statement:
    """One figure-bearing statement of the narrative (情况说明).

    ``topic`` says what the figure is about in canonical words (收入预算,
    支出预算, 基本支出, 项目支出, 财政拨款收支, 一般公共预算拨款, 三公经费,
    因公出国(境)费, 公务用车购置及运行费, 公务接待费, 机关运行经费, 政府采购,
    车辆, 设备, 绩效目标, 人员经费, 公用经费, 功能科目 …); ``code`` the
    functional or economic code where the sentence names one.

    ``change`` and ``growth_rate`` are signed (减少/下降 negative); ``previous``
    is last year's figure, stated (上年执行数) or derived as value − change
    (``previous_derived``). ``share`` is a stated percentage (占46.13%).
    """

    topic: str
    text: str
    source: SourceRef
    value: Decimal | None = None
    unit: str = "万元"
    code: str | None = None
    share: Decimal | None = None
    change: Decimal | None = None
    growth_rate: Decimal | None = None
    previous: Decimal | None = None
    previous_derived: bool = False
    count: int | None = None


@dataclass
class Indicator:
    """A performance indicator of a project (绩效指标)."""

    level1: str
    level2: str
    level3: str
    operator: str  # ≥ ≤ = 定性 (and > < where printed)
    target: str  # as printed: "100", "逐步上升"
    unit: str
    weight: Decimal | None
    source: SourceRef
    target_value: Decimal | None = None
    #: 本年权重, where the table prints it beside 权重: the weight for the budget
    #: year itself. The two columns normally repeat each other.
    current_weight: Decimal | None = None


@dataclass
class Project:
    """A project of the performance-target table (项目支出绩效目标表)."""

    code: str | None
    name: str
    amount: Decimal | None  # 批复数, in the table's unit
    execution_weight: Decimal | None  # 预算执行率权重 (%)
    goal: str
    source: SourceRef
    indicators: list[Indicator] = field(default_factory=list)
    unit_name: str | None = None
    functional_code: str | None = None


@dataclass
class PerformanceTable:
    unit: AmountUnit
    source: SourceRef
    projects: list[Project] = field(default_factory=list)
    stated_total: Decimal | None = None
    reader_notes: list[str] = field(default_factory=list)
    #: The line of the 合计 row that states ``stated_total``.
    total_source: SourceRef | None = None


@dataclass
class Profile:
    """第一部分 部门概况."""

    functions: list[str] = field(default_factory=list)
    offices: list[str] = field(default_factory=list)
    budget_units: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    definition: str
    source: SourceRef


@dataclass(frozen=True)
class Token:
    """A numeric token of the source, for the coverage account."""

    text: str
    source: SourceRef
    column: int  # character offset in the line


@dataclass(frozen=True)
class Unread:
    """A numeric token not read into the model, and why."""

    token: Token
    reason: str


@dataclass(frozen=True)
class NonFigure:
    """A numeric token that is not a figure, and what it is instead (its reason: a
    year, a code, a row number (行次), a page marker …).

    Listed one by one, with its line, so that a reader can check every claim that a
    number is not an amount: a count by kind would hide an amount taken for a code.
    """

    token: Token
    reason: str


@dataclass
class Coverage:
    """Every numeric token of the source: consumed as a figure, structural, or unread.

    ``structural`` tokens are numbers that are not figures (years, dates, list
    numbers, page markers, classification codes read as codes): ``structural``
    counts them by kind, for a short summary; ``non_figures`` lists each with its
    line and kind, so that none is hidden in a count.
    """

    figures_total: int = 0
    figures_consumed: int = 0
    structural: dict[str, int] = field(default_factory=dict)
    unread: list[Unread] = field(default_factory=list)
    non_figures: list[NonFigure] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.figures_consumed / self.figures_total if self.figures_total else 1.0


@dataclass
class Disclosure:
    """One published document."""

    source_file: str
    kind: DocumentKind
    year: int
    department: str
    region: str | None = None
    region_code: str | None = None  # GB/T 2260, 6 digits
    department_code: str | None = None
    unit: str | None = None  # for 单位预算: the budget unit
    unit_code: str | None = None
    profile: Profile = field(default_factory=Profile)
    tables: list[Table] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    performance: PerformanceTable | None = None
    glossary: list[GlossaryEntry] = field(default_factory=list)
    coverage: Coverage = field(default_factory=Coverage)
    warnings: list[str] = field(default_factory=list)

    def table(self, kind: TableKind) -> Table | None:
        return next((t for t in self.tables if t.kind == kind), None)

    @property
    def phase(self) -> Phase:
        return Phase.FINAL if self.kind.is_final else Phase.BUDGET
