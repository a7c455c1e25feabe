"""The shortcuts the identity shapes read beside a document, derived before validation.

The published observation says what it is once: its table (qb:dataSet), the
value of its table's row dimension (a functional or economic code, a summary
line or a budget unit), its column, and revenue or expenditure. The identity
queries (shapes/identities.ttl) compare figures across tables, rows and sides,
and would repeat the same joins and unions in every one of thirty queries; so
this module writes those joins out once, for the graph being validated only:

* ``bg:disclosure`` and ``bg:tableKind`` of an observation: its table's;
* ``bg:item``: the value of whichever row dimension the table has (the summary
  item of the unnamed row where a table has one row and no row dimension);
* ``bg:rowLevel``: 0 for a total line, else the code's level in its list (a
  table by budget unit states its own);
* ``bg:side``: 收入 or 支出 on the lines of a two-sided summary table;
* ``bg:incomeType`` and ``bg:fundSource``: what the row and column imply, by
  the code lists (an income row is its income type; a column fixes a fund).

None of these is published: they exist in the validation engine's copy of a
document only.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from budgetgraph.rdf.namespaces import BG, OBEU_DIMENSION, OBEU_OPERATION, QB, RDF, SKOS

#: The row dimensions of the structures (ontology/structure.ttl).
ROW_DIMENSIONS = (BG.functionalClassification, BG.economicClassification, BG.summaryLine,
                  BG.budgetUnit)
#: Lines that are a table's or a side's total.
TOTAL_NOTATIONS = frozenset({"total", "income-grand-total", "expenditure-grand-total"})
SIDES = {OBEU_OPERATION.revenue: "收入", OBEU_OPERATION.expenditure: "支出"}


def shortcuts(data: Graph, reference: Graph) -> Graph:
    """The shortcut triples of every observation of ``data`` (one document),
    reading levels and implications from ``reference`` (its year's code lists)."""
    out = Graph()
    unnamed = next((c for c in reference.subjects(SKOS.notation, Literal("row"))
                    if (c, RDF.type, BG.SummaryItem) in reference), None)
    tables: dict[Node, tuple[Node | None, Node | None, Node | None]] = {}
    for table in set(data.objects(None, QB.dataSet)):
        tables[table] = (data.value(table, BG.disclosure), data.value(table, BG.tableKind),
                         data.value(table, QB.structure))
    for obs in data.subjects(RDF.type, QB.Observation):
        table = data.value(obs, QB.dataSet)
        doc, kind, structure = tables.get(table, (None, None, None))
        _add(out, obs, BG.disclosure, doc)
        _add(out, obs, BG.tableKind, kind)
        item = next((v for p in ROW_DIMENSIONS for v in data.objects(obs, p)), None)
        # a table of one row (the 三公 table) has no row dimension: its row is the unnamed row
        _add(out, obs, BG.item, item if item is not None else unnamed)
        if (obs, BG.rowLevel, None) not in data and isinstance(item, URIRef):
            _add(out, obs, BG.rowLevel, _level(item, data, reference))
        if structure == BG.SummaryTableStructure:
            side = SIDES.get(data.value(obs, OBEU_DIMENSION.operationCharacter))  # type: ignore[arg-type]
            _add(out, obs, BG.side, Literal(side, lang="zh") if side else None)
        _implied(out, obs, item, data.value(obs, BG.column), kind, data, reference)
    return out


def _level(item: URIRef, data: Graph, reference: Graph) -> Literal | None:
    notation = _value(item, SKOS.notation, data, reference)
    if notation is not None and str(notation) in TOTAL_NOTATIONS:
        return Literal(0)
    level = _value(item, BG.codeLevel, data, reference)
    return Literal(int(level)) if isinstance(level, Literal) else None


def _implied(out: Graph, obs: Node, item: Node | None, column: Node | None, kind: Node | None,
             data: Graph, reference: Graph) -> None:
    """Fund source and income type: the column says first, then the row's income
    type, then the table (table 5 is all 一般公共预算)."""
    row_income = item if isinstance(item, URIRef) and (
        (item, RDF.type, BG.IncomeType) in reference) else None
    fund = (_value(column, BG.impliesFundSource, data, reference)
            or _value(row_income, BG.impliesFundSource, data, reference)
            or _value(kind, BG.impliesFundSource, data, reference))
    _add(out, obs, BG.fundSource, fund)
    income = row_income or _value(column, BG.impliesIncomeType, data, reference)
    _add(out, obs, BG.incomeType, income)


def _value(subject: Node | None, predicate: URIRef, data: Graph, reference: Graph) -> Node | None:
    if subject is None:
        return None
    return reference.value(subject, predicate) or data.value(subject, predicate)


def _add(out: Graph, subject: Node, predicate: URIRef, obj: Node | None) -> None:
    if obj is not None:
        out.add((subject, predicate, obj))
