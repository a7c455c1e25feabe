"""The normal form of a printed Chinese name, shared by IRI minting and matching."""

from __future__ import annotations

import unicodedata


def normalise_name(name: str) -> str:
    """The form of a Chinese name that is hashed and compared: NFKC (full-width
    brackets and digits become ASCII) with all whitespace removed, since PDF
    extraction inserts spaces where a cell wraps."""
    return "".join(unicodedata.normalize("NFKC", name).split())
