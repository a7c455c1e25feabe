"""pdf_lines on the real corpus PDFs, and ReadError on broken input.

The corpus is tests/corpus/ (marker ``corpus``); the bad-input tests build their own
files.
"""

from __future__ import annotations

import hashlib
import io
import struct
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from tests.documents import F08_TEXT, PDF_DIR

from budgetgraph.errors import ReadError
from budgetgraph.readers.lines import NUMBER_RE, Line, text_lines
from budgetgraph.readers.pdf import pdf_lines

PDFS = sorted(PDF_DIR.glob("F*.pdf"))

needs_corpus = pytest.mark.corpus


def corpus_pdf(prefix: str) -> Path:
    return next(p for p in PDFS if p.name.startswith(prefix))


def page_texts(lines: list[Line], page: int) -> list[str]:
    return [line.text for line in lines if line.page == page]


def amount_tokens(lines: list[Line], pages: range) -> Counter[str]:
    """Numbers that look like amounts (a thousands comma or decimal point) on ``pages``."""
    return Counter(
        m.group()
        for line in lines
        if line.page in pages
        for m in NUMBER_RE.finditer(line.text)
        if "," in m.group() or "." in m.group()
    )


# --- the real corpus ---------------------------------------------------------------


@needs_corpus
def test_f08_amounts_equal_the_independent_text_export() -> None:
    """Every amount of F08's table pages, with its multiplicity, as in the other extraction."""
    pdf = pdf_lines(corpus_pdf("F08"))
    text = text_lines(F08_TEXT.read_text(encoding="utf-8"))
    tables = range(10, 32)  # 部门财务收支预算总表 (p10) … 三公 table (p31)
    from_pdf, from_text = amount_tokens(pdf, tables), amount_tokens(text, tables)
    assert sum(from_pdf.values()) > 500
    assert from_pdf == from_text
    # and the narrative pages too
    assert amount_tokens(pdf, range(1, 34)) == amount_tokens(text, range(1, 34))


@needs_corpus
@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name[:3])
def test_every_corpus_pdf_reads_into_well_formed_lines(path: Path) -> None:
    """(Speed is measured in bench/pdf_read.py and bench/, not asserted here.)"""
    lines = pdf_lines(path)
    with pdfium.PdfDocument(path) as document:
        page_count = len(document)
    pages = {line.page for line in lines}
    assert pages <= set(range(1, page_count + 1))
    assert len(pages) >= page_count - 1  # F01 p14 and F09 p3 are blank overflow pages
    for page in pages:
        numbers = [line.number for line in lines if line.page == page]
        assert numbers == list(range(1, len(numbers) + 1))
    for line in lines:
        assert line.text == "\t".join(line.texts)
        assert all(cell.text and cell.text == cell.text.strip() for cell in line.cells)
        assert all(c.x0 is not None and c.x1 is not None and c.x0 <= c.x1 for c in line.cells)
        xs = [c.x0 for c in line.cells]
        assert xs == sorted(xs), line


@needs_corpus
def test_a_table_row_is_one_line_even_where_cells_sit_at_different_heights() -> None:
    """F01 (ONLYOFFICE) top-aligns amounts and centres names inside one ruled row."""
    lines = pdf_lines(corpus_pdf("F01"))
    page10 = page_texts(lines, 10)
    assert "201\t06\t01\t行政运行\t1,511.89\t1,503.52\t8.37" in page10
    # a header cell wrapped over two lines is one cell
    assert page10[2].split("\t") == [
        "项目", "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出",
        "对附属单位补助支出",
    ]
    # the two halves of the 基本支出 table stay on one line
    assert "301\t08\t机关事业单位基本养老保险缴费\t160.75\t302\t06\t电费" in page_texts(lines, 16)


@needs_corpus
def test_a_ruled_border_splits_cells_closer_than_a_word_gap() -> None:
    """F08 p10: a right-aligned total ends 9 pt before the next column's text."""
    lines = pdf_lines(corpus_pdf("F08"))
    row = next(ln for ln in lines if ln.page == 10 and ln.text.startswith("一、财政拨款收入"))
    assert row.texts == ["一、财政拨款收入", "156,211,123", "一、一般公共服务支出", "2,932,700"]
    first, second = row.cells[1], row.cells[2]
    assert first.x1 is not None and second.x0 is not None and first.x1 < second.x0


@needs_corpus
def test_word_exports_do_not_repeat_amounts_at_cell_ends() -> None:
    """F02 (Word) ends each cell with a space glyph; each amount is read once."""
    lines = pdf_lines(corpus_pdf("F02"))
    assert "208\t社会保障和就业支出\t754.75\t754.75" in page_texts(lines, 8)
    assert "208\t社会保障和就业支出\t754.75\t754.75\t0.00" in page_texts(lines, 14)


@needs_corpus
def test_split_codes_unit_lines_and_empty_notes_are_kept() -> None:
    lines = pdf_lines(corpus_pdf("F04"))
    page16 = page_texts(lines, 16)
    assert page16[:2] == ["2025年部门政府性基金预算支出功能分类预算表",
                          "编制部门：上海市普陀区人民政府办公室\t单位：元"]
    assert "类\t款\t项" in page16
    assert any(t.startswith("注:本部门2025年无政府性基金预算") for t in page16)


# --- bad input -----------------------------------------------------------------------


def _minimal_pdf(objects: list[bytes], trailer: bytes) -> bytes:
    """A PDF file from numbered object bodies, with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def _rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    i = j = 0
    out = bytearray()
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def encrypted_pdf(user_password: bytes, owner_password: bytes) -> bytes:
    """A one-page PDF encrypted with the standard security handler, revision 2 (RC4-40).

    No library in the environment writes encrypted PDFs (pypdfium2 and
    pdfminer only read them), and the handler is short enough to write here:
    PDF 1.7 (ISO 32000-1) §7.6.3, algorithms 1–4.
    """
    pad = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
    padded_user = (user_password + pad)[:32]
    padded_owner = (owner_password + pad)[:32]
    owner_key = hashlib.md5(padded_owner).digest()[:5]
    o_entry = _rc4(owner_key, padded_user)
    permissions = -4
    file_id = hashlib.md5(b"budgetgraph test").digest()
    key = hashlib.md5(padded_user + o_entry + struct.pack("<i", permissions) + file_id).digest()[:5]
    u_entry = _rc4(key, pad)
    content = b"BT /F1 12 Tf 72 720 Td (secret budget 1,234.56) Tj ET"
    object_key = hashlib.md5(key + struct.pack("<i", 4)[:3] + b"\0\0").digest()[:10]
    stream = _rc4(object_key, content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + o_entry.hex().encode() + b"> /U <"
        + u_entry.hex().encode() + b"> /P %d >>" % permissions,
    ]
    trailer = (b"<< /Size 7 /Root 1 0 R /Encrypt 6 0 R /ID [<" + file_id.hex().encode()
               + b"> <" + file_id.hex().encode() + b">] >>")
    return _minimal_pdf(objects, trailer)


def text_pdf() -> bytes:
    content = b"BT /F1 12 Tf 72 720 Td (budget 1,234.56) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return _minimal_pdf(objects, b"<< /Size 6 /Root 1 0 R >>")


def scanned_pdf(source: bytes, pages: int) -> bytes:
    """The first ``pages`` pages of ``source`` rendered to images, as an image-only PDF."""
    with pdfium.PdfDocument(source) as original:
        scan = pdfium.PdfDocument.new()
        for index in range(pages):
            page = original[index]
            width, height = page.get_size()
            bitmap = page.render(scale=0.5)
            image = pdfium.PdfImage.new(scan)
            image.set_bitmap(bitmap)
            image.set_matrix(pdfium.PdfMatrix().scale(width, height))
            new_page = scan.new_page(width, height)
            new_page.insert_obj(image)
            new_page.gen_content()
        out = io.BytesIO()
        scan.save(out)
        return out.getvalue()


def test_the_handmade_pdfs_are_valid(tmp_path: Path) -> None:
    """The builders above make real PDFs: the plain one reads, with its amount."""
    path = tmp_path / "plain.pdf"
    path.write_bytes(text_pdf())
    assert [line.texts for line in pdf_lines(path)] == [["budget 1,234.56"]]
    encrypted = tmp_path / "encrypted.pdf"
    encrypted.write_bytes(encrypted_pdf(b"secret", b"owner"))
    with pdfium.PdfDocument(encrypted, password="secret") as document:
        assert "1,234.56" in document[0].get_textpage().get_text_range()


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(ReadError, match="empty") as info:
        pdf_lines(path)
    assert info.value.file == "empty.pdf"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="cannot read") as info:
        pdf_lines(tmp_path / "nowhere.pdf")
    assert info.value.file == "nowhere.pdf"


def test_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "budget.pdf"
    path.write_text("部门预算\t1,234.56\n", encoding="utf-8")
    with pytest.raises(ReadError, match="not a PDF"):
        pdf_lines(path)


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(encrypted_pdf(b"secret", b"owner"))
    with pytest.raises(ReadError, match="encrypted") as info:
        pdf_lines(path)
    assert str(info.value).startswith("locked.pdf: ")


def test_encrypted_with_empty_user_password_reads(tmp_path: Path) -> None:
    """Owner-only protection (printing/copying restrictions) does not hide the text."""
    path = tmp_path / "restricted.pdf"
    path.write_bytes(encrypted_pdf(b"", b"owner"))
    assert [line.text for line in pdf_lines(path)] == ["secret budget 1,234.56"]


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    with pytest.raises(ReadError, match="corrupt"):
        pdf_lines(path)


@needs_corpus
def test_truncated_pdf(tmp_path: Path) -> None:
    data = corpus_pdf("F08").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ReadError, match="truncated") as info:
        pdf_lines(path)
    assert info.value.file == "cut.pdf"


@needs_corpus
def test_scanned_pdf_without_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf(corpus_pdf("F13").read_bytes(), pages=2))
    with pytest.raises(ReadError, match="scanned") as info:
        pdf_lines(path)
    assert info.value.page == 1


def test_scanned_page_inside_a_text_pdf_is_named(tmp_path: Path) -> None:
    """A text page followed by a scanned page: the error names page 2."""
    with pdfium.PdfDocument(text_pdf()) as document:
        scan = pdfium.PdfDocument(scanned_pdf(text_pdf(), pages=1))
        document.import_pages(scan)
        out = io.BytesIO()
        document.save(out)
        scan.close()
    path = tmp_path / "mixed.pdf"
    path.write_bytes(out.getvalue())
    with pytest.raises(ReadError, match="scanned") as info:
        pdf_lines(path)
    assert info.value.page == 2
