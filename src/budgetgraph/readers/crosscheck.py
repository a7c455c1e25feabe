"""Cells a text export left ambiguous, settled by what the rest of the document says.

Where the text lost the blank cells and a table's own identities allow more
than one placement (合计 = 财政拨款收入 + *one* of five other incomes), the
document usually says elsewhere which it is: the 收支总表 names each income,
the fund tables give each 类's money by budget, table 3 and table 5 split the
same 类 into 基本 and 项目 where all money is 一般公共预算, and the narrative
states each 三公 item. These are the identities across tables (shared/domain.md);
here they choose between placements the table alone cannot. A placement that
disagrees with them costs less than breaking the table's own identities, so a
document whose tables disagree keeps its figures where its table puts them.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from budgetgraph.model import AmountUnit, Disclosure, Phase, Table, TableKind
from budgetgraph.readers.tables import settle
from budgetgraph.readers.vocabulary import header_term, squash, strip_numbering

Expected = dict[int, dict[str, Decimal]]

#: Which column of the 财政拨款收支总表 each fund table gives, 类 by 类.
_FUND_TABLES = ((TableKind.GENERAL_PUBLIC, "一般公共预算"),
                (TableKind.GOVERNMENT_FUND, "政府性基金预算"),
                (TableKind.STATE_CAPITAL, "国有资本经营预算"))
_THREE_PUBLIC_TOPICS = {"三公经费": "合计", "因公出国(境)费": "因公出国(境)费",
                        "公务用车购置及运行费": "公务用车购置及运行费",
                        "公务用车购置费": "公务用车购置费", "公务用车运行费": "公务用车运行费",
                        "公务接待费": "公务接待费", "机关运行经费": "机关运行经费"}


def settle_ambiguities(doc: Disclosure) -> None:
    """Re-place every table that has ambiguous cells with the evidence of the others."""
    for table in doc.tables:
        for source, expected in _evidence(doc, table):
            if not any(row.ambiguous for row in table.rows):
                break
            if expected:
                settle(table, expected, source)


def _evidence(doc: Disclosure, table: Table) -> Iterator[tuple[str, Expected]]:
    if table.kind is TableKind.INCOME:
        yield "the 收支总表's income rows", _incomes(doc, table)
    if table.kind is TableKind.FISCAL_SUMMARY:
        yield "the fund tables' 类 totals", _funds(doc, table)
    if table.kind in (TableKind.EXPENDITURE, TableKind.GENERAL_PUBLIC):
        other = TableKind.GENERAL_PUBLIC if table.kind is TableKind.EXPENDITURE \
            else TableKind.EXPENDITURE
        yield f"the same 类/款/项 in the {other.value}", _same_codes(doc, table, other)
    if table.kind is TableKind.THREE_PUBLIC and doc.phase is Phase.BUDGET:
        yield "the narrative's 三公 figures", _three_public(doc, table)


def _in_unit(value: Decimal, source: AmountUnit | str, target: AmountUnit) -> Decimal:
    unit = source if isinstance(source, AmountUnit) else AmountUnit(source)
    return value * unit.factor / target.factor


def _incomes(doc: Disclosure, table: Table) -> Expected:
    """The income table's total row: each income as the 收支总表 states it."""
    summary = doc.table(TableKind.SUMMARY)
    total = next((i for i, row in enumerate(table.rows) if row.is_total), None)
    if summary is None or total is None:
        return {}
    keys = {c.key for c in table.columns}
    expected: dict[str, Decimal] = {}
    for row in summary.rows:
        if row.side != "收入":
            continue
        term = header_term(squash(strip_numbering(row.name)))
        if term is None or term.kind != "value" or term.key not in keys or term.key == "合计":
            continue
        value = next((v for v in row.values.values() if v is not None), Decimal(0))
        expected.setdefault(term.key, _in_unit(value, summary.unit, table.unit))
    return {total: expected} if expected else {}


def _funds(doc: Disclosure, table: Table) -> Expected:
    """Each 类 of the 财政拨款收支总表's expenditure side, by fund, from the fund tables."""
    expected: Expected = {}
    for kind, column in _FUND_TABLES:
        if table.column(column, "支出") is None:
            continue
        fund = doc.table(kind)
        if fund is None:
            continue
        totals = {row.code: row.values.get("合计") or Decimal(0) for row in fund.rows
                  if row.code and len(row.code) == 3}
        for index, row in enumerate(table.rows):
            if row.side == "支出" and row.code:
                value = totals.get(row.code, Decimal(0))
                expected.setdefault(index, {})[column] = _in_unit(value, fund.unit, table.unit)
    return expected


def _same_codes(doc: Disclosure, table: Table, other_kind: TableKind) -> Expected:
    """基本 and 项目 of a code from the other functional table, where its 合计 is the same."""
    other = doc.table(other_kind)
    if other is None:
        return {}
    rows = {row.code: row for row in other.rows if row.code and not row.ambiguous}
    expected: Expected = {}
    for index, row in enumerate(table.rows):
        twin = rows.get(row.code) if row.code else None
        if twin is None or not row.ambiguous:
            continue
        if _in_unit(twin.values.get("合计") or Decimal(0), other.unit, table.unit) \
                != (row.values.get("合计") or Decimal(0)):
            continue
        expected[index] = {key: _in_unit(twin.values.get(key) or Decimal(0), other.unit, table.unit)
                           for key in ("基本支出", "项目支出") if table.column(key) is not None}
    return expected


def _three_public(doc: Disclosure, table: Table) -> Expected:
    """The 三公 row of a budget: each item as the narrative states it for the year."""
    keys = {c.key for c in table.columns}
    expected: dict[str, Decimal] = {}
    for statement in doc.statements:
        measure = _THREE_PUBLIC_TOPICS.get(statement.topic)
        if measure is None or statement.value is None or statement.code is not None:
            continue
        key = f"本年:{measure}"
        if key in keys and statement.unit in ("万元", "元"):
            expected.setdefault(key, _in_unit(statement.value, statement.unit, table.unit))
    return {index: expected for index, row in enumerate(table.rows)
            if row.ambiguous} if expected else {}
