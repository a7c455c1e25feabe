"""Readers: any supported input file → :class:`~budgetgraph.model.Disclosure`.

One module per source format (text export, PDF), one shared path from lines
to the model (:mod:`budgetgraph.readers.document`).
"""

from __future__ import annotations

from pathlib import Path

from budgetgraph.errors import ReadError
from budgetgraph.model import Disclosure

#: The largest input read. A disclosure is at most a few MB (the corpus's largest PDF is
#: 3.7 MB); a file far larger is something else, and reading it first would cost
#: minutes and gigabytes before refusing it (a 216 MB file: 54 s, 4 GB).
MAX_INPUT_BYTES = 64 * 2**20


def read(path: str | Path) -> Disclosure:
    """Read one disclosure (a PDF or a text export), detecting which from its bytes."""
    path = Path(path)
    if path.is_dir():
        raise ReadError("is a directory, not a document", file=str(path))
    if not path.exists():
        raise ReadError("no such file", file=str(path))
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise ReadError(f"{size / 2**20:,.0f} MB, larger than any disclosure "
                        f"({MAX_INPUT_BYTES // 2**20} MB at most): not read", file=str(path))
    try:
        with path.open("rb") as handle:
            head = handle.read(5)
    except OSError as exc:
        raise ReadError(f"cannot open: {exc.strerror}", file=str(path)) from None
    # imported here so that importing one reader module never needs all the others
    from budgetgraph.readers.document import read_lines

    if head.startswith(b"%PDF"):
        from budgetgraph.readers.pdf import pdf_lines

        lines = pdf_lines(path)
    else:
        from budgetgraph.readers.text import read_text_lines

        lines = read_text_lines(path)
    return read_lines(lines, path.name)


__all__ = ["read"]
