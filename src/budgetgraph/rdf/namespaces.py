"""The vocabularies budgetgraph's RDF uses, in one place.

Own terms live in one fixed namespace (``bg:``) that does not depend on where the
data is served, so queries and SHACL shapes written against it stay valid for
every deployment; minted data IRIs depend on the base (see :mod:`.uris`).
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, QB, RDF, RDFS, SKOS, VOID, XSD

#: Own vocabulary (the ontology in ``ontology/budgetgraph.ttl``).
BG = Namespace("https://w3id.org/budgetgraph/def#")
ONTOLOGY_IRI = "https://w3id.org/budgetgraph/def"
#: COFOG (UN Classification of the Functions of Government), mirrored under our
#: own namespace: no authoritative COFOG IRI set is settled yet (docs/ontology.md).
COFOG = Namespace("https://w3id.org/budgetgraph/cofog/")

OBEU_DIMENSION = Namespace("http://data.openbudgets.eu/ontology/dsd/dimension/")
OBEU_MEASURE = Namespace("http://data.openbudgets.eu/ontology/dsd/measure/")
OBEU_ATTRIBUTE = Namespace("http://data.openbudgets.eu/ontology/dsd/attribute/")
OBEU_PHASE = Namespace("http://data.openbudgets.eu/resource/codelist/budget-phase/")
OBEU_OPERATION = Namespace("http://data.openbudgets.eu/resource/codelist/operation-character/")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
#: Calendar years as intervals (the OpenBudgets.eu fiscalYear dimension's range).
YEAR = Namespace("http://reference.data.gov.uk/id/year/")
CURRENCY = Namespace("http://publications.europa.eu/resource/authority/currency/")

#: Prefixes bound on every graph budgetgraph writes (turtle, trig, JSON-LD context).
PREFIXES: dict[str, Namespace] = {
    "bg": BG,
    "cofog": COFOG,
    "obeu-dimension": OBEU_DIMENSION,
    "obeu-measure": OBEU_MEASURE,
    "obeu-attribute": OBEU_ATTRIBUTE,
    "obeu-budgetphase": OBEU_PHASE,
    "obeu-operation": OBEU_OPERATION,
    "sdmx-attribute": SDMX_ATTRIBUTE,
    "year": YEAR,
    "currency": CURRENCY,
    "qb": QB,
    "skos": SKOS,
    "org": ORG,
    "dcat": DCAT,
    "dcterms": DCTERMS,
    "void": VOID,
    "prov": PROV,
    "foaf": FOAF,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
}

__all__ = [
    "BG",
    "COFOG",
    "CURRENCY",
    "DCAT",
    "DCTERMS",
    "FOAF",
    "OBEU_ATTRIBUTE",
    "OBEU_DIMENSION",
    "OBEU_MEASURE",
    "OBEU_OPERATION",
    "OBEU_PHASE",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "QB",
    "RDF",
    "RDFS",
    "SDMX_ATTRIBUTE",
    "SKOS",
    "VOID",
    "XSD",
    "YEAR",
]
