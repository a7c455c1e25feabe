"""Readers: any supported input file → :class:`~budgetgraph.model.Disclosure`.

One module per source format — text export, PDF, Excel workbook (.xlsx, .xls),
Word document (.docx), web page (HTML) — each turning its file into lines of
cells, and one shared path from lines to the model
(:mod:`budgetgraph.readers.document`). The format is told by the file's bytes,
never by its name. A document can also be named by an http(s) URL
(:mod:`budgetgraph.readers.download`).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from budgetgraph.errors import ReadError
from budgetgraph.model import Disclosure
from budgetgraph.readers import parts
from budgetgraph.readers.lines import Line

#: The largest input read. A disclosure is at most a few MB (the corpus's largest PDF is
#: 3.7 MB); a file far larger is something else, and reading it first would cost
#: minutes and gigabytes before refusing it (a 216 MB file: 54 s, 4 GB).
MAX_INPUT_BYTES = 64 * 2**20

#: The first bytes of an OLE2 compound file: Excel 97-2003 (.xls), also old Word (.doc)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read(path: str | Path) -> Disclosure:
    """Read one disclosure (PDF, text export, .xlsx/.xls, .docx or HTML page), detecting
    which from its bytes; an http(s) URL is downloaded first (at most
    :data:`MAX_INPUT_BYTES`), and the document is named by the URL's file name."""
    from budgetgraph.readers.download import downloaded, is_url

    if is_url(path):
        with downloaded(str(path), max_bytes=MAX_INPUT_BYTES) as local:
            return read(local)
    path = Path(path)
    files = parts.split(path)
    if files is not None:  # one disclosure published as several files (正文+公开表)
        return parts.read_parts([(f.name, read_source_lines(_checked(f))) for f in files])
    # imported here so that importing one reader module never needs all the others
    from budgetgraph.readers.document import read_lines

    return read_lines(read_source_lines(_checked(path)), path.name)


def read_head(path: Path) -> list[Line]:
    """A file's first lines (a PDF's first page): enough to tell a cover from a table."""
    with _checked(path).open("rb") as handle:
        if handle.read(4) == b"%PDF":
            from budgetgraph.readers.pdf import pdf_lines

            return pdf_lines(path, pages=1)
    return read_source_lines(path)[:60]


def _checked(path: Path) -> Path:
    """The path, if it is a file of a size a disclosure can have."""
    if path.is_dir():
        raise ReadError("is a directory, not a document", file=str(path))
    if not path.exists():
        raise ReadError("no such file", file=str(path))
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise ReadError(f"{size / 2**20:,.0f} MB, larger than any disclosure "
                        f"({MAX_INPUT_BYTES // 2**20} MB at most): not read", file=str(path))
    return path


def read_source_lines(path: Path) -> list[Line]:
    """The lines of any supported file, by the format its first bytes show."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise ReadError(f"cannot open: {exc.strerror}", file=str(path)) from None
    if head.startswith(b"%PDF"):
        from budgetgraph.readers.pdf import pdf_lines

        return pdf_lines(path)
    if head.startswith(b"PK\x03\x04"):
        return _office_lines(path)
    if head.startswith(_OLE2):
        from budgetgraph.readers.spreadsheet import spreadsheet_lines

        try:
            return spreadsheet_lines(path)
        except ReadError as error:  # the other common OLE2 file
            raise ReadError(f"{error.message} (an Excel 97-2003 .xls was expected; save a "
                            "Word 97-2003 .doc as .docx)", file=str(path)) from None
    from budgetgraph.readers.html import looks_like_html

    if looks_like_html(head):
        from budgetgraph.readers.html import html_lines

        return html_lines(path)
    from budgetgraph.readers.text import read_text_lines

    return read_text_lines(path)


def _office_lines(path: Path) -> list[Line]:
    """A zip archive: an Office Open XML workbook (``xl/``) or Word document (``word/``)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReadError(f"a damaged zip archive, not a readable document: {exc}",
                        file=str(path)) from None
    if any(name.startswith("xl/") for name in names):
        from budgetgraph.readers.spreadsheet import spreadsheet_lines

        return spreadsheet_lines(path)
    if any(name.startswith("word/") for name in names):
        from budgetgraph.readers.word import docx_lines

        return docx_lines(path)
    raise ReadError("a zip archive that is neither an Excel workbook (.xlsx) nor a Word "
                    "document (.docx): not a disclosure", file=str(path))


__all__ = ["MAX_INPUT_BYTES", "read", "read_source_lines"]
