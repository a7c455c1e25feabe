"""The landing page's SPARQL: dataset figures, and researcher questions that run in one click.

Written against the converter's vocabulary (``bg:``, ``qb:``, ``skos:``,
OpenBudgets.eu dimensions; see ``docs/ontology.md``). Fixed-list concepts are
matched by ``skos:notation`` (``"expenditure"``, ``"basic"``), never by IRI, so the
queries hold on every deployment whatever its base IRI. The default graph is the
union of the document graphs, in which a triple stated by two documents (a
department's name) occurs twice: queries that sum or count select the things
they aggregate with DISTINCT first.
"""

from __future__ import annotations

from typing import NamedTuple

PREFIXES = """PREFIX bg: <https://w3id.org/budgetgraph/def#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX obeu-dimension: <http://data.openbudgets.eu/ontology/dsd/dimension/>
PREFIX obeu-measure: <http://data.openbudgets.eu/ontology/dsd/measure/>
"""

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
             obeu-dimension:fiscalYear ?year ; bg:budgetPhase ?phase .
        OPTIONAL { ?value rdfs:label ?label FILTER(lang(?label) = "zh") }
        OPTIONAL { ?doc bg:region ?region .
                   OPTIONAL { ?region skos:prefLabel ?regionLabel
                              FILTER(lang(?regionLabel) = "zh") } } }
ORDER BY ?regionLabel ?label ?year LIMIT 2000""",
}


class Example(NamedTuple):
    """A question a researcher asks, in Chinese and English, and its SPARQL."""

    title: str
    title_en: str
    query: str


EXAMPLE_QUERIES: tuple[Example, ...] = (
    Example("互助县社会保险服务局的社会保障和就业支出：基本支出与项目支出",
            "The Huzhu social insurance bureau's 社会保障和就业 spending, basic vs project",
            PREFIXES + """SELECT ?year ?type (SUM(?amount) AS ?yuan) WHERE {
  { SELECT DISTINCT ?department WHERE {
      ?department a bg:Department ; rdfs:label "互助土族自治县社会保险服务局"@zh } }
  ?obs a qb:Observation ;
       obeu-dimension:organization ?department ;
       bg:tableKind/skos:notation "expenditure" ;       # 支出总表
       bg:functionalClassification/skos:notation "208" ; # the 类 row itself
       bg:expenditureType ?t ;
       bg:budgetPhase bg:PhaseBudget ;
       obeu-dimension:fiscalYear ?year ;
       obeu-measure:amount ?amount .
  ?t skos:prefLabel ?type FILTER(lang(?type) = "zh")
}
GROUP BY ?year ?type ORDER BY ?year ?type"""),
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
    Example("各部门按类汇总的支出预算", "Budgeted expenditure by 类 across departments",
            PREFIXES + """SELECT ?year ?code ?class (SUM(?amount) AS ?yuan)
       (COUNT(DISTINCT ?department) AS ?departments) WHERE {
  ?obs a qb:Observation ;
       bg:tableKind/skos:notation "expenditure" ;
       bg:column/skos:notation "total" ;
       bg:functionalClass ?concept ;
       bg:functionalClassification ?concept ;   # rows that are a 类 themselves
       bg:budgetPhase bg:PhaseBudget ;
       obeu-dimension:fiscalYear ?year ;
       obeu-dimension:organization ?department ;
       obeu-measure:amount ?amount .
  ?concept skos:notation ?code .
  OPTIONAL { ?concept skos:prefLabel ?class FILTER(lang(?class) = "zh") }
}
GROUP BY ?year ?code ?class ORDER BY ?year ?code"""),
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
