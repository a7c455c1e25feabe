"""The RDF stage: ontology, code lists, URI scheme, model → RDF, serialisation."""

from budgetgraph.rdf.convert import add_reference as add_reference
from budgetgraph.rdf.convert import convert as convert
from budgetgraph.rdf.convert import disclosure_graph as disclosure_graph
from budgetgraph.rdf.convert import new_dataset as new_dataset
from budgetgraph.rdf.convert import ontology_graph as ontology_graph
from budgetgraph.rdf.namespaces import BG as BG
from budgetgraph.rdf.serialize import RdfFormat as RdfFormat
from budgetgraph.rdf.serialize import jsonld_context as jsonld_context
from budgetgraph.rdf.serialize import merged as merged
from budgetgraph.rdf.serialize import parse as parse
from budgetgraph.rdf.serialize import serialize as serialize
from budgetgraph.rdf.uris import DEFAULT_BASE as DEFAULT_BASE
from budgetgraph.rdf.uris import DocKey as DocKey
from budgetgraph.rdf.uris import Minter as Minter
