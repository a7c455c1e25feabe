"""The corpus PDFs as the text users actually have: five renditions made at test time.

A user rarely has our PDF reader's lines. They have what a text extractor gave them, or
what a web page or a copy-paste kept. Each function here renders one PDF as one of
those texts, written to a file the reader then reads as a text export:

- ``plumber``: pdfplumber's ``extract_text()``, pages joined by form feeds;
- ``pdftotext``: poppler's ``pdftotext`` in its reading order (names and figures of one
  table row often on separate lines, columns read one after another);
- ``layout``: ``pdftotext -layout`` (cells kept apart by runs of spaces);
- ``pdfium``: pypdfium2's plain page text, pages joined by form feeds;
- ``cells``: one cell per line, as web pages and copy-paste from a table give it.

And :func:`cells` turns a model into the set of table cells the differential test
compares: (table kind, side, row code or name, column, value).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium

from budgetgraph.model import Disclosure
from budgetgraph.readers.pdf import pdf_lines

#: one table cell: (table kind, side, row code or name, column key, value); Decimal values
#: compare by value (a printed 0.00 and 0 are one figure), as sets of them do
CellKey = tuple[str, str, str, str, Decimal]


def plumber(pdf: Path) -> str:
    import pdfplumber  # a test dependency only

    with pdfplumber.open(pdf) as document:
        return "\f".join(page.extract_text() or "" for page in document.pages)


def pdftotext(pdf: Path, *options: str) -> str:
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", *options, str(pdf), "-"],
                            capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def layout(pdf: Path) -> str:
    return pdftotext(pdf, "-layout")


def pdfium_text(pdf: Path) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            text_page = page.get_textpage()
            pages.append(text_page.get_text_range())
            text_page.close()
            page.close()
        return "\f".join(pages)
    finally:
        document.close()


def one_cell_per_line(pdf: Path) -> str:
    out: list[str] = []
    page = None
    for line in pdf_lines(pdf):
        prefix = "\f" if page is not None and line.page != page else ""
        page = line.page
        texts = [t for t in line.texts if t.strip()] or [""]
        out.append(prefix + texts[0])
        out.extend(texts[1:])
    return "\n".join(out) + "\n"


RENDITIONS: dict[str, Callable[[Path], str]] = {
    "plumber": plumber,
    "pdftotext": pdftotext,
    "layout": layout,
    "pdfium": pdfium_text,
    "cells": one_cell_per_line,
}


def have_pdftotext() -> bool:
    return shutil.which("pdftotext") is not None


def cells(doc: Disclosure) -> set[CellKey]:
    """Every filled cell of the model's tables, keyed by what it means, not where it sat."""
    found: set[CellKey] = set()
    for table in doc.tables:
        for row in table.rows:
            label = row.code or row.name
            for key, value in row.values.items():
                if value is not None:
                    found.add((table.kind.value, row.side or "", label, key, value))
    return found


def agreement(expected: set[CellKey], got: set[CellKey]) -> float:
    """The share of the PDF path's cells that the rendition gave exactly."""
    return len(expected & got) / len(expected) if expected else 1.0
