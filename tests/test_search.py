"""The names index (budgetgraph.search) and /search, on stores of real documents.

The session's real store (conftest.py ``real_store``: the Qinghai 预算, its GENERATED
决算, the Putuo 财政局's F01 and F11) for what is found; a store of this module's own for
the swap on a second load; the real server on a real port for the API and hostile input.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from tests.documents import QINGHAI, pdf
from tests.servers import BASE, fetch, serving
from tests.stores import RealStore

from budgetgraph import search, store
from budgetgraph.pipeline import load

BUREAU = "互助土族自治县社会保险服务局"
ORG = BASE + "id/org/630223/e6b42d96fa"
CODE_2080501 = BASE + "id/code/func/2024/2080501"
CODE_208 = BASE + "id/code/func/2024/208"
PROJECT = BASE + "id/project/63022300024T000000053"
PROJECT_NAME = "城乡居民养老保险村级协管员补助"
#: Search text a client may send to break the FTS5 syntax, the SQL or the page.
HOSTILE = ['"', '""', "*", "社*", "NEAR(", "NEAR(a b, 2)", "a OR b", "a AND", "NOT x", "^a",
           "col:x", "terms:x", "(", ")", "'; DROP TABLE entries; --", "%", "\\", "\x00",
           "<script>alert(1)</script>", "{}", "-", "+", "社" * 200, "a" * 201, "x " * 100,
           "2080501" * 40]


@pytest.fixture(scope="module")
def index(real_store: RealStore) -> Any:
    found = search.Index.beside(real_store.directory)
    assert found is not None, "a load writes the names index"
    yield found
    found.close()


def iris(found: search.Found) -> list[str]:
    return [hit.iri for hit in found.hits]


# --- text -----------------------------------------------------------------------

def test_hanzi_are_indexed_by_bigrams_and_codes_whole() -> None:
    assert search.index_tokens("社会保险局（本级）2080501 Social") == [
        "社会", "会保", "保险", "险局", "局", "本级", "级", "2080501", "social"]


@pytest.mark.parametrize("text", HOSTILE)
def test_search_text_never_reaches_fts5_as_syntax(text: str) -> None:
    """Whatever the client sends, the expression holds only quoted words of our tokens."""
    try:
        expression = search.match_expression(text)
    except search.SearchError:
        assert len(text) > search.MAX_QUERY_CHARS or len(text.split()) > search.MAX_QUERY_TERMS
        return
    if expression is None:
        return
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE fts USING fts5(terms)")
    connection.execute("SELECT * FROM fts WHERE fts MATCH ?", (expression,)).fetchall()
    connection.close()


# --- what is found ----------------------------------------------------------------

def test_a_department_by_its_full_name(index: search.Index) -> None:
    found = index.search(BUREAU)
    assert found.hits[0].iri == ORG
    assert (found.hits[0].kind, found.hits[0].match) == ("department", "exact")


def test_two_hanzi_of_a_name_find_it(index: search.Index) -> None:
    found = index.search("保险", limit=50)
    assert ORG in iris(found)
    assert all("保险" in hit.label for hit in found.hits if hit.kind == "department")


def test_one_hanzi_finds_names_holding_it_anywhere(index: search.Index) -> None:
    """``局`` ends the bureau's name: the last character of a run is indexed alone."""
    assert ORG in iris(index.search("局", kinds=["department"]))


def test_a_code_exactly_and_by_its_leading_digits(index: search.Index) -> None:
    """The store holds the code lists of 2024 and 2025: the code of each year."""
    exact = index.search("2080501")
    assert {hit.iri for hit in exact.hits if hit.match == "exact"} == {
        CODE_2080501, CODE_2080501.replace("2024", "2025")}
    by_class = index.search("208", limit=50)
    assert {hit.iri for hit in by_class.hits[:2]} == {CODE_208, CODE_208.replace("2024", "2025")}
    assert CODE_2080501 in iris(by_class) or by_class.more


def test_full_width_digits_are_the_same_code(index: search.Index) -> None:
    assert CODE_2080501 in iris(index.search("２０８０５０１"))


def test_a_project_by_its_name_and_by_its_code(index: search.Index) -> None:
    assert index.search(PROJECT_NAME).hits[0].iri == PROJECT
    assert index.search("63022300024T000000053").hits[0].iri == PROJECT
    assert PROJECT in iris(index.search("协管员", kinds=["project"]))


def test_kinds_filter_the_results(index: search.Index) -> None:
    found = index.search("保险", kinds=["office"], limit=50)
    assert found.hits and {hit.kind for hit in found.hits} == {"office"}


def test_a_name_stated_by_two_documents_is_listed_once(index: search.Index) -> None:
    """The 预算 and its GENERATED 决算 both name the bureau."""
    assert iris(index.search(BUREAU, limit=50)).count(ORG) == 1


def test_observations_and_source_lines_are_not_indexed(index: search.Index) -> None:
    found = index.search("一般公共预算基本支出表", limit=50)  # in every observation's label
    assert not any("/id/obs/" in iri or "/source/" in iri for iri in iris(found))


# --- the index follows the store ----------------------------------------------------

def _quiet(_: str) -> None:
    pass


@pytest.mark.corpus
def test_a_second_load_swaps_in_an_index_that_finds_the_new_document(tmp_path: Path) -> None:
    directory = tmp_path / "store"
    load([QINGHAI], directory, base=BASE, say=_quiet)
    before = search.Index.beside(directory)
    assert before is not None and ORG in iris(before.search(BUREAU))
    count = before.count()
    load([pdf("F13")], directory, base=BASE, say=_quiet)
    after = search.Index.beside(directory)
    assert after is not None
    welfare = after.search("福利院", kinds=["department"])
    assert [hit.label for hit in welfare.hits] == ["上海市普陀区社会福利院"]
    # the index opened before the load still reads its own snapshot, whole
    assert before.search("福利院", kinds=["department"]).hits == ()
    assert before.count() == count
    # reloading a document replaces its entries rather than adding them again
    total = after.count()
    load([QINGHAI], directory, base=BASE, say=_quiet)
    again = search.Index.beside(directory)
    assert again is not None and again.count() == total
    assert not list(tmp_path.glob("**/*.tmp"))
    for opened in (before, after, again):
        opened.close()


@pytest.mark.corpus
def test_a_store_without_index_gets_one_from_index_names(tmp_path: Path,
                                                         real_store: RealStore) -> None:
    copy = tmp_path / "store"
    shutil.copytree(real_store.directory, copy)
    (copy / search.INDEX_FILE).unlink()
    assert search.Index.beside(copy) is None
    assert store.index_names(copy) > 100
    rebuilt = search.Index.beside(copy)
    assert rebuilt is not None and rebuilt.search(BUREAU).hits[0].iri == ORG
    rebuilt.close()


# --- /search over HTTP ----------------------------------------------------------------

def _search(server: str, text: str, *, accept: str = "application/json", **params: str
            ) -> tuple[int, dict[str, str], bytes]:
    query = urllib.parse.urlencode({"q": text, **params})
    return fetch(f"{server}/search?{query}", accept=accept)


def test_search_api_returns_iris_with_links(real_server: str) -> None:
    status, headers, body = _search(real_server, BUREAU)
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    page = json.loads(body)
    first = page["results"][0]
    assert first["iri"] == ORG and first["kind"] == "department" and first["label"] == BUREAU
    assert first["link"] == "/id/org/630223/e6b42d96fa"
    assert page["source"] == "index"
    status, _, _ = fetch(real_server + first["link"], accept="text/html")
    assert status == 200


def test_search_api_results_are_bounded(real_server: str) -> None:
    page = json.loads(_search(real_server, "支出", limit="50")[2])
    assert len(page["results"]) <= 50 and page["more"]
    status, _, body = _search(real_server, "支出", limit="51")
    assert status == 400 and json.loads(body)["error"] == "bad_search"


def test_the_sparql_twin_finds_the_same_resource(real_server: str) -> None:
    """The JSON carries the SPARQL scan that finds the same names without the index."""
    page = json.loads(_search(real_server, "2080501")[2])
    status, _, body = fetch(real_server + "/sparql?" + urllib.parse.urlencode(
        {"query": page["sparql"]}), accept="application/sparql-results+json")
    assert status == 200
    found = {row["s"]["value"] for row in json.loads(body)["results"]["bindings"]}
    assert CODE_2080501 in found
    assert {hit["iri"] for hit in page["results"]} <= found


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("accept", ["application/json", "text/html"])
def test_hostile_search_text_is_200_or_400(real_server: str, text: str, accept: str) -> None:
    status, _, body = _search(real_server, text, accept=accept)
    assert status in (200, 400), body[:300]
    if accept == "text/html":
        assert b"<script>alert" not in body


def test_bad_parameters_are_400(real_server: str) -> None:
    for params in ({"limit": "0"}, {"limit": "x"}, {"kind": "observation"}):
        status, _, body = _search(real_server, "局", **params)
        assert status == 400 and json.loads(body)["error"] == "bad_search", params


def test_every_page_has_the_search_box_and_results_link_to_pages(real_server: str) -> None:
    for path in ("/", "/id/org/630223/e6b42d96fa", "/query"):
        status, _, body = fetch(real_server + path, accept="text/html")
        assert status == 200 and b'action="/search"' in body, path
    status, headers, body = _search(real_server, PROJECT_NAME, accept="text/html")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b'href="/id/project/63022300024T000000053"' in body
    assert "format=json" in headers["Link"]


@pytest.mark.corpus
def test_without_an_index_search_scans_by_sparql(tmp_path: Path, real_store: RealStore) -> None:
    copy = tmp_path / "store"
    shutil.copytree(real_store.directory, copy)
    (copy / search.INDEX_FILE).unlink()
    with serving(copy) as server:
        page = json.loads(_search(server, BUREAU, kind="department")[2])
    assert page["source"] == "sparql"
    assert [hit["iri"] for hit in page["results"]] == [ORG]
