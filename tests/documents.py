"""Where the real documents are: ``tests/corpus/`` (copied into the repository, see its
MANIFEST.md) and ``data/`` (what the demo publishes). Plain paths, no fixtures: the
session's one read of each document is the ``read_document`` fixture of conftest.py."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
DATA = ROOT / "data"
QINGHAI = DATA / "huzhu-social-insurance-bureau-2024-budget.txt"
QINGHAI_CORPUS = CORPUS / QINGHAI.name
PDF_DIR = CORPUS / "fetched" / "pdf"
F08_TEXT = (CORPUS / "fetched" / "text"
            / "F08_shanghai-putuo-wanli-street-2024-budget.tianbaoxitong-rawtext.txt")
JIANGSU_DIR = CORPUS / "fetched" / "jiangsu"
EXCERPTS_DIR = CORPUS / "excerpts"
HTML_DIR = CORPUS / "html"
CODELISTS_DIR = CORPUS / "codelists"


def pdf(prefix: str) -> Path:
    """The corpus PDF whose name starts with ``prefix`` (F01 … F14)."""
    found = sorted(PDF_DIR.glob(f"{prefix}_*.pdf"))
    assert len(found) == 1, f"expected one {prefix}_*.pdf in {PDF_DIR}, found {found}"
    return found[0]


def qinghai_changed(line: int, old: str, new: str) -> str:
    """The Qinghai document's text with ``old`` replaced by ``new`` on ``line``."""
    lines = QINGHAI.read_text(encoding="utf-8").split("\n")
    assert old in lines[line - 1], f"line {line} does not contain {old!r}"
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "\n".join(lines)


def write_qinghai_changed(folder: Path, line: int, old: str, new: str) -> Path:
    """A copy of the Qinghai document, under its own name, with one figure changed."""
    path = folder / QINGHAI.name
    path.write_text(qinghai_changed(line, old, new), encoding="utf-8")
    return path
