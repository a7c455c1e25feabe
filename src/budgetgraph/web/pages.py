"""Pages for the resources a researcher navigates: organisations, codes, projects.

Each builder returns the extra part of a page dict (``view`` names the template);
``views.page_for`` merges it with the resource's own properties, so every page
still lists all its statements and has the same RDF and JSON twins.
"""

from __future__ import annotations

from typing import Any

from .budget import PHASES, column_rank, money, rate
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
    return {"view": "organisation", "years": sorted(years.values(), key=lambda y: y["year"])}


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
    """One entry per organisation, disclosure and table, its figures in column order."""
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
            "text": money(row.get("value")), "unit": row.get("unit", ""),
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
