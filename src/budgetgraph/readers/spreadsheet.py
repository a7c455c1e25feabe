"""Excel workbooks (.xlsx and the older .xls), read with python-calamine.

One line per row from the sheet's first row and column (A1) to the last used
ones, blank rows and cells kept, so that line numbers are row numbers on the
first sheet and figures keep their columns; each visible sheet is a page, numbered from 1 in the
workbook's order. Hidden sheets are not part of what was published and are skipped.

A text cell is taken as written (``"1,234.50"`` stays ``1,234.50``). A numeric
cell holds a binary double and no printed form (calamine does not give the
cell's number format), so it is written as Excel shows a General cell, with 15
significant digits (``2181.31``, never ``2181.3099999999999``), and with two
decimals where it has one (``4.5`` → ``4.50``: the templates print money with
two). The figure is the same decimal either way; only a whole amount printed as
``345.00`` comes back as ``345``.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

from budgetgraph.errors import ReadError
from budgetgraph.readers.lines import Line, grid_lines


def cell_text(value: object) -> str:
    """A calamine cell value as the text a reader of the sheet sees."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        number = Decimal(f"{value:.15g}")
        if number == number.to_integral_value():
            return str(int(number))
        text = format(number, "f")
        return text + "0" if len(text.partition(".")[2]) == 1 else text
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def spreadsheet_lines(path: Path) -> list[Line]:
    """The lines of every visible sheet of a workbook, one page per sheet."""
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        try:
            names = [meta.name for meta in workbook.sheets_metadata
                     if meta.visible == SheetVisibleEnum.Visible]
            pages = [[[cell_text(value) for value in row]
                      for row in workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)]
                     for name in names]
        finally:
            workbook.close()
    except CalamineError as exc:
        raise ReadError(f"not a readable Excel workbook: {_reason(exc)}", file=str(path)) from None
    except (ValueError, OSError) as exc:  # calamine reports some damage as plain errors
        raise ReadError(f"not a readable Excel workbook: {_reason(exc)}", file=str(path)) from None
    if not any(any(any(cell for cell in row) for row in page) for page in pages):
        raise ReadError("the workbook has no visible cell with text", file=str(path))
    return grid_lines(pages, paged=True)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
