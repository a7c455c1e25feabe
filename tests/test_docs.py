"""The docs that are generated from the code stay current."""

from __future__ import annotations

import os
import re

from tests.documents import ROOT

from budgetgraph.cli import reference


def test_cli_reference_is_current(monkeypatch) -> None:
    monkeypatch.setitem(os.environ, "COLUMNS", "100")
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == reference(), \
        "docs/cli.md is stale: run `make docs`"


#: The landing examples docs/ontology.md shows as the researcher's five questions, in
#: order: tests/test_cube.py and tests/test_publication.py run these very queries on the
#: corpus and compare them with the documents' own figures.
RESEARCHER_QUESTIONS = ("FUNCTION_BY_REGION", "BASIC_VS_PROJECT", "THREE_PUBLIC_OVER_YEARS",
                        "EXECUTION", "BROKEN_IDENTITIES")


def test_the_researchers_questions_in_the_docs_are_the_tested_queries() -> None:
    from budgetgraph.web import examples

    text = (ROOT / "docs" / "ontology.md").read_text(encoding="utf-8")
    section = text[text.index("## The researcher's questions"):]
    section = section[:section.index("\n## ", 1)]
    blocks = re.findall(r"```sparql\n(.*?)```", section, re.S)

    def words(query: str) -> list[str]:
        """The query's tokens, without its comments (the docs may drop them)."""
        return re.sub(r"\s#[^\n]*", " ", query).split()

    assert [words(b) for b in blocks] == [
        words(getattr(examples, name).removeprefix(examples.PREFIXES))
        for name in RESEARCHER_QUESTIONS], "docs/ontology.md's queries differ from examples.py"
