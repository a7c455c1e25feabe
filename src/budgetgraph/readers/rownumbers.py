"""行次 and 栏次: the row and column numbers some provinces print inside a table.

A 决算 table of the Hubei or Hunan layout numbers its rows (a 行次 column beside each
side's names: ``一、一般公共预算财政拨款收入 | 1 | 440.55``) and its columns (a 栏次 line:
``栏次 | 1 | 2``). They are small integers in the body, exactly where figures sit, so a
reader that does not know them files them as amounts. They are taken out of the table's
lines here, before the columns are read, and the account names each one: "row number
(行次)", "column number (栏次)".

Read by meaning: a 行次 number is a bare integer printed right after a row's name, in a
table whose header names 行次; nothing else in such a table is removed.
"""

from __future__ import annotations

import re
from dataclasses import replace

from budgetgraph.readers.lines import Cell, Ledger, Line
from budgetgraph.readers.vocabulary import squash

ROW_NUMBER = "row number (行次)"
COLUMN_NUMBER = "column number (栏次)"

_ROW_NUMBER_RE = re.compile(r"^\d{1,3}$")
_HEADER_LINES = 20  # 行次 is in the header, within the table's first lines


def has_row_numbers(body: list[Line]) -> bool:
    """Whether the table's header names a 行次 column."""
    return any("行次" in squash(line.text) for line in body[:_HEADER_LINES])


def without_row_numbers(body: list[Line], ledger: Ledger) -> list[Line]:
    """The table's lines with 行次 cells, 栏次 lines and the numbers they hold taken out.

    Works cell by cell and line by line alike, so that a rendition with one cell per
    line (``name`` / ``1`` / ``440.55``) and one with the cells on a line give the same
    rows. Lines left with no cell are dropped.
    """
    if not has_row_numbers(body):
        return body
    kept: list[Line] = []
    after_name = False  # the previous cell, on this line or the line before, was a name
    in_column_numbers = False  # inside a 栏次 run: 栏次 1 栏次 2 …
    for line in body:
        cells: list[Cell] = []
        for cell in line.cells if line.cells else []:
            text = squash(cell.text)
            if not text:
                continue
            if text in ("行次", "栏次"):
                in_column_numbers = text == "栏次"
                after_name = False
                continue
            if _ROW_NUMBER_RE.match(text) and in_column_numbers:
                ledger.structural(line, text, COLUMN_NUMBER)
                continue
            if _ROW_NUMBER_RE.match(text) and after_name:
                ledger.structural(line, text, ROW_NUMBER)
                after_name = False
                continue
            in_column_numbers = False
            after_name = not _is_number(text)
            cells.append(cell)
        if not line.text.strip():
            kept.append(line)
        elif cells:
            separator = "\t" if "\t" in line.text else "  "
            kept.append(replace(line, text=separator.join(c.text for c in cells), cells=cells))
    return kept


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"-?[\d,]+(?:\.\d+)?", text))
