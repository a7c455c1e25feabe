"""The store: atomic graph replacement, read-only access, dumps, query caps."""

from __future__ import annotations

import fcntl
import gzip
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from tests.documents import SERVER_FIXTURES

from budgetgraph import store

BASE = "http://127.0.0.1:8000/"
DOC = BASE + "graph/doc/qh-2024"
CODES = BASE + "graph/codelist/func-2024"


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "store"
    store.load_graph(directory, DOC, SERVER_FIXTURES / "test-doc-qh-2024.nq")
    store.load_graph(directory, CODES, SERVER_FIXTURES / "test-codelist-func-2024.nq")
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


def test_reloading_the_same_data_keeps_it(store_dir: Path) -> None:
    """Removal then bulk write of the same quads: the new writes must win over the deletions."""
    before = store.open_read_only(store_dir).graphs()
    store.load_graph(store_dir, DOC, SERVER_FIXTURES / "test-doc-qh-2024.nq")
    assert store.open_read_only(store_dir).graphs() == before


def test_an_empty_document_is_an_empty_graph(store_dir: Path) -> None:
    assert store.load_graph(store_dir, DOC, "") == 0
    assert store.open_read_only(store_dir).graphs() == [
        store.GraphInfo(CODES, 18), store.GraphInfo(DOC, 0)]


def test_a_batch_is_all_or_nothing(store_dir: Path) -> None:
    before = store.open_read_only(store_dir).graphs()
    good = f'<{BASE}id/a> <{BASE}def/p> "x" .\n'
    with pytest.raises(store.StoreError, match="other"):
        store.replace_graphs(store_dir, [
            (BASE + "graph/doc/new", good), (DOC, good),
            (CODES, f'<{BASE}id/a> <{BASE}def/p> "x" <{BASE}graph/doc/other> .\n')])
    assert store.open_read_only(store_dir).graphs() == before
    assert sorted(p.name for p in store_dir.parent.iterdir()) == [".store.lock", "store"]


def test_a_graph_twice_in_one_batch_is_refused(store_dir: Path) -> None:
    with pytest.raises(store.StoreError, match="twice"):
        store.replace_graphs(store_dir, [(DOC, ""), (DOC, "")])


def test_a_second_writer_is_refused(store_dir: Path) -> None:
    with open(store_dir.parent / ".store.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with pytest.raises(store.StoreError, match="another load"):
            store.load_graph(store_dir, DOC, "")


def _killed_load(store_dir: Path, sabotage: str) -> None:
    """Reload DOC in a child process that ``sabotage`` kills with SIGKILL part-way."""
    quads = "".join(f'<{BASE}id/n{i}> <{BASE}def/p> "{i}" .\n' for i in range(50))
    code = "\n".join([
        "import os, signal",
        "from budgetgraph import store",
        "def die(*args, **kwargs):",
        "    os.kill(os.getpid(), signal.SIGKILL)",
        sabotage,
        f"store.load_graph({str(store_dir)!r}, {DOC!r}, {quads!r})",
    ])
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == -9, done.stderr


@pytest.mark.parametrize("sabotage", [
    # half-way through writing the copy, inside bulk_extend
    "store.PROGRESS_EVERY = 1\n"
    "real = store._checked_quads\n"
    "def checked(batch, counts, progress):\n"
    "    return real(batch, counts, lambda g, n: die() if n == 25 else None)\n"
    "store._checked_quads = checked",
    # the copy complete, not yet swapped in
    "store._swap = die",
    # no RENAME_EXCHANGE, killed between the two renames of the fallback
    "import errno\n"
    "def no_exchange(*args):\n"
    "    raise OSError(errno.EINVAL, 'unsupported')\n"
    "store._exchange = no_exchange\n"
    "real_rename, calls = os.rename, []\n"
    "def rename(*args):\n"
    "    calls.append(args)\n"
    "    die() if len(calls) == 2 else real_rename(*args)\n"
    "store.os.rename = rename",
], ids=["writing", "before-swap", "between-renames"])
def test_a_killed_load_leaves_the_store_as_it_was(store_dir: Path, sabotage: str) -> None:
    before = {g.iri: g.triples for g in store.open_read_only(store_dir).graphs()}
    _killed_load(store_dir, sabotage)
    if (store_dir / "CURRENT").is_file():  # the two-rename window leaves no store in place
        assert {g.iri: g.triples for g in store.open_read_only(store_dir).graphs()} == before
    # the next load cleans up (or puts the old store back) and sees the old graphs
    store.load_graph(store_dir, BASE + "graph/doc/next", "")
    after = {g.iri: g.triples for g in store.open_read_only(store_dir).graphs()}
    assert after == {**before, BASE + "graph/doc/next": 0}
    assert sorted(p.name for p in store_dir.parent.iterdir()) == [".store.lock", "store"]


def test_a_load_killed_after_the_swap_is_complete(store_dir: Path) -> None:
    _killed_load(store_dir, "real = store._exchange\n"
                            "def exchange(*args):\n"
                            "    real(*args); die()\n"
                            "store._exchange = exchange")
    assert {g.iri: g.triples for g in store.open_read_only(store_dir).graphs()} == {
        CODES: 18, DOC: 50}


def test_without_rename_exchange_two_renames_do(store_dir: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def unsupported(*args: object) -> None:
        raise OSError(22, "unsupported")

    monkeypatch.setattr(store, "_exchange", unsupported)
    store.load_graph(store_dir, DOC, "")
    assert store.open_read_only(store_dir).graphs() == [
        store.GraphInfo(CODES, 18), store.GraphInfo(DOC, 0)]


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
