"""GENERATED test counties: the one real document rewritten as other, fictional counties.

Federation, remote engines and cross-county comparison need several counties'
documents; until more real ones arrive, tests make them from
``data/huzhu-social-insurance-bureau-2024-budget.txt`` by changing three things:

* the region: name, short name and GB/T-2260-*like* code (the ``示例…县`` names and
  the 6302 9x codes are unassigned on purpose, so generated data can never be
  mistaken for a real county's);
* the department's name;
* every money figure, multiplied by an integer ``factor``.

Scaling by an integer keeps every identity (勾稽关系) that is exact in the
source exact: sums, shares and growth rates (``current − change = last year``,
``change / last = rate``) are all linear in the figures. It would multiply the
source's one rounding difference too: 一般公共预算基本支出表 prints its 合计
(1,006.20, 人员经费 965.50) one cent below the sum of its 类 (1,006.21, 965.51),
which at ×3 is three cents, past the validator's rounding tolerance. So that cent
is not scaled: it is attributed to one leaf and its parent — 基本工资 (30101,
204.08) and 工资福利支出 (301, 937.88), the only places those two figures are
printed, table and narrative — which become ``factor × x − (factor − 1) × 0.01``
(:data:`ROUNDING_CENT`). Every identity then has the source's own difference, and
the generated documents validate as the real one does (0 violations).
Non-money numbers (indicator targets, weights, head counts, years,
percentages) are left alone. Files are written as ``GENERATED-<code>-….txt``.

The reader maps region names to codes through
:data:`budgetgraph.readers.vocabulary.REGIONS`, which does not list these
fictional names (an unknown name would leave ``region_code`` empty and mint
``…/region/unknown``): tests use :func:`regions_known` while a block runs, the
command line ``--region 示例甲县=630291``. ``python -m budgetgraph.fixtures DIR``
writes the files and prints, for each, that option.
"""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

#: The real document every generated county is made from: ``data/`` of a checkout (an
#: installed wheel has no data/; give the file to :func:`write_counties` or :func:`main`).
SOURCE = (Path(__file__).resolve().parents[2] / "data"
          / "huzhu-social-insurance-bureau-2024-budget.txt")

SOURCE_REGION = "互助土族自治县"
SOURCE_SHORT = "互助县"
SOURCE_CODE = "630223"
SOURCE_DEPARTMENT = "社会保险服务局"


@dataclass(frozen=True)
class County:
    """One generated county: where it is, which department, how big."""

    code: str
    region: str
    short: str
    department: str
    factor: int

    @property
    def department_name(self) -> str:
        return self.region + self.department

    @property
    def file_name(self) -> str:
        return f"GENERATED-{self.code}-x{self.factor}-2024-budget.txt"


#: Two fictional counties of 海东市 (6302): codes 630291/630292 are unassigned in GB/T 2260.
COUNTY_A = County("630291", "示例甲县", "甲县", "社会保险服务局", 2)
COUNTY_B = County("630292", "示例乙县", "乙县", "社会保险事业服务中心", 3)
GENERATED_COUNTIES: tuple[County, ...] = (COUNTY_A, COUNTY_B)

#: Figures of the source that carry its rounding cent (see the module's docstring):
#: scaled as ``factor × x − (factor − 1) × 0.01`` wherever they are printed.
ROUNDING_CENT: frozenset[Decimal] = frozenset({Decimal("204.08"), Decimal("937.88")})
_CENT = Decimal("0.01")

# A money cell of a table: 2,181.31 or 0.57 (codes have no decimal point).
_MONEY_CELL = re.compile(r"^\d{1,3}(?:,\d{3})*\.\d{2}$|^\d+\.\d{2}$")
# A money figure in running text: 2,181.31万元, 0万元, 292万 (the 元 may wrap to a later line).
_MONEY_TEXT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?=万)")
_PROJECT_CODE = re.compile(r"\b" + SOURCE_CODE + r"(\d{5}T\d{9})")
_PERFORMANCE_TITLE = re.compile(r"项目支出绩效目标表$")
_WEIGHT = "10.00"  # every project's 预算执行率权重 in the source; the next cell is 批复数


def _format(value: Decimal, *, decimals: int, grouped: bool) -> str:
    return f"{value:,.{decimals}f}" if grouped else f"{value:.{decimals}f}"


def scaled(value: Decimal, factor: int) -> Decimal:
    """A source money figure in a generated county."""
    if value in ROUNDING_CENT:
        return value * factor - (factor - 1) * _CENT
    return value * factor


def _scale_cell(cell: str, factor: int) -> str:
    text = cell.strip()
    if not _MONEY_CELL.match(text):
        return cell
    value = scaled(Decimal(text.replace(",", "")), factor)
    return cell.replace(text, _format(value, decimals=2, grouped="," in text or value >= 1000))


def _scale_text(line: str, factor: int) -> str:
    def replace(match: re.Match[str]) -> str:
        if line[max(0, match.start() - 2):match.start()] == "单价":  # a threshold, not a figure
            return match.group(0)
        whole, fraction = match.group(1), match.group(2) or ""
        value = scaled(Decimal((whole + fraction).replace(",", "")), factor)
        decimals = len(fraction) - 1 if fraction else 0
        return _format(value, decimals=decimals, grouped="," in whole or value >= 1000)

    return _MONEY_TEXT.sub(replace, line)


def _scale_performance_row(line: str, factor: int) -> str:
    """Scale only the 批复数 cell: the one after the execution-rate weight, or the 合计's."""
    cells = line.split("\t")
    filled = [i for i, cell in enumerate(cells) if cell.strip()]
    if filled and cells[filled[0]].strip().startswith("合计"):
        for i in filled[1:]:
            if _MONEY_CELL.match(cells[i].strip()):
                cells[i] = _scale_cell(cells[i], factor)
                break
    else:
        for before, after in itertools.pairwise(filled):
            if cells[before].strip() == _WEIGHT and _MONEY_CELL.match(cells[after].strip()):
                cells[after] = _scale_cell(cells[after], factor)
                break
    return "\t".join(_scale_text(cell, factor) for cell in cells)


def _rename(line: str, county: County) -> str:
    line = line.replace(SOURCE_REGION, county.region).replace(SOURCE_SHORT, county.short)
    line = line.replace(SOURCE_DEPARTMENT, county.department)
    return _PROJECT_CODE.sub(lambda m: county.code + m.group(1), line)


def _last_starting(lines: list[str], prefix: str) -> int:
    """The body's heading: the table of contents lists every part before the body repeats it."""
    return max(i for i, line in enumerate(lines) if line.strip().startswith(prefix))


def transform(text: str, county: County) -> str:
    """The source text rewritten as ``county``: names, codes and money figures × factor.

    Sections are found by their headings: in the tables (第二部分) every
    two-decimal cell is money; in the narrative (第三部分) every number before
    万 is; in the performance-target tables only 批复数 and the money in the
    free-text goals are (weights and indicator targets stay).
    """
    lines = text.split("\n")
    tables = _last_starting(lines, "第二部分")
    narrative = _last_starting(lines, "第三部分")
    glossary = _last_starting(lines, "第四部分")
    performance = next(i for i in range(narrative, glossary)
                       if _PERFORMANCE_TITLE.search(lines[i].strip()))
    out: list[str] = []
    for number, line in enumerate(lines):
        if tables <= number < narrative:
            line = "\t".join(_scale_cell(cell, county.factor) for cell in line.split("\t"))
        elif narrative <= number < performance:
            line = _scale_text(line, county.factor)
        elif performance <= number < glossary:
            line = _scale_performance_row(line, county.factor)
        out.append(_rename(line, county))
    return "\n".join(out)


def write_counties(directory: Path, counties: Iterable[County] = GENERATED_COUNTIES, *,
                   source: Path = SOURCE) -> list[Path]:
    """Write each county's generated document into ``directory``; return their paths."""
    text = source.read_text(encoding="utf-8")
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for county in counties:
        path = directory / county.file_name
        path.write_text(transform(text, county), encoding="utf-8")
        paths.append(path)
    return paths


@contextmanager
def regions_known(counties: Iterable[County] = GENERATED_COUNTIES) -> Iterator[None]:
    """Let the reader recognise the generated counties' names while the block runs.

    The reader only knows the regions of :data:`~budgetgraph.readers.vocabulary.REGIONS`.
    """
    from budgetgraph.readers.vocabulary import REGIONS

    added = {name: c.code for c in counties for name in (c.region, c.short)
             if name not in REGIONS}
    REGIONS.update(added)
    try:
        yield
    finally:
        for name in added:
            del REGIONS[name]


def main(argv: list[str]) -> int:
    """``python -m budgetgraph.fixtures DIR [SOURCE]``: write the counties made from
    ``SOURCE`` (default :data:`SOURCE`), each with its ``--region``."""
    if len(argv) not in (1, 2):
        print("usage: python -m budgetgraph.fixtures DIR [SOURCE]", file=sys.stderr)
        return 2
    source = Path(argv[1]) if len(argv) == 2 else SOURCE
    if not source.is_file():
        print(f"budgetgraph.fixtures: error: {source}: no such file (the Qinghai text export "
              "of data/ in a checkout; give its path as SOURCE)", file=sys.stderr)
        return 2
    written = write_counties(Path(argv[0]), source=source)
    for county, path in zip(GENERATED_COUNTIES, written, strict=True):
        print(f"{path}  --region {county.region}={county.code}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
