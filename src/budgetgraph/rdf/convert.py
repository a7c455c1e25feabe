"""Model → RDF: each disclosure becomes one named graph of Data Cube observations.

Every figure of a table (a non-blank cell) is one ``qb:Observation`` with all its
dimensions given directly (organisation, year, phase, row item, column) and the
derived ones a question needs without property paths (functional 类 and 款, fund
source, expenditure type, region, table kind). Its amount is ``xsd:decimal`` in
yuan; the printed value, its unit and the source line stay beside it (PROV).

A table whose note says it has no data yields one explicit zero for its total:
the note is a statement of zero, not missing data. Narrative statements,
prior-year figures derived from them, projects and indicators are data too.

Code lists and the ontology go in their own graphs (:func:`add_reference`), so a
document's graph can be replaced alone; a code the document uses that is not in
our lists gets its concept in the document's graph, typed ``bg:UnlistedCode``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from importlib.resources import files

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from budgetgraph.model import (
    AmountUnit,
    Column,
    Disclosure,
    DocumentKind,
    Indicator,
    Note,
    PerformanceTable,
    Phase,
    Project,
    Row,
    SourceRef,
    Statement,
    Table,
    TableKind,
    to_yuan,
)
from budgetgraph.rdf import codelists
from budgetgraph.rdf.codelists import FUNCTIONAL, CodeList, Term
from budgetgraph.rdf.namespaces import (
    BG,
    CURRENCY,
    DCAT,
    DCTERMS,
    OBEU_ATTRIBUTE,
    OBEU_DIMENSION,
    OBEU_MEASURE,
    ORG,
    PREFIXES,
    PROV,
    QB,
    RDF,
    RDFS,
    SKOS,
    VOID,
    YEAR,
)
from budgetgraph.rdf.uris import (
    DEFAULT_BASE,
    DocKey,
    Minter,
    name_hash,
    reporting_name,
    segment,
    source_segment,
)

#: The ontology: package data (``ontology/`` of the repository, mapped into the package by
#: pyproject.toml), so an installed wheel finds it too.
ONTOLOGY = files("budgetgraph.ontology") / "budgetgraph.ttl"

PHASES = {
    Phase.BUDGET: BG.PhaseBudget,
    Phase.ADJUSTED: BG.PhaseAdjusted,
    Phase.FINAL: BG.PhaseFinal,
}
UNITS = {AmountUnit.YUAN: BG.Yuan, AmountUnit.WAN_YUAN: BG.WanYuan}
_LEVEL_NAMES = {0: "合计行", 1: "类", 2: "款", 3: "项"}
KIND_CLASSES = {
    DocumentKind.DEPARTMENT_BUDGET: BG.DepartmentBudget,
    DocumentKind.UNIT_BUDGET: BG.UnitBudget,
    DocumentKind.DEPARTMENT_FINAL: BG.DepartmentFinalAccount,
    DocumentKind.UNIT_FINAL: BG.UnitFinalAccount,
    DocumentKind.THREE_PUBLIC_BUDGET: BG.DepartmentBudget,
    DocumentKind.THREE_PUBLIC_FINAL: BG.DepartmentFinalAccount,
}
CNY = CURRENCY.CNY

#: Column periods of the 三公 table (``上年:合计``) as IRI segments.
PERIODS = {"上年": "prior-year", "本年": "current-year"}
#: Sides of two-sided tables.
SIDES = {"收入": "income", "支出": "expenditure"}
#: Narrative topics (model.Statement.topic) as IRI segments; others are hashed.
TOPICS = {
    "收入预算": "income", "支出预算": "expenditure", "基本支出": "basic", "项目支出": "project",
    "财政拨款收支": "fiscal-grant", "一般公共预算拨款": "general-public-grant",
    "三公经费": "three-public", "因公出国(境)费": "three-public-abroad",
    "公务用车购置及运行费": "three-public-vehicles", "公务接待费": "three-public-reception",
    "机关运行经费": "operating-costs", "政府采购": "procurement", "车辆": "vehicles",
    "设备": "equipment", "绩效目标": "performance", "人员经费": "personnel",
    "公用经费": "public-use", "功能科目": "functional-item",
}
#: Tables whose uncoded rows may be named after a 类 (the two-sided summary tables).
_NAME_CODED_TABLES = frozenset({TableKind.SUMMARY, TableKind.FISCAL_SUMMARY})
_MONEY_UNITS = {unit.value: unit for unit in AmountUnit}


def convert(disclosures: Iterable[Disclosure], *, base: str = DEFAULT_BASE,
            reference: bool = True) -> Dataset:
    """The RDF of ``disclosures``: one named graph per document, plus (with
    ``reference``) the ontology and the code lists of their years in theirs."""
    minter = Minter(base)
    dataset = new_dataset()
    years: set[int] = set()
    for disclosure in disclosures:
        disclosure_graph(disclosure, minter=minter, into=dataset)
        years.add(disclosure.year)
    if reference:
        add_reference(dataset, minter=minter, years=sorted(years))
    return dataset


def new_dataset() -> Dataset:
    """An empty dataset whose default graph is the union of its named graphs."""
    dataset = Dataset(default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    return dataset


def ontology_graph() -> Graph:
    graph = codelists.new_graph()
    graph.parse(data=ONTOLOGY.read_text(encoding="utf-8"), format="turtle")
    return graph


def add_reference(dataset: Dataset, *, minter: Minter, years: Iterable[int]) -> None:
    """Add the ontology graph and the code-list graphs (classifications of ``years``)."""
    _fill(dataset, minter.graph("ontology"), ontology_graph())
    for iri, graph in codelists.reference_graphs(minter, list(years)):
        _fill(dataset, iri, graph)


def _fill(dataset: Dataset, iri: URIRef, graph: Graph) -> None:
    named = dataset.graph(iri)
    named += graph


def disclosure_graph(disclosure: Disclosure, *, minter: Minter,
                     into: Dataset | None = None) -> tuple[URIRef, Graph]:
    """The named graph of one document and its IRI.

    With ``into``, the triples are written straight into that dataset's graph of
    the IRI: copying a finished graph into a dataset costs rdflib about half
    as much again as building it.
    """
    iri = minter.document_graph(DocKey.of(disclosure))
    graph = into.graph(iri) if into is not None else codelists.new_graph()
    _Converter(disclosure, minter, graph).run()
    return iri, graph


def decimal(value: Decimal) -> Literal:
    """An ``xsd:decimal`` literal in plain notation with a decimal point (``1.0``,
    never ``1E+2``), the form Turtle writes bare, so it survives a round trip."""
    text = format(value, "f")
    return Literal(text if "." in text else text + ".0", datatype=PREFIXES["xsd"].decimal)


@dataclass
class _Converter:
    """Writes one disclosure into one graph; holds what must be minted only once."""

    disclosure: Disclosure
    minter: Minter
    graph: Graph
    _used: set[URIRef] = field(default_factory=set)
    _labelled: set[URIRef] = field(default_factory=set)
    _series: set[URIRef] = field(default_factory=set)

    def __post_init__(self) -> None:
        d = self.disclosure
        self.key = DocKey.of(d)
        self.doc = self.minter.disclosure(self.key)
        self.department = self.minter.org(self.key.region, d.department)
        self.reporter = self.minter.org(self.key.region, reporting_name(d))
        self.region = self._region()
        self.title = f"{reporting_name(d)}{d.year}年{d.kind.value}"

    # -- helpers ---------------------------------------------------------------

    def add(self, subject: Node, predicate: URIRef, value: Node | str | int | bool | Decimal | None,
            *, lang: str | None = None) -> None:
        """Add one triple; ``None`` and empty strings are skipped (nothing to say)."""
        if value is None or value == "":
            return
        if isinstance(value, Node):
            obj: Node = value
        elif isinstance(value, Decimal):
            obj = decimal(value)
        elif isinstance(value, str):
            obj = Literal(value, lang=lang)
        else:
            obj = Literal(value)
        self.graph.add((subject, predicate, obj))

    def unique(self, iri: URIRef, ref: SourceRef) -> URIRef:
        """``iri``, or where the document already used it (a repeated row), the same
        IRI qualified by its source line, so no figure is lost to a collision."""
        if iri in self._used:
            iri = URIRef(f"{iri}-{source_segment(ref)}")
        self._used.add(iri)
        return iri

    def source(self, ref: SourceRef) -> URIRef:
        line = self.minter.source_line(self.key, ref)
        if line not in self._labelled:
            self._labelled.add(line)
            self.add(line, RDF.type, BG.SourceLine)
            self.add(line, BG.sourceFile, self.source_file(ref.file))
            self.add(line, BG.lineNumber, ref.line)
            self.add(line, BG.pageNumber, ref.page)
            self.add(line, RDFS.label, str(ref))
        return line

    def source_file(self, path: str) -> URIRef:
        file = self.minter.source_file(self.key, path)
        self.add(file, RDF.type, BG.SourceFile)
        self.add(file, DCTERMS.title, path.replace("\\", "/").rsplit("/", 1)[-1])
        return file

    def series(self, obs: URIRef, kind: TableKind, column_segment: str, label: str,
               level: int | None) -> None:
        """Put ``obs`` in its regional series (bg:Series), typed and labelled once per
        document.

        A regional total then reads one series: on the on-disk store, joining
        region, table, column and level over every observation of a region took
        281 ms at 1.1M quads, the series 4.5 ms (docs/benchmarks.md). The series
        is not given the observations' own properties (bg:region, bg:column …):
        measured at 1M quads, that made pyoxigraph's plan for the join written the
        other way 30× slower (2.1 s against 0.06 s).
        """
        iri = self.minter.series(self.key, kind, column_segment, level)
        self.add(obs, BG.series, iri)
        if iri in self._series:
            return
        self._series.add(iri)
        d = self.disclosure
        self.add(iri, RDF.type, BG.Series)
        rows = _LEVEL_NAMES.get(level, "其他行")
        self.add(iri, RDFS.label, f"{d.region}{d.year}年{d.kind.value} {kind.value} {label} {rows}",
                 lang="zh")

    def money(self, subject: URIRef, predicate: URIRef, value: Decimal, unit: AmountUnit) -> None:
        """An amount in yuan, with the printed value and unit beside it."""
        self.add(subject, predicate, to_yuan(value, unit))
        self.add(subject, BG.sourceValue, value)
        self.add(subject, BG.sourceUnit, UNITS[unit])
        # engines keep a decimal's value, not its digits: 1,006.20 would show as 1006.2
        exponent = value.as_tuple().exponent
        self.add(subject, BG.printedDecimals,
                 Literal(max(0, -exponent) if isinstance(exponent, int) else 0))

    def concept(self, code_list: CodeList, code: str, label: str | None = None) -> URIRef:
        """The concept of ``code`` in the document year's list; an unlisted code
        (and its unlisted parents) is described in the document's graph."""
        year = self.disclosure.year
        iri = self.minter.concept(code_list.name, code, year)
        if codelists.is_listed(code_list, code, year):
            return iri
        if iri not in self._used:
            self._used.add(iri)
            self.add(iri, RDF.type, SKOS.Concept)
            self.add(iri, RDF.type, code_list.concept_class)
            self.add(iri, RDF.type, BG.UnlistedCode)
            self.add(iri, SKOS.inScheme, self.minter.scheme(code_list.name, year))
            self.add(iri, SKOS.notation, Literal(code))
            self.add(iri, BG.codeLevel, code_list.level_of(code))
            parent = code_list.parent_of(code)
            if parent:
                self.add(iri, SKOS.broader, self.concept(code_list, parent))
        if label and iri not in self._labelled:
            self._labelled.add(iri)
            self.add(iri, SKOS.prefLabel, label.strip(), lang="zh")
        return iri

    def term(self, scheme: str, found: Term | None, label: str) -> URIRef:
        """A fixed-list concept; an unknown label is minted from its hash, unlisted."""
        if found is not None:
            return self.minter.concept(scheme, found.notation)
        iri = self.minter.concept(scheme, "n-" + name_hash(label))
        if iri not in self._used:
            self._used.add(iri)
            self.add(iri, RDF.type, SKOS.Concept)
            self.add(iri, RDF.type, codelists.TERM_LISTS[scheme].concept_class)
            self.add(iri, RDF.type, BG.UnlistedCode)
            self.add(iri, SKOS.inScheme, self.minter.scheme(scheme))
            self.add(iri, SKOS.notation, Literal("n-" + name_hash(label)))
            self.add(iri, SKOS.prefLabel, label, lang="zh")
        return iri

    def classification(self, code_list: CodeList, code: str, label: str | None = None
                       ) -> list[tuple[URIRef, Node]]:
        """The classification of a row, statement or target, with its 类 (and 款)
        given directly so totals by 类 need no skos:broader path."""
        concept = self.concept(code_list, code, label)
        if code_list is FUNCTIONAL:
            props: list[tuple[URIRef, Node]] = [
                (BG.functionalClassification, concept),
                (BG.functionalClass, self.concept(code_list, code[:3])),
            ]
            if len(code) >= 5:
                props.append((BG.functionalKuan, self.concept(code_list, code[:5])))
            return props
        return [(BG.economicClassification, concept),
                (BG.economicClass, self.concept(code_list, code[:3]))]

    def add_all(self, subject: URIRef, props: list[tuple[URIRef, Node]]) -> None:
        for predicate, obj in props:
            self.add(subject, predicate, obj)

    def _region(self) -> URIRef | None:
        d = self.disclosure
        if self.key.region == "unknown":
            return None
        iri = self.minter.region(self.key.region)
        if self.key.region in codelists.known_regions():
            return iri
        self.add(iri, RDF.type, SKOS.Concept)
        self.add(iri, RDF.type, BG.AdministrativeDivision)
        self.add(iri, RDF.type, BG.UnlistedCode)
        self.add(iri, SKOS.inScheme, self.minter.region_scheme())
        self.add(iri, SKOS.prefLabel, d.region, lang="zh")
        if self.key.region.isdigit():
            self.add(iri, SKOS.notation, Literal(self.key.region))
            parent = codelists.region_parent(self.key.region)
            if parent:
                self.add(iri, SKOS.broader, self.minter.region(parent))
        return iri

    # -- the document ----------------------------------------------------------

    def run(self) -> None:
        self.document()
        self.organisations()
        for table in self.disclosure.tables:
            self.table(table)
        for statement in self.disclosure.statements:
            self.statement(statement)
        if self.disclosure.performance is not None:
            self.performance(self.disclosure.performance)

    def document(self) -> None:
        d, doc = self.disclosure, self.doc
        for cls in (BG.Disclosure, KIND_CLASSES[d.kind], DCAT.Dataset, VOID.Dataset):
            self.add(doc, RDF.type, cls)
        self.add(doc, RDFS.label, self.title, lang="zh")
        self.add(doc, DCTERMS.title, self.title, lang="zh")
        self.add(doc, OBEU_DIMENSION.organization, self.reporter)
        self.add(doc, DCTERMS.publisher, self.reporter)
        self.add(doc, OBEU_DIMENSION.fiscalYear, YEAR[str(d.year)])
        self.add(doc, BG.budgetPhase, PHASES[d.phase])
        self.add(doc, BG.region, self.region)
        self.add(doc, PROV.hadPrimarySource, self.source_file(d.source_file))
        for function in d.profile.functions:
            self.add(doc, DCTERMS.description, function, lang="zh")
        for warning in d.warnings:
            self.add(doc, BG.readerNote, warning)
        coverage = d.coverage
        self.add(doc, BG.figuresTotal, coverage.figures_total)
        self.add(doc, BG.figuresConsumed, coverage.figures_consumed)
        self.add(doc, BG.figuresUnread, len(coverage.unread))
        catalog = self.minter.catalog()
        self.add(catalog, RDF.type, DCAT.Catalog)
        self.add(catalog, DCAT.dataset, doc)

    def organisations(self) -> None:
        d = self.disclosure
        self.add(self.department, RDF.type, BG.Department)
        self.add(self.department, RDF.type, ORG.FormalOrganization)
        self.add(self.department, RDFS.label, d.department, lang="zh")
        self.add(self.department, BG.region, self.region)
        self.add(self.department, ORG.identifier, d.department_code)
        if self.reporter != self.department:
            self.unit(reporting_name(d), code=d.unit_code)
        for name in d.profile.budget_units:
            self.unit(name)
        for office in d.profile.offices:
            iri = self.minter.office(self.department, office)
            self.add(iri, RDF.type, BG.InternalOffice)
            self.add(iri, RDF.type, ORG.OrganizationalUnit)
            self.add(iri, RDFS.label, office, lang="zh")
            self.add(iri, ORG.unitOf, self.department)
            self.add(self.department, ORG.hasUnit, iri)

    def unit(self, printed: str, *, code: str | None = None) -> URIRef:
        """A budget unit named in the document (``504001-…(本级)`` carries its code);
        the department itself where the name is the department's."""
        name = printed.strip()
        prefix, sep, rest = name.partition("-")
        if sep and prefix.isdigit() and rest:
            code, name = prefix, rest.strip()
        iri = self.minter.org(self.key.region, name)
        if iri == self.department:
            return iri
        self.add(iri, RDF.type, BG.BudgetUnit)
        self.add(iri, RDF.type, ORG.OrganizationalUnit)
        self.add(iri, RDFS.label, name, lang="zh")
        self.add(iri, ORG.identifier, code)
        self.add(iri, BG.region, self.region)
        self.add(iri, ORG.unitOf, self.department)
        self.add(self.department, ORG.hasUnit, iri)
        self.add(self.doc, BG.coversUnit, iri)
        return iri

    # -- tables ----------------------------------------------------------------

    def table(self, table: Table) -> None:
        iri = self.minter.table(self.key, table.kind)
        for cls in (BG.DisclosureTable, QB.DataSet):
            self.add(iri, RDF.type, cls)
        self.add(iri, QB.structure, BG.BudgetDSD)
        self.add(iri, RDFS.label, f"{self.title} {table.kind.value}", lang="zh")
        self.add(iri, DCTERMS.title, table.title, lang="zh")
        self.add(iri, BG.tableKind, self.table_kind(table.kind))
        self.add(iri, BG.sourceUnit, UNITS[table.unit])
        self.add(iri, BG.disclosure, self.doc)
        self.add(iri, DCTERMS.isPartOf, self.doc)
        self.add(self.doc, DCTERMS.hasPart, iri)
        self.add(iri, PROV.wasDerivedFrom, self.source(table.source))
        for note in table.notes:
            self.add(iri, BG.printedNote, note.text, lang="zh")
        for remark in table.reader_notes:
            self.add(iri, BG.readerNote, remark)
        # two-sided tables repeat a key (预算数) for each side: one column per key
        columns = list({column.key: column for column in reversed(table.columns)}.values())
        for row in table.rows:
            for column in reversed(columns):
                value = row.values.get(column.key)
                if value is not None:
                    self.observation(table, iri, row, column, value)
        empty_note = next((n for n in table.notes if n.states_empty), None)
        if empty_note is not None:
            self.explicit_zero(table, iri, empty_note)

    def table_kind(self, kind: TableKind) -> URIRef:
        return self.minter.concept("table", codelists.table_term(kind).notation)

    def observation(self, table: Table, dataset: URIRef, row: Row, column: Column,
                    value: Decimal) -> URIRef:
        row_segment, item_props = self.row_item(table, row)
        period, _, meaning = column.key.rpartition(":")
        col_term = codelists.column_term(meaning, table.kind)
        col_concept = self.term("column", col_term, meaning)
        col_segment = str(col_concept).rsplit("/", 1)[-1]
        if period:
            col_segment = f"{PERIODS.get(period) or segment(period, prefix='p-')}.{col_segment}"
        year = column.year or self.disclosure.year - (1 if period == "上年" else 0)
        obs = self.unique(self.minter.observation(self.key, table.kind, row_segment, col_segment),
                          row.source)
        self.cube(obs, dataset, table.kind, year, column.phase)
        self.add(obs, BG.column, col_concept)
        self.add_all(obs, item_props)
        level = next((int(o) for p, o in item_props if p == BG.rowLevel), None)
        self.series(obs, table.kind, col_segment, column.label or column.key, level)
        self.implied(obs, table.kind, col_term, item_props)
        self.money(obs, OBEU_MEASURE.amount, value, table.unit)
        self.add(obs, PROV.wasDerivedFrom, self.source(row.source))
        row_text = " ".join(p for p in (row.code, row.name.strip()) if p) or "（未命名行）"
        self.add(obs, RDFS.label, f"{table.kind.value} {row_text} {column.label or column.key}",
                 lang="zh")
        return obs

    def cube(self, obs: URIRef, dataset: URIRef, kind: TableKind, year: int, phase: Phase) -> None:
        """The dimensions every observation has, and the direct shortcuts."""
        self.add(obs, RDF.type, QB.Observation)
        self.add(obs, QB.dataSet, dataset)
        self.add(obs, BG.disclosure, self.doc)
        self.add(obs, BG.tableKind, self.table_kind(kind))
        self.add(obs, OBEU_DIMENSION.organization, self.reporter)
        self.add(obs, OBEU_DIMENSION.fiscalYear, YEAR[str(year)])
        self.add(obs, BG.budgetPhase, PHASES[phase])
        self.add(obs, BG.region, self.region)
        self.add(obs, OBEU_ATTRIBUTE.currency, CNY)

    def implied(self, obs: URIRef, kind: TableKind, column: Term | None,
                item_props: list[tuple[URIRef, Node]]) -> None:
        """Fund source and expenditure/income type: the column says first, then the
        row's income type, then the table (table 5 is all 一般公共预算)."""
        table = codelists.table_term(kind)
        row_income = next((codelists.terms().get(("income", str(o).rsplit("/", 1)[-1]))
                           for p, o in item_props if p == BG.incomeType), None)
        fund = ((column and column.fund_source) or (row_income and row_income.fund_source)
                or table.fund_source)
        expenditure = (column and column.expenditure_type) or table.expenditure_type
        if fund:
            self.add(obs, BG.fundSource, self.minter.concept("fund", fund))
        if expenditure:
            self.add(obs, BG.expenditureType, self.minter.concept("exptype", expenditure))
        if column and column.income_type and row_income is None:
            self.add(obs, BG.incomeType, self.minter.concept("income", column.income_type))

    def row_item(self, table: Table, row: Row) -> tuple[str, list[tuple[URIRef, Node]]]:
        """The IRI segment of a row and the properties saying what the row is."""
        props: list[tuple[URIRef, Node]] = []
        side = ""
        if row.side:
            side = (SIDES.get(row.side.strip()) or segment(row.side, prefix="s-")) + "-"
            props.append((BG.side, Literal(row.side.strip(), lang="zh")))
        if row.name.strip():
            props.append((BG.rowLabel, Literal(row.name.strip(), lang="zh")))
        if row.is_total:
            props.append((BG.isTotal, Literal(True)))
        code = (row.code or "").strip()
        code_list = codelists.classification_for(code, table.kind) if code else None
        if code and code_list is None:
            props.append((BG.printedCode, Literal(code)))
        if code_list is None and not row.is_total and table.kind in _NAME_CODED_TABLES:
            inferred = codelists.class_by_name(row.name, self.disclosure.year)
            if inferred:
                code, code_list = inferred, FUNCTIONAL
                props.append((BG.codeInferredFromName, Literal(True)))
        if code_list is not None:
            classification = self.classification(code_list, code, row.name or None)
            props.append((BG.item, classification[0][1]))
            level = row.level if row.level is not None else code_list.level_of(code)
            props.append((BG.rowLevel, Literal(level)))
            return side + code, props + classification
        return side + self.named_row(table, row, props), props

    def named_row(self, table: Table, row: Row, props: list[tuple[URIRef, Node]]) -> str:
        """A row without a code: a summary item, an income type, a budget unit, or a
        name we do not know (minted from its hash)."""
        name = row.name.strip()
        if row.is_total or row.level == 0:
            props.append((BG.rowLevel, Literal(0)))
        income = codelists.term("income", name) if name else None
        if income is not None:
            iri = self.minter.concept("income", income.notation)
            props += [(BG.item, iri), (BG.incomeType, iri)]
            return income.notation
        item = codelists.term("item", name) if name else codelists.terms()["item", "row"]
        if item is None and row.is_total:
            item = codelists.terms()["item", "total"]
        if table.kind is TableKind.INCOME and not row.is_total and name:
            props.append((BG.budgetUnit, self.unit(name)))
        iri = self.term("item", item, name)
        props += [(BG.item, iri), (BG.summaryItem, iri)]
        return str(iri).rsplit("/", 1)[-1]

    def explicit_zero(self, table: Table, dataset: URIRef, note: Note) -> None:
        """The zero a 无数据 note states, as the table's total (first total column)."""
        column = table.column("合计") or table.column("小计") or (table.columns or [None])[0]
        column = column or Column(key="合计", label="合计")
        _, _, meaning = column.key.rpartition(":")
        col_term = codelists.column_term(meaning, table.kind)
        col_concept = self.term("column", col_term, meaning)
        obs = self.unique(self.minter.observation(self.key, table.kind, "total",
                                                  str(col_concept).rsplit("/", 1)[-1]), note.source)
        total = self.minter.concept("item", "total")
        self.cube(obs, dataset, table.kind, column.year or self.disclosure.year, column.phase)
        self.add(obs, BG.column, col_concept)
        props: list[tuple[URIRef, Node]] = [(BG.item, total), (BG.summaryItem, total)]
        self.add_all(obs, props)
        self.add(obs, BG.isTotal, True)
        self.add(obs, BG.rowLevel, 0)
        self.series(obs, table.kind, str(col_concept).rsplit("/", 1)[-1],
                    column.label or column.key, 0)
        self.add(obs, BG.isExplicitZero, True)
        self.implied(obs, table.kind, col_term, props)
        self.money(obs, OBEU_MEASURE.amount, Decimal(0), table.unit)
        self.add(obs, PROV.wasDerivedFrom, self.source(note.source))
        self.add(obs, RDFS.label, f"{table.kind.value} 合计（注明无数据）", lang="zh")

    # -- narrative -------------------------------------------------------------

    def statement(self, statement: Statement) -> None:
        topic = TOPICS.get(statement.topic) or segment(statement.topic, prefix="t-")
        if statement.code:
            topic += f"-{segment(statement.code, prefix='c-')}"
        iri = self.minter.statement(self.key, statement.source, topic)
        if iri in self._used:
            fingerprint = f"{statement.text}|{statement.value}|{statement.change}|{statement.share}"
            iri = URIRef(f"{iri}-{name_hash(fingerprint)}")
        iri = self.unique(iri, statement.source)
        unit = _MONEY_UNITS.get(statement.unit.strip())
        self.add(iri, RDF.type, BG.NarrativeStatement)
        self.add(iri, BG.disclosure, self.doc)
        self.add(iri, OBEU_DIMENSION.organization, self.reporter)
        self.add(iri, OBEU_DIMENSION.fiscalYear, YEAR[str(self.disclosure.year)])
        self.add(iri, BG.region, self.region)
        self.add(iri, BG.topic, statement.topic, lang="zh")
        self.add(iri, BG.statementText, statement.text, lang="zh")
        self.add(iri, RDFS.label, f"{self.title} 情况说明：{statement.topic}", lang="zh")
        self.add(iri, PROV.wasDerivedFrom, self.source(statement.source))
        self.figure(iri, statement.value, unit, statement.unit)
        self.add(iri, BG.share, statement.share)
        self.add(iri, BG.growthRate, statement.growth_rate)
        self.add(iri, BG.statedCount, statement.count)
        if statement.change is not None:
            self.add(iri, BG.change, to_yuan(statement.change, unit) if unit else statement.change)
        code = (statement.code or "").strip()
        code_list = codelists.classification_for(code, None) if code else None
        if code_list is not None:
            self.add_all(iri, self.classification(code_list, code))
        elif code:
            self.add(iri, BG.printedCode, code)
        self.prior(iri, statement, unit)

    def figure(self, subject: URIRef, value: Decimal | None, unit: AmountUnit | None,
               printed_unit: str) -> None:
        """A stated figure: money in yuan with its printed value, anything else as printed."""
        if value is None:
            return
        if unit is not None:
            self.money(subject, BG.statedAmount, value, unit)
        else:
            self.add(subject, BG.statedValue, value)
            self.add(subject, BG.statedUnit, printed_unit)

    def prior(self, iri: URIRef, statement: Statement, unit: AmountUnit | None) -> None:
        """Last year's figure: stated, or derived as value − change (marked derived)."""
        previous, derived = statement.previous, statement.previous_derived
        if previous is None and statement.value is not None and statement.change is not None:
            previous, derived = statement.value - statement.change, True
        if previous is None:
            return
        prior = URIRef(f"{iri}/prior")
        self.add(iri, BG.priorYearFigure, prior)
        self.add(prior, RDF.type, BG.PriorYearFigure)
        self.add(prior, OBEU_DIMENSION.fiscalYear, YEAR[str(self.disclosure.year - 1)])
        self.add(prior, OBEU_DIMENSION.organization, self.reporter)
        self.add(prior, BG.topic, statement.topic, lang="zh")
        self.add(prior, BG.isDerived, derived)
        if derived:
            self.add(prior, BG.derivation, "本年数 − 增减额", lang="zh")
        self.add(prior, PROV.wasDerivedFrom, iri)
        self.add(prior, RDFS.label, f"{self.title} 上年数：{statement.topic}", lang="zh")
        self.figure(prior, previous, unit, statement.unit)
        if statement.code:
            for predicate in (BG.functionalClassification, BG.economicClassification):
                self.add(prior, predicate, self.graph.value(iri, predicate))

    # -- performance targets ---------------------------------------------------

    def performance(self, performance: PerformanceTable) -> None:
        table = self.minter.table(self.key, TableKind.PERFORMANCE)
        self.add(table, RDF.type, BG.DisclosureTable)
        self.add(table, RDFS.label, f"{self.title} {TableKind.PERFORMANCE.value}", lang="zh")
        self.add(table, BG.tableKind, self.table_kind(TableKind.PERFORMANCE))
        self.add(table, BG.disclosure, self.doc)
        self.add(table, DCTERMS.isPartOf, self.doc)
        self.add(self.doc, DCTERMS.hasPart, table)
        self.add(table, BG.sourceUnit, UNITS[performance.unit])
        self.add(table, PROV.wasDerivedFrom, self.source(performance.source))
        if performance.stated_total is not None:
            self.add(table, BG.statedPerformanceTotal, to_yuan(performance.stated_total,
                                                               performance.unit))
            if performance.total_source is not None:
                self.add(table, BG.statedTotalSource, self.source(performance.total_source))
        for remark in performance.reader_notes:
            self.add(table, BG.readerNote, remark)
        for project in performance.projects:
            self.project(project, table, performance.unit)

    def project(self, project: Project, table: URIRef, unit: AmountUnit) -> None:
        code = (project.code or "").strip() or None
        responsible = self.unit(project.unit_name) if project.unit_name else self.reporter
        resource = self.minter.project(code, region=self.key.region, org=self.key.org,
                                       name=project.name)
        self.add(resource, RDF.type, BG.Project)
        self.add(resource, RDFS.label, project.name.strip(), lang="zh")
        self.add(resource, DCTERMS.identifier, code)
        self.add(resource, BG.responsibleOrganization, responsible)
        self.add(resource, BG.region, self.region)
        key = str(resource).rsplit("/", 1)[-1]
        target = self.unique(self.minter.performance_target(self.key, key), project.source)
        self.add(target, RDF.type, BG.PerformanceTarget)
        self.add(target, RDFS.label, f"{self.title} 绩效目标：{project.name.strip()}", lang="zh")
        self.add(target, BG.project, resource)
        self.add(target, BG.disclosure, self.doc)
        self.add(target, DCTERMS.isPartOf, table)
        self.add(target, OBEU_DIMENSION.organization, self.reporter)
        self.add(target, BG.responsibleOrganization, responsible)
        self.add(target, OBEU_DIMENSION.fiscalYear, YEAR[str(self.disclosure.year)])
        self.add(target, BG.region, self.region)
        if project.amount is not None:
            self.money(target, BG.approvedAmount, project.amount, unit)
        self.add(target, BG.executionRateWeight, project.execution_weight)
        self.add(target, BG.goal, project.goal.strip(), lang="zh")
        self.add(target, PROV.wasDerivedFrom, self.source(project.source))
        functional = (project.functional_code or "").strip()
        code_list = codelists.classification_for(functional, None) if functional else None
        if code_list is not None:
            self.add_all(target, self.classification(code_list, functional))
        for indicator in project.indicators:
            self.indicator(target, indicator)

    def indicator(self, target: URIRef, indicator: Indicator) -> None:
        key = name_hash(f"{indicator.level1}|{indicator.level2}|{indicator.level3}")
        iri = self.unique(self.minter.indicator(target, key), indicator.source)
        self.add(target, BG.hasIndicator, iri)
        self.add(iri, RDF.type, BG.PerformanceIndicator)
        self.add(iri, BG.indicatorLevel1, indicator.level1.strip(), lang="zh")
        self.add(iri, BG.indicatorLevel2, indicator.level2.strip(), lang="zh")
        self.add(iri, RDFS.label, indicator.level3.strip() or indicator.level2.strip(), lang="zh")
        self.add(iri, BG.operator, indicator.operator.strip())
        self.add(iri, BG.targetText, indicator.target.strip())
        self.add(iri, BG.targetValue, indicator.target_value)
        self.add(iri, BG.measurementUnit, indicator.unit.strip())
        self.add(iri, BG.weight, indicator.weight)
        self.add(iri, BG.currentYearWeight, indicator.current_weight)
        self.add(iri, PROV.wasDerivedFrom, self.source(indicator.source))
