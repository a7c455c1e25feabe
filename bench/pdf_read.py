"""Time PDF text extraction per corpus document: our pdf_lines against the alternatives.

Usage: ``python bench/pdf_read.py [PDF_DIR]`` (default: ``tests/corpus/fetched/pdf``). Prints a
Markdown table of median seconds per document over ``--runs`` runs, the figures
docs/layouts.md quotes. pdfplumber is timed once per document (it is the slow one).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

from budgetgraph.readers.pdf import pdf_lines

CORPUS_PDFS = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "fetched" / "pdf"


def pypdfium2_text(path: Path) -> None:
    """PDFium's own text, no positions: the floor for this library."""
    with pdfium.PdfDocument(path) as document:
        for page in document:
            page.get_textpage().get_text_range()


def pdfplumber_text(path: Path) -> None:
    with pdfplumber.open(path) as document:
        for page in document.pages:
            page.extract_text()


def pdfplumber_words(path: Path) -> None:
    """Characters grouped into words with positions: what pdf_lines would need from it."""
    with pdfplumber.open(path) as document:
        for page in document.pages:
            page.extract_words()


def timed(function: Callable[[Path], object], path: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pdf_dir", nargs="?", type=Path,
                        default=CORPUS_PDFS)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print("| file | pages | pdf_lines (pypdfium2) | pypdfium2 text | "
          "pdfplumber extract_text | pdfplumber extract_words |")
    print("|---|---|---|---|---|---|")
    for path in sorted(args.pdf_dir.glob("*.pdf")):
        with pdfium.PdfDocument(path) as document:
            pages = len(document)
        ours = timed(pdf_lines, path, args.runs)
        floor = timed(pypdfium2_text, path, args.runs)
        plumber_text = timed(pdfplumber_text, path, 1)
        plumber_words = timed(pdfplumber_words, path, 1)
        print(f"| {path.name[:3]} | {pages} | {ours:.3f} s | {floor:.3f} s | "
              f"{plumber_text:.2f} s | {plumber_words:.2f} s |")


if __name__ == "__main__":
    main()
