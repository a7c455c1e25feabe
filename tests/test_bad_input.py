"""Bad input: a clear message naming the file (and line), a non-zero exit, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.documents import QINGHAI

from budgetgraph.cli import main
from budgetgraph.readers import read


def run_parse(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["parse", str(path)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.err


def qinghai_lines() -> list[str]:
    return QINGHAI.read_text(encoding="utf-8").splitlines()


def write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_not_a_budget_disclosure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "novel.txt", ["第一章", "那是最美好的时代，那是最糟糕的时代。"] * 20)
    code, err = run_parse(path, capsys)
    assert code == 2
    assert "novel.txt" in err and "not a budget disclosure" in err


def test_truncated_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = qinghai_lines()
    cut = lines.index("财政拨款收支总表")  # the file ends before table 4
    path = write(tmp_path, "truncated.txt", lines[:cut])
    code, err = run_parse(path, capsys)
    assert code == 2
    assert "truncated.txt" in err and "truncated" in err
    assert "财政拨款收支总表" in err


def test_table_outside_the_template(tmp_path: Path) -> None:
    """A province's own table neither refuses the document nor lends its figures a
    template table's meaning: they are accounted unread, naming the table's line."""
    lines = qinghai_lines()
    at = max(i for i, line in enumerate(lines) if line == "第三部分 部门预算情况说明")
    extra = ["", "部门资产负债情况统计表", "", "单位：万元", "", "项目\t金额", "房屋\t12.00", ""]
    path = write(tmp_path, "unknown.txt", lines[:at] + extra + lines[at:])
    doc = read(path)
    plain = read(write(tmp_path, "plain.txt", lines))
    assert [t.kind for t in doc.tables] == [t.kind for t in plain.tables]
    reason = f"table outside the national template (部门资产负债情况统计表, line {at + 2})"
    assert [(u.token.text, u.reason) for u in doc.coverage.unread] == [
        *[(u.token.text, u.reason) for u in plain.coverage.unread], ("12.00", reason)]
    assert any(reason in warning for warning in doc.warnings)


def test_text_where_a_figure_belongs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = qinghai_lines()
    number = lines.index("2080109\t社会保险经办机构\t772.24\t692.81\t79.43\t\t\t")
    lines[number] = "2080109\t社会保险经办机构\t772.24\t六百九十二\t79.43\t\t\t"
    path = write(tmp_path, "text-figure.txt", lines)
    code, err = run_parse(path, capsys)
    assert code == 2
    assert f"text-figure.txt:{number + 1}" in err
    assert "六百九十二" in err and "where a figure belongs" in err


def test_undecodable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "binary.txt"
    path.write_bytes(bytes(range(256)) * 8)
    code, err = run_parse(path, capsys)
    assert code == 2
    assert "binary.txt" in err


def test_empty_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    code, err = run_parse(path, capsys)
    assert code == 2
    assert "empty.txt" in err and "empty" in err


def test_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_parse(tmp_path, capsys)
    assert code == 2
    assert "directory" in err


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_parse(tmp_path / "nope.txt", capsys)
    assert code == 2
    assert "nope.txt" in err and "no such file" in err


def test_a_file_too_large_is_refused_before_it_is_read(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A sparse file of 16 GB: reading any of it would not end in a test's time."""
    path = tmp_path / "huge.pdf"
    with path.open("wb") as handle:
        handle.truncate(16 * 2**30)
    code, err = run_parse(path, capsys)
    assert code == 2
    assert err.strip() == ("budgetgraph: error: " + str(path)
                           + ": 16,384 MB, larger than any disclosure (64 MB at most): not read")
