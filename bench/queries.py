"""The fixed set of researcher queries every engine is timed on.

Chosen to cover the shapes a reader of budgets asks, not to flatter an engine:
an aggregate over one region (totals by 类), a lookup of one document's table,
a comparison of two counties (two grouped sub-SELECTs joined), a DESCRIBE of
one observation, and a label search (a scan with a string filter). All run on
the union default graph, so the same text works in rdflib (``default_union``),
pyoxigraph (``use_default_graph_as_union``) and the servers.

The regional queries read the documents' own 类 rows through one regional
series (``bg:series``, docs/uri-scheme.md). Two references beside them give the
same totals the ways the model makes unnecessary: joining region, document,
table, column and code level, and summing the 项 rows up to their 类 through
``skos:broader*``.
"""

from __future__ import annotations

from dataclasses import dataclass

PREFIXES = """PREFIX bg: <https://w3id.org/budgetgraph/def#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX m: <http://data.openbudgets.eu/ontology/dsd/measure/>
PREFIX dim: <http://data.openbudgets.eu/ontology/dsd/dimension/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


@dataclass(frozen=True)
class Targets:
    """The resources the queries name, taken from the corpus actually loaded."""

    base: str
    region_a: str  # GB/T 2260 code
    region_b: str
    year: int
    disclosure: str  # IRI of one document
    observation: str  # IRI of one observation


def queries(t: Targets) -> dict[str, str]:
    """Name → SPARQL text, in the order the report lists them."""
    code = f"{t.base}id/code"

    def series(region: str) -> str:
        return f"<{t.base}id/series/{region}/{t.year}/budget/general-public/total/level-1>"

    def class_totals(region: str, var: str) -> str:
        return (f"SELECT ?class (SUM(?x) AS ?{var}) WHERE {{"
                f" ?o bg:series {series(region)} ; bg:functionalClassification ?class ;"
                f" m:amount ?x }} GROUP BY ?class")

    # pyoxigraph's plan follows the pattern order: from the region to its documents,
    # their tables of the kind, then the observations of those tables
    select = "SELECT ?year ?class (SUM(?x) AS ?total) WHERE {"
    joined = f"""?d bg:region <{t.base}id/region/{t.region_a}> .
  ?t bg:disclosure ?d ; bg:tableKind <{code}/table/general-public> .
  ?o qb:dataSet ?t ; bg:column <{code}/column/total> ;"""
    return {
        "region totals by 类": PREFIXES + f"""SELECT ?class (SUM(?x) AS ?total) WHERE {{
  ?o bg:series {series(t.region_a)} ; bg:functionalClassification ?class ; m:amount ?x .
}} GROUP BY ?class ORDER BY ?class""",
        "one department's budget": PREFIXES + f"""SELECT ?item ?label ?column ?amount WHERE {{
  ?t bg:disclosure <{t.disclosure}> ; bg:tableKind <{code}/table/expenditure> .
  ?o qb:dataSet ?t ; bg:column ?column ; bg:functionalClassification ?item ; m:amount ?amount .
  OPTIONAL {{ ?item skos:prefLabel ?label FILTER(lang(?label) = "zh") }}
}} ORDER BY ?item ?column""",
        "cross-county comparison": PREFIXES + f"""SELECT ?class ?a ?b WHERE {{
  {{ {class_totals(t.region_a, "a")} }}
  {{ {class_totals(t.region_b, "b")} }}
}} ORDER BY ?class""",
        "DESCRIBE an observation": f"DESCRIBE <{t.observation}>",
        "label search": PREFIXES + """SELECT ?s ?label WHERE {
  ?s rdfs:label ?label . FILTER(CONTAINS(STR(?label), "住房公积金"))
} LIMIT 20""",
        "reference: region totals, joined": PREFIXES + select + f"""
  {joined} bg:functionalClassification ?class ; dim:fiscalYear ?year ; m:amount ?x .
  ?class bg:codeLevel 1 .
}} GROUP BY ?year ?class ORDER BY ?year ?class""",
        "reference: region totals via skos:broader*": PREFIXES + select + f"""
  {joined} bg:functionalClassification ?item ; dim:fiscalYear ?year ; m:amount ?x .
  ?item bg:codeLevel 3 ; skos:broader* ?class . ?class skos:topConceptOf ?scheme .
}} GROUP BY ?year ?class ORDER BY ?year ?class""",
    }


def lookup_query(t: Targets) -> str:
    """The cheapest useful request, one row: the amount of one observation.

    Its cost is almost all protocol and process overhead, which is what the
    HTTP comparison with the bare server is meant to expose.
    """
    return PREFIXES + f"SELECT ?amount WHERE {{ <{t.observation}> m:amount ?amount }}"
