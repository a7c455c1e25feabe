"""Every table goes out as people use it: CSV and JSON per table, the whole store as CSV
or a Fiscal Data Package, a chart on the department page, figures with separators.

Over the session's real store (conftest.py ``real_store``: the Qinghai 部门预算, its
GENERATED 决算, the Putuo 财政局's real F01 决算 and F11 预算) and a real server on it.
Figures are checked against the document as the reader read it (``qinghai``).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import urllib.parse
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import rdflib
from tests.servers import fetch
from tests.stores import RealStore

from budgetgraph.cli import main
from budgetgraph.export import FIELDS
from budgetgraph.model import Disclosure, TableKind

ORG = "/id/org/630223/e6b42d96fa"
BUDGET = ORG + "/2024/budget"
TABLE = BUDGET + "/table/expenditure"
SOURCE = "huzhu-social-insurance-bureau-2024-budget.txt"


def read_csv(body: bytes) -> list[dict[str, str]]:
    text = body.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and tuple(rows[0]) == FIELDS
    return rows


def expenditure_figures(document: Disclosure) -> dict[tuple[str, str], Decimal]:
    """(code, printed column) → amount in yuan, from the 支出总表 as read from the document."""
    table = next(t for t in document.tables if t.kind is TableKind.EXPENDITURE)
    return {(row.code, column): value * table.unit.factor for row in table.rows if row.code
            for column, value in row.values.items() if value is not None}


# --- one table, over HTTP ------------------------------------------------------------

def test_table_csv_has_every_figure_of_the_document(real_server: str, qinghai: Disclosure
                                                    ) -> None:
    status, headers, body = fetch(real_server + TABLE + ".csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    rows = read_csv(body)
    by_key = {(r["row_code"], r["column"]): r for r in rows if r["row_code"]}
    expected = expenditure_figures(qinghai)
    assert {key: Decimal(by_key[key]["amount_yuan"]) for key in expected} == expected
    row = by_key[("2080109", "基本支出")]
    assert row["amount_yuan"] == "6928100"  # exact decimal text, no float, no exponent
    assert (row["source_unit"], row["source_value"]) == ("万元", "692.81")
    assert row["source"] == f"{SOURCE}:120"
    assert (row["department"], row["document_kind"], row["scope"], row["year"], row["phase"]) \
        == ("互助土族自治县社会保险服务局", "部门预算", "consolidated", "2024", "approved")
    assert (row["table_kind"], row["row_scheme"], row["row_name"], row["column_code"]) \
        == ("expenditure", "functional", "社会保险经办机构", "basic")
    assert {r["table_kind"] for r in rows} == {"expenditure"}  # this table only
    total = next(r for r in rows if r["row_name"] == "合计" and r["column_code"] == "total")
    assert Decimal(total["amount_yuan"]) == Decimal("21813100")  # 2,181.31 万元 printed


@pytest.mark.parametrize(("suffix", "accept"), [
    (".csv", None), ("", "text/csv"), ("?format=csv", None), ("", "text/csv;q=1, */*;q=0.1"),
])
def test_csv_by_suffix_accept_or_format_is_the_same(real_server: str, suffix: str,
                                                    accept: str | None) -> None:
    _, _, reference = fetch(real_server + TABLE + ".csv")
    status, headers, body = fetch(real_server + TABLE + suffix, accept=accept)
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert body == reference


def test_table_json_records_are_the_csv_rows(real_server: str) -> None:
    _, _, body = fetch(real_server + TABLE + ".csv")
    status, headers, data = fetch(real_server + TABLE + ".json")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    records = json.loads(data)
    assert records["columns"] == list(FIELDS) and records["rows"] == read_csv(body)


def test_table_page_shows_the_table_and_links_its_downloads(real_server: str) -> None:
    status, headers, body = fetch(real_server + TABLE, accept="text/html")
    text = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    hrefs = [html.unescape(h) for h in re.findall(r'href="([^"]+)"', text)]
    assert TABLE + ".csv" in hrefs and TABLE + ".json" in hrefs
    assert ">692.81</a>" in text and "2,181.31" in text
    assert '单位 <span lang="en">unit</span>: 万元' in text
    assert f'<{TABLE}.csv>; rel="alternate"; type="text/csv"' in headers["Link"]
    budget = fetch(real_server + BUDGET, accept="text/html")[2].decode()
    assert TABLE + ".csv" in budget and BUDGET + ".csv" in budget


def test_disclosure_csv_covers_every_table(real_server: str, qinghai: Disclosure) -> None:
    """As many rows per table as the document prints figures; a table its note says
    is empty (政府性基金, 国有资本经营) has its one explicit zero."""
    rows = read_csv(fetch(real_server + BUDGET + ".csv")[2])
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["table"]] = counts.get(row["table"], 0) + 1
    printed = {t.title: sum(1 for r in t.rows for v in r.values.values() if v is not None)
               for t in qinghai.tables}
    assert counts == {title: n or 1 for title, n in printed.items()}
    zeros = [r for r in rows if r["table_kind"] in ("government-fund", "state-capital")]
    assert [(r["row_name"], Decimal(r["amount_yuan"])) for r in zeros] == [("合计", 0)] * 2


@pytest.mark.parametrize("path", ["/id/region/630223", "/id/code/func/2024/2080109"])
def test_csv_only_for_tables_and_disclosures(real_server: str, path: str) -> None:
    assert fetch(real_server + path, accept="text/csv")[0] == 406
    assert fetch(real_server + path + ".csv")[0] == 404


# --- the whole store, from the command line ------------------------------------------------

def test_export_csv_writes_one_file_per_disclosure(real_store: RealStore, tmp_path: Path,
                                                   qinghai: Disclosure) -> None:
    assert main(["export", "--format", "csv", "--store", str(real_store.directory),
                 "--out", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["310107-dae7287c88-2024-final.csv", "310107-dae7287c88-2025-budget.csv",
                     "630223-e6b42d96fa-2024-budget.csv", "630223-e6b42d96fa-2024-final.csv"]
    rows = read_csv((tmp_path / "630223-e6b42d96fa-2024-budget.csv").read_bytes())
    found = {(r["row_code"], r["column"]): Decimal(r["amount_yuan"]) for r in rows
             if r["table_kind"] == "expenditure" and r["row_code"]}
    assert found == expenditure_figures(qinghai)


def test_export_refuses_a_directory_without_a_store(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--store", str(tmp_path / "none"), "--out", str(tmp_path)]) == 2
    assert "no store here" in capsys.readouterr().err


def _fdp(real_store: RealStore, out: Path) -> dict[str, Any]:
    assert main(["export", "--format", "fdp", "--store", str(real_store.directory),
                 "--out", str(out)]) == 0
    return json.loads((out / "datapackage.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_fiscal_data_package_maps_every_model_source_to_a_field(real_store: RealStore,
                                                                tmp_path: Path) -> None:
    package = _fdp(real_store, tmp_path)
    (resource,) = package["resources"]
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    assert tuple(fields) == FIELDS and fields["amount_yuan"]["type"] == "number"
    model = package["model"]
    assert model["measures"] == {"amount": {"source": "amount_yuan", "currency": "CNY",
                                            "factor": 1}}
    for name, dimension in model["dimensions"].items():
        attributes = dimension["attributes"]
        assert set(dimension["primaryKey"]) <= set(attributes), name
        assert all(a["source"] in fields for a in attributes.values()), name
        assert all(a.get("labelfor", next(iter(attributes))) in attributes
                   for a in attributes.values()), name
    assert model["dimensions"]["administrative-classification"]["classificationType"] \
        == "administrative"
    assert package["fiscalPeriod"] == {"start": "2024-01-01", "end": "2025-12-31"}
    rows = read_csv((tmp_path / resource["path"]).read_bytes())
    assert len({r["document"] for r in rows}) == 4
    assert len({r["observation"] for r in rows}) == len(rows)  # the declared primary key


def test_fiscal_data_package_validates_with_frictionless(real_store: RealStore,
                                                         tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    _fdp(real_store, tmp_path)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])[:5]
    # and the check can fail: an amount that is no number is caught
    data = tmp_path / "observations.csv"
    data.write_text(data.read_text(encoding="utf-8").replace(",6928100,", ",6 928 100,", 1),
                    encoding="utf-8")
    broken = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not broken.valid
    assert "type-error" in {error[0] for error in broken.flatten(["type"])}


# --- figures for people: one unit per table, separators in HTML only ----------------------

YUAN = re.compile(r"^-?\d{1,3}(,\d{3})*\.\d{2,}$")


def page_json(url: str) -> dict[str, Any]:
    status, _, body = fetch(url, accept="application/json")
    assert status == 200, body[:300]
    return json.loads(body)  # type: ignore[no-any-return]


@pytest.mark.parametrize("code", ["/id/code/func/2024/208", "/id/code/func/2025/208"])
def test_code_page_shows_every_figure_in_yuan(real_server: str, code: str) -> None:
    """208 is printed in 万元 (Qinghai, F01) and in 元 (F11): the page shows yuan only."""
    spending = page_json(real_server + code)["spending"]
    figures = [f for group in spending for f in group["figures"]]
    assert figures
    for figure in figures:
        assert YUAN.match(figure["text"]), figure
        assert Decimal(figure["text"].replace(",", "")) == Decimal(figure["amount"])
    text = fetch(real_server + code, accept="text/html")[2].decode()
    assert "金额（元）" in text
    shown = re.findall(r'class="figure"[^>]*>([^<]*)</a>', text)
    assert shown and all(YUAN.match(value) for value in shown)


def test_code_page_figure_is_the_document_figure_in_yuan(real_server: str,
                                                         qinghai: Disclosure) -> None:
    spending = page_json(real_server + "/id/code/func/2024/208")["spending"]
    group = next(g for g in spending if g["table"]["label"] == "支出总表"
                 and g["document"]["href"].endswith("/2024/budget"))
    total = next(f for f in group["figures"] if f["column"] == "合计")
    assert Decimal(total["amount"]) == expenditure_figures(qinghai)[("208", "合计")]
    assert total["text"] == "20,153,700.00" and total["printed"] == "2,015.37"


def test_department_printing_in_both_units_is_shown_in_yuan(real_server: str) -> None:
    finance = next(d for d in page_json(real_server + "/")["departments"]
                   if d["label"] == "上海市普陀区财政局")
    documents = [d for year in page_json(real_server + finance["href"])["years"]
                 for d in year["documents"]]
    assert len(documents) == 2 and {d["unit"] for d in documents} == {"元"}
    for document in documents:
        assert document["total"].replace(",", "") == f"{Decimal(document['amount']):.2f}"
    same_unit = page_json(real_server + ORG)["years"][0]["documents"]
    assert {d["unit"] for d in same_unit} == {"万元"}  # printed as is when all agree


def test_sparql_html_groups_decimals_and_machine_formats_do_not(real_server: str) -> None:
    query = ("SELECT ?amount WHERE { <http://127.0.0.1:8000/id/obs/630223/e6b42d96fa/2024/"
             "budget/expenditure/2080109/total> "
             "<http://data.openbudgets.eu/ontology/dsd/measure/amount> ?amount }")
    url = real_server + "/sparql?" + urllib.parse.urlencode({"query": query})
    page = fetch(url, accept="text/html")[2].decode()
    assert '<span class="number">7,722,400</span>' in page
    data = json.loads(fetch(url, accept="application/sparql-results+json")[2])
    assert data["results"]["bindings"][0]["amount"]["value"] == "7722400"
    assert fetch(url, accept="text/csv")[2].decode().split() == ["amount", "7722400"]


# --- the department chart ------------------------------------------------------------------

def test_department_chart_draws_each_class_with_execution_rate(real_server: str,
                                                               qinghai: Disclosure) -> None:
    (year,) = page_json(real_server + ORG)["chart"]
    rows = {row["code"]: row for row in year["rows"]}
    figures = expenditure_figures(qinghai)
    assert set(rows) == {code for code, column in figures if len(code) == 3}
    social = rows["208"]
    assert Decimal(social["budget"]) == figures[("208", "合计")]
    assert Decimal(social["final"]) == (figures[("208", "合计")] / 10000 * Decimal("0.9")
                                        ).quantize(Decimal("0.01")) * 10000
    assert social["rate"] == "90.00%"
    assert [bar["text"] for bar in social["bars"]] == ["2,015.37", "1,813.83"]
    widest = max(bar["width"] for row in rows.values() for bar in row["bars"])
    assert social["bars"][0]["width"] == widest  # the largest class fills the axis
    text = fetch(real_server + ORG, accept="text/html")[2].decode()
    svg = text[text.index("<svg"):text.index("</svg>")]
    assert "<script" not in text and "<title>预算 2,015.37 万元</title>" in svg
    assert "208 社会保障和就业支出" in svg and "90.00%" in svg
    assert svg.count('class="bar budget"') == svg.count('class="bar final"') == len(rows)


# --- the catalog for browsers ------------------------------------------------------------

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_void_is_a_page_for_browsers_and_turtle_for_machines(real_server: str) -> None:
    status, headers, body = fetch(real_server + "/.well-known/void", accept=BROWSER)
    text = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert '<a href="/id/catalog"><code>http://127.0.0.1:8000/id/catalog</code></a>' in text
    assert "互助土族自治县社会保险服务局2024年部门预算" in text  # a document's data set
    assert '<link rel="alternate" type="text/turtle"' in text
    for accept in (None, "*/*", "text/turtle"):
        status, headers, body = fetch(real_server + "/.well-known/void", accept=accept)
        assert status == 200 and headers["Content-Type"].startswith("text/turtle")
        rdflib.Graph().parse(data=body, format="turtle")
    jsonld = fetch(real_server + "/.well-known/void", accept="application/ld+json")
    assert jsonld[1]["Content-Type"].startswith("application/ld+json")


def test_void_page_shows_the_statements_machines_get(real_server: str) -> None:
    """Every data set title and distribution download of the Turtle is on the page."""
    graph = rdflib.Graph().parse(data=fetch(real_server + "/.well-known/void",
                                            accept="text/turtle")[2], format="turtle")
    text = html.unescape(fetch(real_server + "/.well-known/void", accept=BROWSER)[2].decode())
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    downloads = {str(o) for o in graph.objects(None, dcat.downloadURL)}
    assert downloads and all(url in text for url in downloads)
    titles = {str(o) for o in graph.objects(None, rdflib.DCTERMS.title)}
    assert titles and all(title in text for title in titles)


def test_each_document_has_a_csv_distribution_that_downloads(real_server: str) -> None:
    graph = rdflib.Graph().parse(data=fetch(real_server + "/.well-known/void",
                                            accept="text/turtle")[2], format="turtle")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    iana = "http://www.iana.org/assignments/media-types/"
    document = rdflib.URIRef("http://127.0.0.1:8000" + BUDGET)
    (csv_distribution,) = [d for d in graph.objects(document, dcat.distribution)
                           if graph.value(d, dcat.mediaType) == rdflib.URIRef(iana + "text/csv")]
    url = str(graph.value(csv_distribution, dcat.downloadURL))
    assert url == "http://127.0.0.1:8000" + BUDGET + ".csv"
    status, headers, body = fetch(real_server + url[len("http://127.0.0.1:8000"):])
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert any(r["row_code"] == "2080109" for r in read_csv(body))


def test_comparison_of_tables_printed_in_different_units_is_in_yuan(real_server: str) -> None:
    """The 预算 printed in 万元 beside a 决算 printed in 元: both sides in yuan, one unit."""
    from budgetgraph.web.budget import comparison

    budget = page_json(real_server + BUDGET)["tables"]
    final = page_json(real_server + ORG + "/2024/final")["tables"]
    same = {t["kind"]: t for t in comparison(budget, final)}
    assert same["expenditure"]["unit"] == "万元"
    final_in_yuan = [{**table, "unit": "元"} for table in final]
    (table,) = [t for t in comparison(budget, final_in_yuan) if t["kind"] == "expenditure"]
    assert table["unit"] == "元"
    row = next(r for r in table["rows"] if r["code"] == "2080109")
    total = row["cells"][0]
    assert (total["budget"]["text"], total["final"]["text"]) == ("7,722,400.00", "6,950,200.00")
    assert total["rate"] == "90.00%"
    untouched = next(r for r in next(t for t in budget if t["kind"] == "expenditure")["rows"]
                     if r["code"] == "2080109")
    assert untouched["cells"][0]["text"] == "772.24"  # the tables themselves keep their unit
