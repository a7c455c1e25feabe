"""Where the real documents are: ``tests/corpus/`` (copied into the repository, see its
MANIFEST.md) and ``data/`` (what the demo publishes). Plain paths, no fixtures: the
session's one read of each document is the ``read_document`` fixture of conftest.py."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
DATA = ROOT / "data"
QINGHAI = DATA / "huzhu-social-insurance-bureau-2024-budget.txt"
QINGHAI_CORPUS = CORPUS / QINGHAI.name
PDF_DIR = CORPUS / "fetched" / "pdf"
F08_TEXT = (CORPUS / "fetched" / "text"
            / "F08_shanghai-putuo-wanli-street-2024-budget.tianbaoxitong-rawtext.txt")
JIANGSU_DIR = CORPUS / "fetched" / "jiangsu"
EXCERPTS_DIR = CORPUS / "excerpts"
HTML_DIR = CORPUS / "html"
CODELISTS_DIR = CORPUS / "codelists"
#: Small N-Quads stores the server tests start from (see its README)
SERVER_FIXTURES = ROOT / "tests" / "fixtures" / "server"

#: One-figure changes of the Qinghai text, each breaking one identity (test_mutations.py):
#: (rule, line, printed, changed, a line the finding must name besides the changed one)
QINGHAI_MUTATIONS = [
    ("ParentEqualsSumOfChildren", 122, "81.91\t81.91", "91.91\t81.91", 121),
    ("RowTotalEqualsSumOfColumns", 120, "772.24\t692.81", "782.24\t692.81", 120),
    ("RowTotalEqualsSumOfColumns", 253, "18.52\t\t18.52", "19.52\t\t18.52", 253),
    ("ThreePublicTotal", 278, "4.50", "5.50", 278),
    ("SummaryBalance", 97, "收入总计\t2,181.31", "收入总计\t2,191.31", 95),
    ("GeneralPublicBasicMatchesBasicTable", 201, "1,006.20", "1,016.20", 240),
    ("ExpenditureMatchesGeneralPublic", 137, "12.88\t12.88", "13.88\t13.88", 221),
    ("TotalEqualsSumOfClasses", 241, "937.88\t937.88", "947.88\t947.88", 240),
    ("PerformanceTotal", 436, "1,143.44", "1,153.44", 437),
    ("NarrativeGrowthRate", 356, "增长5.05%", "增长6.05%", 356),
    ("IncomeEqualsExpenditure", 97, "支出总计\t2,181.31", "支出总计\t2,191.31", 97),
    ("IncomeOfYearEqualsSumOfIncomes", 64, "收入\t2,181.31", "收入\t2,191.31", 95),
    ("FiscalSummaryMatchesFundTables", 163, "2,015.37\t2,015.37", "2,025.37\t2,025.37", 202),
    ("NarrativeMatchesTables", 324, "基本支出1,006.20万元", "基本支出1,016.20万元", 117),
    ("NarrativeShare", 324, "占46.13%", "占47.13%", 324),
    ("PerformanceWithinProjectExpenditure", 446, "10.00\t345.00", "10.00\t395.00", 117),
    ("ThreePublicCoversEconomicItems", 278, "2.60\t1.90", "2.60\t0.90", 257),
    ("EmptyTableHasNoFigures", 288, "\t合计\t\t\t", "\t合计\t5.00\t5.00\t", 290),
    ("ColumnEqualsSumOfSubColumns", 278, "2.60\t1.90", "2.70\t1.90", 278),
]


def pdf(prefix: str) -> Path:
    """The corpus PDF whose name starts with ``prefix`` (F01 … F14)."""
    found = sorted(PDF_DIR.glob(f"{prefix}_*.pdf"))
    assert len(found) == 1, f"expected one {prefix}_*.pdf in {PDF_DIR}, found {found}"
    return found[0]


def qinghai_changed(line: int, old: str, new: str) -> str:
    """The Qinghai document's text with ``old`` replaced by ``new`` on ``line``."""
    lines = QINGHAI.read_text(encoding="utf-8").split("\n")
    assert old in lines[line - 1], f"line {line} does not contain {old!r}"
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "\n".join(lines)


def write_qinghai_changed(folder: Path, line: int, old: str, new: str) -> Path:
    """A copy of the Qinghai document, under its own name, with one figure changed."""
    path = folder / QINGHAI.name
    path.write_text(qinghai_changed(line, old, new), encoding="utf-8")
    return path
