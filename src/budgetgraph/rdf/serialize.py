"""Writing a converted :class:`~rdflib.Dataset` in the formats budgetgraph serves.

Quad formats (N-Quads, TriG, JSON-LD) keep every named graph. Triple formats
(Turtle, N-Triples) cannot name graphs: they get the **merge** of all graphs, so
which document a triple came from is lost there (its ``bg:disclosure`` and
``prov:wasDerivedFrom`` links remain).
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from functools import cache
from importlib.resources import files
from typing import Any

from rdflib import Dataset, Graph

from budgetgraph.rdf.namespaces import PREFIXES

#: The JSON-LD context, package data of ``budgetgraph.rdf``
CONTEXT = files("budgetgraph.rdf") / "context.jsonld"


class RdfFormat(Enum):
    """An output format: rdflib's plugin name, media type, file extension, and
    whether it keeps named graphs."""

    TURTLE = ("turtle", "text/turtle", "ttl", False)
    NTRIPLES = ("nt", "application/n-triples", "nt", False)
    NQUADS = ("nquads", "application/n-quads", "nq", True)
    TRIG = ("trig", "application/trig", "trig", True)
    JSONLD = ("json-ld", "application/ld+json", "jsonld", True)

    def __init__(self, plugin: str, media_type: str, extension: str, quads: bool) -> None:
        self.plugin = plugin
        self.media_type = media_type
        self.extension = extension
        self.quads = quads

    @classmethod
    def from_media_type(cls, media_type: str) -> RdfFormat | None:
        wanted = media_type.split(";", 1)[0].strip().lower()
        return next((f for f in cls if f.media_type == wanted), None)

    @classmethod
    def from_extension(cls, extension: str) -> RdfFormat | None:
        wanted = extension.lstrip(".").lower()
        return next((f for f in cls if f.extension == wanted), None)


@cache
def _context_text() -> str:
    return CONTEXT.read_text(encoding="utf-8")


def jsonld_context() -> dict[str, Any]:
    """The JSON-LD context (the body of ``context.jsonld``, which a server can publish)."""
    context: dict[str, Any] = json.loads(_context_text())["@context"]
    return context


def merged(dataset: Dataset) -> Graph:
    """All triples of all graphs of ``dataset`` in one graph (for triple formats)."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for subject, predicate, obj, _ in dataset.quads((None, None, None, None)):
        graph.add((subject, predicate, obj))
    return graph


@contextmanager
def _rdflib_dataset_internals() -> Iterator[None]:
    """rdflib 7.6's own quad serialisers and parsers call its deprecated
    ``Dataset.contexts``/``default_context`` and ``ConjunctiveGraph``, and warn; the
    warning is about rdflib's code, not ours, and the project turns warnings into
    errors. Silence exactly it."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", r"Dataset\.(contexts|default_context) is deprecated", DeprecationWarning)
        warnings.filterwarnings("ignore", r"ConjunctiveGraph is deprecated", DeprecationWarning)
        yield


def serialize(dataset: Dataset, fmt: RdfFormat) -> str:
    """``dataset`` as text in ``fmt``; the JSON-LD context is embedded, not linked,
    so a reader needs no network to expand it."""
    if not fmt.quads:
        return merged(dataset).serialize(format=fmt.plugin)
    with _rdflib_dataset_internals():
        if fmt is RdfFormat.JSONLD:
            return dataset.serialize(format=fmt.plugin, context=jsonld_context(),
                                     auto_compact=True)
        return dataset.serialize(format=fmt.plugin)


def parse(text: str, fmt: RdfFormat) -> Dataset:
    """Text in ``fmt`` back into a dataset (triple formats land in the default graph)."""
    dataset = Dataset()
    with _rdflib_dataset_internals():
        dataset.parse(data=text, format=fmt.plugin)
    return dataset
