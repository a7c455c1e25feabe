"""`budgetgraph load` end to end on the real document: read → convert → validate → store."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from tests.documents import DATA, QINGHAI, write_qinghai_changed

from budgetgraph.cli import main
from budgetgraph.store import open_read_only

DOCUMENT_GRAPH = "http://127.0.0.1:8000/graph/org/630223/e6b42d96fa/2024/budget"
F13 = DATA / "F13_shanghai-putuo-shehuifuliyuan-2024-unit-budget.pdf"  # 上海市普陀区社会福利院
F13_GRAPH = "http://127.0.0.1:8000/graph/org/310107/22a6e6dda3/2024/unit-budget"


def held(store_dir: Path) -> str:
    """What the summary must say the store holds, counted from the store itself:
    the document graphs (``…/graph/org/…``) and every other graph of ours."""
    counts = graphs(store_dir)
    documents = [n for iri, n in counts.items() if "/graph/org/" in iri]
    others = sum(n for iri, n in counts.items() if "/graph/org/" not in iri)
    return (f"{store_dir}: {len(documents)} document(s), {sum(documents)} quads, {others} "
            "quads of ontology and code lists")


def graphs(store_dir: Path) -> dict[str, int]:
    snapshot = open_read_only(store_dir)
    try:
        return {g.iri: g.triples for g in snapshot.graphs()}
    finally:
        del snapshot


def test_load_then_reload_replaces_the_document_graph(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store_dir = tmp_path / "var" / "store"  # parents are created
    assert main(["load", str(QINGHAI), "--store", str(store_dir)]) == 0
    first = graphs(store_dir)
    assert first[DOCUMENT_GRAPH] > 5000
    assert any("/graph/ontology" in iri for iri in first)
    err = capsys.readouterr().err
    assert "542/542 figures, 0 violation(s)" in err
    assert main(["load", str(QINGHAI), "--store", str(store_dir)]) == 0
    assert graphs(store_dir) == first  # replaced, not added to


def test_a_document_with_violations_is_refused_and_the_store_untouched(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store_dir = tmp_path / "store"
    assert main(["load", str(QINGHAI), "--store", str(store_dir)]) == 0
    before = graphs(store_dir)
    broken_dir = tmp_path / "broken"
    broken_dir.mkdir()
    broken = write_qinghai_changed(broken_dir, 120, "772.24\t692.81", "772.24\t699.81")
    assert main(["load", str(broken), "--store", str(store_dir)]) == 1
    assert "violation" in capsys.readouterr().err
    assert graphs(store_dir) == before
    assert main(["load", str(broken), "--store", str(store_dir), "--force"]) == 0
    assert graphs(store_dir)[DOCUMENT_GRAPH] == before[DOCUMENT_GRAPH]  # same shape, new figure


def test_a_batch_loads_every_valid_document_and_lists_the_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One broken and one unreadable document among real ones: the real ones are loaded,
    the others listed with why (each violation with its figures), and the exit is 2 as a
    file could not be read."""
    broken = write_qinghai_changed(tmp_path, 120, "772.24\t692.81", "772.24\t699.81")
    broken = broken.rename(tmp_path / "broken.txt")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    store_dir = tmp_path / "store"
    assert main(["load", str(broken), str(QINGHAI), str(empty), str(F13),
                 "--store", str(store_dir)]) == 2
    err = capsys.readouterr().err
    assert set(graphs(store_dir)) >= {DOCUMENT_GRAPH, F13_GRAPH}
    refused = err[err.index("refused 2 of 4 document(s):"):].splitlines()
    assert refused[1] == (f"  {broken}: 3 violation(s); not loaded (use --force to load anyway; "
                          "`budgetgraph validate` shows them in full)")
    violations = [line for line in refused if line.startswith("    [violation] ")]
    assert len(violations) == 3 and all("2080109" in line or "20801" in line
                                        for line in violations)
    assert "70000 yuan" in violations[0]
    assert "  empty.txt: the file is empty" in refused  # as the reader names it
    assert refused[-1] == f"{held(store_dir)} (this load: 2 loaded, 2 refused)"
    assert "Traceback" not in err


def test_violations_alone_exit_1_and_all_or_nothing_loads_none(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = write_qinghai_changed(tmp_path, 120, "772.24\t692.81", "772.24\t699.81")
    store_dir = tmp_path / "store"
    assert main(["load", str(F13), str(broken), "--store", str(store_dir),
                 "--all-or-nothing"]) == 1
    assert capsys.readouterr().err.splitlines()[-1].startswith(f"budgetgraph: error: {broken}: ")
    assert not store_dir.exists()
    assert main(["load", str(F13), str(broken), "--store", str(store_dir)]) == 1
    assert set(graphs(store_dir)) >= {F13_GRAPH} and DOCUMENT_GRAPH not in graphs(store_dir)


def test_the_summary_counts_what_the_store_holds(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store_dir = tmp_path / "store"
    assert main(["load", str(QINGHAI), "--store", str(store_dir)]) == 0
    assert main(["load", str(F13), "--store", str(store_dir)]) == 0
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"{held(store_dir)} (this load: 1 loaded, 0 refused)")
    assert held(store_dir).startswith(f"{store_dir}: 2 document(s)")


def test_load_needs_exactly_one_target(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["load", str(QINGHAI)]) == 2
    assert "--store" in capsys.readouterr().err


def test_a_load_that_fails_while_writing_leaves_the_store_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The run is written into a copy of the store: a failure before the swap changes nothing."""
    from budgetgraph import store

    store_dir = tmp_path / "store"
    assert main(["load", str(QINGHAI), "--store", str(store_dir)]) == 0
    before = graphs(store_dir)
    dumped = tmp_path / "before.nq.gz"
    with dumped.open("wb") as sink:
        store.dump_nquads_gzip(store_dir, sink)
    changed_dir = tmp_path / "changed"
    changed_dir.mkdir()
    changed = write_qinghai_changed(changed_dir, 120, "772.24\t692.81", "772.24\t699.81")

    def disk_full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "_swap", disk_full)
    assert main(["load", str(changed), "--store", str(store_dir), "--force"]) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert graphs(store_dir) == before
    after = tmp_path / "after.nq.gz"
    with after.open("wb") as sink:
        store.dump_nquads_gzip(store_dir, sink)
    assert gzip.decompress(after.read_bytes()) == gzip.decompress(dumped.read_bytes())
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [".store.lock"]
