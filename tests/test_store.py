"""The store: atomic graph replacement, read-only access, dumps, query caps."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef

from budgetgraph import store

FIXTURES = Path(__file__).parent / "fixtures" / "server"
BASE = "http://127.0.0.1:8000/"
DOC = BASE + "graph/doc/qh-2024"
CODES = BASE + "graph/codelist/func-2024"


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "store"
    store.load_graph(directory, DOC, FIXTURES / "test-doc-qh-2024.nq")
    store.load_graph(directory, CODES, FIXTURES / "test-codelist-func-2024.nq")
    return directory


def test_graphs_are_listed_with_triple_counts(store_dir: Path) -> None:
    assert store.open_read_only(store_dir).graphs() == [
        store.GraphInfo(CODES, 18), store.GraphInfo(DOC, 28)]


def test_reload_replaces_the_graph_and_leaves_others(store_dir: Path) -> None:
    replacement = f'<{BASE}id/x> <{BASE}def/p> "新"@zh <{DOC}> .\n'
    progress: list[int] = []
    assert store.load_graph(store_dir, DOC, replacement, progress=progress.append) == 1
    assert progress == [1]
    counts = {g.iri: g.triples for g in store.open_read_only(store_dir).graphs()}
    assert counts == {DOC: 1, CODES: 18}


def test_an_rdflib_dataset_loads(tmp_path: Path) -> None:
    dataset = Dataset()
    dataset.graph(URIRef(DOC)).add((URIRef(BASE + "id/a"), URIRef(BASE + "def/p"),
                                    Literal("甲", lang="zh")))
    store.load_graph(tmp_path / "s", DOC, dataset)
    assert store.open_read_only(tmp_path / "s").graphs() == [store.GraphInfo(DOC, 1)]


@pytest.mark.parametrize("bad", [
    f'<{BASE}id/a> <{BASE}def/p> "x" <{BASE}graph/doc/other> .\n',  # another document's graph
    f'<{BASE}id/a> <{BASE}def/p> "x" <{DOC}> .\n<{BASE}id/b> "broken" .\n',  # syntax error
])
def test_failed_load_leaves_the_store_as_it_was(store_dir: Path, bad: str) -> None:
    before = store.open_read_only(store_dir).graphs()
    with pytest.raises(store.StoreError):
        store.load_graph(store_dir, DOC, bad)
    assert store.open_read_only(store_dir).graphs() == before


def test_missing_store_is_an_error_not_a_new_store(tmp_path: Path) -> None:
    with pytest.raises(store.StoreError, match="no store"):
        store.open_read_only(tmp_path / "nothing")
    assert not (tmp_path / "nothing").exists()


def test_dumps_are_gzipped_nquads(store_dir: Path) -> None:
    whole, one = io.BytesIO(), io.BytesIO()
    store.dump_nquads_gzip(store_dir, whole)
    store.dump_nquads_gzip(store_dir, one, graph_iri=CODES)
    assert gzip.decompress(whole.getvalue()).count(b"\n") == 46
    lines = gzip.decompress(one.getvalue()).decode().splitlines()
    assert len(lines) == 18 and all(line.endswith(f"<{CODES}> .") for line in lines)


def test_describe_follows_blank_nodes(store_dir: Path) -> None:
    statements = store.open_read_only(store_dir).describe(BASE + "id/obs/qh-2024-t5-1", limit=50)
    assert any(o.value == "212" for _, _, o in statements)  # the source line, via a blank node


def _spec(query: str, **kwargs: object) -> store.QuerySpec:
    options: dict[str, object] = {"results_media_type": "application/sparql-results+json",
                                  "graph_media_type": "text/turtle", "max_rows": 100,
                                  "max_bytes": 100_000}
    options.update(kwargs)
    return store.QuerySpec(query, **options)  # type: ignore[arg-type]


def test_queries_see_the_union_of_graphs(store_dir: Path) -> None:
    opened = store.open_read_only(store_dir)
    outcome = store.run_query(opened, _spec("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"))
    assert json.loads(outcome.body)["results"]["bindings"][0]["n"]["value"] == "46"
    only = store.run_query(opened, _spec("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
                                         default_graphs=(CODES,)))
    assert json.loads(only.body)["results"]["bindings"][0]["n"]["value"] == "18"


def test_row_and_byte_caps(store_dir: Path) -> None:
    opened = store.open_read_only(store_dir)
    rows = store.run_query(opened, _spec("SELECT * { ?s ?p ?o }", max_rows=10))
    assert rows.status == "too_large" and "10 rows" in rows.message
    size = store.run_query(opened, _spec("CONSTRUCT WHERE { ?s ?p ?o }", max_bytes=500))
    assert size.status == "too_large" and "500 bytes" in size.message
    exact = store.run_query(opened, _spec("SELECT * { ?s ?p ?o }", max_rows=46,
                                          results_media_type="text/csv; charset=utf-8"))
    assert exact.status == "ok" and exact.body.count(b"\r\n") == 47
