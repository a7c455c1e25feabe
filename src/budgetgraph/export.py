"""Tables as people use them: one CSV row per figure, and a Fiscal Data Package.

Every figure (``qb:Observation``) becomes one row with the columns a reader
filters and sums by: region, department, document and its kind, reporting
scope, year, phase, table, row (scheme, code, name), column, the amount in
yuan as exact decimal text, and the figure as printed (unit, value, source
``file:line``). Money is read and written as text, never as a binary float.

The queries are anchored on one disclosure or one table; :func:`iter_figures`
pages through its figures in printed order (keyset paging on the source
position, one page of rows in memory at a time), so a table of any size comes
out whole under the caller's row cap, and :func:`export_store` walks the
disclosures one by one. What runs them is given by the caller (``run``: query
text → rows), so the server and the command line share the queries without this
module importing either.

A Fiscal Data Package (Frictionless Tabular Data Package with the ``model``
mapping of Fiscal Data Package 0.3, as OpenSpending's packager writes it):
``datapackage.json`` beside ``observations.csv``, ``amount_yuan`` the measure
(currency CNY), the department an administrative classification, the row a
classification by its scheme, the year a datetime dimension.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .errors import BudgetgraphError
from .store import QuerySpec, ReadOnlyStore, run_query

Row = dict[str, str]
#: Runs one SELECT (the full text, prefixes included) and returns its rows.
Run = Callable[[str], list[Row]]

PROLOGUE = """PREFIX bg: <https://w3id.org/budgetgraph/def#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX obeu-dimension: <http://data.openbudgets.eu/ontology/dsd/dimension/>
PREFIX obeu-measure: <http://data.openbudgets.eu/ontology/dsd/measure/>
"""

DISCLOSURES_QUERY = PROLOGUE + """SELECT DISTINCT ?doc WHERE { ?doc a bg:Disclosure }
ORDER BY ?doc LIMIT 100000"""

HEADER_QUERY = PROLOGUE + """SELECT ?title ?kindZh ?orgName ?regionCode ?regionName WHERE {
  {{doc}} a bg:Disclosure .
  OPTIONAL { {{doc}} rdfs:label ?title FILTER(lang(?title) = "zh") }
  OPTIONAL { {{doc}} a ?kind . ?kind rdfs:subClassOf bg:Disclosure ;
             rdfs:label ?kindZh FILTER(lang(?kindZh) = "zh") }
  OPTIONAL { {{doc}} obeu-dimension:organization ?org .
             ?org rdfs:label ?orgName FILTER(lang(?orgName) = "zh") }
  OPTIONAL { {{doc}} bg:region ?region . ?region skos:notation ?regionCode .
             OPTIONAL { ?region skos:prefLabel ?regionName FILTER(lang(?regionName) = "zh") } }
} LIMIT 1"""

#: One page of the figures of the tables selected by ``{{tables}}``, with what a row of the
#: CSV says, in printed order: table position, figure position, then the figure's IRI.
#: ``{{after}}`` is the keyset filter that starts the page after the last one
#: (:func:`_after`), ``{{limit}}`` the page size. The row's code and name come from
#: :data:`ITEMS_QUERY`: looked up here, per figure, they cost ~2 ms each (a 6,000-figure
#: table took 15 s instead of 3).
FIGURES_QUERY = PROLOGUE + """SELECT DISTINCT ?obs ?table ?tableTitle ?kind ?column ?colZh
       ?year ?phase ?scope ?amount ?value ?unit ?scheme ?item ?rowLabel ?side
       ?srcLabel ?tp ?tl ?p ?l ?key WHERE {
  {{tables}}
  ?table bg:tableKind/skos:notation ?kind .
  OPTIONAL { ?table dcterms:title ?tableTitle }
  OPTIONAL { ?table bg:sourceUnit/rdfs:label ?unit FILTER(lang(?unit) = "zh") }
  OPTIONAL { ?table prov:wasDerivedFrom ?tableSrc . ?tableSrc bg:lineNumber ?tableLine .
             OPTIONAL { ?tableSrc bg:pageNumber ?tablePage } }
  ?obs qb:dataSet ?table ; bg:column ?col ; obeu-dimension:fiscalYear ?year ;
       obeu-measure:amount ?amount .
  ?col skos:notation ?column .
  OPTIONAL { ?col skos:prefLabel ?colZh FILTER(lang(?colZh) = "zh") }
  OPTIONAL { ?obs obeu-dimension:budgetPhase ?phase }
  OPTIONAL { ?obs bg:reportingScope/skos:notation ?scope }
  OPTIONAL { ?obs obeu-dimension:operationCharacter ?side }
  OPTIONAL { ?obs bg:sourceValue ?value }
  OPTIONAL {
    { ?obs bg:functionalClassification ?item BIND("functional" AS ?scheme) }
    UNION { ?obs bg:economicClassification ?item BIND("economic" AS ?scheme) }
    UNION { ?obs bg:summaryLine ?item BIND("summary" AS ?scheme) }
    UNION { ?obs bg:budgetUnit ?item BIND("unit" AS ?scheme) } }
  OPTIONAL { ?obs bg:rowLabel ?rowLabel }
  OPTIONAL { ?obs prov:wasDerivedFrom ?src . ?src rdfs:label ?srcLabel ; bg:lineNumber ?line .
             OPTIONAL { ?src bg:pageNumber ?page } }
  BIND(COALESCE(?tablePage, 0) AS ?tp) BIND(COALESCE(?tableLine, 0) AS ?tl)
  BIND(COALESCE(?page, 0) AS ?p) BIND(COALESCE(?line, 0) AS ?l) BIND(STR(?obs) AS ?key)
  {{after}}
} ORDER BY ?tp ?tl ?p ?l ?key ?scheme ?item ?colZh ?rowLabel ?tableTitle ?unit ?value ?srcLabel
LIMIT {{limit}}"""

#: The code and name of every row item (classification code, summary line, unit) of the
#: tables selected by ``{{tables}}``: a few hundred at most, whatever the figures.
ITEMS_QUERY = PROLOGUE + """SELECT DISTINCT ?item ?code ?itemZh WHERE {
  { SELECT DISTINCT ?item WHERE { {{tables}} ?obs qb:dataSet ?table ;
      bg:functionalClassification|bg:economicClassification|bg:summaryLine|bg:budgetUnit ?item } }
  OPTIONAL { ?item bg:codeLevel ?level . ?item skos:notation ?code }
  OPTIONAL { ?item skos:prefLabel|rdfs:label ?itemZh FILTER(lang(?itemZh) = "zh") }
} ORDER BY ?item ?code ?itemZh"""

#: Rows per page of :data:`FIGURES_QUERY` unless the caller says otherwise.
PAGE_ROWS = 20_000

#: The CSV's columns, in order, with what each holds (the FDP schema's descriptions).
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("region_code", "string", "GB/T 2260 code of the region (行政区划代码)"),
    ("region", "string", "region name (地区)"),
    ("department", "string", "the department or unit that reports (部门/单位)"),
    ("document", "string", "the disclosure's title (文件)"),
    ("document_kind", "string", "部门预算, 单位预算, 部门决算 or 单位决算"),
    ("scope", "string", "reporting scope: consolidated (部门汇总) or single-unit (单位)"),
    ("year", "integer", "fiscal year the figure is for (年度)"),
    ("phase", "string", "budget phase: approved (预算), revised (调整预算), executed (决算)"),
    ("table_kind", "string", "the table's meaning (notation of the table list)"),
    ("table", "string", "the table's printed title (表)"),
    ("side", "string", "revenue or expenditure (收/支)"),
    ("row_scheme", "string", "what the rows are: functional, economic, summary or unit"),
    ("row_code", "string", "classification code of the row (科目编码), where it has one"),
    ("row_name", "string", "the row's name (科目名称/项目)"),
    ("column_code", "string", "the column's meaning (notation of the column list)"),
    ("column", "string", "the column's name (栏目)"),
    ("amount_yuan", "number", "the amount in yuan, exact decimal (金额，元)"),
    ("source_unit", "string", "unit the table is printed in (元 or 万元)"),
    ("source_value", "string", "the figure as printed, in source_unit"),
    ("source", "string", "file:line (or file:page:line) the figure was read from"),
    ("observation", "string", "IRI of the figure (qb:Observation)"),
)
FIELDS = tuple(name for name, _, _ in COLUMNS)

_NOT_IN_IRIREF = re.compile(r'[\x00-\x20<>"{}|^`\\]')


class ExportError(BudgetgraphError):
    """An IRI that cannot be put in a query, or a store that has nothing to export."""


def _iri(iri: str) -> str:
    if _NOT_IN_IRIREF.search(iri):
        raise ExportError(f"not an IRI: {iri!r}")
    return f"<{iri}>"


def _exact(text: str) -> str:
    """The amount's lexical form, checked to be a decimal (never passed through a float)."""
    try:
        Decimal(text)
    except InvalidOperation:
        raise ExportError(f"not a decimal amount: {text!r}") from None
    return text


def _last(iri: str) -> str:
    """The last segment of a code IRI: ``2024`` of a year, ``approved`` of a phase."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _literal(text: str) -> str:
    """A SPARQL string literal (JSON's escapes of ``"``, ``\\`` and controls are SPARQL's)."""
    return json.dumps(text, ensure_ascii=False)


def _after(row: Row) -> str:
    """The keyset filter that selects the figures after ``row`` in printed order."""
    keys = [(f"?{name}", str(int(row[name]))) for name in ("tp", "tl", "p", "l")]
    condition = f"?key > {_literal(row['key'])}"
    for variable, value in reversed(keys):
        condition = f"{variable} > {value} || ({variable} = {value} && ({condition}))"
    return f"FILTER({condition})"


def iter_figures(run: Run, *, disclosure: str, table: str | None = None,
                 page_rows: int = PAGE_ROWS) -> Iterator[Row]:
    """The CSV rows of one disclosure, or of one of its tables, in printed order, read a
    page of ``page_rows`` query rows at a time (at most what ``run`` may return), so
    memory holds one page whatever the number of figures. The disclosure is looked up
    on the first ``next()``: an unknown one raises :class:`ExportError` then."""
    head_rows = run(HEADER_QUERY.replace("{{doc}}", _iri(disclosure)))
    if not head_rows:
        raise ExportError(f"no disclosure <{disclosure}>")
    head = head_rows[0]
    anchor = (f"VALUES ?table {{ {_iri(table)} }} ?table bg:disclosure {_iri(disclosure)} ."
              if table else f"?table bg:disclosure {_iri(disclosure)} .")
    items: dict[str, Row] = {}
    for item in run(ITEMS_QUERY.replace("{{tables}}", anchor)):
        items.setdefault(item["item"], item)  # a second label of the same item adds nothing
    query = FIGURES_QUERY.replace("{{tables}}", anchor).replace("{{limit}}", str(page_rows))
    after = ""
    previous = None
    while True:
        page = run(query.replace("{{after}}", after))
        for row in page:
            if row["obs"] == previous:  # a second label or scheme of the same figure
                continue
            previous = row["obs"]
            item = items.get(row.get("item", ""), {})
            yield {
                "region_code": head.get("regionCode", ""), "region": head.get("regionName", ""),
                "department": head.get("orgName", ""), "document": head.get("title", ""),
                "document_kind": head.get("kindZh", ""), "scope": row.get("scope", ""),
                "year": _last(row["year"]), "phase": _last(row.get("phase", "")),
                "table_kind": row["kind"], "table": row.get("tableTitle", ""),
                "side": _last(row.get("side", "")), "row_scheme": row.get("scheme", ""),
                "row_code": item.get("code", ""),
                "row_name": row.get("rowLabel") or item.get("itemZh", ""),
                "column_code": row["column"], "column": row.get("colZh", row["column"]),
                "amount_yuan": _exact(row["amount"]), "source_unit": row.get("unit", ""),
                "source_value": row.get("value", ""), "source": row.get("srcLabel", ""),
                "observation": row["obs"]}
        if len(page) < page_rows:
            return
        after = _after(page[-1])


def figures(run: Run, *, disclosure: str, table: str | None = None) -> list[Row]:
    """:func:`iter_figures` as a list (for callers that want them all at once)."""
    return list(iter_figures(run, disclosure=disclosure, table=table))


def store_runner(store: ReadOnlyStore, *, max_rows: int = 100_000,
                 max_bytes: int = 500_000_000) -> Run:
    """``run`` over an opened store (the command line's; the server passes its own)."""
    def run(text: str) -> list[Row]:
        outcome = run_query(store, QuerySpec(text, "application/sparql-results+json", None,
                                             max_rows, max_bytes))
        if outcome.status != "ok":
            raise ExportError(f"export query failed ({outcome.status}): {outcome.message}")
        bindings = json.loads(outcome.body)["results"]["bindings"]
        return [{name: term["value"] for name, term in row.items()} for row in bindings]

    return run


def disclosures(run: Run) -> list[str]:
    return [row["doc"] for row in run(DISCLOSURES_QUERY)]


def to_csv(rows: Iterable[Row]) -> str:
    """RFC 4180 CSV with a header line (UTF-8 text; spreadsheets want the caller's BOM)."""
    return "".join(csv_chunks(rows))


def csv_chunks(rows: Iterable[Row], *, rows_per_chunk: int = 500) -> Iterator[str]:
    """:func:`to_csv` in pieces, the header line first, for a response or file written
    as the rows come."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % rows_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_chunks(iri: str, rows: Iterable[Row], *, rows_per_chunk: int = 500) -> Iterator[str]:
    """``{"iri": …, "columns": […], "rows": [{…}, …]}`` in pieces, as the rows come."""
    yield (f'{{"iri": {json.dumps(iri, ensure_ascii=False)}, '
           f'"columns": {json.dumps(list(FIELDS))}, "rows": [')
    pieces: list[str] = []
    first = True
    for row in rows:
        pieces.append(("\n" if first else ",\n") + json.dumps(row, ensure_ascii=False))
        first = False
        if len(pieces) == rows_per_chunk:
            yield "".join(pieces)
            pieces = []
    yield "".join(pieces) + "\n]}\n"


def file_name(disclosure: str, base: str) -> str:
    """``630223-e6b42d96fa-2024-budget`` for ``{base}id/org/630223/e6b42d96fa/2024/budget``."""
    path = disclosure[len(base):] if disclosure.startswith(base) else disclosure
    path = path.removeprefix("id/org/")
    return re.sub(r"[^A-Za-z0-9._-]+", "-", path).strip("-") or "disclosure"


def fiscal_data_package(*, title: str, description: str, license_iri: str, years: list[str],
                        path: str = "observations.csv") -> dict[str, Any]:
    """``datapackage.json`` for ``path``: Tabular Data Package + the Fiscal Data Package model."""
    fields = [{"name": name, "type": kind, "description": text}
              for name, kind, text in COLUMNS]
    for field in fields:
        if field["name"] == "amount_yuan":
            field["decimalChar"] = "."
        if field["name"] in ("region_code", "row_code"):
            field["format"] = "default"
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": "budgetgraph-observations",
        "title": title,
        "description": description,
        "licenses": [{"name": "CC-BY-4.0", "path": license_iri,
                      "title": "Creative Commons Attribution 4.0"}]
        if "creativecommons.org/licenses/by/4.0" in license_iri else [{"path": license_iri,
                                                                        "title": license_iri}],
        "countryCode": "CN",
        "granularity": "aggregated",
        "resources": [{
            "profile": "tabular-data-resource", "name": "observations", "path": path,
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": {"fields": fields, "primaryKey": ["observation"]},
        }],
        "model": {
            "measures": {"amount": {"source": "amount_yuan", "currency": "CNY", "factor": 1}},
            "dimensions": {
                "date": {"dimensionType": "datetime", "primaryKey": ["year"],
                         "attributes": {"year": {"source": "year"}}},
                "location": {"dimensionType": "location", "primaryKey": ["code"],
                             "attributes": {"code": {"source": "region_code"},
                                            "name": {"source": "region", "labelfor": "code"}}},
                "administrative-classification": {
                    "dimensionType": "classification", "classificationType": "administrative",
                    "primaryKey": ["department"],
                    "attributes": {"department": {"source": "department"}}},
                "document": {"dimensionType": "other", "primaryKey": ["document"],
                             "attributes": {"document": {"source": "document"},
                                            "kind": {"source": "document_kind"},
                                            "scope": {"source": "scope"}}},
                "phase": {"dimensionType": "other", "primaryKey": ["phase"],
                          "attributes": {"phase": {"source": "phase"}}},
                "direction": {"dimensionType": "other", "primaryKey": ["side"],
                              "attributes": {"side": {"source": "side"}}},
                "table": {"dimensionType": "other", "primaryKey": ["kind"],
                          "attributes": {"kind": {"source": "table_kind"},
                                         "title": {"source": "table", "labelfor": "kind"}}},
                "classification": {
                    "dimensionType": "classification", "primaryKey": ["scheme", "code", "name"],
                    "attributes": {"scheme": {"source": "row_scheme"},
                                   "code": {"source": "row_code"},
                                   "name": {"source": "row_name"}}},
                "column": {"dimensionType": "other", "primaryKey": ["code"],
                           "attributes": {"code": {"source": "column_code"},
                                          "name": {"source": "column", "labelfor": "code"}}},
                "source": {"dimensionType": "fact", "primaryKey": ["observation"],
                           "attributes": {"observation": {"source": "observation"},
                                          "line": {"source": "source"},
                                          "unit": {"source": "source_unit"},
                                          "value": {"source": "source_value"}}},
            },
        },
    }
    if years:
        package["fiscalPeriod"] = {"start": f"{min(years)}-01-01", "end": f"{max(years)}-12-31"}
    return package


def _write_csv(target: Path, rows: Iterable[Row]) -> None:
    with target.open("w", encoding="utf-8", newline="") as handle:
        for chunk in csv_chunks(rows):
            handle.write(chunk)


def export_store(run: Run, out: Path, *, fmt: str, base: str, title: str, description: str,
                 license_iri: str) -> list[Path]:
    """Every disclosure of the store: ``csv`` one file each, ``fdp`` one package. The paths."""
    documents = disclosures(run)
    if not documents:
        raise ExportError("the store holds no disclosure")
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if fmt == "csv":
        for doc in documents:
            target = out / f"{file_name(doc, base)}.csv"
            _write_csv(target, iter_figures(run, disclosure=doc))
            written.append(target)
        return written
    if fmt != "fdp":
        raise ExportError(f"unknown export format {fmt!r}: csv or fdp")
    years: set[str] = set()

    def every_row() -> Iterator[Row]:
        for doc in documents:
            for row in iter_figures(run, disclosure=doc):
                years.add(row["year"])
                yield row

    data = out / "observations.csv"
    _write_csv(data, every_row())
    package = fiscal_data_package(title=title, description=description, license_iri=license_iri,
                                  years=sorted(years))
    descriptor = out / "datapackage.json"
    descriptor.write_text(json.dumps(package, ensure_ascii=False, indent=1) + "\n",
                          encoding="utf-8")
    return [descriptor, data]
