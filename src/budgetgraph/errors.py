"""The errors budgetgraph reports to people: each names the file, where, and what.

The CLI turns any :class:`BudgetgraphError` into one line on stderr and a
non-zero exit; anything else is a bug and is shown as one.
"""

from __future__ import annotations


class BudgetgraphError(Exception):
    """Base of every error that is the input's fault, not ours."""

    exit_code = 2

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 page: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.page = page

    def __str__(self) -> str:
        where = self.file or ""
        if self.page is not None:
            where += f":p{self.page}"
        if self.line is not None:
            where += f":{self.line}"
        return f"{where}: {self.message}" if where else self.message


class ReadError(BudgetgraphError):
    """The document cannot be read as a budget disclosure."""
