"""Every rendition of a corpus PDF gives the PDF's tables (issue: read by meaning).

Each of the 14 corpus PDFs is rendered at test time the five ways users have it
(tests/renditions.py) and read as a text export; its table cells — (table kind, side,
row code or name, column, value) — are compared with the PDF path's.

What the reader achieves today is written down below, per document and rendition,
as measured: most renditions give every cell; the shortfalls are listed with the share
of cells they do give, and a test fails when a rendition falls below its recorded
share (a regression) or is refused. Raising a floor to 100% is the work that remains,
raw ``pdftotext`` above all: it reads a table's columns one after another, so a row's
figures are pages apart from its name. Where that leaves a table with numbers under
its title and no figure read, the document is refused (a hollow table is an error, not
an empty one: issue 12); those refusals are recorded too, and asserted.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tests.documents import PDF_DIR
from tests.renditions import RENDITIONS, agreement, cells, have_pdftotext

from budgetgraph.errors import ReadError
from budgetgraph.model import Disclosure
from budgetgraph.readers import read

PDFS = sorted(PDF_DIR.glob("*.pdf"))

#: (document, rendition) → the share of the PDF path's cells it gives, where below all,
#: as measured (percent, rounded down); every pair not listed must give every cell
SHORTFALLS: dict[tuple[str, str], float] = {
    # F01's 一般公共预算财政拨款基本支出决算表: two halves side by side, tall rows cut into
    # code, name and figure lines; pdfplumber keeps no column to tell the halves apart
    ("F01", "plumber"): 85, ("F01", "layout"): 96,
    # F01's 三公 row: one budget figure (0.95), its item said by no other table or statement
    ("F01", "pdfium"): 99, ("F01", "cells"): 99,
}
#: raw pdftotext: the floor of every document it does not refuse, as measured
RAW_FLOOR: dict[str, float] = {"F05": 76, "F13": 65}
#: raw pdftotext: the documents refused, as measured, and the table that yields no figure
#: (its rows' figures are printed pages away from their names)
RAW_REFUSED: dict[str, str] = {
    "F01": "收入支出决算总表", "F02": "收入支出决算总表", "F03": "收入支出决算总表",
    "F04": "2025年部门财政拨款收支预算总表", "F06": "2025年部门财政拨款收支预算总表",
    "F07": "2025年预算单位财政拨款收支预算总表", "F08": "2024年部门财政拨款收支预算总表",
    "F09": "2026年部门财政拨款收支预算总表", "F10": "2026年预算单位财政拨款收支预算总表",
    "F11": "2025年部门财政拨款收支预算总表", "F12": "2025年预算单位财政拨款收支预算总表",
    "F14": "2023年部门财政拨款收支预算总表",
}


def _floor(code: str, rendition: str) -> float:
    if rendition == "pdftotext":
        return RAW_FLOOR.get(code, 0.0)
    return SHORTFALLS.get((code, rendition), 100.0)


@pytest.mark.parametrize("rendition", list(RENDITIONS))
@pytest.mark.parametrize("pdf", PDFS, ids=[p.name[:3] for p in PDFS])
def test_a_rendition_gives_the_pdfs_tables(pdf: Path, rendition: str, tmp_path: Path,
                                           read_document: Callable[[Path], Disclosure]) -> None:
    if rendition in ("pdftotext", "layout") and not have_pdftotext():
        pytest.skip("pdftotext (poppler-utils) is not installed; .ci/run installs it")
    text = tmp_path / f"{pdf.stem}.{rendition}.txt"
    text.write_text(RENDITIONS[rendition](pdf), encoding="utf-8")
    if rendition == "pdftotext" and pdf.name[:3] in RAW_REFUSED:
        with pytest.raises(ReadError, match="yields no figure") as refused:
            read(text)
        assert f"table '{RAW_REFUSED[pdf.name[:3]]}'" in str(refused.value)
        return
    expected = cells(read_document(pdf))
    got = cells(read(text))  # a refusal is a ReadError: the test fails with its message
    share = 100 * agreement(expected, got)
    floor = _floor(pdf.name[:3], rendition)
    missing = sorted(expected - got, key=str)[:5]
    assert round(share, 1) >= floor, (f"{pdf.name} as {rendition}: {share:.1f}% of the PDF's "
                            f"{len(expected)} cells, below the {floor}% measured; "
                            f"first missing: {missing}")
    if floor == 100.0:
        extra = sorted(got - expected, key=str)[:5]
        assert got == expected, f"cells the PDF does not have: {extra}"
