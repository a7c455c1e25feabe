"""Model → RDF: every figure once, with its dimensions, in every format, no floats."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from tests.documents import QINGHAI
from tests.samples import BASE, d, ref, sample_disclosure

from budgetgraph.model import (
    Disclosure,
    Statement,
    to_yuan,
)
from budgetgraph.rdf import RdfFormat, convert, jsonld_context, merged, parse, serialize
from budgetgraph.rdf.codelists import column_term, label_key, table_term
from budgetgraph.rdf.namespaces import (
    BG,
    OBEU_DIMENSION,
    OBEU_MEASURE,
    OBEU_OPERATION,
    OBEU_PHASE,
    PREFIXES,
    PROV,
    QB,
    RDF,
    SKOS,
    XSD,
)
from budgetgraph.rdf.uris import Minter, name_hash

PREFIX_LINES = "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items())


@pytest.fixture(scope="module")
def sample() -> Disclosure:
    return sample_disclosure()


@pytest.fixture(scope="module")
def converted(sample: Disclosure) -> Dataset:
    return convert([sample], base=BASE)


@pytest.fixture(scope="module")
def dataset(converted: Dataset) -> Graph:
    """The union of all graphs (rdflib's Dataset.query warns in 7.6; see serialize.py)."""
    return merged(converted)


def select(graph: Graph, query: str) -> list[tuple[object, ...]]:
    return [tuple(r) for r in graph.query(PREFIX_LINES + "\n" + query)]


def figures(disclosure: Disclosure) -> Counter[tuple[object, ...]]:
    """Every figure of the model as (table, line, row label, column, year, yuan)."""
    found: Counter[tuple[object, ...]] = Counter()
    for table in disclosure.tables:
        keys = {c.key: c for c in table.columns}
        for r in table.rows:
            for key, value in r.values.items():
                if value is None:
                    continue
                column = keys[key]
                meaning = key.rpartition(":")[2]
                term = column_term(meaning, table.kind)
                notation = term.notation if term else "n-" + name_hash(meaning)
                year = column.year or disclosure.year
                found[(table_term(table.kind).notation, r.source.line, label_key(r.name),
                       notation, year, to_yuan(value, table.unit))] += 1
    return found


OBSERVATIONS = """
SELECT ?table ?line ?label ?column ?year ?amount WHERE {
  ?o a qb:Observation ; qb:dataSet/bg:tableKind/skos:notation ?table ;
     bg:column/skos:notation ?column ;
     obeu-dimension:fiscalYear ?y ; obeu-measure:amount ?amount ;
     prov:wasDerivedFrom/bg:lineNumber ?line .
  OPTIONAL { ?o bg:rowLabel ?printed }
  OPTIONAL { ?o bg:functionalClassification|bg:economicClassification|bg:summaryLine ?row .
             ?row skos:prefLabel ?name FILTER(lang(?name) = "zh") }
  BIND(COALESCE(STR(?printed), STR(?name), "") AS ?label)
  BIND(xsd:integer(STRAFTER(STR(?y), "/year/")) AS ?year)
  FILTER NOT EXISTS { ?o bg:isExplicitZero true }
}"""


def as_key(values: tuple[object, ...]) -> tuple[object, ...]:
    table, line, label, column, year, amount = (v.toPython() for v in values)
    return (str(table), line, label_key(str(label)), str(column), year, amount)


def test_every_figure_appears_exactly_once(sample: Disclosure, dataset: Graph) -> None:
    got = Counter(as_key(r) for r in select(dataset, OBSERVATIONS))
    assert got == figures(sample)
    assert sum(got.values()) == 44


def test_observation_has_all_dimensions(dataset: Graph) -> None:
    m = Minter(BASE)
    department = m.org("630223", "互助土族自治县社会保险服务局")
    obs = URIRef(f"{BASE}id/obs/630223/{name_hash('互助土族自治县社会保险服务局')}/2024/budget/"
                 "expenditure/2080109/basic")
    graph = dataset
    assert graph.value(obs, OBEU_MEASURE.amount) == Literal("6928100.00", datatype=XSD.decimal)
    assert graph.value(obs, BG.sourceValue) == Literal("692.81", datatype=XSD.decimal)
    assert graph.value(obs, BG.functionalClassification) == m.concept("func", "2080109", 2024)
    assert graph.value(obs, BG.column) == m.concept("column", "basic")
    assert graph.value(obs, OBEU_DIMENSION.budgetPhase) == OBEU_PHASE.approved
    assert graph.value(obs, OBEU_DIMENSION.organization) == department
    assert graph.value(obs, OBEU_DIMENSION.operationCharacter) == OBEU_OPERATION.expenditure
    assert graph.value(obs, BG.reportingScope) == BG.Consolidated
    table = URIRef(f"{BASE}id/org/630223/{name_hash('互助土族自治县社会保险服务局')}/2024/budget/"
                   "table/expenditure")
    assert graph.value(obs, QB.dataSet) == table
    # what the table or the code list says is said there, once
    assert graph.value(table, BG.sourceUnit) == BG.WanYuan
    assert graph.value(table, QB.structure) == BG.FunctionalTableStructure
    for shortcut in (BG.sourceUnit, BG.item, BG.functionalClass, BG.region, BG.tableKind,
                     BG.expenditureType, BG.rowLabel, BG.printedDecimals):
        assert graph.value(obs, shortcut) is None, shortcut
    line = graph.value(obs, PROV.wasDerivedFrom)
    assert graph.value(line, BG.lineNumber) == Literal(105)


def test_fund_source_from_table_and_column(converted: Dataset, dataset: Graph) -> None:
    """The fund source of a figure follows from its column and table, by the code lists:
    validation derives it (shortcuts.py), the observation does not repeat it."""
    from budgetgraph.shortcuts import shortcuts

    doc = next(g for g in converted.graphs() if (None, RDF.type, BG.Disclosure) in g)
    derived = shortcuts(doc, dataset)
    found = Counter(
        (str(dataset.value(dataset.value(o, QB.dataSet), BG.tableKind)).rsplit("/", 1)[-1],
         str(f).rsplit("/", 1)[-1]) for o, f in derived.subject_objects(BG.fundSource))
    assert found[("general-public-basic", "general-public")] == 8
    assert found[("summary", "general-public")] == 1  # the 一般公共预算拨款收入 row
    assert ("expenditure", "general-public") not in found  # table 3 covers all funds


def test_totals_by_class_recomputed_by_sparql(dataset: Graph) -> None:
    rows = select(dataset, """
      SELECT ?class (SUM(?a) AS ?total) WHERE {
        ?o qb:dataSet/bg:tableKind/skos:notation "expenditure" ; bg:column/skos:notation "total" ;
           bg:functionalClassification ?c ; obeu-measure:amount ?a .
        ?c bg:codeLevel 3 ; skos:broader/skos:broader/skos:notation ?class }
      GROUP BY ?class""")
    assert {str(c): t.toPython() for c, t in rows} == {"208": d("14172400.00")}
    (total,) = select(dataset, """
      SELECT (SUM(?a) AS ?s) WHERE {
        ?o qb:dataSet/bg:tableKind/skos:notation "expenditure" ; bg:column/skos:notation "total" ;
           bg:functionalClassification/bg:codeLevel 1 ; obeu-measure:amount ?a }""")[0]
    (printed,) = select(dataset, """
      SELECT ?a WHERE { ?o qb:dataSet/bg:tableKind/skos:notation "expenditure" ;
        bg:column/skos:notation "total" ; bg:functionalClassification/skos:notation "total" ;
        obeu-measure:amount ?a }""")[0]
    assert total.toPython() == printed.toPython() == d("15831800.00")


def test_empty_table_note_is_an_explicit_zero(dataset: Graph) -> None:
    rows = select(dataset, """
      SELECT ?a ?line WHERE { ?o bg:isExplicitZero true ; qb:dataSet/bg:tableKind ?t ;
        obeu-measure:amount ?a ; bg:column/skos:notation "total" ;
        bg:functionalClassification/skos:notation "total" ;
        prov:wasDerivedFrom/bg:lineNumber ?line }""")
    assert [(a.toPython(), line.toPython()) for a, line in rows] == [(0, 216)]


def test_unknown_column_and_code_are_kept_and_flagged(dataset: Graph) -> None:
    m = Minter(BASE)
    column = m.concept("column", "n-" + name_hash("其他经费"))
    assert (column, RDF.type, BG.UnlistedCode) in dataset
    assert dataset.value(column, SKOS.prefLabel) == Literal("其他经费", lang="zh")
    code = m.concept("func", "2299901", 2024)
    assert (code, RDF.type, BG.UnlistedCode) in dataset
    assert dataset.value(code, SKOS.broader) == m.concept("func", "22999", 2024)
    kuan = m.concept("func", "22999", 2024)
    assert dataset.value(kuan, SKOS.broader) == m.concept("func", "229", 2024)
    assert (m.concept("func", "229", 2024), RDF.type, BG.UnlistedCode) not in dataset
    bad = select(dataset, 'SELECT ?a WHERE { ?o bg:printedCode "20A" ; obeu-measure:amount ?a }')
    assert [a.toPython() for (a,) in bad] == [d("20000.00")]


def test_class_inferred_from_name_in_summary(dataset: Graph) -> None:
    rows = select(dataset, """SELECT ?c WHERE { ?o bg:codeInferredFromName true ;
        bg:summaryLine/skos:notation ?c }""")
    assert [str(c) for (c,) in rows] == ["210"]


def test_income_rows_are_budget_units(dataset: Graph) -> None:
    rows = select(dataset, """SELECT ?unit ?level ?id WHERE {
        ?o bg:budgetUnit ?unit ; bg:rowLevel ?level . OPTIONAL { ?unit org:identifier ?id } }""")
    m = Minter(BASE)
    department = m.org("630223", "互助土族自治县社会保险服务局")
    levels = {(str(u), int(level)) for u, level, _ in rows}
    assert levels == {(str(department), 0), (str(department), 1),
                      (str(m.own_unit(department)), 2)}  # 合计, the department, its 本级 unit
    # the performance table names the 本级 unit with its code
    assert {str(i) for u, _, i in rows if i is not None} == {"504001"}


def test_statements_and_derived_prior_year(dataset: Graph) -> None:
    rows = select(dataset, """SELECT ?amount ?prior ?derived ?stmt WHERE {
        ?stmt a bg:NarrativeStatement ; bg:topic "功能科目"@zh ; bg:statedAmount ?amount ;
              bg:priorYearFigure ?p . ?p bg:statedAmount ?prior ; bg:isDerived ?derived ;
              prov:wasDerivedFrom ?stmt ; obeu-dimension:fiscalYear year:2023 }""")
    assert [(a.toPython(), p.toPython(), x.toPython()) for a, p, x, _ in rows] == [
        (d("7722400.00"), d("7351200.00"), True)]
    vehicles = select(dataset, '''SELECT ?v ?u WHERE {
        ?s bg:topic "车辆"@zh ; bg:statedValue ?v ; bg:statedUnit ?u }''')
    assert [(v.toPython(), str(u)) for v, u in vehicles] == [(d("1"), "辆")]


def test_projects_and_indicators(dataset: Graph) -> None:
    m = Minter(BASE)
    project = m.project("63022300024T000000053", region="", org="", name="")
    rows = select(dataset, f"""SELECT ?amount ?func (COUNT(?i) AS ?n) WHERE {{
        ?t bg:project <{project}> ; bg:approvedAmount ?amount ;
           bg:functionalClassification/skos:notation ?func ; bg:hasIndicator ?i }}
        GROUP BY ?amount ?func""")
    assert [(a.toPython(), str(f), int(n)) for a, f, n in rows] == [(d("177600.00"), "2082602", 3)]
    assert len(select(dataset, "SELECT ?p WHERE { ?p a bg:Project }")) == 2


def test_converting_twice_gives_the_same_graphs(sample: Disclosure) -> None:
    first, second = convert([sample], base=BASE), convert([sample], base=BASE)
    names = {g.identifier for g in first.graphs()}
    assert names == {g.identifier for g in second.graphs()}
    for name in names:
        assert isomorphic(first.graph(name), second.graph(name)), name


def test_base_is_a_parameter_and_iris_stay_ascii(sample: Disclosure) -> None:
    dataset = convert([sample], base="https://budgets.example.cn/data", reference=False)
    own = [str(t) for q in dataset.quads((None, None, None, None)) for t in q
           if isinstance(t, URIRef) and "budgets.example.cn" in str(t)]
    assert own and all(t.startswith("https://budgets.example.cn/data/") for t in own)
    assert all(t.isascii() for q in dataset.quads((None, None, None, None)) for t in q
               if isinstance(t, URIRef))


def test_identity_across_years_and_regions(sample: Disclosure) -> None:
    next_year = sample_disclosure(year=2025)
    other_county = sample_disclosure(region_code="630222",
                                     department="大通回族土族自治县社会保险服务局")
    ds = convert([sample, next_year, other_county], base=BASE, reference=False)
    union = merged(ds)
    departments = set(union.subjects(RDF.type, BG.Department))
    assert len(departments) == 2  # one department across two years, one in the other county
    observations = [s for g in ds.graphs() for s in g.subjects(RDF.type, QB.Observation)]
    assert len(observations) == len(set(observations)) == 3 * 45
    m = Minter(BASE)
    used = set(union.objects(None, BG.functionalClassification))
    assert m.concept("func", "208", 2024) in used and m.concept("func", "208", 2025) in used
    graphs = [g.identifier for g in ds.graphs() if len(g)]
    assert len(graphs) == 3


@pytest.mark.parametrize("fmt", list(RdfFormat), ids=lambda f: f.name)
def test_output_parses_back(converted: Dataset, dataset: Graph, fmt: RdfFormat) -> None:
    back = parse(serialize(converted, fmt), fmt)
    if fmt.quads:
        names = [g.identifier for g in converted.graphs() if len(g)]
        assert len(names) > 5
        for name in names:
            assert isomorphic(back.graph(name), converted.graph(name)), name
    assert isomorphic(merged(back), dataset)


def test_no_binary_float_literal_anywhere(converted: Dataset, dataset: Graph) -> None:
    for fmt in (RdfFormat.TURTLE, RdfFormat.JSONLD):
        back = merged(parse(serialize(converted, fmt), fmt))
        for triple in (*dataset, *back):
            literal = triple[2]
            if isinstance(literal, Literal):
                assert literal.datatype not in (XSD.double, XSD.float), triple
    amounts = list(dataset.objects(None, OBEU_MEASURE.amount))
    assert amounts and all(a.datatype == XSD.decimal for a in amounts)
    assert Literal("1000000.0", datatype=XSD.decimal) in amounts  # 1E+2 万元, written plainly


def test_jsonld_context_file_matches_prefixes() -> None:
    context = jsonld_context()
    assert context == {p: str(ns) for p, ns in PREFIXES.items()}
    assert json.loads(json.dumps(context)) == context


def test_bad_input_does_not_crash() -> None:
    odd = dataclasses.replace(sample_disclosure(), region_code=None, region=None,
                              department="  ", statements=[Statement("", "", ref(1), code="x9")])
    assert len(merged(convert([odd], reference=False))) > 100


def test_qinghai_document_class_208_total() -> None:
    from budgetgraph.readers import read

    disclosure = read(str(QINGHAI))
    dataset = merged(convert([disclosure]))
    assert Counter(as_key(r) for r in select(dataset, OBSERVATIONS)) == figures(disclosure)
    for table in ("expenditure", "general-public"):
        rows = select(dataset, f"""
          SELECT (SUM(?a) AS ?s) WHERE {{
            ?o qb:dataSet/bg:tableKind/skos:notation "{table}" ;
               bg:column/skos:notation "total" ;
               bg:functionalClassification/skos:notation "208" ; obeu-measure:amount ?a }}""")
        assert rows[0][0].toPython() == d("20153700.00")
    zeros = select(dataset, """SELECT ?t WHERE {
        ?o bg:isExplicitZero true ; qb:dataSet/bg:tableKind/skos:notation ?t }""")
    assert sorted(str(t) for (t,) in zeros) == ["government-fund", "state-capital"]


def test_a_regional_series_holds_every_figure_of_its_table_position() -> None:
    """Every observation is in one series, and a series never mixes regions, tables,
    columns or levels; a region's total by 类 reads one series."""
    from budgetgraph.readers import read

    other_county = sample_disclosure(region_code="630222",
                                     department="大通回族土族自治县社会保险服务局")
    union = merged(convert([read(str(QINGHAI)), other_county], base=BASE))
    assert select(union, """SELECT ?o WHERE {
        ?o a qb:Observation FILTER NOT EXISTS { ?o bg:series ?s } }""") == []
    assert select(union, """SELECT ?o WHERE { ?o bg:series ?a , ?b FILTER(?a != ?b) }""") == []
    mixed = select(union, """SELECT ?s WHERE { ?o bg:series ?s ; qb:dataSet ?table ;
        bg:column ?c ; bg:functionalClassification|bg:economicClassification|bg:summaryLine ?row .
        ?table bg:tableKind ?t ; bg:disclosure/bg:region ?r .
        OPTIONAL { ?row bg:codeLevel ?l } } GROUP BY ?s
        HAVING (COUNT(DISTINCT ?r) > 1 || COUNT(DISTINCT ?t) > 1 || COUNT(DISTINCT ?c) > 1
                || COUNT(DISTINCT ?l) > 1)""")
    assert mixed == []
    series = select(union, "SELECT DISTINCT ?s WHERE { ?o bg:series ?s . ?s a bg:Series }")
    assert len(series) > 50
    total = f"{BASE}id/series/630223/2024/budget/general-public/total/level-1"
    rows = select(union, f"""SELECT (SUM(?a) AS ?s) WHERE {{
        ?o bg:series <{total}> ; bg:functionalClassification/skos:notation "208" ;
           obeu-measure:amount ?a }}""")
    assert rows[0][0].toPython() == d("20153700.00")
