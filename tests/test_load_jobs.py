"""`budgetgraph load --jobs N`: documents prepared in a pool of processes, written by
one, in input order; the store gets the same quads whatever N is."""

from __future__ import annotations

import gzip
import io
import re
import time
from pathlib import Path

import pytest
from tests.documents import DATA, QINGHAI, write_qinghai_changed

from budgetgraph import pipeline
from budgetgraph.cli import main
from budgetgraph.progress import Bar
from budgetgraph.store import dump_nquads_gzip

F13 = DATA / "F13_shanghai-putuo-shehuifuliyuan-2024-unit-budget.pdf"
#: What differs between two loads of the same files: the conversion's and validation's
#: times (to the second) and the blank node of each source file's checksum
_TIME = re.compile(r'(prov#endedAtTime>|dc/terms/created>) "[^"]*"')
_BLANK = re.compile(r"_:[A-Za-z0-9]+")


def quads(store_dir: Path) -> set[str]:
    """The store's quads as N-Quads lines, times and blank node labels made alike."""
    sink = io.BytesIO()
    dump_nquads_gzip(store_dir, sink)
    lines = gzip.decompress(sink.getvalue()).decode("utf-8").splitlines()
    return {_BLANK.sub("_:b", _TIME.sub(r'\1 "TIME"', line)) for line in lines if line}


def test_two_jobs_load_what_one_job_loads(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """A refused document (violations) and an unreadable one among real ones: with one
    job and with two, the same documents are loaded, the same quads written, the same
    lines printed in the same order, and the same refusals listed with their reasons."""
    broken = write_qinghai_changed(tmp_path, 120, "772.24\t692.81", "772.24\t699.81")
    broken = broken.rename(tmp_path / "broken.txt")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    files = [str(broken), str(QINGHAI), str(empty), str(F13)]
    printed = {}
    for jobs in (1, 2):
        store_dir = tmp_path / f"store-{jobs}"
        assert main(["load", *files, "--store", str(store_dir), "--jobs", str(jobs)]) == 2
        printed[jobs] = capsys.readouterr().err.replace(str(store_dir), "STORE")
    one, two = quads(tmp_path / "store-1"), quads(tmp_path / "store-2")
    assert len(one) > 10_000
    assert one == two
    assert printed[1] == printed[2]
    refused = printed[2][printed[2].index("refused 2 of 4 document(s):"):].splitlines()
    assert refused[1] == (f"  {broken}: 3 violation(s); not loaded (use --force to load anyway; "
                          "`budgetgraph validate` shows them in full)")
    assert "  empty.txt: the file is empty" in refused
    assert refused[-1].endswith("(this load: 2 loaded, 2 refused)")
    read = [line.split(":")[0] for line in printed[2].splitlines() if line.startswith("read ")]
    assert read == [f"read {Path(f).name}" for f in files if f != str(empty)]


def test_all_or_nothing_with_two_jobs_loads_none(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    broken = write_qinghai_changed(tmp_path, 120, "772.24\t692.81", "772.24\t699.81")
    store_dir = tmp_path / "store"
    assert main(["load", str(F13), str(broken), "--store", str(store_dir), "--jobs", "2",
                 "--all-or-nothing"]) == 1
    assert capsys.readouterr().err.splitlines()[-1].startswith(f"budgetgraph: error: {broken}: ")
    assert not store_dir.exists()


def _echo(path: Path, url: str | None = None) -> pipeline.Prepared:
    """A job that finishes later the earlier its document comes: the results must still
    come back in input order."""
    time.sleep(0.3 if path.name.startswith("a") else 0.0)
    return pipeline.Prepared(path, message=f"{path} {url}")


def test_jobs_come_back_in_input_order_and_a_joined_disclosure_is_one_job() -> None:
    """``local_inputs`` gives a disclosure published as two files as one path
    ``正文.pdf+公开表.pdf`` (readers/parts.py): it is one job, not two."""
    paths = [Path("a.pdf+b.pdf"), Path("c.txt"), Path("d.txt")]
    with pipeline.contextlib.closing(pipeline._prepared(
            paths, {Path("c.txt"): "http://example.org/c"}, _echo, 2)) as results:
        got = [item.message for item in results]
    assert got == ["a.pdf+b.pdf None", "c.txt http://example.org/c", "d.txt None"]


def test_a_pool_is_not_started_for_one_document(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a pool was started")

    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", no_pool)
    results = pipeline._prepared([Path("one.txt")], {}, _echo, 8)
    assert [item.message for item in results] == ["one.txt None"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_is_one_line_on_a_terminal_and_absent_elsewhere() -> None:
    now = [0.0]
    terminal = _Terminal()
    bar = Bar(terminal, clock=lambda: now[0])
    now[0] = 2.0
    bar.update(1, 4)
    bar.say("read x.txt: 9 tables")
    now[0] = 4.0
    bar.update(2, 4)
    bar.close()
    text = terminal.getvalue()
    assert "read x.txt: 9 tables\n" in text
    assert text.endswith("2/4 documents  0.5/s  0:04 left\x1b[K\n")
    assert text.count("\n") == 2  # the message, and the bar's last state
    plain = io.StringIO()
    bar = Bar(plain)
    bar.update(1, 4)
    bar.say("read x.txt: 9 tables")
    bar.close()
    assert plain.getvalue() == "read x.txt: 9 tables\n"


def test_jobs_must_be_a_positive_number(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["load", str(QINGHAI), "--store", "s", "--jobs", "0"])
    assert "argument --jobs: not a positive whole number" in capsys.readouterr().err


def test_the_default_is_one_job_per_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline.os, "cpu_count", lambda: 3)
    assert pipeline.default_jobs() == 3
    monkeypatch.setattr(pipeline.os, "cpu_count", lambda: None)
    assert pipeline.default_jobs() == 1
