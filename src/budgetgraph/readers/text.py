"""Text exports of disclosure PDFs: decode (UTF-8 or GBK/GB18030, detected) and split into lines."""

from __future__ import annotations

from pathlib import Path

from charset_normalizer import from_bytes

from budgetgraph.errors import ReadError
from budgetgraph.readers.lines import Line, text_lines


def decode(data: bytes, file: str) -> str:
    """Decode a text export, detecting its encoding rather than assuming one.

    UTF-8 is tried first (strictly, so a GBK file never half-decodes), then
    GB18030 (a superset of GBK and GB2312), then charset-normalizer's guess.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None:
        raise ReadError("cannot decode the file: neither UTF-8 nor GBK/GB18030 text", file=file)
    return str(best)


def read_text_lines(path: Path) -> list[Line]:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise ReadError("binary data, not a text export (NUL bytes)", file=str(path))
    return text_lines(decode(data, str(path)))
