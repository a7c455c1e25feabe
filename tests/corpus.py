"""Where the real documents are: ``../shared/corpus`` beside the checkout, and ``data/``."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
QINGHAI = ROOT / "data" / "huzhu-social-insurance-bureau-2024-budget.txt"
QINGHAI_SHARED = SHARED / "huzhu-social-insurance-bureau-2024-budget.txt"
F08_TEXT = next((SHARED / "fetched" / "text").glob("F08_*.txt"))
PDF_DIR = SHARED / "fetched" / "pdf"


def pdf(prefix: str) -> Path:
    """The corpus PDF whose name starts with ``prefix`` (F01 … F14)."""
    return next(PDF_DIR.glob(f"{prefix}_*.pdf"))


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
