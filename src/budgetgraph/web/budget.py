"""The department-year page: one disclosure's tables as a reader knows them.

The converter stores each printed figure as one ``qb:Observation``; this module
puts them back into tables — one per table kind, rows = classification codes
(or summary items) with their names and levels, columns = column meanings —
each figure linked to its observation and its source line. Where the 预算 and
the 决算 of the same department and year are both loaded, it also lays the two
side by side with the execution rate (决算 / 预算).

Table order, row order and the source shown come from the source lines (page,
line): the RDF has no row numbers, and the printed order is the one a reader
checks against. Column order follows the national template (``COLUMN_ORDER``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .lookup import Row, Store, decimal, select, year_of
from .urls import Urls

BG = "https://w3id.org/budgetgraph/def#"
OBEU_PHASE = "http://data.openbudgets.eu/resource/codelist/budget-phase/"
PHASES = {OBEU_PHASE + "approved": ("预算", "budget"),
          OBEU_PHASE + "revised": ("调整预算", "adjusted"),
          OBEU_PHASE + "executed": ("决算", "final")}
#: Revenue and expenditure, the two sides of a summary table.
SIDES = {"http://data.openbudgets.eu/resource/codelist/operation-character/revenue": "收入",
         "http://data.openbudgets.eu/resource/codelist/operation-character/expenditure": "支出"}
#: Lines that total a table or a side.
TOTAL_NOTATIONS = frozenset({"total", "income-grand-total", "expenditure-grand-total"})

#: Column meanings (``skos:notation`` of the column list) in the template's order.
COLUMN_ORDER = (
    "total", "subtotal", "budget-amount", "initial-budget", "adjusted-budget", "final-amount",
    "carryover", "fiscal-grant-income", "general-public-grant", "government-fund-grant",
    "state-capital-grant", "special-account-income", "service-income", "business-income",
    "superior-subsidy", "affiliate-remittance", "other-income", "basic", "personnel",
    "public-use", "project", "business", "remittance", "affiliate-subsidy", "general-public",
    "government-fund", "state-capital", "three-public-abroad", "three-public-vehicles",
    "three-public-vehicle-purchase", "three-public-vehicle-operation", "three-public-reception",
)
#: The one column whose meaning changes with the phase: 预算数 in a 预算 is 决算数 in a 决算.
COMPARABLE = {"budget-amount": "amount", "final-amount": "amount"}
SIDE_ORDER = {"收入": 0, "支出": 1}

TABLES_QUERY = """SELECT DISTINCT ?table ?title ?kind ?kindZh ?kindEn ?unit ?page ?line WHERE {
  ?table a qb:DataSet ; bg:disclosure $this ; bg:tableKind ?tk .
  ?tk skos:notation ?kind .
  OPTIONAL { ?table dcterms:title ?title }
  OPTIONAL { ?tk skos:prefLabel ?kindZh FILTER(lang(?kindZh) = "zh") }
  OPTIONAL { ?tk skos:prefLabel ?kindEn FILTER(lang(?kindEn) = "en") }
  OPTIONAL { ?table bg:sourceUnit/rdfs:label ?unit FILTER(lang(?unit) = "zh") }
  OPTIONAL { ?table prov:wasDerivedFrom ?src . ?src bg:lineNumber ?line .
             OPTIONAL { ?src bg:pageNumber ?page } }
} LIMIT 100"""

OBSERVATIONS_QUERY = """SELECT DISTINCT ?obs ?table ?column ?colZh ?colEn ?year ?amount ?value
       ?decimals ?tableDecimals ?item ?itemNotation ?code ?itemZh ?itemEn ?rowLabel ?level
       ?codeLevel ?character ?src ?srcLabel ?page ?line
WHERE {
  ?table bg:disclosure $this .
  ?obs qb:dataSet ?table ; bg:column ?col ;
       obeu-dimension:fiscalYear ?year ; obeu-measure:amount ?amount .
  ?col skos:notation ?column .
  OPTIONAL { ?col skos:prefLabel ?colZh FILTER(lang(?colZh) = "zh") }
  OPTIONAL { ?col skos:prefLabel ?colEn FILTER(lang(?colEn) = "en") }
  OPTIONAL { ?obs bg:sourceValue ?value }
  OPTIONAL { ?obs bg:printedDecimals ?decimals }
  OPTIONAL { ?table bg:printedDecimals ?tableDecimals }
  OPTIONAL { ?obs bg:functionalClassification|bg:economicClassification|bg:summaryLine|bg:budgetUnit
                  ?item .
             OPTIONAL { ?item skos:notation ?itemNotation }
             OPTIONAL { ?item bg:codeLevel ?codeLevel . ?item skos:notation ?code }
             OPTIONAL { ?item skos:prefLabel|rdfs:label ?itemZh FILTER(lang(?itemZh) = "zh") }
             OPTIONAL { ?item skos:prefLabel ?itemEn FILTER(lang(?itemEn) = "en") } }
  OPTIONAL { ?obs bg:rowLabel ?rowLabel }
  OPTIONAL { ?obs bg:rowLevel ?level }
  OPTIONAL { ?table qb:structure bg:SummaryTableStructure .
             ?obs obeu-dimension:operationCharacter ?character }
  OPTIONAL { ?obs prov:wasDerivedFrom ?src . ?src rdfs:label ?srcLabel ; bg:lineNumber ?line .
             OPTIONAL { ?src bg:pageNumber ?page } }
} LIMIT 5000"""

HEADER_QUERY = """SELECT DISTINCT ?year ?phase ?org ?orgName ?region ?regionName WHERE {
  $this obeu-dimension:fiscalYear ?year ; obeu-dimension:budgetPhase ?phase ;
        obeu-dimension:organization ?org .
  OPTIONAL { ?org rdfs:label ?orgName FILTER(lang(?orgName) = "zh") }
  OPTIONAL { $this bg:region ?region .
             OPTIONAL { ?region skos:prefLabel ?regionName FILTER(lang(?regionName) = "zh") } }
} LIMIT 1"""

TABLE_DISCLOSURE_QUERY = """SELECT ?doc WHERE { $this bg:disclosure ?doc } LIMIT 1"""

SIBLINGS_QUERY = """SELECT DISTINCT ?doc ?phase ?title WHERE {
  $this obeu-dimension:organization ?org ; obeu-dimension:fiscalYear ?year .
  ?doc a bg:Disclosure ; obeu-dimension:organization ?org ; obeu-dimension:fiscalYear ?year ;
       obeu-dimension:budgetPhase ?phase .
  OPTIONAL { ?doc dcterms:title ?title }
  FILTER(?doc != $this)
} LIMIT 20"""


def _position(row: Row) -> tuple[int, int]:
    return int(row.get("page") or 0), int(row.get("line") or 0)


def column_rank(notation: str) -> tuple[int, str]:
    rank = COLUMN_ORDER.index(notation) if notation in COLUMN_ORDER else len(COLUMN_ORDER)
    return rank, notation


def money(text: str | None, decimals: str | None = None) -> str:
    """A printed figure with thousands separators and as many decimals as printed."""
    value = decimal(text)
    if value is None:
        return ""
    places = int(decimals) if decimals is not None else None
    return format(value, f",.{places}f") if places is not None else format(value, ",")


def grouped(text: str | None) -> str:
    """A decimal literal with thousands separators, its decimals as written (HTML only:
    ``7722400`` → ``7,722,400``; ``0.50`` stays ``0.50``); anything else unchanged."""
    value = decimal(text)
    if value is None or not value.is_finite():
        return text or ""
    return format(value, ",")


def yuan(text: str | None) -> str:
    """An amount in yuan to the fen at least, with separators: ``7722400`` → ``7,722,400.00``."""
    value = decimal(text)
    if value is None or not value.is_finite():
        return text or ""
    places = max(2, -int(value.as_tuple().exponent))
    return format(value, f",.{places}f")


def rate(final: str | None, budget: str | None) -> str | None:
    """决算 / 预算 as a percentage with two decimals; None where there is no budget."""
    done, planned = decimal(final), decimal(budget)
    if done is None or not planned:
        return None
    return f"{(done / planned * 100).quantize(Decimal('0.01')):,}%"


def header(store: Store, urls: Urls, doc: str) -> dict[str, Any]:
    """Department, year, phase and region of a disclosure, with links."""
    rows = select(store, HEADER_QUERY, this=doc)
    if not rows:
        return {}
    row = rows[0]
    phase = PHASES.get(row["phase"], ("", ""))
    return {"year": year_of(row["year"]), "phase": phase[0], "phase_en": phase[1],
            "organization": {"href": urls.href(row["org"]), "label": row.get("orgName")},
            "region": {"href": urls.href(row["region"]), "label": row.get("regionName")}
            if "region" in row else None}


def tables(store: Store, urls: Urls, doc: str, doc_year: str) -> list[dict[str, Any]]:
    """The disclosure's tables, in printed order, each with its columns and rows."""
    found: dict[str, dict[str, Any]] = {}
    for row in sorted(select(store, TABLES_QUERY, this=doc), key=_position):
        found.setdefault(row["table"], {
            "iri": row["table"], "href": urls.href(row["table"]), "kind": row["kind"],
            "title": row.get("title") or row.get("kindZh") or row["kind"],
            "kind_label": row.get("kindZh"), "kind_label_en": row.get("kindEn"),
            "unit": row.get("unit") or "", "columns": {}, "rows": {},
        })
    for obs in sorted(select(store, OBSERVATIONS_QUERY, this=doc), key=_position):
        table = found.get(obs["table"])
        if table is not None:
            _place(table, obs, urls, doc_year)
    return [_finish(table) for table in found.values() if table["rows"]]


def _place(table: dict[str, Any], obs: Row, urls: Urls, doc_year: str) -> None:
    """Put one observation in its table's row and column (both keyed by meaning)."""
    year = year_of(obs["year"])
    column_key = (obs["column"], year)
    if column_key not in table["columns"]:
        prefix = "" if year == doc_year else ("上年" if _offset(year, doc_year) == -1 else year)
        table["columns"][column_key] = {
            "key": f"{obs['column']}@{year}", "notation": obs["column"], "year": year,
            "offset": _offset(year, doc_year),
            "label": prefix + (obs.get("colZh") or obs["column"]), "label_en": obs.get("colEn")}
    side = SIDES.get(obs.get("character", ""), "")
    notation = obs.get("itemNotation")
    label = obs.get("rowLabel") or obs.get("itemZh") or ""
    row_key = (side, obs.get("item") or label)
    row = table["rows"].get(row_key)
    if row is None:
        code = obs.get("code")
        level = obs.get("level") or obs.get("codeLevel")
        total = notation in TOTAL_NOTATIONS
        row = table["rows"][row_key] = {
            "key": "|".join(row_key), "side": side, "code": code,
            "item_href": urls.href(obs["item"]) if "item" in obs else None,
            "label": label, "label_en": obs.get("itemEn"),
            "level": 0 if total else (int(level) if level is not None else None),
            "total": total,
            "source": obs.get("srcLabel"),
            "source_href": urls.href(obs["src"]) if "src" in obs else None,
            "position": (SIDE_ORDER.get(side, 2), *_position(obs)), "cells": {}}
    row["cells"][column_key] = {
        "text": money(obs.get("value"), obs.get("decimals") or obs.get("tableDecimals")),
        "amount": obs["amount"],
        "href": urls.href(obs["obs"]),
        "source": obs.get("srcLabel")}


def _offset(year: str, doc_year: str) -> int:
    return int(year) - int(doc_year) if year.isdigit() and doc_year.isdigit() else 0


def _finish(table: dict[str, Any]) -> dict[str, Any]:
    """Order the columns and rows, and turn the row cells into a list per column."""
    keys = sorted(table["columns"], key=lambda k: (column_rank(k[0]), k[1]))
    rows = sorted(table["rows"].values(), key=lambda r: r["position"])
    for row in rows:
        cells = row.pop("cells")
        row["cells"] = [cells.get(key) for key in keys]
        del row["position"]
    table["columns"] = [table["columns"][key] for key in keys]
    table["rows"] = rows
    return table


def siblings(store: Store, doc: str) -> list[Row]:
    """Other disclosures of the same organisation and year (a 决算 beside a 预算)."""
    return select(store, SIBLINGS_QUERY, this=doc)


def comparison(budget: list[dict[str, Any]], final: list[dict[str, Any]]
               ) -> list[dict[str, Any]]:
    """Tables of both phases side by side: per shared column, 预算 | 决算 | 执行率.

    Tables pair by kind, columns by meaning and year offset (预算数 pairs with
    决算数), rows by side and item; a row printed in one document only keeps an
    empty cell for the other.
    """
    finals = {table["kind"]: table for table in final}
    out: list[dict[str, Any]] = []
    for planned in budget:
        done = finals.get(planned["kind"])
        if done is None:
            continue
        columns = _shared_columns(planned, done)
        if not columns:
            continue
        rows: dict[str, dict[str, Any]] = {}
        for table, phase in ((planned, "budget"), (done, "final")):
            for row in table["rows"]:
                entry = rows.setdefault(row["key"], {
                    **{k: row[k] for k in ("code", "item_href", "label", "label_en", "level",
                                           "total", "side")}, "budget": {}, "final": {}})
                for index, column in enumerate(table["columns"]):
                    key = _comparable(column)
                    if row["cells"][index] is not None:
                        entry[phase][key] = row["cells"][index]
        if planned["unit"] != done["unit"]:  # one unit per table: both in yuan
            _in_yuan(rows)
        out.append({
            "kind": planned["kind"], "title": planned["title"],
            "kind_label_en": planned["kind_label_en"],
            "unit": planned["unit"] if planned["unit"] == done["unit"] else "元",
            "budget_unit": planned["unit"], "final_unit": done["unit"],
            "budget_href": planned["href"], "final_href": done["href"],
            "columns": [{"label": column["label"], "label_en": column["label_en"]}
                        for column in columns],
            "rows": [_compared_row(row, columns) for row in rows.values()],
        })
    return out


def _in_yuan(rows: dict[str, dict[str, Any]]) -> None:
    """Every cell's text as its amount in yuan (the cells are shared with the tables: copied)."""
    for row in rows.values():
        for phase in ("budget", "final"):
            row[phase] = {key: {**cell, "text": yuan(cell["amount"])}
                          for key, cell in row[phase].items()}


def _comparable(column: dict[str, Any]) -> tuple[str, int]:
    return COMPARABLE.get(column["notation"], column["notation"]), column["offset"]


def _shared_columns(planned: dict[str, Any], done: dict[str, Any]) -> list[dict[str, Any]]:
    present = {_comparable(column) for column in done["columns"]}
    return [column for column in planned["columns"] if _comparable(column) in present]


def _compared_row(row: dict[str, Any], columns: list[dict[str, Any]]) -> dict[str, Any]:
    cells = []
    for column in columns:
        key = _comparable(column)
        planned, done = row["budget"].get(key), row["final"].get(key)
        cells.append({"budget": planned, "final": done,
                      "rate": rate(done and done["amount"], planned and planned["amount"])})
    return {k: row[k] for k in ("code", "item_href", "label", "label_en", "level", "total")} | {
        "cells": cells}


def disclosure_page(store: Store, urls: Urls, doc: str) -> dict[str, Any]:
    """What the department-year page shows beyond the resource's own properties."""
    head = header(store, urls, doc)
    own = tables(store, urls, doc, head.get("year", ""))
    page: dict[str, Any] = {"view": "disclosure", "header": head, "tables": own,
                            "siblings": [], "comparison": [], "downloads": urls.exports(doc)}
    phase = head.get("phase_en")
    for sibling in siblings(store, doc):
        other = PHASES.get(sibling["phase"], ("", ""))
        page["siblings"].append({"href": urls.href(sibling["doc"]), "phase": other[0],
                                 "title": sibling.get("title")})
        pair = {phase, other[1]}
        if pair == {"budget", "final"} and not page["comparison"]:
            theirs = tables(store, urls, sibling["doc"], head.get("year", ""))
            budget, final = (own, theirs) if phase == "budget" else (theirs, own)
            page["comparison"] = comparison(budget, final)
    return page


def table_page(store: Store, urls: Urls, table: str) -> dict[str, Any]:
    """One table of a disclosure on a page of its own, with its CSV and JSON."""
    found = select(store, TABLE_DISCLOSURE_QUERY, this=table)
    if not found:
        return {"view": "resource"}
    doc = found[0]["doc"]
    head = header(store, urls, doc)
    shown = next((t for t in tables(store, urls, doc, head.get("year", "")) if t["iri"] == table),
                 None)
    return {"view": "table", "header": head, "table": shown,
            "document": {"href": urls.href(doc)},
            "downloads": urls.exports(table)}
