"""Which Data Cube structure a table has, and the coded values every observation carries.

A table's structure (DSD, ``ontology/structure.ttl``) follows what its rows are:
functional codes, economic codes, the lines of a two-sided summary, budget units,
or a single row whose columns are the items (the 三公 table). Each structure's
observations carry all its dimensions, so a table never mixes kinds of row; the
phase, the year and the operation character come from the column when it says.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from rdflib import URIRef

from budgetgraph.model import Column, DocumentKind, Phase, Table, TableKind
from budgetgraph.rdf import codelists
from budgetgraph.rdf.namespaces import BG, OBEU_OPERATION, OBEU_PHASE


class RowKind(Enum):
    """What the rows of a table are; each has its structure and row dimension."""

    FUNCTIONAL = (BG.FunctionalTableStructure, BG.functionalClassification)
    ECONOMIC = (BG.EconomicTableStructure, BG.economicClassification)
    SUMMARY = (BG.SummaryTableStructure, BG.summaryLine)
    UNIT = (BG.UnitTableStructure, BG.budgetUnit)
    SINGLE = (BG.ColumnTableStructure, None)

    def __init__(self, structure: URIRef, dimension: URIRef | None) -> None:
        self.structure = structure
        self.dimension = dimension


#: The phases of the model as OpenBudgets.eu's budget-phase code list has them.
PHASES: dict[Phase, URIRef] = {
    Phase.BUDGET: OBEU_PHASE.approved,
    Phase.ADJUSTED: OBEU_PHASE.revised,
    Phase.FINAL: OBEU_PHASE.executed,
}
REVENUE = OBEU_OPERATION.revenue
EXPENDITURE = OBEU_OPERATION.expenditure
SIDES = {"收入": REVENUE, "支出": EXPENDITURE}
#: Column periods of the 三公 table (``上年:合计``) as IRI segments and year offsets.
PERIODS = {"上年": ("prior-year", -1), "本年": ("current-year", 0)}
#: Phase words that end a column key (``本年:公务接待费:决算``), as IRI segments.
PHASE_WORDS = {"预算": "budget", "预算数": "budget", "调整预算": "adjusted",
               "调整预算数": "adjusted", "决算": "final", "决算数": "final"}
_TWO_SIDED = frozenset({TableKind.SUMMARY, TableKind.FISCAL_SUMMARY})
_REVENUE_TABLES = frozenset({TableKind.INCOME})
#: Columns of money coming in that expenditure tables print (决算 fund tables).
_REVENUE_COLUMNS = frozenset({"carryover", "income-of-year"})


def scope(kind: DocumentKind) -> URIRef:
    """bg:SingleUnit for a unit's own document, bg:Consolidated for a department's."""
    return BG.SingleUnit if kind in (DocumentKind.UNIT_BUDGET, DocumentKind.UNIT_FINAL) \
        else BG.Consolidated


def row_kind(table: Table) -> RowKind:
    """The kind of row a table has (tables 1 and 4 are two-sided summaries).

    A table of codes is functional or economic by its codes (the basic
    expenditure table is economic); an income table whose rows are named is by
    budget unit; a table of one unnamed row is a row of items; anything else is
    a list of summary lines.
    """
    if table.kind in _TWO_SIDED or any(row.side for row in table.rows):
        return RowKind.SUMMARY
    lists = {codelists.classification_for(row.code.strip(), table.kind)
             for row in table.rows if row.code and row.code.strip()}
    lists.discard(None)
    named = [row for row in table.rows if not row.code and not row.is_total and row.name.strip()]
    if lists <= {codelists.FUNCTIONAL} and lists:
        return RowKind.FUNCTIONAL if not _unknown_names(named) else RowKind.SUMMARY
    if lists and codelists.FUNCTIONAL not in lists:
        return RowKind.ECONOMIC if not _unknown_names(named) else RowKind.SUMMARY
    if lists:
        return RowKind.SUMMARY
    if table.kind is TableKind.INCOME and named:
        return RowKind.UNIT
    if len(table.rows) == 1 and not table.rows[0].name.strip() and not table.rows[0].is_total:
        return RowKind.SINGLE
    if table.kind is TableKind.THREE_PUBLIC and not table.rows:
        return RowKind.SINGLE
    if named:
        return RowKind.SUMMARY
    return RowKind.ECONOMIC if table.kind.has_economic_rows \
        else RowKind.FUNCTIONAL


def _unknown_names(rows: list) -> bool:  # type: ignore[type-arg]
    """Named rows that are not summary items make a code table a list of lines."""
    return any(codelists.term("item", row.name) is None for row in rows)


@dataclass(frozen=True)
class ColumnParts:
    """A column key taken apart: ``本年:公务接待费:决算`` → period 本年, meaning
    公务接待费, phase word 决算."""

    period: str
    meaning: str
    phase_word: str

    @classmethod
    def of(cls, column: Column) -> ColumnParts:
        parts = column.key.split(":")
        period = parts.pop(0) if len(parts) > 1 and parts[0] in PERIODS else ""
        phase = parts.pop() if len(parts) > 1 and parts[-1] in PHASE_WORDS else ""
        return cls(period, ":".join(parts), phase)

    def segment(self, meaning_segment: str) -> str:
        """The column's IRI segment: ``current-year.three-public-reception.final``."""
        parts = [PERIODS[self.period][0]] if self.period else []
        parts.append(meaning_segment)
        if self.phase_word:
            parts.append(PHASE_WORDS[self.phase_word])
        return ".".join(parts)

    def year(self, column: Column, document_year: int) -> int:
        if column.year is not None:
            return column.year
        return document_year + (PERIODS[self.period][1] if self.period else 0)


def operation(table: Table, side: str | None, column: codelists.Term | None) -> URIRef:
    """Revenue or expenditure: the side of a two-sided table, else an income
    column (a 决算 fund table prints 年初结转 and 本年收入 beside its spending),
    else the table."""
    if side:
        return SIDES.get(side.strip(), EXPENDITURE)
    if column is not None and (column.income_type or column.notation in _REVENUE_COLUMNS):
        return REVENUE
    return REVENUE if table.kind in _REVENUE_TABLES else EXPENDITURE
