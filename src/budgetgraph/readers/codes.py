"""The code lists' names, for rows whose code the text put elsewhere.

An extractor that reads a page in blocks (pdftotext without -layout) prints a
table's codes in a run of their own, away from the names and figures of their
rows. The names are enough: the functional and economic code lists say which
code a name is, and where one name has several codes (行政运行 is 项 01 of
every 款) the row above says which 款 it is under.

The lists are the project's own (``budgetgraph/rdf/codelists``): read here as
data, without the RDF stage. They are partial; a name they do not know leaves
its row without a code, as printed.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib.resources import files

from budgetgraph.readers.vocabulary import squash, strip_numbering

_LISTS = {"func": "func.csv", "econ": "econ.csv"}


@cache
def _names(scheme: str) -> dict[str, list[str]]:
    """Squashed name → codes that bear it, in the list's order."""
    path = files("budgetgraph") / "rdf" / "codelists" / _LISTS[scheme]
    out: dict[str, list[str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            out.setdefault(squash(row["name_zh"]), []).append(row["code"])
    return out


def code_of(name: str, *, scheme: str, above: str | None) -> str | None:
    """The code of a row named ``name``, under the nearest coded row ``above`` it.

    A name borne by one code is that code, where it can stand under ``above``
    (its own 类, or a new 类). A name borne by several is the one under the same
    类/款 as ``above``. Otherwise None: the reader does not guess.
    """
    codes = _names(scheme).get(squash(strip_numbering(name)), [])
    fitting = [c for c in codes if (_fits(c, above) if above else len(c) == 3)]
    return fitting[0] if len(fitting) == 1 else None


def names_a_code(name: str, *, scheme: str) -> bool:
    """Some code of the list ``scheme`` bears this name (租赁费 is economic 30214)."""
    return bool(_names(scheme).get(squash(strip_numbering(name))))


def _fits(code: str, above: str) -> bool:
    """``code`` can follow ``above`` in a table in code order: a child, a sibling, or
    a later 类/款."""
    if len(code) == 3:
        return code > above[:3]
    parent = code[:-2]
    return above.startswith(parent) or above == parent or above[: len(parent)] == parent
