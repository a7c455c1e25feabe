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
