"""Put each figure of a row in its column, by the identities the table satisfies.

Text without cell positions (pdftotext, pdfplumber, a portal's export, one cell
per line) drops blank cells: ``2080501 行政单位离退休 1,554,220.00 1,554,220.00``
under 合计 | 基本支出 | 项目支出 is 合计 and *one* of the two others. The figures
keep their printed order, so each row has a few possible placements (which
columns are blank), and the table's identities choose between them:

* **row identities** (:class:`Rule`): 合计 = 基本支出 + 项目支出 (+ the other
  expenditure columns), 合计 = 人员经费 + 公用经费, 三公 合计 = 出国 + 公务用车 +
  接待 and 公务用车 = 购置 + 运行, 年初结转 + 本年收入 = 本年支出 + 年末结转;
* **column identities** (:class:`Group`): a parent code equals the sum of its
  children in every column, the total row the sum of the top-level rows.

:func:`place` searches the placements of all rows together and keeps those that
break the fewest identities (a break within the rounding of the printed figures
counts for little, a real break for much). Where several such placements
disagree about a cell, the cell is *ambiguous*: the figure is kept, in the place
the first of them gives, and the caller says so in a reader note. The reader
never guesses silently.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal

#: What breaking an identity costs in the search: within the rounding of the
#: printed figures (a cent either way) a little, anything else a lot; a cell
#: other than another table or the narrative says, in between.
ROUNDING_COST = 1
EVIDENCE_COST = 3
BREAK_COST = 100
#: Placements kept to judge ambiguity, and the search's budget of steps: beyond
#: it the best placement found so far is kept and the caller is told.
MAX_SOLUTIONS = 32
MAX_STEPS = 5_000
#: The cost ceilings of the successive searches: exact first, then roundings,
#: then one break, two …
_CEILINGS = (0, 4, 16, 100, 116, 200, 300, 500, 1000, 10**12)


@dataclass(frozen=True)
class Rule:
    """A row identity: Σ ``left`` = Σ ``right`` over one row's cells (blank = 0)."""

    left: tuple[str, ...]
    right: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    """A column identity: row ``parent`` = Σ rows ``children``, in every column."""

    parent: int
    children: tuple[int, ...]


@dataclass
class Draft:
    """One row as read: its figures in printed order, and the columns it may use.

    ``fixed`` gives the column of each figure where the source says (a reader
    that has positions); otherwise any order-keeping choice of ``columns`` is a
    candidate. ``expected`` is what another table or the narrative says some
    cells hold (0 for a blank): a placement that disagrees costs a little, less
    than any break of the table's own identities.

    ``runs`` splits the figures into runs printed on separate lines (their lengths,
    in printed order): each run keeps the columns' order, but the runs may
    interleave. An extractor that cuts a tall row at its baselines prints the cells
    set higher on one line and the others on the next (``1,503.52 603.14`` above
    ``201 2,106.66``, whose 合计 is 2,106.66), so which run comes first in the
    columns is the identities' to say, not the lines'.
    """

    figures: list[Decimal]
    columns: list[str]
    fixed: list[str] | None = None
    expected: dict[str, Decimal] = field(default_factory=dict)
    runs: list[int] | None = None


@dataclass
class Placement:
    """The chosen column of each figure of each draft, and what stays uncertain."""

    places: list[list[str]]
    #: per draft: the columns whose figure another equally good placement puts elsewhere
    ambiguous: list[set[str]]
    #: the cost of the chosen placement: 0 where every identity holds exactly
    cost: int
    #: the search ran out of steps: the placement is the best found, not proven best
    cut_short: bool = False
    #: identities broken by the chosen placement, for the reader's notes
    broken: list[str] = field(default_factory=list)


def place(drafts: list[Draft], rules: list[Rule], groups: list[Group], *,
          unit: Decimal, limit: int | None = None, steps: int = MAX_STEPS) -> Placement:
    """The placement of every draft's figures that breaks the fewest identities.

    ``unit`` is the last printed decimal (0.01 for figures printed with two
    decimals): a difference within the rounding of the figures summed is a
    rounding, not a break. ``limit`` is the highest cost worth finding (the
    caller has a placement as good elsewhere): above it the search gives up,
    and the placement returned costs more than ``limit``. ``steps`` bounds the
    search's work (a misread table can have very many placements, none good).
    """
    options = [candidates(d, rules, unit) for d in drafts]
    search = _Search(drafts, options, groups, unit, steps)
    search.run(limit)
    best = search.solutions[0] if search.solutions else [c[0][1] for c in options]
    ambiguous: list[set[str]] = []
    for index in range(len(drafts)):
        differing: set[str] = set()
        chosen = _cells(drafts[index], best[index])
        for solution in search.solutions[1:]:
            other = _cells(drafts[index], solution[index])
            differing |= {k for k in chosen.keys() | other.keys() if chosen.get(k) != other.get(k)}
        ambiguous.append(differing)
    cost = search.best_cost if search.solutions else _CEILINGS[-1]
    placement = Placement(best, ambiguous, cost, cut_short=search.steps >= steps)
    placement.broken = _broken(drafts, best, rules, groups, unit)
    return placement


def _cells(draft: Draft, places: list[str]) -> dict[str, Decimal]:
    return dict(zip(places, draft.figures, strict=True))


def _row_cost(cells: dict[str, Decimal], rules: list[Rule], unit: Decimal) -> int:
    cost = 0
    for rule in rules:
        if not any(k in cells for k in rule.left + rule.right):
            continue
        left = sum((cells.get(k, Decimal(0)) for k in rule.left), Decimal(0))
        right = sum((cells.get(k, Decimal(0)) for k in rule.right), Decimal(0))
        cost += _difference_cost(left - right, len(rule.left) + len(rule.right), unit)
    return cost


def _difference_cost(difference: Decimal, terms: int, unit: Decimal) -> int:
    if difference == 0:
        return 0
    if abs(difference) <= unit * max(1, terms - 1):
        return ROUNDING_COST
    return BREAK_COST


def candidates(draft: Draft, rules: list[Rule], unit: Decimal) -> list[tuple[int, list[str]]]:
    """Every order-keeping placement of the draft's figures, cheapest first."""
    if draft.fixed is not None:
        places = [draft.fixed]
    elif len(draft.figures) > len(draft.columns):
        places = [draft.columns[: len(draft.figures)]]  # the caller reports the excess
    elif draft.runs is not None and len(draft.runs) > 1:
        places = [[draft.columns[i] for i in chosen]
                  for chosen in _interleavings(len(draft.columns), draft.runs)]
        places.sort(key=lambda p: [draft.columns.index(k) for k in p])  # printed order first
    else:
        places = [[draft.columns[i] for i in chosen]
                  for chosen in itertools.combinations(range(len(draft.columns)),
                                                       len(draft.figures))]
    scored = [(_row_cost(_cells(draft, p), rules, unit) + _evidence_cost(draft, p), p)
              for p in places]
    scored.sort(key=lambda item: item[0])  # stable: leftmost placements first among equals
    return scored


def _interleavings(width: int, runs: list[int]) -> list[tuple[int, ...]]:
    """Column indexes for figures printed in ``runs``: increasing within each run, the
    runs drawn from the columns the runs before left free."""
    out: list[tuple[int, ...]] = [()]
    for size in runs:
        out = [taken + chosen for taken in out
               for chosen in itertools.combinations(
                   [i for i in range(width) if i not in taken], size)]
    return out


def _evidence_cost(draft: Draft, places: list[str]) -> int:
    cells = _cells(draft, places)
    return EVIDENCE_COST * sum(1 for key, value in draft.expected.items()
                               if cells.get(key, Decimal(0)) != value)


class _Search:
    """Branch and bound over the rows' candidates, keeping every cheapest placement.

    Rows are decided in table order, total rows first, so that a parent is
    known before its children: then a column of children whose partial sum
    already exceeds the parent's figure is cut off before the rest of the group
    is tried (for figures that are not negative).
    """

    def __init__(self, drafts: list[Draft], candidates: list[list[tuple[int, list[str]]]],
                 groups: list[Group], unit: Decimal, steps: int) -> None:
        self.max_steps = steps
        self.drafts = drafts
        self.candidates = candidates
        self.groups = groups
        self.unit = unit
        parents = {g.parent for g in groups}
        children = {c for g in groups for c in g.children}
        roots = [i for i in parents if i not in children]
        self.order = roots + [i for i in range(len(drafts)) if i not in roots]
        position = {row: n for n, row in enumerate(self.order)}
        #: the groups whose rows are all decided once the row at that step is
        self.closing: dict[int, list[Group]] = {}
        for group in groups:
            last = max(position[r] for r in (group.parent, *group.children))
            self.closing.setdefault(last, []).append(group)
        self.member_of: dict[int, list[Group]] = {}
        for group in groups:
            for child in group.children:
                self.member_of.setdefault(child, []).append(group)
        self.negative = any(f < 0 for d in drafts for f in d.figures)
        self.solutions: list[list[list[str]]] = []
        self.best_cost = 10**12
        self.steps = 0
        self.chosen: list[list[str] | None] = [None] * len(drafts)

    def run(self, limit: int | None) -> None:
        """Search with a rising ceiling on the cost: a placement that keeps every
        identity is found without trying the many that break some.

        Each row's cheapest placement taken alone is the fallback: the search
        only looks for placements cheaper than that, and keeps it where it
        finds none (or runs out of steps).
        """
        greedy = [c[0][1] for c in self.candidates]
        self.chosen = list(greedy)
        greedy_cost = sum(c[0][0] for c in self.candidates) + sum(
            self._group_cost(group) for group in self.groups)
        self.chosen = [None] * len(self.drafts)
        for ceiling in sorted({c for c in _CEILINGS if c < greedy_cost} | {greedy_cost}):
            if limit is not None and ceiling > limit:
                break
            self.best_cost, self.solutions = ceiling, []
            self._step(0, 0)
            if self.solutions or self.steps >= self.max_steps:
                break
        if not self.solutions and (limit is None or greedy_cost <= limit):
            self.best_cost, self.solutions = greedy_cost, [greedy]

    def _step(self, depth: int, cost: int) -> None:
        self.steps += 1
        if self.steps >= self.max_steps:
            return
        if depth == len(self.order):
            if cost < self.best_cost or not self.solutions:
                self.best_cost, self.solutions = cost, []
            if len(self.solutions) < MAX_SOLUTIONS:
                self.solutions.append([list(c or []) for c in self.chosen])
            return
        row = self.order[depth]
        for row_cost, places in self.candidates[row]:
            if cost + row_cost > self.best_cost:
                break  # candidates are sorted by cost
            self.chosen[row] = places
            total = cost + row_cost
            for group in self.closing.get(depth, []):
                total += self._group_cost(group)
            # an open group already summing past its parent will break: a bound
            bound = total + (BREAK_COST if not self.negative and self._overflows(row) else 0)
            if bound <= self.best_cost:
                self._step(depth + 1, total)
            self.chosen[row] = None

    def _values(self, row: int) -> dict[str, Decimal]:
        places = self.chosen[row]
        return _cells(self.drafts[row], places) if places is not None else {}

    def _group_cost(self, group: Group) -> int:
        parent = self._values(group.parent)
        sums: dict[str, Decimal] = {}
        for child in group.children:
            for key, value in self._values(child).items():
                sums[key] = sums.get(key, Decimal(0)) + value
        cost = 0
        for key in parent.keys() | sums.keys():
            difference = parent.get(key, Decimal(0)) - sums.get(key, Decimal(0))
            cost += _difference_cost(difference, len(group.children) + 1, self.unit)
        return cost

    def _overflows(self, row: int) -> bool:
        """A group this row belongs to already sums past its parent in some column.

        Only for groups still open (a closed group is costed in full), and only
        where the parent is decided.
        """
        for group in self.member_of.get(row, []):
            if self.chosen[group.parent] is None \
                    or all(self.chosen[c] is not None for c in group.children):
                continue
            parent = self._values(group.parent)
            sums: dict[str, Decimal] = {}
            for child in group.children:
                for key, value in self._values(child).items():
                    sums[key] = sums.get(key, Decimal(0)) + value
            slack = self.unit * (len(group.children) + 1)
            if any(value > parent.get(key, Decimal(0)) + slack for key, value in sums.items()):
                return True
        return False


def _broken(drafts: list[Draft], best: list[list[str]], rules: list[Rule],
            groups: list[Group], unit: Decimal) -> list[str]:
    """The identities the chosen placement breaks beyond rounding, in words."""
    out: list[str] = []
    for index, (draft, places) in enumerate(zip(drafts, best, strict=True)):
        cells = _cells(draft, places)
        for rule in rules:
            if not any(k in cells for k in rule.left + rule.right):
                continue
            left = sum((cells.get(k, Decimal(0)) for k in rule.left), Decimal(0))
            right = sum((cells.get(k, Decimal(0)) for k in rule.right), Decimal(0))
            if _difference_cost(left - right, len(rule.left) + len(rule.right), unit) \
                    >= BREAK_COST:
                out.append(f"row {index + 1}: {' + '.join(rule.left)} = {left} ≠ "
                           f"{' + '.join(rule.right)} = {right}")
    for group in groups:
        parent = _cells(drafts[group.parent], best[group.parent])
        sums: dict[str, Decimal] = {}
        for child in group.children:
            for key, value in _cells(drafts[child], best[child]).items():
                sums[key] = sums.get(key, Decimal(0)) + value
        for key in sorted(parent.keys() | sums.keys()):
            difference = parent.get(key, Decimal(0)) - sums.get(key, Decimal(0))
            if _difference_cost(difference, len(group.children) + 1, unit) >= BREAK_COST:
                out.append(f"row {group.parent + 1} {key}: {parent.get(key, Decimal(0))} ≠ "
                           f"Σ of its {len(group.children)} sub-rows {sums.get(key, Decimal(0))}")
    return out


# ---------------------------------------------------------------------------
# The row identities of the national template, by the columns a table has.
# ---------------------------------------------------------------------------

_THREE_PUBLIC_PARTS = ("因公出国(境)费", "公务用车购置及运行费", "公务接待费")
_VEHICLE_PARTS = ("公务用车购置费", "公务用车运行费")
#: Columns beside 合计 that are not part of it: balances carried over, and the
#: 机关运行经费 the 三公 table prints beside the 三公.
_NOT_COMPONENTS = ("年初结转和结余", "本年收入", "年末结转和结余", "机关运行经费")


def row_rules(keys: list[str]) -> list[Rule]:
    """The identities a row satisfies, given its table's column keys (one side's).

    * 合计 = the sum of the other columns, except balances carried over and
      机关运行经费 (收入总表, 支出总表, the fund and 基本支出 tables, the
      expenditure side of the 收支总表s);
    * 年初结转和结余 + 本年收入 = 合计 (本年支出) + 年末结转和结余 (决算 fund tables);
    * 三公, per period and phase: 合计 = 出国 + 公务用车 + 接待, 公务用车 = 购置 + 运行.
    """
    rules: list[Rule] = []
    three_public = [k for k in keys if ":" in k]
    if three_public:
        prefixes = {}
        for key in three_public:
            period, measure, *phase = key.split(":")
            prefixes.setdefault((period, tuple(phase)), set()).add(measure)
        for (period, phase), measures in prefixes.items():
            def name(measure: str, period: str = period, phase: tuple[str, ...] = phase) -> str:
                return ":".join((period, measure, *phase))
            if "合计" in measures:
                rules.append(Rule((name("合计"),),
                                  tuple(name(m) for m in _THREE_PUBLIC_PARTS if m in measures)))
            if "公务用车购置及运行费" in measures:
                rules.append(Rule((name("公务用车购置及运行费"),),
                                  tuple(name(m) for m in _VEHICLE_PARTS if m in measures)))
        return rules
    if "合计" in keys:
        parts = tuple(k for k in keys if k != "合计" and k not in _NOT_COMPONENTS)
        if parts:
            rules.append(Rule(("合计",), parts))
    if all(k in keys for k in ("年初结转和结余", "本年收入", "合计", "年末结转和结余")):
        rules.append(Rule(("年初结转和结余", "本年收入"), ("合计", "年末结转和结余")))
    return rules
