"""The code lists: every observed code, the 28 类 with COFOG, regions, fixed lists."""

from __future__ import annotations

import csv

import pytest
from rdflib import Graph, Literal, URIRef
from tests.documents import CODELISTS_DIR

from budgetgraph.model import TableKind
from budgetgraph.rdf import codelists
from budgetgraph.rdf.codelists import (
    ECONOMIC,
    FUNCTIONAL,
    GOV_ECONOMIC,
    classification_for,
    column_term,
    label_key,
)
from budgetgraph.rdf.namespaces import BG, COFOG, RDF, SKOS
from budgetgraph.rdf.uris import TABLE_SLUGS, Minter

M = Minter("http://example.org/")
LEI_2024 = [
    "201", "202", "203", "204", "205", "206", "207", "208", "210", "211", "212", "213", "214",
    "215", "216", "217", "219", "220", "221", "222", "223", "224", "227", "229", "230", "231",
    "232", "233",
]


@pytest.fixture(scope="module")
def func_2024() -> Graph:
    return codelists.classification_graph(M, FUNCTIONAL, 2024)


#: 类 no COFOG function matches: a fund (223), an unallocated reserve (227), "other" (229).
UNMATCHED = frozenset({"223", "227", "229"})


def test_all_28_classes_with_labels_and_cofog(func_2024: Graph) -> None:
    cofog = codelists.cofog_graph()
    scheme = M.scheme("func", 2024)
    tops = set(func_2024.objects(scheme, SKOS.hasTopConcept))
    assert tops == {M.concept("func", c, 2024) for c in LEI_2024}
    for concept in tops:
        langs = {o.language for o in func_2024.objects(concept, SKOS.prefLabel)}
        assert langs == {"zh", "en"}
        matches = [*func_2024.objects(concept, SKOS.closeMatch),
                   *func_2024.objects(concept, SKOS.broadMatch)]
        if str(concept).rsplit("/", 1)[-1] in UNMATCHED:
            assert matches == [], concept
            continue
        assert len(matches) == 1 and str(matches[0]).startswith(str(COFOG))
        assert cofog.value(matches[0], SKOS.notation) is not None, matches[0]
    assert (M.concept("func", "208", 2024), SKOS.closeMatch, COFOG["10"]) in func_2024


@pytest.mark.parametrize(("code_list", "file"), [
    (FUNCTIONAL, "func_class_observed_2023-2026.csv"),
    (ECONOMIC, "dept_econ_class_observed_2023-2026.csv"),
    (GOV_ECONOMIC, "gov_econ_class_partial.csv"),
])
def test_every_observed_code_has_a_concept_with_its_broader_chain(code_list, file) -> None:
    with (CODELISTS_DIR / file).open(encoding="utf-8") as handle:
        observed = list(csv.DictReader(handle))
    graph = codelists.classification_graph(M, code_list, 2025)
    for row in observed:
        concept = M.concept(code_list.name, row["code"], 2025)
        assert graph.value(concept, SKOS.prefLabel) == Literal(row["name"], lang="zh")
        assert graph.value(concept, SKOS.notation) == Literal(row["code"])
        assert graph.value(concept, BG.codeLevel) == Literal(int(row["level"]))
        chain = [concept]
        while (parent := graph.value(chain[-1], SKOS.broader)) is not None:
            chain.append(parent)
        assert len(chain) == int(row["level"])
        assert (chain[-1], SKOS.topConceptOf, M.scheme(code_list.name, 2025)) in graph


def test_economic_mapping_targets_exist() -> None:
    graph = codelists.classification_graph(M, ECONOMIC, 2024)
    gov = codelists.classification_graph(M, GOV_ECONOMIC, 2024)
    pairs = list(graph.subject_objects(SKOS.broadMatch))
    assert len(pairs) == 31
    for dept, target in pairs:
        assert (dept, RDF.type, BG.EconomicCode) in graph
        assert (target, RDF.type, BG.EconomicCode) in gov


def test_regions_broader_chains() -> None:
    graph = codelists.region_graph(M)
    assert graph.value(M.region("630223"), SKOS.broader) == M.region("630200")
    assert graph.value(M.region("630200"), SKOS.broader) == M.region("630000")
    assert graph.value(M.region("310107"), SKOS.broader) == M.region("310000")
    assert Literal("上海市", lang="zh") in set(graph.objects(M.region("310000"), SKOS.prefLabel))
    assert codelists.region_parent("630222") == "630200"
    assert codelists.region_parent("310115") == "310000"


def test_versioned_by_year() -> None:
    assert M.concept("func", "208", 2024) != M.concept("func", "208", 2025)
    assert codelists.is_listed(FUNCTIONAL, "2080109", 2024)
    assert not codelists.is_listed(FUNCTIONAL, "2080109", 2031)
    assert not codelists.is_listed(FUNCTIONAL, "2299901", 2024)


def test_fixed_lists_cover_the_template() -> None:
    for kind in TableKind:
        assert codelists.table_term(kind).notation == TABLE_SLUGS[kind]
    keys = [
        "合计", "基本支出", "项目支出", "事业单位经营支出", "上缴上级支出",
        "对附属单位补助支出", "人员经费", "公用经费", "一般公共预算", "政府性基金预算",
        "国有资本经营预算", "预算数", "小计", "上年结转", "财政拨款收入", "事业收入",
        "年初预算数", "调整预算数", "决算数", "因公出国(境)费", "公务接待费",
    ]
    for key in keys:
        assert column_term(key, TableKind.EXPENDITURE) is not None, key
    assert column_term("小计", TableKind.THREE_PUBLIC).notation == "three-public-vehicles"
    assert column_term("人员经费", TableKind.GENERAL_PUBLIC_BASIC).expenditure_type == "personnel"
    graph = codelists.term_graph(M, "exptype")
    personnel = M.concept("exptype", "personnel")
    assert graph.value(personnel, SKOS.broader) == M.concept("exptype", "basic")
    funds = codelists.term_graph(M, "fund")
    labels = {str(funds.value(c, SKOS.prefLabel)) for c in funds.subjects(RDF.type, BG.FundSource)}
    assert labels >= {
        "一般公共预算", "政府性基金预算", "国有资本经营预算", "财政专户管理资金", "事业收入"}


def test_label_matching_and_code_kinds() -> None:
    assert label_key("二十二. 灾害防治及应急管理支出") == "灾害防治及应急管理支出"
    assert label_key("(一) 一般公共服务支出") == "一般公共服务支出"
    assert codelists.class_by_name("(十九) 住房保障支出", 2024) == "221"
    assert classification_for("2080109", None) is FUNCTIONAL
    assert classification_for("30101", None) is ECONOMIC
    assert classification_for("50101", None) is GOV_ECONOMIC
    assert classification_for("20A", None) is None
    assert classification_for("1234", None) is None


def test_reference_graphs_have_distinct_iris() -> None:
    names = [iri for iri, _ in codelists.reference_graphs(M, [2024, 2030])]
    assert len(names) == len(set(names))
    assert M.code_graph("func", 2024) in names and M.code_graph("func", 2030) not in names
    assert all(isinstance(n, URIRef) for n in names)
