"""The landing page's SPARQL: dataset figures, and researcher questions that run in one click.

Written against the published vocabulary (``bg:``, ``qb:``, ``skos:``,
OpenBudgets.eu dimensions; see ``docs/ontology.md``). Fixed-list concepts are
matched by ``skos:notation`` (``"expenditure"``, ``"basic"``), never by IRI, so the
queries hold on every deployment whatever its base IRI.

Counted once: a 部门 document consolidates its units, so a sum over documents
skips a unit's own document where the departmental document it is part of
(``bg:consolidatedIn``) is loaded too. The default graph is the union of the
document graphs, in which a triple stated by two documents (a department's
name) occurs twice: queries that sum or count never join such triples inside
the aggregate.
"""

from __future__ import annotations

from typing import NamedTuple

PREFIXES = """PREFIX bg: <https://w3id.org/budgetgraph/def#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX obeu-dimension: <http://data.openbudgets.eu/ontology/dsd/dimension/>
PREFIX obeu-measure: <http://data.openbudgets.eu/ontology/dsd/measure/>
PREFIX obeu-budgetphase: <http://data.openbudgets.eu/resource/codelist/budget-phase/>
"""

#: The documents a sum counts: all but a unit's own where its department's is loaded.
COUNTED_ONCE = """FILTER NOT EXISTS { ?doc bg:consolidatedIn ?whole . ?whole a bg:Disclosure }"""

#: Landing-page figures, run once per worker through the query pool and cached.
STATS_QUERIES: dict[str, str] = {
    "documents": PREFIXES + """SELECT (COUNT(DISTINCT ?doc) AS ?value)
WHERE { ?doc a bg:Disclosure }""",
    "years": PREFIXES + """SELECT DISTINCT ?value
WHERE { ?doc a bg:Disclosure ; obeu-dimension:fiscalYear ?value } ORDER BY ?value LIMIT 200""",
    "regions": PREFIXES + """SELECT ?value (SAMPLE(?name) AS ?label)
WHERE { ?doc a bg:Disclosure ; bg:region ?value .
        OPTIONAL { ?value skos:prefLabel ?name FILTER(lang(?name) = "zh") } }
GROUP BY ?value ORDER BY ?value LIMIT 500""",
    "departments": PREFIXES + """SELECT DISTINCT ?value ?label ?regionLabel ?doc ?year ?phase
WHERE { ?doc a bg:Disclosure ; obeu-dimension:organization ?value ;
             obeu-dimension:fiscalYear ?year ; obeu-dimension:budgetPhase ?phase .
        OPTIONAL { ?value rdfs:label ?label FILTER(lang(?label) = "zh") }
        OPTIONAL { ?doc bg:region ?region .
                   OPTIONAL { ?region skos:prefLabel ?regionLabel
                              FILTER(lang(?regionLabel) = "zh") } } }
ORDER BY ?regionLabel ?label ?year LIMIT 2000""",
    "catalog": PREFIXES + """SELECT ?doc (SAMPLE(?t) AS ?title) (SAMPLE(?d) AS ?description)
       (SAMPLE(?i) AS ?issued) (SAMPLE(?p) AS ?publisher)
WHERE { ?doc a bg:Disclosure .
        OPTIONAL { ?doc dcterms:title ?t FILTER(lang(?t) = "zh") }
        OPTIONAL { ?doc dcterms:description ?d FILTER(lang(?d) = "zh") }
        OPTIONAL { ?doc dcterms:issued ?i }
        OPTIONAL { ?doc dcterms:publisher ?p } }
GROUP BY ?doc ORDER BY ?doc LIMIT 20000""",
}


class Example(NamedTuple):
    """A question a researcher asks, in Chinese and English, and its SPARQL."""

    title: str
    title_en: str
    query: str


#: 社会保障和就业 (208) in each region's 预算, counted once.
FUNCTION_BY_REGION = PREFIXES + """SELECT ?year ?region ?code (SUM(?amount) AS ?yuan)
       (COUNT(?doc) AS ?documents) WHERE {
  ?doc a bg:Disclosure ; obeu-dimension:budgetPhase obeu-budgetphase:approved ;
       bg:region ?r ; obeu-dimension:fiscalYear ?year .
  """ + COUNTED_ONCE + """
  ?table bg:disclosure ?doc ; bg:tableKind/skos:notation "expenditure" .   # 支出总表
  ?obs qb:dataSet ?table ; bg:column/skos:notation "total" ;
       bg:functionalClassification/skos:notation "208" ; obeu-measure:amount ?amount .
  ?r skos:notation ?code .
  BIND(?r AS ?region)
}
GROUP BY ?year ?region ?code ORDER BY ?year ?code"""

#: The budget of each department (and unit counted once) split into basic and project.
BASIC_VS_PROJECT = PREFIXES + """SELECT ?doc ?year ?type (SUM(?amount) AS ?yuan) WHERE {
  ?doc a bg:Disclosure ; obeu-dimension:budgetPhase obeu-budgetphase:approved ;
       obeu-dimension:fiscalYear ?year .
  """ + COUNTED_ONCE + """
  ?table bg:disclosure ?doc ; bg:tableKind/skos:notation "expenditure" .
  ?obs qb:dataSet ?table ; bg:functionalClassification/skos:notation "total" ;
       bg:column ?column ; obeu-measure:amount ?amount .
  ?column bg:impliesExpenditureType/skos:notation ?type .
  FILTER(?type IN ("basic", "project"))
}
GROUP BY ?doc ?year ?type ORDER BY ?doc ?type"""

#: The 三公 costs of each organisation, year by year, as its own year's document states them.
THREE_PUBLIC_OVER_YEARS = PREFIXES + """SELECT ?organization ?year ?phase ?item ?amount WHERE {
  ?doc a bg:Disclosure ; obeu-dimension:organization ?organization ;
       obeu-dimension:fiscalYear ?year .
  ?table bg:disclosure ?doc ; bg:tableKind/skos:notation "three-public" .
  ?obs qb:dataSet ?table ; obeu-dimension:fiscalYear ?year ;   # the document's own year
       obeu-dimension:budgetPhase ?phase ; bg:column ?column ; obeu-measure:amount ?amount .
  ?column skos:notation ?item .
  FILTER(?item IN ("total", "three-public-abroad", "three-public-vehicles",
                   "three-public-reception", "operating-costs"))
}
ORDER BY ?organization ?year ?phase ?item"""

#: 决算 against 预算 for the same organisation, year, table, row and column meaning.
_PAIRS = """?fd a bg:Disclosure ; obeu-dimension:organization ?organization .
    ?ft bg:disclosure ?fd ; bg:tableKind ?kind .
    ?f qb:dataSet ?ft ; obeu-dimension:budgetPhase obeu-budgetphase:executed ;
       obeu-dimension:fiscalYear ?year ; bg:column ?c ; obeu-measure:amount ?final .
    ?bt bg:tableKind ?kind ; bg:disclosure ?bd .      # a table of the same kind
    ?bd obeu-dimension:organization ?organization .    # in the same organisation's documents
    ?b qb:dataSet ?bt ; bg:column ?c ; obeu-dimension:budgetPhase obeu-budgetphase:approved ;
       obeu-dimension:fiscalYear ?year ; obeu-measure:amount ?budget .
    FILTER(?budget != 0)
    ?kind skos:notation ?table . ?c skos:notation ?column ."""
EXECUTION = PREFIXES + """SELECT ?organization ?year ?table ?row ?column ?budget ?final
       (ROUND(10000 * ?final / ?budget) / 100 AS ?percent) WHERE {
  { """ + _PAIRS + """
    VALUES ?rows { bg:functionalClassification bg:economicClassification bg:summaryLine }
    ?f ?rows ?r . ?b ?rows ?r . ?r skos:notation ?row }    # the same row
  UNION { """ + _PAIRS + """
    ?ft qb:structure bg:ColumnTableStructure }              # a one-row table: the column says all
}
ORDER BY ?organization ?year ?table ?row ?column"""


#: Every disclosure that breaks an identity, from the validation published with it.
#: DISTINCT: each validation graph repeats the labels of the identities it reports, and
#: the union of graphs gives ?name once per graph that has it.
BROKEN_IDENTITIES = PREFIXES + """SELECT ?doc ?identity ?name (COUNT(DISTINCT ?result) AS ?breaks)
       ?forced WHERE {
  ?report bg:validates ?doc ; sh:result ?result .
  ?result sh:resultSeverity sh:Violation ; bg:identity ?identity .
  OPTIONAL { ?identity rdfs:label ?name FILTER(lang(?name) = "en") }
  OPTIONAL { ?report bg:loadedDespiteViolations ?forced }
}
GROUP BY ?doc ?identity ?name ?forced ORDER BY ?doc ?identity"""


EXAMPLE_QUERIES: tuple[Example, ...] = (
    Example("各地区的社会保障和就业支出（208，预算，每笔钱只计一次）",
            "社会保障和就业 (208) budgeted in each region, each yuan counted once",
            FUNCTION_BY_REGION),
    Example("各部门支出预算：基本支出与项目支出",
            "Each budget split into basic and project spending", BASIC_VS_PROJECT),
    Example("各部门逐年的“三公”经费", "The three public costs of each organisation, year by year",
            THREE_PUBLIC_OVER_YEARS),
    Example("决算与预算：执行率", "Final accounts against the budget: execution rate",
            EXECUTION),
    Example("不满足勾稽关系的公开文件", "Documents that break an identity",
            BROKEN_IDENTITIES),
    Example("各项支出比上年增减", "Each item's change from last year (情况说明)",
            PREFIXES + """SELECT DISTINCT ?department ?year ?code ?item ?amount ?lastYear ?change
       ?growthPercent ?statement WHERE {
  ?statement a bg:NarrativeStatement ;
     obeu-dimension:organization ?department ;
     obeu-dimension:fiscalYear ?year ;
     bg:functionalClassification ?concept ;
     bg:statedAmount ?amount ;
     bg:change ?change ;
     bg:priorYearFigure ?prior .   # a path (priorYearFigure/statedAmount) is 100× slower
  ?prior bg:statedAmount ?lastYear .
  ?concept skos:notation ?code .
  OPTIONAL { ?statement bg:growthRate ?growthPercent }
  OPTIONAL { ?concept skos:prefLabel ?item FILTER(lang(?item) = "zh") }
}
ORDER BY ?department ?year ?code"""),
    Example("项目的绩效指标", "Which indicators belong to which project",
            PREFIXES + """SELECT DISTINCT ?project ?projectName ?year ?level1 ?level2 ?indicator
       ?operator ?target ?unit ?weight WHERE {
  ?goal a bg:PerformanceTarget ; bg:project ?project ; bg:hasIndicator ?i ;
        obeu-dimension:fiscalYear ?year .
  ?project rdfs:label ?projectName .
  ?i bg:indicatorLevel1 ?level1 ; bg:indicatorLevel2 ?level2 ; rdfs:label ?indicator .
  OPTIONAL { ?i bg:operator ?operator }
  OPTIONAL { ?i bg:targetText ?target }
  OPTIONAL { ?i bg:measurementUnit ?unit }
  OPTIONAL { ?i bg:weight ?weight }
}
ORDER BY ?project ?year ?level1 ?level2 LIMIT 2000"""),
    Example("各部门按类汇总的支出预算（每笔钱只计一次）",
            "Budgeted expenditure by 类 across departments, each yuan counted once",
            PREFIXES + """SELECT ?year ?code (SUM(?amount) AS ?yuan) (COUNT(?doc) AS ?documents)
WHERE {
  ?doc a bg:Disclosure ; obeu-dimension:budgetPhase obeu-budgetphase:approved ;
       obeu-dimension:fiscalYear ?year .
  """ + COUNTED_ONCE + """
  ?table bg:disclosure ?doc ; bg:tableKind/skos:notation "expenditure" .
  ?obs qb:dataSet ?table ; bg:column/skos:notation "total" ;
       bg:functionalClassification ?concept ; obeu-measure:amount ?amount .
  ?concept bg:codeLevel 1 ; skos:notation ?code .   # rows that are a 类 themselves
}
GROUP BY ?year ?code ORDER BY ?year ?code"""),
    Example("部门与年度公开文件", "Departments and their disclosures by year",
            PREFIXES + """SELECT DISTINCT ?department ?name ?year ?disclosure ?title WHERE {
  ?disclosure a bg:Disclosure ; obeu-dimension:organization ?department ;
              obeu-dimension:fiscalYear ?year ; rdfs:label ?title .
  OPTIONAL { ?department rdfs:label ?name FILTER(lang(?name) = "zh") }
}
ORDER BY ?name ?year LIMIT 1000"""),
    Example("每个文件的三元组数", "Triples per named graph",
            """SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?s ?p ?o } }
GROUP BY ?graph ORDER BY ?graph"""),
)
