"""Pages for the resources a researcher navigates: organisations, codes, projects.

Each builder returns the extra part of a page dict (``view`` names the template);
``views.page_for`` merges it with the resource's own properties, so every page
still lists all its statements and has the same RDF and JSON twins.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .budget import PHASES, column_rank, money, rate, yuan
from .lookup import Row, Store, select, year_of
from .urls import Urls

ORG_DOCUMENTS_QUERY = """SELECT DISTINCT ?doc ?title ?year ?phase ?total ?value ?unit WHERE {
  ?doc a bg:Disclosure ; obeu-dimension:organization $this ;
       obeu-dimension:fiscalYear ?year ; obeu-dimension:budgetPhase ?phase .
  OPTIONAL { ?doc dcterms:title ?title FILTER(lang(?title) = "zh") }
  OPTIONAL { ?table bg:disclosure ?doc ; bg:tableKind/skos:notation "expenditure" .
             ?obs qb:dataSet ?table ; bg:functionalClassification/skos:notation "total" ;
                  bg:column/skos:notation "total" ;
                  obeu-dimension:fiscalYear ?year ; obeu-measure:amount ?total .
             OPTIONAL { ?obs bg:sourceValue ?value }
             OPTIONAL { ?table bg:sourceUnit/rdfs:label ?unit FILTER(lang(?unit) = "zh") } }
} ORDER BY ?year LIMIT 500"""

#: Each disclosure's 支出总表 合计 by 类 (level-1 functional code): the department chart.
CLASSES_QUERY = """SELECT DISTINCT ?doc ?year ?phase ?item ?code ?zh ?amount WHERE {
  ?doc a bg:Disclosure ; obeu-dimension:organization $this ;
       obeu-dimension:fiscalYear ?year ; obeu-dimension:budgetPhase ?phase .
  ?table bg:disclosure ?doc ; bg:tableKind/skos:notation "expenditure" .
  ?obs qb:dataSet ?table ; bg:functionalClassification ?item ; bg:column/skos:notation "total" ;
       obeu-dimension:fiscalYear ?year ; obeu-measure:amount ?amount .
  ?item bg:codeLevel 1 ; skos:notation ?code .
  OPTIONAL { ?item skos:prefLabel ?zh FILTER(lang(?zh) = "zh") }
} ORDER BY ?year ?code LIMIT 2000"""

#: Geometry of the chart (SVG user units): label column, bar area, bar and gap heights.
CHART = {"label": 230, "bars": 330, "value": 170, "bar": 14, "gap": 12, "top": 22}

ANCESTORS_QUERY = """SELECT DISTINCT ?concept ?notation ?zh ?en WHERE {
  $this skos:broader* ?concept . ?concept skos:notation ?notation .
  OPTIONAL { ?concept skos:prefLabel ?zh FILTER(lang(?zh) = "zh") }
  OPTIONAL { ?concept skos:prefLabel ?en FILTER(lang(?en) = "en") }
} LIMIT 20"""

NARROWER_QUERY = """SELECT DISTINCT ?concept ?notation ?zh ?en WHERE {
  ?concept skos:broader $this ; skos:notation ?notation .
  OPTIONAL { ?concept skos:prefLabel ?zh FILTER(lang(?zh) = "zh") }
  OPTIONAL { ?concept skos:prefLabel ?en FILTER(lang(?en) = "en") }
} ORDER BY ?notation LIMIT 500"""

MATCHES_QUERY = """SELECT DISTINCT ?from ?fromNotation ?relation ?target ?notation ?zh ?en WHERE {
  VALUES ?relation { skos:exactMatch skos:closeMatch skos:broadMatch skos:narrowMatch
                     skos:relatedMatch }
  $this skos:broader* ?from . ?from ?relation ?target ; skos:notation ?fromNotation .
  OPTIONAL { ?target skos:notation ?notation }
  OPTIONAL { ?target skos:prefLabel ?zh FILTER(lang(?zh) = "zh") }
  OPTIONAL { ?target skos:prefLabel ?en FILTER(lang(?en) = "en") }
} LIMIT 50"""

OTHER_YEARS_QUERY = """SELECT DISTINCT ?concept ?year WHERE {
  $this dcterms:isVersionOf ?code .
  ?concept dcterms:isVersionOf ?code ; skos:inScheme/dcterms:temporal ?year .
  FILTER(?concept != $this)
} ORDER BY ?year LIMIT 50"""

SPENDING_QUERY = """SELECT DISTINCT ?obs ?doc ?docTitle ?org ?orgName ?year ?phase ?table ?kindZh
       ?tablePage ?tableLine ?column ?colZh ?amount ?value ?unit ?src ?srcLabel WHERE {
  { ?obs bg:functionalClassification $this } UNION { ?obs bg:economicClassification $this }
  ?obs a qb:Observation ; qb:dataSet ?table ;
       obeu-dimension:organization ?org ; obeu-dimension:fiscalYear ?year ;
       obeu-dimension:budgetPhase ?phase ; bg:column ?col ; obeu-measure:amount ?amount .
  ?table bg:disclosure ?doc .
  ?col skos:notation ?column .
  OPTIONAL { ?col skos:prefLabel ?colZh FILTER(lang(?colZh) = "zh") }
  OPTIONAL { ?doc dcterms:title ?docTitle }
  OPTIONAL { ?org rdfs:label ?orgName FILTER(lang(?orgName) = "zh") }
  OPTIONAL { ?table bg:tableKind/skos:prefLabel ?kindZh FILTER(lang(?kindZh) = "zh") }
  OPTIONAL { ?table prov:wasDerivedFrom ?tableSrc . ?tableSrc bg:lineNumber ?tableLine .
             OPTIONAL { ?tableSrc bg:pageNumber ?tablePage } }
  OPTIONAL { ?obs bg:sourceValue ?value }
  OPTIONAL { ?table bg:sourceUnit/rdfs:label ?unit FILTER(lang(?unit) = "zh") }
  OPTIONAL { ?obs prov:wasDerivedFrom ?src . ?src rdfs:label ?srcLabel }
} LIMIT 2000"""

PROJECT_QUERY = """SELECT DISTINCT ?code ?target ?doc ?docTitle ?year ?amount ?value ?unit
       ?weight ?goal ?responsible ?responsibleName ?src ?srcLabel WHERE {
  ?target bg:project $this ; bg:disclosure ?doc ; obeu-dimension:fiscalYear ?year .
  OPTIONAL { $this dcterms:identifier ?code }
  OPTIONAL { ?doc dcterms:title ?docTitle }
  OPTIONAL { ?target bg:approvedAmount ?amount }
  OPTIONAL { ?target bg:sourceValue ?value }
  OPTIONAL { ?target bg:sourceUnit/rdfs:label ?unit FILTER(lang(?unit) = "zh") }
  OPTIONAL { ?target bg:executionRateWeight ?weight }
  OPTIONAL { ?target bg:goal ?goal }
  OPTIONAL { ?target bg:responsibleOrganization ?responsible .
             OPTIONAL { ?responsible rdfs:label ?responsibleName
                        FILTER(lang(?responsibleName) = "zh") } }
  OPTIONAL { ?target prov:wasDerivedFrom ?src . ?src rdfs:label ?srcLabel }
} ORDER BY ?year ?doc LIMIT 100"""

INDICATORS_QUERY = """SELECT DISTINCT ?target ?indicator ?level1 ?level2 ?level3 ?operator
       ?targetText ?unit ?weight ?src ?srcLabel ?page ?line WHERE {
  ?target bg:project $this ; bg:hasIndicator ?indicator .
  OPTIONAL { ?indicator bg:indicatorLevel1 ?level1 }
  OPTIONAL { ?indicator bg:indicatorLevel2 ?level2 }
  OPTIONAL { ?indicator rdfs:label ?level3 }
  OPTIONAL { ?indicator bg:operator ?operator }
  OPTIONAL { ?indicator bg:targetText ?targetText }
  OPTIONAL { ?indicator bg:measurementUnit ?unit }
  OPTIONAL { ?indicator bg:weight ?weight }
  OPTIONAL { ?indicator prov:wasDerivedFrom ?src . ?src rdfs:label ?srcLabel ;
                        bg:lineNumber ?line . OPTIONAL { ?src bg:pageNumber ?page } }
} LIMIT 2000"""


def _link(urls: Urls, iri: str | None, label: str | None = None) -> dict[str, Any] | None:
    return None if iri is None else {"href": urls.href(iri), "label": label or iri}


def organisation_page(store: Store, urls: Urls, org: str) -> dict[str, Any]:
    """A department or budget unit: its disclosures by year, 预算 beside 决算."""
    years: dict[str, dict[str, Any]] = {}
    for row in select(store, ORG_DOCUMENTS_QUERY, this=org):
        year = year_of(row["year"])
        phase = PHASES.get(row["phase"], ("", "other"))
        entry = years.setdefault(year, {"year": year, "documents": []})
        if any(doc["href"] == urls.href(row["doc"]) for doc in entry["documents"]):
            continue  # a second total row (an explicit zero beside 合计) adds nothing
        document = {"href": urls.href(row["doc"]), "title": row.get("title"),
                    "phase": phase[0], "phase_en": phase[1], "amount": row.get("total"),
                    "total": money(row.get("value")), "unit": row.get("unit", "")}
        entry["documents"].append(document)
        entry[phase[1]] = document
    for entry in years.values():
        budget, final = entry.get("budget"), entry.get("final")
        entry["rate"] = rate(final and final["amount"], budget and budget["amount"])
    documents = [doc for entry in years.values() for doc in entry["documents"]]
    if len({doc["unit"] for doc in documents if doc["total"]}) > 1:
        for doc in documents:  # one unit per table: yuan when the documents print in both
            if doc["amount"] is not None:
                doc["total"], doc["unit"] = yuan(doc["amount"]), "元"
    return {"view": "organisation", "years": sorted(years.values(), key=lambda y: y["year"]),
            "chart": chart(store, urls, org)}


def _concept(urls: Urls, row: Row) -> dict[str, Any]:
    return {"href": urls.href(row["concept"]), "notation": row.get("notation", ""),
            "label": row.get("zh"), "label_en": row.get("en")}


def code_page(store: Store, urls: Urls, code: str) -> dict[str, Any]:
    """A classification code: 类 → 款 → 项, narrower codes, alignments, and who spends on it."""
    path = sorted(({**_concept(urls, row), "current": row["concept"] == code}
                   for row in select(store, ANCESTORS_QUERY, this=code)),
                  key=lambda c: len(c["notation"]))
    matches = [{"from": row["fromNotation"], "relation": row["relation"].rsplit("#", 1)[-1],
                "href": urls.href(row["target"]), "notation": row.get("notation"),
                "label": row.get("zh"), "label_en": row.get("en")}
               for row in select(store, MATCHES_QUERY, this=code)]
    return {
        "view": "code",
        "path": path,
        "narrower": [_concept(urls, row) for row in select(store, NARROWER_QUERY, this=code)],
        "matches": sorted(matches, key=lambda m: (-len(m["from"]), m["relation"])),
        "other_years": [{"href": urls.href(row["concept"]), "year": row["year"]}
                        for row in select(store, OTHER_YEARS_QUERY, this=code)],
        "spending": _spending(urls, select(store, SPENDING_QUERY, this=code)),
    }


def _spending(urls: Urls, rows: list[Row]) -> list[dict[str, Any]]:
    """One entry per organisation, disclosure and table, its figures in column order.

    Tables print in 元 or 万元; here they sit in one list, so every figure is in
    yuan (``text``), the printed value and unit kept beside it (``printed``)."""
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        group = groups.setdefault((row["doc"], row["table"]), {
            "organisation": _link(urls, row["org"], row.get("orgName")),
            "document": _link(urls, row["doc"], row.get("docTitle")),
            "year": year_of(row["year"]), "phase": PHASES.get(row["phase"], ("",))[0],
            "table": _link(urls, row["table"], row.get("kindZh")),
            "order": (row.get("orgName", ""), year_of(row["year"]), row["doc"],
                      int(row.get("tablePage") or 0), int(row.get("tableLine") or 0)),
            "figures": []})
        group["figures"].append({
            "column": row.get("colZh") or row["column"], "rank": column_rank(row["column"]),
            "text": yuan(row["amount"]), "amount": row["amount"],
            "printed": money(row.get("value")), "printed_unit": row.get("unit", ""),
            "href": urls.href(row["obs"]), "source": row.get("srcLabel"),
            "source_href": urls.href(row["src"]) if "src" in row else None})
    out = sorted(groups.values(), key=lambda g: g["order"])
    for group in out:
        del group["order"]
        group["figures"].sort(key=lambda f: f.pop("rank"))
    return out


def project_page(store: Store, urls: Urls, project: str) -> dict[str, Any]:
    """A project: its performance target in each disclosure, with the indicators."""
    indicators: dict[str, list[Row]] = {}
    for row in select(store, INDICATORS_QUERY, this=project):
        indicators.setdefault(row["target"], []).append(row)
    targets = []
    code = None
    for row in select(store, PROJECT_QUERY, this=project):
        code = code or row.get("code")
        rows = sorted(indicators.get(row["target"], []),
                      key=lambda r: (int(r.get("page") or 0), int(r.get("line") or 0)))
        targets.append({
            "href": urls.href(row["target"]), "year": year_of(row["year"]),
            "document": _link(urls, row["doc"], row.get("docTitle")),
            "amount": money(row.get("value")), "unit": row.get("unit", ""),
            "weight": row.get("weight"), "goal": row.get("goal"),
            "responsible": _link(urls, row.get("responsible"), row.get("responsibleName")),
            "source": row.get("srcLabel"),
            "source_href": urls.href(row["src"]) if "src" in row else None,
            "indicators": [{
                "href": urls.href(r["indicator"]), "level1": r.get("level1"),
                "level2": r.get("level2"), "level3": r.get("level3"),
                "operator": r.get("operator"), "target": r.get("targetText"),
                "unit": r.get("unit"), "weight": r.get("weight"), "source": r.get("srcLabel"),
                "source_href": urls.href(r["src"]) if "src" in r else None} for r in rows],
        })
    return {"view": "project", "code": code, "targets": targets}


def chart(store: Store, urls: Urls, org: str) -> list[dict[str, Any]]:
    """Spending by 类 per year, 预算 beside 决算, as bar geometry for an inline SVG.

    From the 支出总表's 合计 column of each disclosure (amounts in yuan, drawn and
    labelled in 万元 to two decimals); where the year has both phases, each 类
    carries its execution rate 决算 / 预算.
    """
    years: dict[str, dict[str, Any]] = {}
    for row in select(store, CLASSES_QUERY, this=org):
        phase = PHASES.get(row["phase"], ("", "other"))
        if phase[1] not in ("budget", "final"):
            continue
        year = years.setdefault(year_of(row["year"]), {"year": year_of(row["year"]),
                                                       "classes": {}, "phases": {}})
        year["phases"].setdefault(phase[1], row["doc"])
        if year["phases"][phase[1]] != row["doc"]:
            continue  # a second document of the same phase: the first is drawn
        entry = year["classes"].setdefault(row["code"], {
            "code": row["code"], "label": row.get("zh", ""), "href": urls.href(row["item"])})
        entry[phase[1]] = row["amount"]
    return [_chart_year(year) for _, year in sorted(years.items())]


def _chart_year(year: dict[str, Any]) -> dict[str, Any]:
    phases = [p for p in ("budget", "final") if p in year["phases"]]
    classes = sorted(year["classes"].values(), key=lambda c: c["code"])
    amounts = [Decimal(c[p]) for c in classes for p in phases if p in c]
    top = max(amounts, default=Decimal(0)) or Decimal(1)
    bar, gap, y = CHART["bar"], CHART["gap"], CHART["top"]
    rows = []
    for entry in classes:
        bars = []
        for index, phase in enumerate(phases):
            amount = entry.get(phase)
            width = 0.0 if amount is None else max(float(Decimal(amount) / top) * CHART["bars"],
                                                   0.0)
            bars.append({"phase": phase, "label": "预算" if phase == "budget" else "决算",
                         "y": y + index * bar, "width": round(width, 1),
                         "text": "—" if amount is None else
                         f"{(Decimal(amount) / 10000).quantize(Decimal('0.01')):,}"})
        rows.append({**entry, "y": y, "bars": bars,
                     "rate": rate(entry.get("final"), entry.get("budget"))})
        y += bar * len(phases) + gap
    return {"year": year["year"], "phases": phases, "rows": rows, "height": y + 4,
            "width": CHART["label"] + CHART["bars"] + CHART["value"],
            "label_width": CHART["label"], "bar_area": CHART["bars"]}
