"""`budgetgraph load` end to end on the real document: read → convert → validate → store."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from tests.documents import QINGHAI, write_qinghai_changed

from budgetgraph.cli import main
from budgetgraph.store import open_read_only

DOCUMENT_GRAPH = "http://127.0.0.1:8000/graph/org/630223/e6b42d96fa/2024/budget"


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


def test_an_unreadable_document_loads_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    store_dir = tmp_path / "store"
    assert main(["load", str(QINGHAI), str(empty), "--store", str(store_dir)]) == 2
    err = capsys.readouterr().err
    assert "empty.txt" in err and "Traceback" not in err
    assert not store_dir.exists()  # the good document was not loaded either


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
