"""Model → RDF: each disclosure becomes one named graph of Data Cube observations.

Every figure of a table (a non-blank cell) is one ``qb:Observation`` carrying
every dimension of its table's structure (``ontology/structure.ttl``): who
reported (organisation and reporting scope), year, phase, revenue or
expenditure, the row (a classification code, a summary line or a budget unit)
and the column. What is the same for the whole table — its unit, currency,
scale and precision — is said once on the table (``qb:componentAttachment
qb:DataSet``), what the code lists say (a code's 类, level, names) is left to
them. The amount is ``xsd:decimal`` in yuan; the printed value and the source
line stay beside it (PROV).

A table whose note says it has no data yields one explicit zero for its total:
the note is a statement of zero, not missing data. Narrative statements,
prior-year figures derived from them, projects and indicators are data too.

Code lists, the structure and the ontology go in their own graphs
(:func:`add_reference`), so a document's graph can be replaced alone; a code the
document uses that is not in our lists gets its concept in the document's
graph, typed ``bg:UnlistedCode``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from importlib.resources import files

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from budgetgraph.model import (
    AmountUnit,
    Column,
    Disclosure,
    DocumentKind,
    Indicator,
    Note,
    PerformanceTable,
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
from budgetgraph.rdf.cube import PHASES, ColumnParts, RowKind, operation, row_kind, scope
from budgetgraph.rdf.names import normalise_name
from budgetgraph.rdf.namespaces import (
    BG,
    CURRENCY,
    DCAT,
    DCTERMS,
    FOAF,
    OBEU_ATTRIBUTE,
    OBEU_DIMENSION,
    OBEU_MEASURE,
    ORG,
    PREFIXES,
    PROV,
    QB,
    RDF,
    RDFS,
    SDMX_ATTRIBUTE,
    SKOS,
    VOID,
    XSD,
    YEAR,
)
from budgetgraph.rdf.organisations import reporting_unit, unit_name
from budgetgraph.rdf.uris import (
    CONSOLIDATED_KINDS,
    DEFAULT_BASE,
    DocKey,
    Minter,
    name_hash,
    segment,
    source_segment,
)

#: The ontology: package data (``ontology/`` of the repository, mapped into the package by
#: pyproject.toml), so an installed wheel finds it too.
ONTOLOGY = files("budgetgraph.ontology") / "budgetgraph.ttl"

UNITS = {AmountUnit.YUAN: BG.Yuan, AmountUnit.WAN_YUAN: BG.WanYuan}
#: Powers of ten of each printed unit: 万元 figures are 10^4 yuan.
UNIT_POWERS = {AmountUnit.YUAN: 0, AmountUnit.WAN_YUAN: 4}
_LEVEL_NAMES = {0: "合计行", 1: "类", 2: "款", 3: "项"}
KIND_CLASSES = {
    DocumentKind.DEPARTMENT_BUDGET: BG.DepartmentBudget,
    DocumentKind.UNIT_BUDGET: BG.UnitBudget,
    DocumentKind.DEPARTMENT_FINAL: BG.DepartmentFinalAccount,
    DocumentKind.UNIT_FINAL: BG.UnitFinalAccount,
    DocumentKind.THREE_PUBLIC_BUDGET: BG.DepartmentBudget,
    DocumentKind.THREE_PUBLIC_FINAL: BG.DepartmentFinalAccount,
}
KIND_EN = {
    DocumentKind.DEPARTMENT_BUDGET: "departmental budget",
    DocumentKind.UNIT_BUDGET: "unit budget",
    DocumentKind.DEPARTMENT_FINAL: "departmental final accounts",
    DocumentKind.UNIT_FINAL: "unit final accounts",
}
CNY = CURRENCY.CNY
SPDX = "http://spdx.org/rdf/terms#"

#: Narrative topics (model.Statement.topic) as IRI segments; others are hashed.
TOPICS = {
    "收入预算": "income", "支出预算": "expenditure", "基本支出": "basic", "项目支出": "project",
    "财政拨款基本支出": "fiscal-grant-basic", "一般公共预算基本支出": "general-public-basic",
    "财政拨款收支": "fiscal-grant", "一般公共预算拨款": "general-public-grant",
    "三公经费": "three-public", "因公出国(境)费": "three-public-abroad",
    "公务用车购置及运行费": "three-public-vehicles", "公务接待费": "three-public-reception",
    "机关运行经费": "operating-costs", "会议费": "meeting-costs", "培训费": "training-costs",
    "政府采购": "procurement", "车辆": "vehicles",
    "设备": "equipment", "绩效目标": "performance", "人员经费": "personnel",
    "公用经费": "public-use", "功能科目": "functional-item",
}
#: Tables whose uncoded rows may be named after a 类 (the two-sided summary tables).
_NAME_CODED_TABLES = frozenset({TableKind.SUMMARY, TableKind.FISCAL_SUMMARY})
_MONEY_UNITS = {unit.value: unit for unit in AmountUnit}
_SIDE_SLUGS = {"收入": "income", "支出": "expenditure"}
#: What a row is: its IRI segment, the value of its table's row dimension, its level
#: (0 total, 1 类 …) and what else it says (a printed name, a malformed code …).
RowItem = tuple[str, URIRef, int | None, list[tuple[URIRef, Node]]]



@dataclass(frozen=True)
class SourceInfo:
    """What is known of the file a disclosure was read from, beyond its name: its
    checksum, where it was published, and when and by which software it was
    converted (a prov:Activity). Without it the conversion is reproducible to the
    byte, which the tests rely on."""

    sha256: str | None = None
    url: str | None = None
    converted: str | None = None  # xsd:dateTime
    software: str | None = None  # budgetgraph's version
    #: the other files of a disclosure published as several (公开表 beside 正文):
    #: each file's name and SHA-256
    parts: tuple[tuple[str, str], ...] = ()


def convert(disclosures: Iterable[Disclosure], *, base: str = DEFAULT_BASE,
            reference: bool = True, sources: Mapping[str, SourceInfo] | None = None
            ) -> Dataset:
    """The RDF of ``disclosures``: one named graph per document, plus (with
    ``reference``) the ontology, the structure and the code lists of their years
    in theirs (of the divisions list, those the documents are in). ``sources``
    gives, per source file, what :class:`SourceInfo` knows."""
    minter = Minter(base)
    dataset = new_dataset()
    years: set[int] = set()
    regions: set[str] = set()
    for disclosure in disclosures:
        info = (sources or {}).get(disclosure.source_file)
        disclosure_graph(disclosure, minter=minter, into=dataset, source=info)
        years.add(disclosure.year)
        regions.add(disclosure_key(disclosure).region)
    if reference:
        add_reference(dataset, minter=minter, years=sorted(years), regions=sorted(regions))
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


def add_reference(dataset: Dataset, *, minter: Minter, years: Iterable[int],
                  regions: Iterable[str] | None = None) -> None:
    """Add the ontology graph, the structure and the code-list graphs (classifications
    of ``years``; every division of GB/T 2260, or ``regions`` and what encloses them)."""
    _fill(dataset, minter.graph("ontology"), ontology_graph())
    for iri, graph in codelists.reference_graphs(minter, list(years), regions=regions):
        _fill(dataset, iri, graph)


def _fill(dataset: Dataset, iri: URIRef, graph: Graph) -> None:
    named = dataset.graph(iri)
    named += graph


def disclosure_key(disclosure: Disclosure) -> DocKey:
    """The natural key of a disclosure, its region found from the department's
    name when the document prints no code (``中共上海市普陀区委…`` → 310107)."""
    region = None
    if not disclosure.region_code:
        found = codelists.region_from_name(disclosure.department)
        region = found if found else None
    return DocKey.of(disclosure, region)


def disclosure_graph(disclosure: Disclosure, *, minter: Minter, into: Dataset | None = None,
                     source: SourceInfo | None = None) -> tuple[URIRef, Graph]:
    """The named graph of one document and its IRI.

    With ``into``, the triples are written straight into that dataset's graph of
    the IRI: copying a finished graph into a dataset costs rdflib about half
    as much again as building it.
    """
    iri = minter.document_graph(disclosure_key(disclosure))
    graph = into.graph(iri) if into is not None else codelists.new_graph()
    _Converter(disclosure, minter, graph, source or SourceInfo()).run()
    return iri, graph


def decimal(value: Decimal) -> Literal:
    """An ``xsd:decimal`` literal in plain notation with a decimal point (``1.0``,
    never ``1E+2``), the form Turtle writes bare, so it survives a round trip."""
    text = format(value, "f")
    return Literal(text if "." in text else text + ".0", datatype=XSD.decimal)


def printed_decimals(value: Decimal) -> int:
    """How many decimals a figure was printed with (``1,006.20`` → 2)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _table_decimals(table: Table) -> int:
    """The decimals most of a table's figures are printed with (said once on the
    table; a figure printed otherwise, a ``0`` among ``0.00``s, says its own)."""
    counts: dict[int, int] = {}
    for row in table.rows:
        for value in row.values.values():
            if value is not None:
                places = printed_decimals(value)
                counts[places] = counts.get(places, 0) + 1
    return max(counts, key=lambda places: (counts[places], places)) if counts else 2


@dataclass
class _Converter:
    """Writes one disclosure into one graph; holds what must be minted only once."""

    disclosure: Disclosure
    minter: Minter
    graph: Graph
    info: SourceInfo
    _used: set[URIRef] = field(default_factory=set)
    _labelled: set[URIRef] = field(default_factory=set)
    _series: set[URIRef] = field(default_factory=set)
    _members: set[tuple[URIRef, URIRef]] = field(default_factory=set)
    _pref_labels: dict[URIRef, str] = field(default_factory=dict)
    #: Per side of the table being written: the lines so far (name, concept, notation).
    _lines: dict[str, list[tuple[str, URIRef, str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        d = self.disclosure
        self.key = disclosure_key(d)
        self.doc = self.minter.disclosure(self.key)
        self.department = self.minter.org(self.key.region, d.department)
        unit = reporting_unit(d)
        if unit is None:
            self.reporter = self.department
        elif unit.own:
            self.reporter = self.minter.own_unit(self.department)
        else:
            self.reporter = self.minter.org(self.key.region, unit.name)
        self.reporter_name = unit.name if unit is not None else d.department
        self.scope = scope(d.kind)
        self.phase = PHASES[d.phase]
        self.region = self._region()
        self.title = f"{self.reporter_name}{d.year}年{d.kind.value}"

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
        if file not in self._labelled:
            self._labelled.add(file)
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
        is not given the observations' own properties (bg:column …): measured at
        1M quads, that made pyoxigraph's plan for the join written the other way
        30× slower (2.1 s against 0.06 s). Series keep the reporting scope apart
        (the kind is in the IRI), so a unit's own document never joins its
        department's series.
        """
        iri = self.minter.series(self.key, kind, column_segment, level)
        self.add(obs, BG.series, iri)
        if iri in self._series:
            return
        self._series.add(iri)
        d = self.disclosure
        self.add(iri, RDF.type, BG.Series)
        rows = _LEVEL_NAMES.get(level, "其他行")
        self.add(iri, RDFS.label, f"{d.region or ''}{d.year}年{d.kind.value} {kind.value} {label} "
                                  f"{rows}", lang="zh")

    def money(self, subject: URIRef, predicate: URIRef, value: Decimal, unit: AmountUnit) -> None:
        """An amount in yuan outside a table (a statement, a target), with the
        printed value, unit and decimals beside it."""
        self.add(subject, predicate, to_yuan(value, unit))
        self.add(subject, BG.sourceValue, value)
        self.add(subject, BG.sourceUnit, UNITS[unit])
        self.add(subject, BG.printedDecimals, printed_decimals(value))

    def member(self, concept: URIRef, scheme: URIRef) -> None:
        """Say that ``concept`` is in ``scheme`` unless a reference graph already does."""
        if (concept, scheme) not in self._members:
            self._members.add((concept, scheme))
            self.add(concept, SKOS.inScheme, scheme)

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
            for row_list in codelists.ROW_LISTS[code_list.name]:
                self.member(iri, row_list)
            self.add(iri, SKOS.notation, Literal(code))
            self.add(iri, BG.codeLevel, code_list.level_of(code))
            parent = code_list.parent_of(code)
            if parent:
                self.add(iri, SKOS.broader, self.concept(code_list, parent))
        if label and iri not in self._labelled:
            self._labelled.add(iri)
            self._pref_labels[iri] = label.strip()
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
            for row_list in codelists.ROW_LISTS.get(scheme, ()):
                self.member(iri, row_list)
            self.add(iri, SKOS.notation, Literal("n-" + name_hash(label)))
            self.add(iri, SKOS.prefLabel, label, lang="zh")
        return iri

    def classification(self, code_list: CodeList, code: str, label: str | None = None
                       ) -> tuple[URIRef, URIRef]:
        """The classification property and concept of a statement's or target's code."""
        concept = self.concept(code_list, code, label)
        prop = BG.functionalClassification if code_list is FUNCTIONAL \
            else BG.economicClassification
        return prop, concept

    def _region(self) -> URIRef | None:
        """The document's division: listed, or described here from what the document
        prints; None (and a structure warning) when neither a code nor a name is known."""
        d = self.disclosure
        code = self.key.region
        if code == "unknown":
            return None
        iri = self.minter.region(code)
        if code in codelists.regions():
            return iri
        self.add(iri, RDF.type, SKOS.Concept)
        self.add(iri, RDF.type, BG.AdministrativeDivision)
        self.add(iri, RDF.type, BG.UnlistedCode)
        self.add(iri, SKOS.inScheme, self.minter.region_scheme())
        self.add(iri, SKOS.prefLabel, d.region, lang="zh")
        if code.isdigit():
            self.add(iri, SKOS.notation, Literal(code))
            parent = codelists.region_parent(code)
            if parent:
                self.add(iri, SKOS.broader, self.minter.region(parent))
        return iri

    # -- the document ----------------------------------------------------------

    def run(self) -> None:
        self.document()
        self.provenance()
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
        self.add(doc, DCTERMS.title, f"{d.year} {KIND_EN[d.kind]}: {self.reporter_name}",
                 lang="en")
        figures = sum(1 for t in d.tables for r in t.rows for v in r.values.values()
                      if v is not None)
        self.add(doc, DCTERMS.description,
                 f"{self.title}：{len(d.tables)}张表、{figures}个数值，按 RDF Data Cube 发布，"
                 "每个数值注明来源行。", lang="zh")
        self.add(doc, DCTERMS.description,
                 f"The {d.year} {KIND_EN[d.kind]} of {self.reporter_name}: {len(d.tables)} "
                 f"tables, {figures} figures as RDF Data Cube observations, each with the "
                 "source line it was read from.", lang="en")
        self.add(doc, OBEU_DIMENSION.organization, self.reporter)
        self.add(doc, DCTERMS.publisher, self.reporter)
        self.add(doc, OBEU_DIMENSION.fiscalYear, YEAR[str(d.year)])
        self.add(doc, OBEU_DIMENSION.budgetPhase, self.phase)
        self.add(doc, BG.reportingScope, self.scope)
        self.add(doc, DCTERMS.temporal, YEAR[str(d.year)])
        self.add(doc, DCTERMS.spatial, self.region)
        self.add(doc, BG.region, self.region)
        consolidated = CONSOLIDATED_KINDS.get(self.key.kind)
        if consolidated is not None:
            department_doc = DocKey(self.key.region, name_hash(d.department), d.year,
                                    consolidated)
            self.add(doc, BG.consolidatedIn, self.minter.disclosure(department_doc))
        for function in d.profile.functions:
            self.add(doc, BG.profileText, function, lang="zh")
        for warning in d.warnings:
            self.add(doc, BG.readerNote, warning, lang="zh")
        coverage = d.coverage
        self.add(doc, BG.figuresTotal, coverage.figures_total)
        self.add(doc, BG.figuresConsumed, coverage.figures_consumed)
        self.add(doc, BG.figuresUnread, len(coverage.unread))
        catalog = self.minter.catalog()
        self.add(catalog, RDF.type, DCAT.Catalog)
        self.add(catalog, DCAT.dataset, doc)

    def provenance(self) -> None:
        """The source file (its checksum and published address when known) and the
        conversion as a prov:Activity, with its time and software version when the
        caller gave them."""
        d, info = self.disclosure, self.info
        file = self.source_file(d.source_file)
        files = [(file, info.sha256),
                 *((self.source_file(name), sha256) for name, sha256 in info.parts)]
        for each, sha256 in files:
            self.add(self.doc, PROV.hadPrimarySource, each)
            self.add(each, RDF.type, PROV.Entity)
            if sha256:
                checksum = BNode()
                self.add(each, URIRef(SPDX + "checksum"), checksum)
                self.add(checksum, RDF.type, URIRef(SPDX + "Checksum"))
                self.add(checksum, URIRef(SPDX + "algorithm"),
                         URIRef(SPDX + "checksumAlgorithm_sha256"))
                self.add(checksum, URIRef(SPDX + "checksumValue"),
                         Literal(sha256, datatype=XSD.hexBinary))
        if info.url:
            self.add(file, DCTERMS.source, URIRef(info.url))
            self.add(self.doc, DCTERMS.source, URIRef(info.url))
        activity = URIRef(f"{self.doc}/conversion")
        self.add(self.doc, PROV.wasGeneratedBy, activity)
        self.add(activity, RDF.type, PROV.Activity)
        self.add(activity, RDFS.label, f"读取并转换 {self.title}", lang="zh")
        for each, _sha256 in files:
            self.add(activity, PROV.used, each)
        if info.converted:
            self.add(activity, PROV.endedAtTime, Literal(info.converted, datatype=XSD.dateTime))
            self.add(self.doc, DCTERMS.issued, Literal(info.converted[:10], datatype=XSD.date))
        if info.software:
            agent = self.minter.software(info.software)
            self.add(activity, PROV.wasAssociatedWith, agent)
            self.add(agent, RDF.type, PROV.SoftwareAgent)
            self.add(agent, RDFS.label, f"budgetgraph {info.software}")
            self.add(agent, DCTERMS.hasVersion, info.software)

    def organisations(self) -> None:
        d = self.disclosure
        self.agent(self.department, d.department)
        self.add(self.department, RDF.type, BG.Department)
        self.add(self.department, RDF.type, ORG.FormalOrganization)
        self.add(self.department, BG.region, self.region)
        self.add(self.department, ORG.identifier, d.department_code)
        if self.reporter != self.department:
            unit = reporting_unit(d)
            self.unit_resource(self.reporter, self.reporter_name,
                               unit.code if unit else d.unit_code, own=bool(unit and unit.own))
        for printed in d.profile.budget_units:
            found = unit_name(printed, d.department)
            if found is None:  # a paragraph of the unit list: kept as printed, not a unit
                self.add(self.doc, BG.unitListText, printed, lang="zh")
            else:
                self.unit(printed)
        for office in d.profile.offices:
            iri = self.minter.office(self.department, office)
            self.add(iri, RDF.type, BG.InternalOffice)
            self.add(iri, RDF.type, ORG.OrganizationalUnit)
            self.add(iri, RDFS.label, office, lang="zh")
            self.add(iri, ORG.unitOf, self.department)
            self.add(self.department, ORG.hasUnit, iri)

    def agent(self, iri: URIRef, name: str) -> None:
        """An organisation that publishes: labelled, and a foaf:Agent with a name
        (DCAT-AP's publisher)."""
        self.add(iri, RDF.type, FOAF.Agent)
        self.add(iri, RDFS.label, name, lang="zh")
        self.add(iri, FOAF.name, name, lang="zh")

    def unit(self, printed: str) -> URIRef:
        """A budget unit named in a list or an income row (``504001-…(本级)`` carries
        its code); the department's own unit for its 本级/本部 entry or its name."""
        found = unit_name(printed, self.disclosure.department)
        name = found.name if found else " ".join(printed.split())
        if found is not None and not found.own and name == normalise_name(
                self.disclosure.department):
            return self.department  # the department itself, listed among its units
        if found is not None and found.own:
            iri = self.minter.own_unit(self.department)
        else:
            iri = self.minter.org(self.key.region, name)
        self.unit_resource(iri, name, found.code if found else None,
                           own=bool(found and found.own))
        self.add(self.doc, BG.coversUnit, iri)
        return iri

    def unit_resource(self, iri: URIRef, name: str, code: str | None, *, own: bool) -> None:
        self.add(iri, ORG.identifier, code)  # any document may be the one printing the code
        if iri in self._labelled:
            return
        self._labelled.add(iri)
        self.add(iri, RDF.type, BG.BudgetUnit)
        self.add(iri, RDF.type, ORG.OrganizationalUnit)
        label = f"{name}（本级）" if own else name
        self.agent(iri, label)
        self.add(iri, BG.region, self.region)
        self.add(iri, ORG.unitOf, self.department)
        self.add(self.department, ORG.hasUnit, iri)
        if own:
            self.add(self.department, BG.ownUnit, iri)

    # -- tables ----------------------------------------------------------------

    def table(self, table: Table) -> None:
        iri = self.minter.table(self.key, table.kind)
        kind = row_kind(table)
        decimals = _table_decimals(table)
        for cls in (BG.DisclosureTable, QB.DataSet):
            self.add(iri, RDF.type, cls)
        self.add(iri, QB.structure, kind.structure)
        self.add(iri, RDFS.label, f"{self.title} {table.kind.value}", lang="zh")
        self.add(iri, DCTERMS.title, table.title, lang="zh")
        self.add(iri, BG.tableKind, self.table_kind(table.kind))
        self.add(iri, BG.disclosure, self.doc)
        self.add(iri, DCTERMS.isPartOf, self.doc)
        self.add(self.doc, DCTERMS.hasPart, iri)
        self.add(iri, OBEU_ATTRIBUTE.currency, CNY)
        self.add(iri, SDMX_ATTRIBUTE.unitMult, Literal(0))
        self.add(iri, SDMX_ATTRIBUTE.decimals,
                 Literal(max(0, decimals - UNIT_POWERS[table.unit])))
        self.add(iri, BG.sourceUnit, UNITS[table.unit])
        self.add(iri, BG.printedDecimals, decimals)
        self.add(iri, PROV.wasDerivedFrom, self.source(table.source))
        for note in table.notes:
            self.add(iri, BG.printedNote, note.text, lang="zh")
        for remark in table.reader_notes:
            self.add(iri, BG.readerNote, remark, lang="zh")
        # two-sided tables repeat a key (预算数) for each side: one column per key
        columns = list({column.key: column for column in reversed(table.columns)}.values())
        self._lines = {}
        printed = False
        for row in table.rows:
            cells = [(column, row.values.get(column.key)) for column in reversed(columns)]
            if all(value is None for _, value in cells):
                continue
            printed = True
            item = self.row_item(table, kind, row)
            for column, value in cells:
                if value is not None:
                    self.observation(table, kind, iri, decimals, row, item, column, value)
        empty_note = next((n for n in table.notes if n.states_empty), None)
        if empty_note is not None:
            self.add(iri, BG.emptyNote, self.source(empty_note.source))
            if not printed:  # the note is the table's only figure: its total is zero
                self.explicit_zero(table, kind, iri, empty_note)

    def table_kind(self, kind: TableKind) -> URIRef:
        return self.minter.concept("table", codelists.table_term(kind).notation)

    def observation(self, table: Table, kind: RowKind, dataset: URIRef, decimals: int,
                    row: Row, item: RowItem, column: Column, value: Decimal) -> URIRef:
        row_segment, row_value, level, extra = item
        parts = ColumnParts.of(column)
        col_term = codelists.column_term(parts.meaning, table.kind)
        col_concept = self.term("column", col_term, parts.meaning)
        col_segment = parts.segment(str(col_concept).rsplit("/", 1)[-1])
        obs = self.unique(self.minter.observation(self.key, table.kind, row_segment, col_segment),
                          row.source)
        self.cube(obs, dataset, parts.year(column, self.disclosure.year),
                  PHASES[column.phase], operation(table, row.side, col_term))
        if kind.dimension is not None:
            self.add(obs, kind.dimension, row_value)
        if kind is RowKind.UNIT:
            self.add(obs, BG.rowLevel, level)
        self.add(obs, BG.column, col_concept)
        for predicate, obj in extra:
            self.add(obs, predicate, obj)
        self.series(obs, table.kind, col_segment, column.label or column.key, level)
        self.add(obs, OBEU_MEASURE.amount, to_yuan(value, table.unit))
        self.add(obs, BG.sourceValue, value)
        if printed_decimals(value) != decimals:
            self.add(obs, BG.printedDecimals, printed_decimals(value))
        self.add(obs, PROV.wasDerivedFrom, self.source(row.source))
        row_text = " ".join(p for p in (row.code, row.name.strip()) if p) or "（未命名行）"
        self.add(obs, RDFS.label, f"{table.kind.value} {row_text} {column.label or column.key}",
                 lang="zh")
        return obs

    def cube(self, obs: URIRef, dataset: URIRef, year: int, phase: URIRef,
             character: URIRef) -> None:
        """The dimensions every observation has, whatever its table's rows."""
        self.add(obs, RDF.type, QB.Observation)
        self.add(obs, QB.dataSet, dataset)
        self.add(obs, OBEU_DIMENSION.organization, self.reporter)
        self.add(obs, OBEU_DIMENSION.fiscalYear, YEAR[str(year)])
        self.add(obs, OBEU_DIMENSION.budgetPhase, phase)
        self.add(obs, BG.reportingScope, self.scope)
        self.add(obs, OBEU_DIMENSION.operationCharacter, character)

    def row_item(self, table: Table, kind: RowKind, row: Row) -> RowItem:
        """The IRI segment of a row, the value of its table's row dimension, its level
        (0 total, 1 类 …) and what else the row says (a printed name that differs from
        the code list's, a malformed code, a code taken from the name)."""
        extra: list[tuple[URIRef, Node]] = []
        side = ""
        if row.side:
            side = (_SIDE_SLUGS.get(row.side.strip()) or segment(row.side, prefix="s-")) + "-"
        if kind is RowKind.UNIT:
            return self.unit_row(row)
        code = (row.code or "").strip()
        code_list = codelists.classification_for(code, table.kind) if code else None
        if code and code_list is None:
            extra.append((BG.printedCode, Literal(code)))
        if code_list is None and not row.is_total and table.kind in _NAME_CODED_TABLES:
            inferred = codelists.class_by_name(row.name, self.disclosure.year)
            if inferred:
                code, code_list = inferred, FUNCTIONAL
                extra.append((BG.codeInferredFromName, Literal(True)))
        if code_list is not None:
            concept = self.concept(code_list, code, row.name or None)
            self.row_member(concept, kind, code_list.name)
            listed = code_list.codes.get(code) if codelists.is_listed(
                code_list, code, self.disclosure.year) else None
            reference = listed.name_zh if listed else self._pref_labels.get(concept)
            self.printed_name(row, reference, extra)
            level = row.level if row.level is not None else code_list.level_of(code)
            return side + code, concept, level, extra
        concept, notation, level, reference = self.named_row(row)
        concept, notation, reference = self.repeated_line(row, concept, notation, reference)
        self.row_member(concept, kind, None)
        self.printed_name(row, reference, extra)
        return side + notation, concept, level, extra

    @staticmethod
    def printed_name(row: Row, reference: str | None, extra: list[tuple[URIRef, Node]]) -> None:
        """Keep the row's printed name where it is not its concept's name (up to
        spacing and list numbering): the code list names a code once for all."""
        name = row.name.strip()
        if name and (reference is None
                     or codelists.label_key(reference) != codelists.label_key(name)):
            extra.append((BG.rowLabel, Literal(name, lang="zh")))

    def row_member(self, concept: URIRef, kind: RowKind, code_list: str | None) -> None:
        """Make sure the row's concept is in its dimension's code list (IC-19): the
        reference graphs say so for the usual cases, the document for the rest."""
        lists = {RowKind.FUNCTIONAL: BG.FunctionalRows, RowKind.ECONOMIC: BG.EconomicRows,
                 RowKind.SUMMARY: BG.SummaryRows}
        target = lists.get(kind)
        if target is None:
            return
        scheme = code_list or str(concept).rsplit("/", 2)[-2]
        if target not in codelists.ROW_LISTS.get(scheme, ()):
            self.member(concept, target)

    def named_row(self, row: Row) -> tuple[URIRef, str, int | None, str | None]:
        """A row without a code: an income type, a summary item (合计 …), a fund source
        (一般公共预算资金 under 财政拨款收入), an expenditure type, or a name we do not
        know (minted from its hash); with its level and the name its concept has."""
        name = row.name.strip()
        level = 0 if row.is_total or row.level == 0 else None
        for scheme in ("income", "item", "fund", "exptype"):
            found = codelists.term(scheme, name) if name else None
            if found is not None:
                iri = self.minter.concept(scheme, found.notation)
                return iri, found.notation, level, found.label_zh
        item = codelists.terms()["item", "row"] if not name else None
        if row.is_total:
            item = codelists.terms()["item", "total"]
        iri = self.term("item", item, name)
        return iri, str(iri).rsplit("/", 1)[-1], level, item.label_zh if item else name

    def repeated_line(self, row: Row, concept: URIRef, notation: str, reference: str | None
                      ) -> tuple[URIRef, str, str | None]:
        """A summary line printed again lower in the same side of a table is a line of
        the group above it (F01: 一般公共预算财政拨款 under 年初财政拨款结转和结余): its
        concept is that group's line, so the two figures keep apart."""
        side = row.side or ""
        seen = self._lines.setdefault(side, [])
        name = row.name.strip()
        if concept not in {c for _, c, _ in seen}:
            seen.append((name, concept, notation))
            return concept, notation, reference
        names = [entry[0] for entry in seen]
        group = next((entry for entry in reversed(seen)
                      if names.count(entry[0]) == 1 and entry[0] != name), None)
        # no line above to belong to: the repeat is told apart by where it is printed
        label = f"{group[0]}：{name}" if group else f"{name}（{source_segment(row.source)}）"
        line = self.term("item", None, label)
        if group:
            self.add(line, SKOS.broader, group[1])
        seen.append((name, line, notation))
        return line, str(line).rsplit("/", 1)[-1], label

    def unit_row(self, row: Row) -> RowItem:
        """A row of a table by budget unit: the whole (合计, the reporting
        organisation at level 0), the department (level 1) or one of its units
        (level 2)."""
        name = row.name.strip()
        if row.is_total or not name:
            return "total", self.reporter, 0, [(BG.rowLabel, Literal(name or "合计", lang="zh"))]
        found = unit_name(name, self.disclosure.department)
        if found is not None and not found.own and found.name == normalise_name(
                self.disclosure.department):
            iri, level = self.department, 1
        else:
            iri, level = self.unit(name), 2
        return f"unit-{str(iri).rsplit('/', 1)[-1]}", iri, level, [
            (BG.rowLabel, Literal(name, lang="zh"))]

    def explicit_zero(self, table: Table, kind: RowKind, dataset: URIRef, note: Note) -> None:
        """The zero a 无数据 note states, as the table's total (first total column)."""
        column = table.column("合计") or table.column("小计") or (table.columns or [None])[0]
        column = column or Column(key="合计", label="合计")
        parts = ColumnParts.of(column)
        col_term = codelists.column_term(parts.meaning, table.kind)
        col_concept = self.term("column", col_term, parts.meaning)
        col_segment = parts.segment(str(col_concept).rsplit("/", 1)[-1])
        obs = self.unique(self.minter.observation(self.key, table.kind, "total", col_segment),
                          note.source)
        total = self.minter.concept("item", "total")
        self.cube(obs, dataset, parts.year(column, self.disclosure.year), PHASES[column.phase],
                  operation(table, None, col_term))
        if kind.dimension is not None:
            self.add(obs, kind.dimension, self.reporter if kind is RowKind.UNIT else total)
        if kind is RowKind.UNIT:
            self.add(obs, BG.rowLevel, 0)
        self.add(obs, BG.column, col_concept)
        self.series(obs, table.kind, col_segment, column.label or column.key, 0)
        self.add(obs, BG.isExplicitZero, True)
        self.add(obs, OBEU_MEASURE.amount, Decimal(0))
        self.add(obs, BG.sourceValue, Decimal(0))
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
            self.add(iri, *self.classification(code_list, code))
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
            self.add(table, BG.readerNote, remark, lang="zh")
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
        if project.amount is not None:
            self.money(target, BG.approvedAmount, project.amount, unit)
        self.add(target, BG.executionRateWeight, project.execution_weight)
        self.add(target, BG.goal, project.goal.strip(), lang="zh")
        self.add(target, PROV.wasDerivedFrom, self.source(project.source))
        functional = (project.functional_code or "").strip()
        code_list = codelists.classification_for(functional, None) if functional else None
        if code_list is not None:
            self.add(target, *self.classification(code_list, functional))
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
