"""Federation: two budgetgraph servers with different counties, one question over both.

Two GENERATED counties (:mod:`budgetgraph.fixtures`: 示例甲县 ×2, 示例乙县 ×3 of
the Qinghai document) are loaded into two stores and served by gunicorn in
subprocesses, as ``budgetgraph serve`` runs them. Server A allow-lists server B,
a silent endpoint (accepts, never answers) and a closed port; the same
comparison is then asked three ways: from A with ``SERVICE <B>``, by an
independent federating client (Comunica, which reads the endpoints' default
graph: ours is the union of the named graphs), and by ``budgetgraph compare``.

Comunica is installed with ``npm ci --prefix tests/comunica``; without it that
test skips (fails under ``BUDGETGRAPH_REQUIRE_ENGINES=1``). A browser federates
too: A's YASGUI editor, in headless Chromium (set up as in ``test_browser.py``),
runs the ``SERVICE <B>`` query and shows both counties' rows.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from tests.servers import free_port, silent_endpoint, start
from tests.stores import reference_graphs
from tests.yasgui import WAIT, run_in_yasgui

from budgetgraph import compare, fixtures, store
from budgetgraph.pipeline import document_dataset
from budgetgraph.rdf.uris import Minter
from budgetgraph.readers import read

BASE = "http://127.0.0.1:8000/"
TIMEOUT = 3.0
COMUNICA = Path(__file__).parent / "comunica" / "node_modules" / ".bin" / "comunica-sparql"

#: 208's 合计 in 支出总表 per region, in 元 (the Qinghai figure 2,015.37 万元 × factor).
EXPECTED_208 = {"630291": Decimal("40307400"), "630292": Decimal("60461100")}

PREFIXES = """PREFIX bg: <https://w3id.org/budgetgraph/def#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX obeu-measure: <http://data.openbudgets.eu/ontology/dsd/measure/>
"""
#: One county's 208 total, evaluated here or inside SERVICE.
PATTERN = f"""?doc bg:region ?region .
  ?table bg:disclosure ?doc ; bg:tableKind <{BASE}id/code/table/expenditure> .
  ?obs qb:dataSet ?table ; bg:column <{BASE}id/code/column/total> ;
       bg:functionalClassification <{BASE}id/code/func/2024/208> ; obeu-measure:amount ?amount ."""


def _store(directory: Path, document: Path) -> None:
    """One county's document and the reference graphs, as `budgetgraph load` would write them."""
    minter = Minter(BASE)
    with fixtures.regions_known():
        iri, dataset = document_dataset(read(document), minter)
    for graph_iri, single in reference_graphs(minter, [2024]):
        store.load_graph(directory, graph_iri, single)
    store.load_graph(directory, iri, dataset)


def _serve(directory: Path, port: int, allowlist: str) -> subprocess.Popen[bytes]:
    code = (
        "from budgetgraph.web import serve; "
        f"serve({str(directory)!r}, port={port}, workers=1, query_timeout={TIMEOUT}, "
        f"query_processes=2, service_allowlist={allowlist!r})"
    )
    return start([sys.executable, "-c", code], port)


@dataclass
class Federation:
    a: str
    b: str
    silent: str
    closed: str


@pytest.fixture(scope="module")
def silent() -> Iterator[str]:
    """An allow-listed endpoint that accepts connections and never answers."""
    with silent_endpoint() as url:
        yield url


@pytest.fixture(scope="module")
def federation(tmp_path_factory: pytest.TempPathFactory, silent: str) -> Iterator[Federation]:
    root = tmp_path_factory.mktemp("federation")
    paths = fixtures.write_counties(root / "generated")
    _store(root / "a", paths[0])
    _store(root / "b", paths[1])
    port_a, port_b = free_port(), free_port()
    b = f"http://127.0.0.1:{port_b}/sparql"
    closed = f"http://127.0.0.1:{free_port()}/sparql"
    processes = [_serve(root / "b", port_b, ""),
                 _serve(root / "a", port_a, ",".join((b, silent, closed)))]
    yield Federation(f"http://127.0.0.1:{port_a}/sparql", b, silent, closed)
    for process in processes:
        process.terminate()
        process.wait(timeout=20)
        if process.stderr is not None:
            process.stderr.close()


def _post(endpoint: str, query: str) -> tuple[int, dict]:
    request = urllib.request.Request(
        endpoint, data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _by_region(data: dict) -> dict[str, Decimal]:
    return {row["region"]["value"].rsplit("/", 1)[-1]: Decimal(row["amount"]["value"])
            for row in data["results"]["bindings"]}


def test_each_server_holds_one_county(federation: Federation) -> None:
    for endpoint, region in ((federation.a, "630291"), (federation.b, "630292")):
        status, data = _post(endpoint, PREFIXES + f"SELECT ?region ?amount WHERE {{ {PATTERN} }}")
        assert status == 200
        assert _by_region(data) == {region: EXPECTED_208[region]}


def test_our_endpoint_federates_to_an_allow_listed_server(federation: Federation) -> None:
    query = PREFIXES + f"""SELECT ?region ?amount WHERE {{
  {{ {PATTERN} }} UNION {{ SERVICE <{federation.b}> {{ {PATTERN} }} }} }}"""
    status, data = _post(federation.a, query)
    assert status == 200, data
    assert _by_region(data) == EXPECTED_208


def test_yasgui_on_one_server_shows_both_counties(federation: Federation,
                                                 browser: object) -> None:
    """A person's route: A's query editor, a SERVICE clause to B, both rows in the table."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    query = PREFIXES + f"""SELECT ?region ?amount WHERE {{
  {{ {PATTERN} }} UNION {{ SERVICE <{federation.b}> {{ {PATTERN} }} }} }}"""
    editor = federation.a.removesuffix("/sparql") + "/query?"
    browser.get(editor + urllib.parse.urlencode({"query": query}))  # type: ignore[attr-defined]
    assert browser.find_elements(By.CSS_SELECTOR, "#query-form[hidden]"), \
        "YASGUI is not vendored: scripts/fetch-yasgui.sh"  # type: ignore[attr-defined]
    wait = WebDriverWait(browser, WAIT)
    wait.until(lambda d: run_in_yasgui(d, "SERVICE"))
    text = wait.until(lambda d: _results_with(d, "630291", "630292"))
    assert "40307400" in text and "60461100" in text


def _results_with(driver: object, *needles: str) -> str | None:
    """YASR's result table text once it shows every needle (YASR redraws it: retry)."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By

    try:
        for table in driver.find_elements(By.CSS_SELECTOR, "#yasgui .yasr table"):  # type: ignore[attr-defined]
            text = str(table.text)
            if all(needle in text for needle in needles):
                return text
    except StaleElementReferenceException:
        pass
    return None


def test_service_off_the_allow_list_is_refused(federation: Federation) -> None:
    query = f"SELECT * WHERE {{ SERVICE <{federation.a}> {{ ?s ?p ?o }} }}"
    status, data = _post(federation.a, query)
    assert (status, data["error"]) == (403, "service_refused")


def test_service_silent_to_a_closed_port_keeps_the_local_answer(federation: Federation) -> None:
    loud = PREFIXES + f"""SELECT ?region ?amount WHERE {{
  {{ {PATTERN} }} UNION {{ SERVICE <{federation.closed}> {{ {PATTERN} }} }} }}"""
    status, data = _post(federation.a, loud)
    assert (status, data["error"]) == (500, "query_failed")
    status, data = _post(federation.a, loud.replace("SERVICE", "SERVICE SILENT"))
    assert status == 200, data
    # SPARQL 1.1 §8.3.1: a failed SILENT service gives one empty solution, here UNIONed in
    rows = data["results"]["bindings"]
    assert {} in rows
    assert _by_region({"results": {"bindings": [r for r in rows if r]}}) == {
        "630291": EXPECTED_208["630291"]}


def test_a_service_that_never_answers_is_stopped_at_the_deadline(federation: Federation) -> None:
    started = time.monotonic()
    status, data = _post(federation.a, f"SELECT * WHERE {{ SERVICE SILENT <{federation.silent}> "
                                       "{ ?s ?p ?o } }")
    elapsed = time.monotonic() - started
    assert (status, data["error"]) == (504, "query_timeout")
    assert TIMEOUT <= elapsed < TIMEOUT + 5
    status, _ = _post(federation.a, "ASK { ?s ?p ?o }")  # the pool recovered
    assert status == 200


@pytest.mark.engines  # Comunica, installed by .ci/run
def test_an_independent_federating_client_sees_both_counties(federation: Federation) -> None:
    if not COMUNICA.exists():
        message = "Comunica is not installed: npm ci --prefix tests/comunica"
        if os.environ.get("BUDGETGRAPH_REQUIRE_ENGINES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    assert shutil.which("node"), "node is needed to run Comunica"
    query = PREFIXES + f"SELECT ?region ?amount WHERE {{ {PATTERN} }}"
    result = subprocess.run(
        [str(COMUNICA), f"sparql@{federation.a}", f"sparql@{federation.b}", query,
         "-t", "application/sparql-results+json"],
        capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert _by_region(json.loads(result.stdout)) == EXPECTED_208


def test_compare_over_both_servers_and_a_dead_one(federation: Federation) -> None:
    result = compare.compare([federation.a, federation.b, federation.closed], "208", 2024,
                             timeout=5)
    assert not result.complete and list(result.failures) == [federation.closed]
    assert {row.region.split()[0]: row.amount for row in result.rows} == {
        region: amount / 10000 for region, amount in EXPECTED_208.items()}
    assert {row.share for row in result.rows} == {Decimal("92.39")}
    assert [row.last_year for row in result.rows] == [Decimal("23366.08"), Decimal("35049.12")]
    assert result.total() == Decimal("10076.85")
    assert "INCOMPLETE" in compare.render(result, "table")


def test_compare_reports_a_slow_endpoint_and_answers_for_the_others(
        federation: Federation, capsys: pytest.CaptureFixture[str]) -> None:
    started = time.monotonic()
    code = compare.run_compare([federation.a, federation.silent], "20801", 2024, "json",
                               timeout=2)
    assert time.monotonic() - started < 10
    out = json.loads(capsys.readouterr().out)
    assert code == 1 and out["complete"] is False and federation.silent in out["failures"]
    assert [row["amount_wan_yuan"] for row in out["rows"]] == ["1544.48"]
    assert [row["last_year_wan_yuan"] for row in out["rows"]] == ["1470.24"]
