"""The docs that are generated from the code stay current."""

from __future__ import annotations

import os

from tests.documents import ROOT

from budgetgraph.cli import reference


def test_cli_reference_is_current(monkeypatch) -> None:
    monkeypatch.setitem(os.environ, "COLUMNS", "100")
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == reference(), \
        "docs/cli.md is stale: run `make docs`"
