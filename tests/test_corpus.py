"""tests/corpus/ is the published documents byte for byte: its MANIFEST's sha256 of
every file holds, no file is unlisted, and data/ holds the same bytes as the corpus."""

from __future__ import annotations

import hashlib
import re

from tests.documents import CORPUS, DATA, pdf

#: ``| `path` | `sha256` |`` rows of the MANIFEST's sha256 table
ROW = re.compile(r"^\| `([^`]+)` \| `([0-9a-f]{64})` \|$", re.MULTILINE)


def test_every_corpus_file_has_the_sha256_its_manifest_records() -> None:
    recorded = dict(ROW.findall((CORPUS / "MANIFEST.md").read_text(encoding="utf-8")))
    present = {str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*")
               if p.is_file() and p.name not in ("MANIFEST.md", "README.md")}
    assert present == set(recorded), {"unlisted": sorted(present - set(recorded)),
                                      "missing": sorted(set(recorded) - present)}
    changed = [name for name, digest in recorded.items()
               if hashlib.sha256((CORPUS / name).read_bytes()).hexdigest() != digest]
    assert changed == []


def test_every_corpus_folder_keeps_its_provenance_note() -> None:
    folders = {p.parent for p in CORPUS.rglob("*") if p.is_file() and p.suffix != ".md"}
    unexplained = [str(f.relative_to(CORPUS)) for f in folders
                   if not any((g / n).is_file() for g in (f, f.parent)
                              for n in ("MANIFEST.md", "README.md"))]
    assert unexplained == []


def test_the_demo_documents_are_the_corpus_documents() -> None:
    for document in DATA.iterdir():
        twin = pdf(document.name[:3]) if document.suffix == ".pdf" else CORPUS / document.name
        assert document.read_bytes() == twin.read_bytes(), document.name
