"""``budgetgraph compare``: one classification code across counties, over several endpoints.

Each endpoint (a budgetgraph ``/sparql``, or any engine holding budgetgraph
graphs with a union default graph) is asked the same two questions, in
parallel and with a deadline each: for every budget of the year, counted once
(a unit's 单位预算 is left out where the 部门预算 that consolidates it is on the
same endpoint), what is the code's amount in 支出总表 (all funds, column 合计)
and the table's total; and which last-year figures does the narrative give for
the code's items (``比上年增加…``, as ``bg:priorYearFigure``). Summing last year's items
here, not in SPARQL, keeps the arithmetic exact (``Decimal``) and the queries
free of sub-selects that engines scope differently (engine notes).

A failing endpoint does not stop the others: its error is reported and the
whole result is marked incomplete, so a researcher never mistakes a partial
total for the total.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from .errors import BudgetgraphError
from .remote import RemoteError, RemoteStore, endpoint

Format = Literal["table", "csv", "json"]

WAN = Decimal(10000)
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")

PREFIXES = """PREFIX bg: <https://w3id.org/budgetgraph/def#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX obeu-dimension: <http://data.openbudgets.eu/ontology/dsd/dimension/>
PREFIX obeu-measure: <http://data.openbudgets.eu/ontology/dsd/measure/>
PREFIX obeu-budgetphase: <http://data.openbudgets.eu/resource/codelist/budget-phase/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

#: Per budget of the year, counted once (a unit's own budget is left out where its
#: department's, which consolidates it, is on the same endpoint): the code's 合计 in
#: 支出总表 and the table's total.
CURRENT = PREFIXES + """SELECT ?doc ?docLabel ?region ?regionCode ?regionLabel ?amount ?total
WHERE {
  ?doc obeu-dimension:fiscalYear <http://reference.data.gov.uk/id/year/%(year)d> ;
       obeu-dimension:budgetPhase obeu-budgetphase:approved .
  FILTER NOT EXISTS { ?doc bg:consolidatedIn ?whole . ?whole a bg:Disclosure }
  ?table bg:disclosure ?doc ; bg:tableKind ?kind .
  FILTER(STRENDS(STR(?kind), "/code/table/expenditure"))
  ?obs qb:dataSet ?table ; bg:column ?column ; bg:functionalClassification ?code ;
       obeu-measure:amount ?amount .
  FILTER(STRENDS(STR(?column), "/code/column/total"))
  FILTER(REGEX(STR(?code), "/code/func/[0-9]+/%(code)s$"))
  OPTIONAL { ?doc rdfs:label ?docLabel }
  OPTIONAL { ?totalObs qb:dataSet ?table ; bg:column ?column ; bg:functionalClassification ?all ;
                       obeu-measure:amount ?total .
             FILTER(STRENDS(STR(?all), "/code/item/total")) }
  OPTIONAL { ?doc bg:region ?region .
             OPTIONAL { ?region skos:notation ?regionCode }
             OPTIONAL { ?region skos:prefLabel ?regionLabel FILTER(lang(?regionLabel) = "zh") } }
}"""

#: Last year's figures the narrative states for the code and its items.
PRIOR = PREFIXES + """SELECT ?doc ?item ?prior
WHERE {
  ?statement a bg:NarrativeStatement ; bg:disclosure ?doc ;
             bg:functionalClassification ?item ; bg:priorYearFigure ?figure .
  ?figure bg:statedAmount ?prior .
  FILTER(REGEX(STR(?item), "/code/func/[0-9]+/%(code)s[0-9]*$"))
  ?doc obeu-dimension:fiscalYear <http://reference.data.gov.uk/id/year/%(year)d> .
}"""

#: The 项 (7-digit) under the code that the department budgets, to check the narrative covers all.
ITEMS = PREFIXES + """SELECT DISTINCT ?doc ?item
WHERE {
  ?doc obeu-dimension:fiscalYear <http://reference.data.gov.uk/id/year/%(year)d> .
  ?table bg:disclosure ?doc ; bg:tableKind ?kind .
  FILTER(STRENDS(STR(?kind), "/code/table/expenditure"))
  ?obs qb:dataSet ?table ; bg:column ?column ; bg:functionalClassification ?item ;
       obeu-measure:amount ?amount .
  FILTER(STRENDS(STR(?column), "/code/column/total"))
  FILTER(REGEX(STR(?item), "/code/func/[0-9]+/%(code)s[0-9]*$") && ?amount != 0)
}"""


class CompareError(BudgetgraphError):
    """No endpoint answered, or the request itself is wrong."""


@dataclass
class Row:
    """One department budget: the code's amount, its share and last year's figure (万元)."""

    endpoint: str
    region: str
    department: str
    document: str
    amount: Decimal
    budget_total: Decimal | None
    share: Decimal | None
    last_year: Decimal | None
    last_year_note: str


@dataclass
class Comparison:
    code: str
    year: int
    rows: list[Row] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    #: Documents served by more than one endpoint: counted once, from the first that has them.
    duplicates: dict[str, list[str]] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.failures

    def total(self) -> Decimal:
        return sum((row.amount for row in self.rows), Decimal(0))


def _item_code(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _last_year(code: str, priors: dict[str, Decimal],
               items: set[str]) -> tuple[Decimal | None, str]:
    """Last year's figure for ``code``: stated for it, or the sum over every 项 it budgets."""
    if code in priors:
        return priors[code], "stated"
    leaves = {item for item in items if len(item) == 7}
    if leaves and leaves <= priors.keys():
        return sum((priors[item] for item in leaves), Decimal(0)), f"sum of {len(leaves)} items"
    if leaves & priors.keys():
        return None, f"narrative gives {len(leaves & priors.keys())} of {len(leaves)} items"
    return None, "not stated"


def query_endpoint(url: str, code: str, year: int, *, timeout: float) -> list[Row]:
    """The comparison rows one endpoint holds; raises :class:`RemoteError` when it fails."""
    remote = RemoteStore(endpoint(url), timeout=timeout)
    values = {"code": code, "year": year}
    current = remote.select(CURRENT % values)
    priors: dict[str, dict[str, Decimal]] = {}
    for row in remote.select(PRIOR % values):
        priors.setdefault(row["doc"].value, {})[_item_code(row["item"].value)] = \
            Decimal(row["prior"].value)
    items: dict[str, set[str]] = {}
    for row in remote.select(ITEMS % values):
        items.setdefault(row["doc"].value, set()).add(_item_code(row["item"].value))
    out: dict[str, Row] = {}
    for row in current:
        doc = row["doc"].value
        amount = Decimal(row["amount"].value) / WAN
        total = Decimal(row["total"].value) / WAN if "total" in row else None
        last, note = _last_year(code, priors.get(doc, {}), items.get(doc, set()))
        region = " ".join(t.value for t in (row.get("regionCode"), row.get("regionLabel")) if t)
        out[doc] = Row(
            endpoint=url, region=region or (row["region"].value if "region" in row else ""),
            department=row["docLabel"].value if "docLabel" in row else doc, document=doc,
            amount=amount, budget_total=total,
            share=(amount / total * 100).quantize(Decimal("0.01")) if total else None,
            last_year=last / WAN if last is not None else None, last_year_note=note)
    return sorted(out.values(), key=lambda r: (r.region, r.department))


def compare(endpoints: Sequence[str], code: str, year: int, *,
            timeout: float = 10.0) -> Comparison:
    """Ask every endpoint at once; collect rows and the failures of those that did not answer."""
    if not _CODE.match(code):
        raise CompareError(f"not a functional classification code (类, 款 or 项): {code!r}")
    if not endpoints:
        raise CompareError("name at least one --endpoint")
    result = Comparison(code, year)
    with ThreadPoolExecutor(max_workers=min(8, len(endpoints))) as pool:
        futures = {url: pool.submit(query_endpoint, url, code, year, timeout=timeout)
                   for url in endpoints}
        seen: dict[str, str] = {}
        for url, future in futures.items():
            try:
                rows = future.result()
            except RemoteError as error:
                result.failures[url] = str(error)
                continue
            for row in rows:
                if row.document in seen:
                    result.duplicates.setdefault(row.document, [seen[row.document]]).append(url)
                else:
                    seen[row.document] = url
                    result.rows.append(row)
    return result


# --- output ----------------------------------------------------------------------------


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


FIELDS = ("endpoint", "region", "department", "amount_wan_yuan", "budget_total_wan_yuan",
          "share_percent", "last_year_wan_yuan", "last_year_note", "document")


def _record(row: Row) -> dict[str, str]:
    return {
        "endpoint": row.endpoint, "region": row.region, "department": row.department,
        "amount_wan_yuan": f"{row.amount:.2f}",
        "budget_total_wan_yuan": "" if row.budget_total is None else f"{row.budget_total:.2f}",
        "share_percent": "" if row.share is None else str(row.share),
        "last_year_wan_yuan": "" if row.last_year is None else f"{row.last_year:.2f}",
        "last_year_note": row.last_year_note, "document": row.document,
    }


def render(result: Comparison, fmt: Format) -> str:
    """The comparison as an aligned table, CSV or JSON; incompleteness is always stated."""
    if fmt == "json":
        return json.dumps({
            "code": result.code, "year": result.year, "complete": result.complete,
            "failures": result.failures, "duplicates": result.duplicates,
            "total_wan_yuan": f"{result.total():.2f}",
            "rows": [_record(row) for row in result.rows],
        }, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        for row in result.rows:
            writer.writerow(_record(row))
        for url, message in result.failures.items():
            writer.writerow({"endpoint": url, "department": f"INCOMPLETE: {message}"})
        return out.getvalue()
    header = ("region", "department", f"{result.code} 万元", "budget 万元", "share %",
              "last year 万元", "last year")
    lines = [header] + [
        (r.region, r.department, _money(r.amount), _money(r.budget_total),
         "" if r.share is None else str(r.share), _money(r.last_year), r.last_year_note)
        for r in result.rows]
    lines.append(("", "total" + ("" if result.complete else " (INCOMPLETE)"),
                  _money(result.total()), "", "", "", ""))
    widths = [max(_width(line[i]) for line in lines) for i in range(len(header))]
    text = "\n".join("  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(line, widths,
                                                                                   strict=True)
                               ).rstrip() for line in lines)
    notes = "".join(f"\nINCOMPLETE: {message}" for message in result.failures.values())
    notes += "".join(f"\ncounted once: {doc} is on {', '.join(urls)}"
                     for doc, urls in result.duplicates.items())
    return f"{result.code} in {result.year}, by department\n{text}{notes}\n"


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def run_compare(endpoints: Sequence[str], code: str, year: int, fmt: Format, *,
                timeout: float = 10.0) -> int:
    """The ``compare`` command: print the comparison; 0 complete, 1 incomplete, 2 nothing answered.

    Failures go to stderr as well, so a script reading stdout as CSV/JSON
    still sees them.
    """
    result = compare(endpoints, code, year, timeout=timeout)
    sys.stdout.write(render(result, fmt))
    for message in result.failures.values():
        print(f"budgetgraph: compare: results are incomplete: {message}", file=sys.stderr)
    if result.failures and len(result.failures) == len(endpoints):
        return 2
    return 0 if result.complete else 1


__all__ = [
    "CompareError",
    "Comparison",
    "Row",
    "compare",
    "query_endpoint",
    "render",
    "run_compare",
]
