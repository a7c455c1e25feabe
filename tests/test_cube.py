"""The published cube on every real document: RDF Data Cube well-formed, OpenBudgets.eu
checks pass, nothing of the model lost, and no figure counted twice.

Each corpus document is read and converted once (module fixture); the checks run
on pyoxigraph in memory, over the document's graph and the reference graphs the
store holds (structure, OpenBudgets.eu declarations, code lists).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pyoxigraph as ox
import pytest
from tests.datacube import IC_COUNT, integrity_breaks, normalise, obeu_breaks, store_of
from tests.documents import JIANGSU_DIR, PDF_DIR, QINGHAI_CORPUS

from budgetgraph.model import Disclosure
from budgetgraph.rdf import codelists
from budgetgraph.rdf.convert import convert, printed_decimals
from budgetgraph.rdf.cube import PHASES, ColumnParts, RowKind, operation, row_kind
from budgetgraph.rdf.names import normalise_name
from budgetgraph.rdf.serialize import RdfFormat, serialize
from budgetgraph.rdf.uris import TABLE_SLUGS, name_hash
from budgetgraph.readers import read
from budgetgraph.web.examples import (
    BASIC_VS_PROJECT,
    COUNTED_ONCE,
    EXECUTION,
    FUNCTION_BY_REGION,
    PREFIXES,
    THREE_PUBLIC_OVER_YEARS,
)

#: the Jiangsu disclosure published as two files, named as the CLI joins them
_J03_J04 = "+".join(sorted(p.name for p in JIANGSU_DIR.glob("J0[34]_*.pdf")))
CORPUS = [*sorted(PDF_DIR.glob("*.pdf")), QINGHAI_CORPUS,
          *sorted(p for p in JIANGSU_DIR.glob("J0*.pdf") if p.name[:3] not in ("J03", "J04")),
          JIANGSU_DIR / _J03_J04]
BASE = "http://127.0.0.1:8000/"


@pytest.fixture(scope="module")
def documents() -> dict[str, Disclosure]:
    return {path.name: read(path) for path in CORPUS}


def _nquads(disclosures: list[Disclosure], *, ontology: bool, regions: bool = False) -> str:
    """The documents' graphs with the reference graphs (the list of regions only when
    asked: no observation has a region as dimension), with or without the ontology."""
    dataset = convert(disclosures, base=BASE)
    for graph in list(dataset.graphs()):
        name = str(graph.identifier)
        if (not regions and name.endswith("/graph/region")) or (
                not ontology and name.endswith("/graph/ontology")):
            dataset.remove_graph(graph)
    return serialize(dataset, RdfFormat.NQUADS)


@pytest.fixture(scope="module")
def converted(documents: dict[str, Disclosure]) -> dict[str, str]:
    """Each document converted once, as N-Quads with the reference graphs."""
    return {name: _nquads([doc], ontology=True) for name, doc in documents.items()}


@pytest.mark.parametrize("name", [path.name for path in CORPUS])
def test_all_21_integrity_constraints_hold(converted: dict[str, str], name: str) -> None:
    """Normalised as the recommendation says, with and without the ontology merged."""
    for ontology in (False, True):
        store = store_of(converted[name], without=None if ontology else BASE + "graph/ontology")
        normalise(store)
        breaks = integrity_breaks(store)
        assert {ic.split()[0] for ic in breaks} == {f"IC-{n}" for n in range(1, IC_COUNT + 1)}
        assert {ic: rows[:3] for ic, rows in breaks.items() if rows} == {}, (name, ontology)
        assert obeu_breaks(store) == dict.fromkeys(
            ["code_list_redefinition", "hijacked_core_namespace",
             "missing_mandatory_component_properties", "property_instantiation",
             "use_of_abstract_property", "use_of_deprecated_term"], 0)


def test_the_checks_find_what_breaks_them(converted: dict[str, str]) -> None:
    """The constraint queries are not vacuous: a duplicate observation, a missing
    dimension, a code outside its list and a DSD without its mandatory OBEU
    dimension are each found."""
    text = converted[QINGHAI_CORPUS.name]
    store = store_of(text)
    obs = next(iter(store.query(PREFIXES + "SELECT ?o WHERE { ?o a qb:Observation ; "
                                "bg:functionalClassification ?c } LIMIT 1")))["o"]
    twin = ox.NamedNode(obs.value + "-twin")
    for quad in list(store.quads_for_pattern(obs, None, None, None)):
        store.add(ox.Quad(twin, quad.predicate, quad.object, quad.graph_name))
    column = ox.NamedNode("https://w3id.org/budgetgraph/def#column")
    economic = ox.NamedNode("https://w3id.org/budgetgraph/def#economicClassification")
    other = next(q for q in store.quads_for_pattern(None, column, None, None)
                 if next(store.quads_for_pattern(q.subject, economic, None, None), None))
    store.remove(other)
    item = ox.NamedNode("https://w3id.org/budgetgraph/def#functionalClassification")
    dataset = ox.NamedNode("http://purl.org/linked-data/cube#dataSet")
    coded = next(q for q in store.quads_for_pattern(None, item, None, None)
                 if q.subject not in (obs, twin)
                 and next(store.quads_for_pattern(q.subject, dataset, None, None), None))
    store.remove(coded)
    store.add(ox.Quad(coded.subject, item, ox.NamedNode(BASE + "id/code/func/2024/999"),
                      coded.graph_name))
    normalise(store)
    breaks = integrity_breaks(store)
    assert (obs.value, twin.value) in breaks["IC-12 no duplicate observations"]
    assert [row[0] for row in breaks["IC-11 all dimensions required"]] == [other.subject.value]
    assert [row[2] for row in breaks["IC-19 codes from code list (scheme)"]] == [
        BASE + "id/code/func/2024/999"]
    store.update(PREFIXES + """DELETE { ?spec ?p ?o } WHERE {
      ?dsd qb:component ?spec . ?spec qb:componentProperty obeu-dimension:operationCharacter ;
      ?p ?o }""")
    assert obeu_breaks(store)["missing_mandatory_component_properties"] == 5


# -- nothing lost ------------------------------------------------------------------------

CELLS = PREFIXES + """PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?obs ?kind ?character ?structure ?code ?printedCode ?inferred ?name ?column ?year
       ?phase ?value ?decimals ?tableDecimals ?unit WHERE {
  ?table a qb:DataSet ; bg:tableKind/skos:notation ?kind ; qb:structure ?structure ;
         bg:sourceUnit ?unit ; bg:printedDecimals ?tableDecimals .
  ?obs qb:dataSet ?table ; bg:column/skos:notation ?column ;
       obeu-dimension:fiscalYear ?year ; obeu-dimension:budgetPhase ?phase ;
       obeu-dimension:operationCharacter ?character ; bg:sourceValue ?value .
  OPTIONAL { ?obs bg:printedDecimals ?decimals }
  OPTIONAL { ?obs bg:functionalClassification|bg:economicClassification|bg:summaryLine ?row .
             OPTIONAL { ?row bg:codeLevel ?level ; skos:notation ?code }
             OPTIONAL { ?row skos:prefLabel ?label FILTER(lang(?label) = "zh") } }
  OPTIONAL { ?obs bg:rowLabel ?printed }
  OPTIONAL { ?obs bg:printedCode ?printedCode }
  OPTIONAL { ?obs bg:codeInferredFromName ?inferred }
  FILTER NOT EXISTS { ?obs bg:isExplicitZero true }
  BIND(COALESCE(?printed, ?label, "") AS ?name)
}"""
SIDES = {"收入": "revenue", "支出": "expenditure"}


def _model_cells(doc: Disclosure) -> Counter[tuple[str, ...]]:
    """Every non-blank cell of the model: table, side, row (code, printed name),
    column meaning, year, phase, the figure as printed, and the table's unit."""
    cells: Counter[tuple[str, ...]] = Counter()
    for table in doc.tables:
        columns = {column.key: column for column in reversed(table.columns)}
        for row in table.rows:
            for column in columns.values():
                value = row.values.get(column.key)
                if value is None:
                    continue
                parts = ColumnParts.of(column)
                term = codelists.column_term(parts.meaning, table.kind)
                meaning = term.notation if term else "n-" + name_hash(parts.meaning)
                side = SIDES.get((row.side or "").strip(), "")
                if not side and row_kind(table) is RowKind.SUMMARY:  # lines of one side
                    side = str(operation(table, None, term)).rsplit("/", 1)[-1]
                name = row.name.strip()
                cells[(TABLE_SLUGS[table.kind], side, (row.code or "").strip(),
                       codelists.label_key(name) if name else "", meaning,
                       str(parts.year(column, doc.year)), str(PHASES[column.phase]),
                       f"{value:f}", str(printed_decimals(value)), table.unit.name)] += 1
    return cells


def _rdf_cells(store: ox.Store) -> Counter[tuple[str, ...]]:
    cells: Counter[tuple[str, ...]] = Counter()
    for row in store.query(CELLS):  # type: ignore[union-attr]
        def get(name: str, row: ox.QuerySolution = row) -> str:
            term = row[name]
            return "" if term is None else term.value

        summary = get("structure").endswith("#SummaryTableStructure")
        code = get("printedCode") or ("" if get("inferred") else get("code"))
        if code == "total":
            code = ""
        decimals = get("decimals") or get("tableDecimals")
        value = Decimal(get("value"))
        printed = f"{value.quantize(Decimal(1).scaleb(-int(decimals))):f}"
        unit = "WAN_YUAN" if get("unit").endswith("#WanYuan") else "YUAN"
        cells[(get("kind"), get("character").rsplit("/", 1)[-1] if summary else "", code,
               codelists.label_key(get("name")) if get("name") else "", get("column"),
               get("year").rsplit("/", 1)[-1], get("phase"), printed, decimals, unit)] += 1
    return cells


@pytest.mark.parametrize("name", [path.name for path in CORPUS])
def test_every_cell_comes_back_from_the_graph(documents: dict[str, Disclosure],
                                              converted: dict[str, str], name: str) -> None:
    """SPARQL over the document's graph gives back the model's cells, one for one:
    which table, side, row (code and printed name), column, year and phase, and the
    figure as printed in the table's unit."""
    doc = documents[name]
    store = store_of(converted[name])
    model, rdf = _model_cells(doc), _rdf_cells(store)
    assert sum(model.values()) > 50
    assert model - rdf == Counter(), "cells of the model missing from the graph"
    assert rdf - model == Counter(), "observations that are no cell of the model"


def test_operating_costs_are_their_own_item(converted: dict[str, str]) -> None:
    """机关运行经费 printed in the 三公 table is its own column meaning, outside 三公:
    not under the 三公 total and not any of its parts."""
    store = store_of(converted[next(p.name for p in CORPUS if p.name.startswith("F04"))])
    rows = list(store.query(PREFIXES + """SELECT ?broader ?amount WHERE {
      ?t bg:tableKind/skos:notation "three-public" . ?o qb:dataSet ?t ;
         bg:column ?c ; obeu-measure:amount ?amount . ?c skos:notation "operating-costs" .
      OPTIONAL { ?c skos:broader ?broader } }"""))
    assert len(rows) == 1 and rows[0]["broader"] is None and Decimal(rows[0]["amount"].value) > 0


# -- one figure per fact ------------------------------------------------------------------

PER_DEPARTMENT = PREFIXES + """PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?department ?year (SUM(?amount) AS ?yuan) (COUNT(?doc) AS ?documents) WHERE {
  ?doc a bg:Disclosure ; obeu-dimension:budgetPhase obeu-budgetphase:approved ;
       obeu-dimension:organization ?org ; obeu-dimension:fiscalYear ?year .
  """ + COUNTED_ONCE + """
  { SELECT DISTINCT ?org ?department WHERE {
      { ?org a bg:Department . BIND(?org AS ?department) } UNION { ?org org:unitOf ?department } } }
  ?table bg:disclosure ?doc ; bg:tableKind/skos:notation "expenditure" .
  ?obs qb:dataSet ?table ; bg:column/skos:notation "total" ;
       bg:functionalClassification/skos:notation "total" ; obeu-measure:amount ?amount .
} GROUP BY ?department ?year"""


@pytest.fixture(scope="module")
def everything(documents: dict[str, Disclosure]) -> ox.Store:
    """Every corpus document loaded together, as a store with a union default graph."""
    store = ox.Store()
    store.load(_nquads(list(documents.values()), ontology=True, regions=True).encode(),
               format=ox.RdfFormat.N_QUADS)
    return store


def _query(store: ox.Store, text: str) -> list[dict[str, str]]:
    solutions = store.query(text, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
    return [{name: row[name].value for name in names if row[name] is not None}
            for row in solutions]  # type: ignore[union-attr]


def test_sums_across_documents_count_each_figure_once(documents: dict[str, Disclosure],
                                                      everything: ox.Store) -> None:
    """Per department and year, the sum over every loaded budget (its 部门预算, its own
    unit's 单位预算 …) is the 部门预算's own 合计: a unit's document is part of it."""
    sums = {(row["department"], row["year"].rsplit("/", 1)[-1]): Decimal(row["yuan"])
            for row in _query(everything, PER_DEPARTMENT)}
    departments = [doc for doc in documents.values() if doc.kind.value == "部门预算"]
    assert len(departments) >= 6
    for doc in departments:
        expenditure = next(t for t in doc.tables if TABLE_SLUGS[t.kind] == "expenditure")
        total = expenditure.total_row()
        own = total.values["合计"] * expenditure.unit.factor  # type: ignore[union-attr,operator]
        key = next(k for k in sums if k[1] == str(doc.year)
                   and k[0].endswith("/" + name_hash(doc.department)))
        assert sums[key] == own, doc.source_file


def test_the_landing_example_gives_each_region_its_208_once(documents: dict[str, Disclosure],
                                                            everything: ox.Store) -> None:
    """The landing page's 208-by-region example against the model: each region's
    208 in 支出总表, summing 部门 documents and only those unit documents whose
    department's document is not loaded."""
    expected: dict[tuple[str, str], Decimal] = {}
    consolidated = {(normalise_name(d.department), d.year) for d in documents.values()
                    if d.kind.value == "部门预算"}
    for doc in documents.values():
        if doc.kind.value not in ("部门预算", "单位预算"):
            continue
        if doc.kind.value == "单位预算" and (normalise_name(doc.department), doc.year) \
                in consolidated:
            continue
        table = next(t for t in doc.tables if TABLE_SLUGS[t.kind] == "expenditure")
        row = table.row("208")
        if row is not None and row.values.get("合计") is not None:
            key = (str(doc.year), doc.region_code or codelists.region_from_name(doc.department))
            expected[key] = expected.get(key, Decimal(0)) + row.values["合计"] * table.unit.factor
    got = {(row["year"].rsplit("/", 1)[-1], row["code"]): Decimal(row["yuan"])
           for row in _query(everything, FUNCTION_BY_REGION)}
    assert got == expected
    f05 = documents[next(p.name for p in CORPUS if p.name.startswith("F05"))]
    f05_table = next(t for t in f05.tables if TABLE_SLUGS[t.kind] == "expenditure")
    assert f05_table.row("208") is not None, "F05 prints 208: leaving it out is what is tested"


# -- the researcher's questions, against the model ------------------------------------------


def _counted(documents: dict[str, Disclosure]) -> list[Disclosure]:
    """The budgets a sum counts: 部门预算, and 单位预算 whose department's is not loaded."""
    consolidated = {(normalise_name(d.department), d.year) for d in documents.values()
                    if d.kind.value == "部门预算"}
    return [d for d in documents.values() if d.kind.value == "部门预算" or (
        d.kind.value == "单位预算" and (normalise_name(d.department), d.year) not in consolidated)]


def test_basic_against_project_spending(documents: dict[str, Disclosure],
                                        everything: ox.Store) -> None:
    expected: Counter[tuple[str, str, Decimal]] = Counter()
    for doc in _counted(documents):
        table = next(t for t in doc.tables if TABLE_SLUGS[t.kind] == "expenditure")
        total = table.total_row()
        for key, kind in (("基本支出", "basic"), ("项目支出", "project")):
            value = total.values.get(key) if total else None
            if value is not None:
                expected[(str(doc.year), kind, value * table.unit.factor)] += 1
    got = Counter((row["year"].rsplit("/", 1)[-1], row["type"], Decimal(row["yuan"]))
                  for row in _query(everything, BASIC_VS_PROJECT))
    assert got == expected and len(got) > 10


THREE_PUBLIC_ITEMS = {"total", "three-public-abroad", "three-public-vehicles",
                      "three-public-reception", "operating-costs"}


def test_three_public_costs_over_years(documents: dict[str, Disclosure],
                                       everything: ox.Store) -> None:
    expected: Counter[tuple[str, str, str, Decimal]] = Counter()
    for doc in documents.values():
        for table in doc.tables:
            if TABLE_SLUGS[table.kind] != "three-public":
                continue
            if table.states_empty and not any(v is not None for r in table.rows
                                              for v in r.values.values()):
                first = table.column("合计") or table.column("小计") or table.columns[0]
                expected[(str(doc.year), str(PHASES[first.phase]), "total", Decimal(0))] += 1
            for column in table.columns:
                parts = ColumnParts.of(column)
                term = codelists.column_term(parts.meaning, table.kind)
                value = table.rows[0].values.get(column.key) if table.rows else None
                if (value is None or term is None or term.notation not in THREE_PUBLIC_ITEMS
                        or parts.year(column, doc.year) != doc.year):
                    continue
                expected[(str(doc.year), str(PHASES[column.phase]), term.notation,
                          value * table.unit.factor)] += 1
    got = Counter((row["year"].rsplit("/", 1)[-1], row["phase"], row["item"],
                   Decimal(row["amount"])) for row in _query(everything, THREE_PUBLIC_OVER_YEARS))
    assert got == expected and len(got) > 20


def test_execution_of_the_budget(documents: dict[str, Disclosure],
                                 everything: ox.Store) -> None:
    """决算 against 预算 of the same column: in the corpus, the 三公 tables of the
    决算 documents print both (F02: 公务接待费 3,900 against 28,500, 13.68%)."""
    expected = set()
    for doc in documents.values():
        for table in doc.tables:
            if TABLE_SLUGS[table.kind] != "three-public" or not table.rows:
                continue
            by_key = {(ColumnParts.of(c).period, ColumnParts.of(c).meaning, c.phase.value):
                      table.rows[0].values.get(c.key) for c in table.columns}
            for (period, meaning, phase), final in by_key.items():
                budget = by_key.get((period, meaning, "预算"))
                if phase == "决算" and final is not None and budget:
                    percent = (final / budget * 100).quantize(Decimal("0.01"))
                    expected.add((codelists.column_term(meaning, table.kind).notation,
                                  final * table.unit.factor, percent))
    got = {(row["column"], Decimal(row["final"]), Decimal(row["percent"]).quantize(
        Decimal("0.01"))) for row in _query(everything, EXECUTION)}
    assert got == expected and ("three-public-reception", Decimal(3900),
                                Decimal("13.68")) in got
