"""The pages for people, over real HTTP, on real converted documents.

The store holds the Qinghai 部门预算 (互助土族自治县社会保险服务局 2024), the
Putuo 财政局's real 2024 决算 (F01) and 2025 预算 (F11), and one GENERATED
fixture: the Qinghai 预算 turned into a 决算 (kind and every column's phase
changed, every figure × 0.9, source file renamed, a script tag in one table
title), because the corpus has no 预算 and 决算 of the same department and year,
which the side-by-side view needs.
"""

from __future__ import annotations

import html
import json
import re
import urllib.parse
from decimal import Decimal
from typing import Any

import pytest
import rdflib
from tests.samples import XSS
from tests.servers import BASE, fetch
from tests.stores import RealStore

from budgetgraph.web.examples import BASIC_VS_PROJECT, BROKEN_IDENTITIES, EXAMPLE_QUERIES

BUREAU = "互助土族自治县社会保险服务局"
ORG = "/id/org/630223/e6b42d96fa"
BUDGET = ORG + "/2024/budget"
FINAL = ORG + "/2024/final"
CODE = "/id/code/func/2024/2080109"
PROJECT = "/id/project/63022300024T000000053"


def page(url: str) -> str:
    status, headers, body = fetch(url, accept="text/html")
    assert status == 200, body[:500]
    assert headers["Content-Type"].startswith("text/html")
    return body.decode()


def page_json(url: str) -> dict[str, Any]:
    status, _, body = fetch(url, accept="application/json")
    assert status == 200
    return json.loads(body)  # type: ignore[no-any-return]


def links(text: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'href="([^"]+)"', text)]


# --- landing page ---------------------------------------------------------------

def test_landing_figures_come_from_the_data(real_server: str) -> None:
    landing = page_json(real_server + "/")
    assert landing["documents"] == 4
    assert landing["years"] == ["2024", "2025"]
    regions = {region["label"] for region in landing["regions"]}
    assert regions == {"互助土族自治县", "普陀区"}  # GB/T 2260 names
    bureau = next(d for d in landing["departments"] if d["label"] == BUREAU)
    assert bureau["href"] == ORG and bureau["region"] == "互助土族自治县"
    assert {(d["year"], d["phase"]) for d in bureau["documents"]} == {("2024", "预算"),
                                                                       ("2024", "决算")}


def test_a_researcher_clicks_from_the_landing_page_to_an_observation(real_server: str) -> None:
    landing = page(real_server + "/")
    assert ORG in links(landing) and BUREAU in landing
    department = page(real_server + ORG)
    assert BUDGET in links(department)
    budget = page(real_server + BUDGET)
    assert CODE in links(budget)
    code = page(real_server + CODE)
    observation = ("/id/obs/630223/e6b42d96fa/2024/budget/expenditure/2080109/total")
    assert observation in links(code)
    obs = page(real_server + observation)
    assert ">7,722,400</span>" in obs  # 772.24 万元 in yuan, with separators for people
    assert "7722400" in fetch(real_server + observation, accept="text/turtle")[2].decode()


def test_void_coverage_is_real(real_server: str) -> None:
    status, _, body = fetch(real_server + "/.well-known/void", accept="text/turtle")
    graph = rdflib.Graph().parse(data=body, format="turtle")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    dataset = rdflib.URIRef(BASE + ".well-known/void#dataset")
    period = graph.value(dataset, rdflib.DCTERMS.temporal)
    assert status == 200 and period is not None
    assert str(graph.value(period, dcat.startDate)) == "2024"
    assert str(graph.value(period, dcat.endDate)) == "2025"
    spatial = set(graph.objects(dataset, rdflib.DCTERMS.spatial))
    assert rdflib.URIRef(BASE + "id/region/630223") in spatial
    assert rdflib.URIRef(BASE + "id/region/310107") in spatial


@pytest.mark.parametrize("example", [e for e in EXAMPLE_QUERIES if e.query != BROKEN_IDENTITIES],
                         ids=lambda e: e.title_en)
def test_each_example_returns_rows(real_server: str, example: Any) -> None:
    """Each landing-page query answers on the loaded documents (the one that lists
    documents breaking an identity needs a forced load: tests/test_publication.py)."""
    status, _, body = fetch(real_server + "/sparql?" + urllib.parse.urlencode(
        {"query": example.query}), accept="application/sparql-results+json")
    assert status == 200, body[:300]
    assert len(json.loads(body)["results"]["bindings"]) >= 1


def test_example_bureau_split_adds_up_to_table_1(real_server: str, real_store: RealStore) -> None:
    """Basic + project spending of the Qinghai bureau is the 2,181.31 万元 that table 1
    prints as its total expenditure (only the Qinghai graphs are asked)."""
    params = [("query", BASIC_VS_PROJECT)]
    for graph in real_store.qinghai_graphs:
        params += [("default-graph-uri", graph), ("named-graph-uri", graph)]
    status, _, body = fetch(real_server + "/sparql", data=urllib.parse.urlencode(params).encode(),
                            content_type="application/x-www-form-urlencoded",
                            accept="application/sparql-results+json")
    assert status == 200, body[:300]
    rows = json.loads(body)["results"]["bindings"]
    amounts = {row["type"]["value"]: Decimal(row["yuan"]["value"]) for row in rows}
    assert amounts == {"basic": Decimal("10062000"),
                                         "project": Decimal("11751100")}
    assert sum(amounts.values()) == Decimal("21813100")


def test_landing_examples_run_in_one_click(real_server: str) -> None:
    landing = page(real_server + "/")
    runs = [href for href in links(landing) if href.startswith("/sparql?") and "format=html"
            in href]
    assert len(runs) == len(EXAMPLE_QUERIES)
    result = page(real_server + runs[1])  # basic against project
    assert "basic" in result and "project" in result


# --- department-year page ---------------------------------------------------------

def test_department_year_lays_out_the_budget_tables(real_server: str) -> None:
    data = page_json(real_server + BUDGET)
    assert data["view"] == "disclosure" and data["header"]["year"] == "2024"
    tables = {table["kind"]: table for table in data["tables"]}
    assert set(tables) >= {"summary", "income", "expenditure", "general-public",
                           "general-public-basic", "three-public"}
    expenditure = tables["expenditure"]
    assert [c["label"] for c in expenditure["columns"]] == ["合计", "基本支出", "项目支出"]
    assert expenditure["columns"][0]["label_en"] == "Total"
    row = next(r for r in expenditure["rows"] if r["code"] == "2080109")
    assert row["label"] == "社会保险经办机构" and row["level"] == 3
    assert [c["text"] for c in row["cells"]] == ["772.24", "692.81", "79.43"]
    assert row["cells"][0]["href"] == (
        "/id/obs/630223/e6b42d96fa/2024/budget/expenditure/2080109/total")
    assert row["source"] == "huzhu-social-insurance-bureau-2024-budget.txt:120"
    assert expenditure["rows"][0]["total"]  # the 合计 row comes first, as printed
    codes = [r["code"] for r in expenditure["rows"] if r["code"]]
    assert codes.index("208") < codes.index("20801") < codes.index("2080109")


def test_department_year_html_links_each_figure_and_its_source(real_server: str) -> None:
    text = page(real_server + BUDGET)
    assert "/id/obs/630223/e6b42d96fa/2024/budget/expenditure/2080109/basic" in links(text)
    assert ">692.81</a>" in text and "2,181.31" in text
    assert ">1,006.20</a>" in text and ">144.70</a>" in text  # as printed, trailing zeros kept
    source = ORG + "/2024/budget/source/huzhu-social-insurance-bureau-2024-budget.txt/L120"
    assert source in links(text)
    assert "huzhu-social-insurance-bureau-2024-budget.txt:120" in text
    assert "Social security and employment" in text  # English from the code list


def test_budget_and_final_side_by_side_with_execution_rate(real_server: str) -> None:
    for path in (BUDGET, FINAL):  # the same comparison from either side
        data = page_json(real_server + path)
        compared = {table["kind"]: table for table in data["comparison"]}
        row = next(r for r in compared["expenditure"]["rows"] if r["code"] == "2080109")
        total = row["cells"][0]
        assert total["budget"]["text"] == "772.24" and total["final"]["text"] == "695.02"
        assert total["rate"] == "90.00%"
        assert total["final"]["href"].startswith("/id/obs/630223/e6b42d96fa/2024/final/")
    text = page(real_server + BUDGET)
    assert "预算与决算对照" in text and "90.00%" in text


def test_a_real_final_account_renders_without_a_budget_beside_it(real_server: str) -> None:
    finance = next(d for d in page_json(real_server + "/")["departments"]
                   if d["label"] == "上海市普陀区财政局")
    data = page_json(real_server + finance["href"])
    years = {year["year"]: year for year in data["years"]}
    assert data["view"] == "organisation" and set(years) == {"2024", "2025"}
    final = page_json(real_server + years["2024"]["documents"][0]["href"])
    assert final["header"]["phase"] == "决算" and final["comparison"] == []
    assert any(table["rows"] for table in final["tables"])


# --- organisation, code, project, others ----------------------------------------------

def test_department_page_lists_years_with_totals_and_rate(real_server: str) -> None:
    data = page_json(real_server + ORG)
    (year,) = data["years"]
    assert year["year"] == "2024" and year["rate"] == "90.00%"
    assert {d["phase"]: d["total"] for d in year["documents"]} == {"预算": "2,181.31",
                                                                   "决算": "1,963.18"}
    assert BUREAU in page(real_server + ORG)


def test_code_page_hierarchy_cofog_and_spenders(real_server: str) -> None:
    data = page_json(real_server + CODE)
    assert [c["notation"] for c in data["path"]] == ["208", "20801", "2080109"]
    assert data["path"][0]["label_en"] == "Social security and employment expenditure"
    assert any(m["notation"] == "10" and m["from"] == "208" for m in data["matches"])
    spender = data["spending"][0]
    assert spender["organisation"]["label"] == BUREAU
    figures = {f["column"]: f for f in spender["figures"]}
    # one unit on the page, whatever each table printed: yuan, the printed figure kept
    assert figures["合计"]["text"] == "7,722,400.00" and figures["合计"]["amount"] == "7722400"
    assert (figures["基本支出"]["printed"], figures["基本支出"]["printed_unit"]) == ("692.81",
                                                                                 "万元")
    text = page(real_server + CODE)
    assert "/id/code/func/2024/20801" in links(text) and "COFOG" in text
    narrower = page_json(real_server + "/id/code/func/2024/20801")["narrower"]
    assert "2080109" in {c["notation"] for c in narrower}


def test_project_page_lists_indicators(real_server: str) -> None:
    data = page_json(real_server + PROJECT)
    assert data["view"] == "project" and data["code"] == "63022300024T000000053"
    target = next(t for t in data["targets"] if "/2024/budget/" in t["href"])
    assert target["indicators"][0]["level1"] == "成本指标"  # in printed order
    first = next(i for i in target["indicators"] if i["level3"] == "城乡居民养老保险村级补助个数")
    assert first["level1"] == "产出指标" and first["level2"] == "数量指标"
    assert (first["operator"], first["target"], first["unit"]) == ("≥", "296", "个")
    assert first["weight"] == "20"
    assert "城乡居民养老保险村级补助个数" in page(real_server + PROJECT)


def test_other_resources_keep_the_property_page(real_server: str) -> None:
    data = page_json(real_server + "/id/region/630223")
    assert data["view"] == "resource" and data["properties"]
    assert "互助土族自治县" in page(real_server + "/id/region/630223")


def test_typed_pages_keep_their_rdf_twin(real_server: str) -> None:
    status, _, body = fetch(real_server + CODE, accept="text/turtle")
    graph = rdflib.Graph().parse(data=body, format="turtle")
    skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    assert status == 200
    assert (rdflib.URIRef(BASE + CODE[1:]), skos.notation, rdflib.Literal("2080109")) in graph


def test_document_text_is_escaped(real_server: str) -> None:
    text = page(real_server + FINAL)
    assert "&lt;script&gt;alert" in text and XSS not in text
