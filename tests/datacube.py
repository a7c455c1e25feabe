"""The W3C RDF Data Cube well-formedness checks, run as the recommendation defines them.

https://www.w3.org/TR/vocab-data-cube/#wf: first the normalisation algorithm
(§10.1: type and property closure, then pushing values attached at the data set
or slice down to the observations), then the 21 integrity constraints, each a
query that finds what breaks it. Written here from the recommendation's
definitions as SELECTs that return the offending resources, so a failing test
says what broke, not only that something did.

OpenBudgets.eu's own integrity queries (openbudgets/data-model,
integrity-constraints/*.rq) read two named graphs: the data set being validated
and the OpenBudgets.eu ontology; :func:`obeu_breaks` runs the ones that apply to
a budget data set the same way.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

PREFIXES = """PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

#: §10.1 phase 1 (closure) and phase 2 (attachment levels), in order.
NORMALISATION = (
    "INSERT { ?o rdf:type qb:Observation } WHERE { [] qb:observation ?o }",
    "INSERT { ?o rdf:type qb:Observation } WHERE { ?o qb:dataSet [] }",
    "INSERT { ?s rdf:type qb:Slice } WHERE { [] qb:slice ?s }",
    "INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:DimensionProperty } "
    "WHERE { ?cs qb:dimension ?p }",
    "INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:MeasureProperty } "
    "WHERE { ?cs qb:measure ?p }",
    "INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:AttributeProperty } "
    "WHERE { ?cs qb:attribute ?p }",
    """INSERT { ?obs ?comp ?value } WHERE {
      ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:DataSet .
      ?dataset qb:structure [ qb:component ?spec ] ; ?comp ?value .
      ?obs qb:dataSet ?dataset . }""",
    """INSERT { ?obs ?comp ?value } WHERE {
      ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:Slice .
      ?dataset qb:structure [ qb:component ?spec ] ; qb:slice ?slice .
      ?slice ?comp ?value ; qb:observation ?obs . }""",
    """INSERT { ?obs ?comp ?value } WHERE {
      ?spec qb:componentProperty ?comp . ?comp a qb:DimensionProperty .
      ?dataset qb:structure [ qb:component ?spec ] ; qb:slice ?slice .
      ?slice ?comp ?value ; qb:observation ?obs . }""",
)

#: IC-1 … IC-19 (IC-19 in its two forms): each finds the resources that break it.
CONSTRAINTS: dict[str, str] = {
    "IC-1 unique data set": """SELECT ?x WHERE {
      { ?x a qb:Observation . FILTER NOT EXISTS { ?x qb:dataSet ?d } }
      UNION { ?x a qb:Observation ; qb:dataSet ?d1 , ?d2 . FILTER(?d1 != ?d2) } }""",
    "IC-2 unique DSD": """SELECT ?x WHERE {
      { ?x a qb:DataSet . FILTER NOT EXISTS { ?x qb:structure ?s } }
      UNION { ?x a qb:DataSet ; qb:structure ?s1 , ?s2 . FILTER(?s1 != ?s2) } }""",
    "IC-3 DSD includes measure": """SELECT ?x WHERE { ?x a qb:DataStructureDefinition .
      FILTER NOT EXISTS { ?x qb:component [ qb:componentProperty [ a qb:MeasureProperty ] ] } }""",
    "IC-4 dimensions have range": """SELECT ?x WHERE { ?x a qb:DimensionProperty .
      FILTER NOT EXISTS { ?x rdfs:range [] } }""",
    "IC-5 concept dimensions have code lists": """SELECT ?x WHERE {
      ?x a qb:DimensionProperty ; rdfs:range skos:Concept .
      FILTER NOT EXISTS { ?x qb:codeList [] } }""",
    "IC-6 only attributes may be optional": """SELECT ?x WHERE {
      ?dsd qb:component ?spec . ?spec qb:componentRequired "false"^^xsd:boolean ;
      qb:componentProperty ?x . FILTER NOT EXISTS { ?x a qb:AttributeProperty } }""",
    "IC-7 slice keys must be declared": """SELECT ?x WHERE { ?x a qb:SliceKey .
      FILTER NOT EXISTS { [ a qb:DataStructureDefinition ] qb:sliceKey ?x } }""",
    "IC-8 slice keys consistent with DSD": """SELECT ?x WHERE {
      ?x a qb:SliceKey ; qb:componentProperty ?prop . ?dsd qb:sliceKey ?x .
      FILTER NOT EXISTS { ?dsd qb:component [ qb:componentProperty ?prop ] } }""",
    "IC-9 unique slice structure": """SELECT ?x WHERE {
      { ?x a qb:Slice . FILTER NOT EXISTS { ?x qb:sliceStructure ?k } }
      UNION { ?x a qb:Slice ; qb:sliceStructure ?k1 , ?k2 . FILTER(?k1 != ?k2) } }""",
    "IC-10 slice dimensions complete": """SELECT ?x WHERE {
      ?x qb:sliceStructure [ qb:componentProperty ?dim ] .
      FILTER NOT EXISTS { ?x ?dim [] } }""",
    "IC-11 all dimensions required": """SELECT ?x ?dim WHERE {
      ?x qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
      ?dim a qb:DimensionProperty . FILTER NOT EXISTS { ?x ?dim [] } }""",
    "IC-12 no duplicate observations": """SELECT ?x ?y WHERE {
      { SELECT ?x ?y (MIN(?equal) AS ?allEqual) WHERE {
          ?x qb:dataSet ?dataset . ?y qb:dataSet ?dataset . FILTER(STR(?x) < STR(?y))
          ?dataset qb:structure/qb:component/qb:componentProperty ?dim .
          ?dim a qb:DimensionProperty .
          ?x ?dim ?v1 . ?y ?dim ?v2 . BIND(?v1 = ?v2 AS ?equal)
        } GROUP BY ?x ?y }
      FILTER(?allEqual) }""",
    "IC-13 required attributes": """SELECT ?x ?attr WHERE {
      ?x qb:dataSet/qb:structure/qb:component ?component .
      ?component qb:componentRequired "true"^^xsd:boolean ; qb:componentProperty ?attr .
      FILTER NOT EXISTS { ?x ?attr [] } }""",
    "IC-14 all measures present": """SELECT ?x ?measure WHERE {
      ?x qb:dataSet/qb:structure ?dsd .
      FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty qb:measureType }
      ?dsd qb:component/qb:componentProperty ?measure . ?measure a qb:MeasureProperty .
      FILTER NOT EXISTS { ?x ?measure [] } }""",
    "IC-15 measure dimension consistent": """SELECT ?x WHERE {
      ?x qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure .
      ?dsd qb:component/qb:componentProperty qb:measureType .
      FILTER NOT EXISTS { ?x ?measure [] } }""",
    "IC-16 single measure on measure dimension observation": """SELECT ?x WHERE {
      ?x qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure ; ?omeasure [] .
      ?dsd qb:component/qb:componentProperty qb:measureType ;
           qb:component/qb:componentProperty ?omeasure .
      ?omeasure a qb:MeasureProperty . FILTER(?omeasure != ?measure) }""",
    "IC-17 all measures present in measures dimension cube": """SELECT ?x WHERE {
      { SELECT ?x ?numMeasures (COUNT(?y) AS ?count) WHERE {
          { SELECT ?dsd (COUNT(?m) AS ?numMeasures) WHERE {
              ?dsd qb:component/qb:componentProperty ?m . ?m a qb:MeasureProperty .
            } GROUP BY ?dsd }
          ?x qb:dataSet/qb:structure ?dsd ; qb:dataSet ?dataset ; qb:measureType ?m1 .
          ?y qb:dataSet ?dataset ; qb:measureType ?m2 .
          FILTER NOT EXISTS {
            ?dsd qb:component/qb:componentProperty ?dim . FILTER(?dim != qb:measureType)
            ?dim a qb:DimensionProperty . ?x ?dim ?v1 . ?y ?dim ?v2 . FILTER(?v1 != ?v2) }
        } GROUP BY ?x ?numMeasures HAVING (?count != ?numMeasures) } }""",
    "IC-18 consistent data set links": """SELECT ?x WHERE {
      ?dataset qb:slice ?slice . ?slice qb:observation ?x .
      FILTER NOT EXISTS { ?x qb:dataSet ?dataset } }""",
    "IC-19 codes from code list (scheme)": """SELECT ?x ?dim ?v WHERE {
      ?x qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
      ?dim a qb:DimensionProperty ; qb:codeList ?list . ?list a skos:ConceptScheme .
      ?x ?dim ?v . FILTER NOT EXISTS { ?v a skos:Concept ; skos:inScheme ?list } }""",
    "IC-19 codes from code list (collection)": """SELECT ?x ?dim ?v WHERE {
      ?x qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
      ?dim a qb:DimensionProperty ; qb:codeList ?list . ?list a skos:Collection .
      ?x ?dim ?v . FILTER NOT EXISTS { ?v a skos:Concept . ?list skos:member+ ?v } }""",
}

#: IC-20 and IC-21 are templates over each hierarchical code list's parent-child property.
HIERARCHIES = """SELECT DISTINCT ?p WHERE {
  ?list a qb:HierarchicalCodeList ; qb:parentChildProperty ?p }"""
IC20 = """SELECT ?x ?v WHERE {
  ?x qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
  ?dim a qb:DimensionProperty ; qb:codeList ?list . ?list a qb:HierarchicalCodeList .
  ?x ?dim ?v . FILTER NOT EXISTS { ?list qb:hierarchyRoot/<$p>* ?v } }"""
IC21 = """SELECT ?x ?v WHERE {
  ?x qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
  ?dim a qb:DimensionProperty ; qb:codeList ?list . ?list a qb:HierarchicalCodeList .
  ?x ?dim ?v . FILTER NOT EXISTS { ?list qb:hierarchyRoot/(^<$p>)* ?v } }"""

#: The number of integrity constraints the recommendation defines.
IC_COUNT = 21


def store_of(nquads: str, *, without: str | None = None) -> ox.Store:
    """An in-memory store holding the merge of every graph of ``nquads`` (but the
    graph ``without``) in its default graph: the constraints are about the data as
    a whole, and pyoxigraph updates cannot read a union default graph."""
    store = ox.Store()
    skip = ox.NamedNode(without) if without else None
    store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                 for q in ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS)
                 if q.graph_name != skip)
    return store


def normalise(store: ox.Store) -> None:
    """Run the normalisation algorithm of the recommendation (§10.1) in place."""
    for update in NORMALISATION:
        store.update(PREFIXES + update)


def integrity_breaks(store: ox.Store) -> dict[str, list[tuple[str, ...]]]:
    """Every constraint (IC-1 … IC-21) with the rows that break it; empty lists all hold."""
    breaks: dict[str, list[tuple[str, ...]]] = {}
    for name, query in CONSTRAINTS.items():
        breaks[name] = _rows(store, PREFIXES + query)
    hierarchies = [row[0] for row in _rows(store, PREFIXES + HIERARCHIES)]
    breaks["IC-20 codes from hierarchy"] = [
        row for p in hierarchies for row in _rows(store, PREFIXES + IC20.replace("$p", p))]
    breaks["IC-21 codes from hierarchy (inverse)"] = [
        row for p in hierarchies for row in _rows(store, PREFIXES + IC21.replace("$p", p))]
    return breaks


def _rows(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    result = store.query(query)
    return [tuple(str(term.value) if term is not None else "" for term in row)
            for row in result]  # type: ignore[union-attr]


# -- OpenBudgets.eu -------------------------------------------------------------------

OBEU_DIR = Path(__file__).resolve().parent / "fixtures" / "obeu"
VALIDATED = "http://data.openbudgets.eu/resource/dataset/validated-dataset"
OBEU_ONTOLOGY = "http://data.openbudgets.eu/ontology"
SPIN_VIOLATION = ox.NamedNode("http://spinrdf.org/spin#ConstraintViolation")


def obeu_breaks(store: ox.Store) -> dict[str, int]:
    """OpenBudgets.eu's integrity queries over a copy of the data as their tool
    arranges it: the union of our graphs as the validated data set, their
    ontology in its own graph. Returns each query's number of violations."""
    checked = ox.Store()
    validated = ox.NamedNode(VALIDATED)
    checked.extend(ox.Quad(q.subject, q.predicate, q.object, validated)
                   for q in store.quads_for_pattern(None, None, None, None))
    ontology = ox.NamedNode(OBEU_ONTOLOGY)
    for name in ("components.ttl", "code_lists.ttl", "ontology.ttl"):
        checked.load(path=OBEU_DIR / name, format=ox.RdfFormat.TURTLE, to_graph=ontology)
    counts = {}
    for query in sorted(OBEU_DIR.glob("*.rq")):
        result = checked.query(query.read_text(encoding="utf-8"))
        counts[query.stem] = sum(1 for triple in result  # type: ignore[union-attr]
                                 if triple.object == SPIN_VIOLATION)
    return counts
