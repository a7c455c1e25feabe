"""The embedded on-disk quad store: the only module that imports pyoxigraph.

Every other stage sees plain Python values (:class:`Term`, :class:`GraphInfo`,
:class:`QueryOutcome`, media-type strings), so the engine can be swapped or
upgraded in one place.

Three facts about pyoxigraph 0.5 shape this module (see ``docs/server.md``):

* Its transactional writes are several times slower than its bulk writes and
  leave a larger store, and the bulk writes are not atomic. So a load
  (:func:`replace_graphs`) bulk-writes into a hard-linked copy of the store and
  swaps the copy in with one atomic rename: a failed or killed load leaves the
  store as it was, and readers never open a directory that is being written.
* The union default graph is off by default; queries here turn it on unless the
  request names its own dataset (protocol parameters or ``FROM``), because
  pyoxigraph ignores ``FROM`` when the union flag is set.
* There is no query timeout; :func:`run_query` is meant to run in a process that
  the caller kills at the deadline (``budgetgraph.web.sparql``).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import gzip
import io
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, NamedTuple

import pyoxigraph as ox

from . import search
from .errors import BudgetgraphError

if TYPE_CHECKING:
    from rdflib import Dataset

__all__ = [
    "GraphInfo",
    "QueryOutcome",
    "QuerySpec",
    "ReadOnlyStore",
    "StoreError",
    "Term",
    "TermKind",
    "dump_nquads_gzip",
    "graph_media_types",
    "index_names",
    "load_graph",
    "open_read_only",
    "rdf_media_type",
    "replace_graphs",
    "require_store",
    "results_media_type",
    "results_media_types",
    "run_query",
    "serialize_statements",
]

#: How often (in quads) :func:`load_graph` reports progress while preparing a load.
PROGRESS_EVERY = 10_000
#: ``renameat2`` arguments (``<fcntl.h>``, ``<linux/fs.h>``): paths relative to the
#: working directory; exchange the two names.
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2

TermKind = Literal["iri", "bnode", "literal"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class StoreError(BudgetgraphError):
    """The data handed to the store cannot be loaded as asked (wrong graph, bad syntax)."""


class Term(NamedTuple):
    """An RDF term as plain data, so the web layer never touches engine objects."""

    kind: TermKind
    value: str
    datatype: str | None = None
    language: str | None = None

    @property
    def is_iri(self) -> bool:
        return self.kind == "iri"


Statement = tuple[Term, Term, Term]


@dataclass(frozen=True)
class GraphInfo:
    """A named graph and how many triples it holds."""

    iri: str
    triples: int


def _to_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Term:
    if isinstance(term, ox.NamedNode):
        return Term("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        return Term("literal", term.value, term.datatype.value, term.language)
    raise StoreError(f"RDF-star triple terms are not supported here: {term}")


def _from_term(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if term.kind == "iri":
        return ox.NamedNode(term.value)
    if term.kind == "bnode":
        return ox.BlankNode(term.value)
    if term.language:
        return ox.Literal(term.value, language=term.language)
    return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype or XSD_STRING))


# --- loading -----------------------------------------------------------------


def _parse_input(data: str | bytes | Path | Dataset) -> Iterator[ox.Quad]:
    """Quads of an N-Quads text/file, or of an rdflib Dataset converted term by term.

    rdflib 7.6's own N-Quads serialiser trips its deprecation warnings, so a
    Dataset is read with ``quads()`` instead.
    """
    if isinstance(data, Path):
        return ox.parse(path=data, format=ox.RdfFormat.N_QUADS)
    if isinstance(data, str | bytes):
        return ox.parse(data, format=ox.RdfFormat.N_QUADS)
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    def graph_name(g: Any) -> ox.NamedNode | ox.BlankNode | ox.DefaultGraph:
        name = getattr(g, "identifier", g)  # rdflib yields a Graph or its name
        if name is None or name == DATASET_DEFAULT_GRAPH_ID:
            return ox.DefaultGraph()
        return _from_rdflib(name)  # type: ignore[return-value]

    return (ox.Quad(_from_rdflib(s), _from_rdflib(p), _from_rdflib(o),  # type: ignore[arg-type]
                    graph_name(g))
            for s, p, o, g in data.quads((None, None, None, None)))


def nquads(data: Dataset) -> bytes:
    """An rdflib Dataset as N-Quads (UTF-8): what a ``load`` worker sends the writer,
    which reads it back with pyoxigraph's parser (blank node labels are kept)."""
    return ox.serialize(_parse_input(data), format=ox.RdfFormat.N_QUADS) or b""


def _from_rdflib(term: Any) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    from rdflib import BNode, URIRef
    from rdflib import Literal as RdflibLiteral

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, RdflibLiteral):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD_STRING)))
    raise StoreError(f"unsupported rdflib term {term!r}")


def load_graph(
    store_dir: str | os.PathLike[str],
    graph_iri: str,
    data: str | bytes | Path | Dataset,
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Replace the named graph ``graph_iri`` with ``data``, atomically; return its quad count.

    ``data`` is N-Quads (text, bytes or a file path) or an rdflib ``Dataset``.
    Triples in the default graph are put into ``graph_iri``; a quad in any other
    named graph is an error, because one document owns exactly one graph and a
    load must not touch anybody else's.

    ``progress`` is called with the number of quads read so far every
    :data:`PROGRESS_EVERY` quads and once more after the swap. One document is
    :func:`replace_graphs` with one graph; loading many, call that instead: the
    store is copied (hard links) and swapped once per call, not once per graph.
    """
    def report(_graph: str, count: int) -> None:
        if progress is not None:
            progress(count)

    return replace_graphs(store_dir, [(graph_iri, data)], progress=report)[graph_iri]


def replace_graphs(
    store_dir: str | os.PathLike[str],
    sources: Iterable[tuple[str, str | bytes | Path | Dataset]],
    *,
    progress: Callable[[str, int], None] | None = None,
    rebuild_index: bool = False,
) -> dict[str, int]:
    """Replace each named graph with its data, all or nothing; return the quad counts.

    Same inputs and checks as :func:`load_graph`, for many graphs. Why not one
    transaction per graph: pyoxigraph's transactional writes (``update``,
    ``extend``) measured 3–5× slower than ``bulk_load`` and left a store 2–6×
    larger (``docs/benchmarks.md``), while the bulk writes (``bulk_extend``)
    are not atomic. So the bulk writes go to a *copy*:

    1. the live store is checkpointed beside itself (``Store.backup``: hard
       links to its immutable files, so the copy costs little whatever the size);
    2. in the copy, the graphs being replaced are removed and the new quads
       written with ``bulk_extend``;
    3. the names index (:mod:`budgetgraph.search`) is updated into the copy's
       directory: the live index's entries of the replaced graphs are replaced
       (all rebuilt from the copy if the live store has no index, or with
       ``rebuild_index``);
    4. the copy is exchanged with the live directory in one ``renameat2``
       (``RENAME_EXCHANGE``), and the old one deleted.

    Until step 4 nothing under ``store_dir`` has changed, so a failed or killed
    load leaves the store as it was (its leftovers are removed by the next
    load), and readers never have a directory open that is being written.
    ``progress`` gets the graph and its quads read so far, every
    :data:`PROGRESS_EVERY` quads and once per graph after the swap.

    One writer at a time (a lock file beside the store). A server keeps the
    snapshot it opened: restart it to serve the new data.
    """
    target = Path(store_dir)
    batch = list(sources)
    counts: dict[str, int] = {}
    for graph_iri, _ in batch:
        if graph_iri in counts:
            raise StoreError(f"graph {graph_iri} given twice in one load")
        counts[graph_iri] = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with _writer_lock(target):
        staging, old = _sibling(target, "staging"), _sibling(target, "old")
        _recover(target, old)
        shutil.rmtree(staging, ignore_errors=True)
        try:
            _write_copy(target, staging, batch, counts, progress, rebuild=rebuild_index)
            _swap(staging, target, old)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    if progress is not None:
        for graph_iri, count in counts.items():
            progress(graph_iri, count)
    return counts


def _write_copy(target: Path, staging: Path,
                batch: list[tuple[str, str | bytes | Path | Dataset]], counts: dict[str, int],
                progress: Callable[[str, int], None] | None, *, rebuild: bool = False) -> None:
    """Checkpoint ``target`` (if it is a store) into ``staging`` and replace the graphs there."""
    if (target / "CURRENT").is_file():
        live = ox.Store(os.fspath(target))
        try:
            live.backup(os.fspath(staging))
        finally:
            del live
    copy = ox.Store(os.fspath(staging))
    try:
        for graph_iri, _ in batch:
            graph = ox.NamedNode(graph_iri)
            if copy.contains_named_graph(graph):
                copy.remove_graph(graph)
        copy.bulk_extend(_checked_quads(batch, counts, progress))
        for graph_iri, count in counts.items():
            if count == 0:  # an empty document still exists as a graph
                copy.add_graph(ox.NamedNode(graph_iri))
        copy.flush()
        _write_search_index(copy, staging, target, [iri for iri, _ in batch], rebuild=rebuild)
    finally:
        del copy


def _write_search_index(copy: ox.Store, staging: Path, target: Path, graphs: list[str], *,
                        rebuild: bool) -> None:
    """The names index of the new store, written into its directory before the swap.

    Updated from the live store's index (its entries of ``graphs`` replaced) when
    there is one of the current format; otherwise, or with ``rebuild``, built from
    every graph of the copy.
    """
    previous = target / search.INDEX_FILE
    if not rebuild and search.usable(previous):
        search.write_index(staging / search.INDEX_FILE, _search_entries(copy, graphs),
                           previous=previous, replaced=graphs)
    else:
        search.write_index(staging / search.INDEX_FILE, _search_entries(copy, None))


def _search_entries(store: ox.Store, graphs: list[str] | None) -> Iterator[search.Entry]:
    """Each resource of an indexed kind with its names, per named graph (``graphs``, or
    all). A resource's type and names are read from the same graph, so that replacing
    a graph replaces exactly its entries.

    One scan per type and per name property (the engine's predicate-first indexes),
    joined here: a lookup per resource cost ~0.1 ms each on disk, 7 s for 8,000 names.
    """
    rdf_type = ox.NamedNode(RDF_TYPE)
    scopes: list[ox.NamedNode | None] = (
        [None] if graphs is None else [ox.NamedNode(g) for g in graphs])
    for scope in scopes:
        kinds: dict[tuple[str, str], str] = {}
        for kind, types in search.KINDS:
            for type_iri in types:
                for quad in store.quads_for_pattern(None, rdf_type, ox.NamedNode(type_iri),
                                                    scope):
                    if isinstance(quad.subject, ox.NamedNode) and \
                            isinstance(quad.graph_name, ox.NamedNode):
                        kinds.setdefault((quad.subject.value, quad.graph_name.value), kind)
        names: dict[tuple[str, str], list[tuple[str, str | None]]] = {}
        for name_property in search.NAME_PROPERTIES:
            for quad in store.quads_for_pattern(None, ox.NamedNode(name_property), None, scope):
                if not isinstance(quad.object, ox.Literal) or \
                        not isinstance(quad.subject, ox.NamedNode) or \
                        not isinstance(quad.graph_name, ox.NamedNode):
                    continue
                key = (quad.subject.value, quad.graph_name.value)
                if key in kinds:
                    names.setdefault(key, []).append((quad.object.value, quad.object.language))
        for (iri, graph), kind in kinds.items():
            if (found := names.get((iri, graph))):
                yield search.Entry(iri, graph, kind, tuple(found))


def index_names(store_dir: str | os.PathLike[str]) -> int:
    """(Re)build the names index of an existing store, swapped in like a load; return
    its entry count. A store loaded before the index existed gets one this way (or at
    its next load)."""
    require_store(store_dir)
    replace_graphs(store_dir, [], rebuild_index=True)
    index = search.Index(Path(store_dir) / search.INDEX_FILE, connections=1)
    try:
        return index.count()
    finally:
        index.close()


def _checked_quads(batch: list[tuple[str, str | bytes | Path | Dataset]],
                   counts: dict[str, int],
                   progress: Callable[[str, int], None] | None) -> Iterator[ox.Quad]:
    """Every source's quads, put into its graph; raises on a foreign graph or bad syntax.

    Consumed inside ``bulk_extend``: an error stops the write half-way, in the
    copy only, which is then thrown away.
    """
    for graph_iri, data in batch:
        graph = ox.NamedNode(graph_iri)
        label = str(data) if isinstance(data, Path) else graph_iri
        try:
            for quad in _parse_input(data):
                if isinstance(quad.graph_name, ox.DefaultGraph):
                    quad = ox.Quad(quad.subject, quad.predicate, quad.object, graph)
                elif quad.graph_name != graph:
                    raise StoreError(f"quad in graph {quad.graph_name}, expected only {graph}: "
                                     f"{quad}", file=label)
                counts[graph_iri] += 1
                if progress is not None and counts[graph_iri] % PROGRESS_EVERY == 0:
                    progress(graph_iri, counts[graph_iri])
                yield quad
        except SyntaxError as error:
            raise StoreError(f"not valid N-Quads: {error.msg}", file=label,
                             line=error.lineno) from error


def _sibling(target: Path, role: str) -> Path:
    """A hidden directory beside the store (same file system, so renames are atomic)."""
    return target.parent / f".{target.name}.{role}"


@contextlib.contextmanager
def _writer_lock(target: Path) -> Iterator[None]:
    """Hold an exclusive lock beside the store: two loads would each swap in their own copy."""
    with open(_sibling(target, "lock"), "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError("another load is writing this store", file=str(target)) from None
        yield


def _recover(target: Path, old: Path) -> None:
    """Undo what an interrupted swap left: the old store back if none is in place, else drop it.

    Only the two-rename fallback of :func:`_swap` can leave ``target`` missing.
    """
    if old.exists():
        if (target / "CURRENT").is_file():
            shutil.rmtree(old)
        else:
            os.rename(old, target)


def _swap(staging: Path, target: Path, old: Path) -> None:
    """Put ``staging`` in place of ``target`` in one step and delete the store it replaces."""
    if not target.exists() or not any(target.iterdir()):
        os.rename(staging, target)  # replaces an empty directory, atomically
        return
    if not (target / "CURRENT").is_file():
        raise StoreError("not a store, and not empty: refusing to replace it", file=str(target))
    try:
        _exchange(staging, target)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOSYS):
            raise
        # No RENAME_EXCHANGE here (not Linux, or the file system lacks it): two
        # renames; an interruption between them is undone by _recover.
        os.rename(target, old)
        os.rename(staging, target)
        shutil.rmtree(old)
        return
    shutil.rmtree(staging)


def _exchange(first: Path, second: Path) -> None:
    """Swap two directories atomically (Linux ``renameat2(…, RENAME_EXCHANGE)``)."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                 _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), os.fspath(second))


# --- reading -----------------------------------------------------------------


class ReadOnlyStore:
    """A read-only snapshot of the store, with the lookups the web pages need.

    Opening read-only lets many processes (server workers and their query
    processes) share one directory; writers must not run at the same time.
    """

    def __init__(self, store: ox.Store) -> None:
        self._store = store

    def graphs(self) -> list[GraphInfo]:
        """Every named graph with its triple count, sorted by IRI.

        Counting reads every quad (natively, in one GROUP BY), so callers cache
        the answer: the snapshot never changes while open.
        """
        counts = {g.value: 0 for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)}
        solutions = self._store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        for row in solutions:  # type: ignore[union-attr]
            graph, number = row["g"], row["n"]
            if isinstance(graph, ox.NamedNode) and isinstance(number, ox.Literal):
                counts[graph.value] = int(number.value)
        return [GraphInfo(iri, n) for iri, n in sorted(counts.items())]

    def has_graph(self, iri: str) -> bool:
        return self._store.contains_named_graph(ox.NamedNode(iri))

    def is_known(self, iri: str) -> bool:
        """Whether ``iri`` occurs as a subject or an object anywhere."""
        node = ox.NamedNode(iri)
        return (
            next(self._store.quads_for_pattern(node, None, None, None), None) is not None
            or next(self._store.quads_for_pattern(None, None, node, None), None) is not None
        )

    def describe(self, iri: str, *, limit: int) -> list[Statement]:
        """The concise bounded description of ``iri``: its triples, following blank nodes.

        Duplicates across graphs are merged (the union view). At most ``limit``
        statements, so one odd resource cannot exhaust a worker.
        """
        seen: set[Statement] = set()
        out: list[Statement] = []
        todo: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(iri)]
        visited: set[ox.NamedNode | ox.BlankNode] = set()
        while todo and len(out) < limit:
            subject = todo.pop()
            if subject in visited:
                continue
            visited.add(subject)
            for quad in self._store.quads_for_pattern(subject, None, None, None):
                statement = (_to_term(quad.subject), _to_term(quad.predicate),
                             _to_term(quad.object))
                if statement in seen:
                    continue
                seen.add(statement)
                out.append(statement)
                if isinstance(quad.object, ox.BlankNode):
                    todo.append(quad.object)
                if len(out) >= limit:
                    break
        return out

    def incoming(self, iri: str, *, limit: int) -> list[Statement]:
        """Up to ``limit`` distinct triples that point at ``iri``."""
        seen: set[Statement] = set()
        for quad in self._store.quads_for_pattern(None, None, ox.NamedNode(iri), None):
            seen.add((_to_term(quad.subject), _to_term(quad.predicate), _to_term(quad.object)))
            if len(seen) >= limit:
                break
        return sorted(seen)

    def objects(self, subject: str, predicates: Iterable[str]) -> list[Term]:
        """Objects of ``subject`` for any of ``predicates`` (labels for links)."""
        node = ox.NamedNode(subject)
        return [
            _to_term(quad.object)
            for predicate in predicates
            for quad in self._store.quads_for_pattern(node, ox.NamedNode(predicate), None, None)
        ]

    def dump_nquads_gzip(self, output: IO[bytes], *, graph_iri: str | None = None) -> None:
        """Write the whole store, or one graph, as gzipped N-Quads to ``output``."""
        with gzip.GzipFile(fileobj=output, mode="wb", mtime=0) as zipped:
            if graph_iri is None:
                self._store.dump(zipped, ox.RdfFormat.N_QUADS)
            else:
                graph = ox.NamedNode(graph_iri)
                quads = self._store.quads_for_pattern(None, None, None, graph)
                ox.serialize(quads, zipped, ox.RdfFormat.N_QUADS)


def open_read_only(store_dir: str | os.PathLike[str]) -> ReadOnlyStore:
    """Open an existing store for reading; a missing directory is an error, not a new store."""
    return ReadOnlyStore(ox.Store.read_only(os.fspath(require_store(store_dir))))


def require_store(store_dir: str | os.PathLike[str]) -> Path:
    """``store_dir`` as a Path if it holds a store; opening would otherwise create one."""
    path = Path(store_dir)
    if not (path / "CURRENT").is_file():
        raise StoreError("no store here (run `budgetgraph load` first)", file=str(path))
    return path


def dump_nquads_gzip(store_dir: str | os.PathLike[str], output: IO[bytes], *,
                     graph_iri: str | None = None) -> None:
    """Dump a store directory (whole, or one graph) as gzipped N-Quads."""
    open_read_only(store_dir).dump_nquads_gzip(output, graph_iri=graph_iri)


# --- formats -----------------------------------------------------------------

_GRAPH_FORMATS = (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.JSON_LD,
                  ox.RdfFormat.RDF_XML)
_RESULTS_FORMATS = (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML,
                    ox.QueryResultsFormat.CSV, ox.QueryResultsFormat.TSV)


def graph_media_types() -> list[str]:
    """Canonical media types of the RDF graph formats we serve, preferred first."""
    return [fmt.media_type for fmt in _GRAPH_FORMATS]


def results_media_types() -> list[str]:
    """Canonical media types of the SPARQL results formats we serve, preferred first."""
    return [fmt.media_type for fmt in _RESULTS_FORMATS]


def rdf_media_type(name: str) -> str | None:
    """The canonical media type of an RDF graph format named by media type or extension."""
    fmt = ox.RdfFormat.from_media_type(name) or ox.RdfFormat.from_extension(name)
    return fmt.media_type if fmt in _GRAPH_FORMATS else None


def results_media_type(name: str) -> str | None:
    """The canonical media type of a SPARQL results format named by media type or extension."""
    fmt = ox.QueryResultsFormat.from_media_type(name) or ox.QueryResultsFormat.from_extension(name)
    return fmt.media_type if fmt is not None else None


def is_iri(value: str) -> bool:
    """Whether ``value`` is an absolute IRI, by the same check the store applies to its terms.

    The web layer asks before handing a client's string to the store, where an
    invalid IRI raises (and would be a 500 instead of the client's 400).
    """
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True


def serialize_statements(statements: Iterable[Statement], media_type: str, *,
                         prefixes: dict[str, str] | None = None) -> bytes:
    """Serialise plain statements in an RDF graph format given by media type."""
    fmt = ox.RdfFormat.from_media_type(media_type)
    if fmt is None:
        raise StoreError(f"unknown RDF media type {media_type}")
    triples = [ox.Triple(_from_term(s), _from_term(p), _from_term(o))  # type: ignore[arg-type]
               for s, p, o in statements]
    used = {term.value for triple in triples for term in triple if isinstance(term, ox.NamedNode)}
    declared = {name: namespace for name, namespace in (prefixes or {}).items()
                if any(value.startswith(namespace) for value in used)}
    body = ox.serialize(triples, format=fmt, prefixes=declared) or b""
    if fmt == ox.RdfFormat.JSON_LD:
        return compact_jsonld(body, declared)
    return body


def compact_jsonld(expanded: bytes, prefixes: dict[str, str]) -> bytes:
    """pyoxigraph's expanded JSON-LD, compacted with a ``@context`` of ``prefixes``.

    Property names and ``@type`` values become compact IRIs (``dcterms:title``)
    where a prefix covers them; node identifiers stay absolute. The result
    expands back to the same triples, and reads as JSON a harvester can use
    without a JSON-LD processor.
    """
    nodes = json.loads(expanded)
    context = dict(sorted(prefixes.items()))

    def compact(iri: str) -> str:
        for name, namespace in context.items():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                local = iri[len(namespace):]
                if "/" not in local and "#" not in local:
                    return f"{name}:{local}"
        return iri

    graph = []
    for node in nodes:
        out: dict[str, object] = {}
        for key, value in node.items():
            if key == "@type":
                out[key] = [compact(t) for t in value]
            elif key == RDF_TYPE and all("@id" in v for v in value):
                out["@type"] = [compact(v["@id"]) for v in value]
            elif key.startswith("@"):
                out[key] = value
            else:
                out[compact(key)] = value
        graph.append(out)
    return json.dumps({"@context": context, "@graph": graph}, ensure_ascii=False).encode()


# --- queries -----------------------------------------------------------------


@dataclass(frozen=True)
class QuerySpec:
    """One SPARQL query request, as plain data that crosses a process boundary."""

    query: str
    results_media_type: str | None
    graph_media_type: str | None
    max_rows: int
    max_bytes: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    union_default_graph: bool = True
    #: IRI that relative IRIs in the query resolve against; None leaves them errors.
    base_iri: str | None = None


Status = Literal["ok", "syntax", "unsupported", "too_large", "not_acceptable", "failed"]


@dataclass(frozen=True)
class QueryOutcome:
    """What a query produced: a serialised body, or why there is none."""

    status: Status
    body: bytes = b""
    media_type: str = ""
    form: Literal["solutions", "boolean", "graph", ""] = ""
    message: str = ""


class _TooLarge(Exception):
    """Raised inside serialisation when the byte cap is passed."""


class _CappedBuffer(io.RawIOBase):
    """A write-only buffer that stops the serialiser once it passes ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.buffer = bytearray()
        self.limit = limit
        self.lines = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.buffer += data
        self.lines += data.count(b"\n")
        if len(self.buffer) > self.limit:
            raise _TooLarge
        return len(data)


def run_query(store: ReadOnlyStore, spec: QuerySpec) -> QueryOutcome:
    """Evaluate ``spec`` and serialise the result, enforcing the row and byte caps.

    Never raises for the client's mistakes: a syntax error, a result over the
    caps or a form no acceptable format fits come back as an outcome. Runs
    without a deadline; the caller runs it in a process it can kill.
    """
    kwargs: dict[str, object] = {"base_iri": spec.base_iri}
    if spec.default_graphs or spec.named_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in spec.default_graphs]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in spec.named_graphs]
    else:
        kwargs["use_default_graph_as_union"] = spec.union_default_graph
    try:
        result = store._store.query(spec.query, **kwargs)  # type: ignore[arg-type]
        if isinstance(result, ox.QueryBoolean):
            return _serialize_boolean(result, spec)
        if isinstance(result, ox.QuerySolutions):
            return _serialize_solutions(result, spec)
        return _serialize_triples(result, spec)
    except SyntaxError as error:
        return QueryOutcome("syntax", message=str(error.msg or error))
    except _TooLarge:
        return QueryOutcome("too_large", message=(
            f"the result is larger than {spec.max_bytes:,} bytes; add LIMIT or "
            "download the data dumps"))
    except OSError as error:  # evaluation errors (SERVICE failures, …) surface as OSError
        return QueryOutcome("failed", message=str(error))
    except RuntimeError as error:
        # pyoxigraph's other evaluation errors: a function it does not implement (the
        # query asks what the engine cannot do), or a SERVICE answer it cannot read
        message = str(error)
        unsupported = message.startswith("The custom function")
        return QueryOutcome("unsupported" if unsupported else "failed", message=message)


def _not_acceptable(form: str) -> QueryOutcome:
    return QueryOutcome("not_acceptable", form=form,  # type: ignore[arg-type]
                        message=f"no acceptable media type for a {form} result")


def _serialize_boolean(result: ox.QueryBoolean, spec: QuerySpec) -> QueryOutcome:
    if spec.results_media_type is None:
        return _not_acceptable("boolean")
    fmt = ox.QueryResultsFormat.from_media_type(spec.results_media_type)
    return QueryOutcome("ok", result.serialize(format=fmt) or b"", spec.results_media_type,
                        "boolean")


def _serialize_solutions(result: ox.QuerySolutions, spec: QuerySpec) -> QueryOutcome:
    """Serialise through TSV first: one line per row lets us stop at the row cap early.

    pyoxigraph serialises a live iterator only once and cannot count rows, so
    the rows go to TSV (lossless for RDF terms) through a capped buffer, and
    the TSV is re-read and written in the requested format.
    """
    if spec.results_media_type is None:
        return _not_acceptable("solutions")
    tsv = _CappedBuffer(spec.max_bytes)
    try:
        result.serialize(_RowCap(tsv, spec.max_rows), ox.QueryResultsFormat.TSV)
    except _RowsExceeded:
        return QueryOutcome("too_large", message=(
            f"the result has more than {spec.max_rows:,} rows; add LIMIT/OFFSET to page "
            "through it or download the data dumps"))
    fmt = ox.QueryResultsFormat.from_media_type(spec.results_media_type)
    if fmt == ox.QueryResultsFormat.TSV:
        return QueryOutcome("ok", bytes(tsv.buffer), fmt.media_type, "solutions")
    reparsed = ox.parse_query_results(bytes(tsv.buffer), ox.QueryResultsFormat.TSV)
    out = _CappedBuffer(spec.max_bytes)
    reparsed.serialize(out, fmt)
    return QueryOutcome("ok", bytes(out.buffer), spec.results_media_type, "solutions")


class _RowsExceeded(Exception):
    """Raised inside serialisation when the row cap is passed."""


class _RowCap(io.RawIOBase):
    """Counts TSV lines (the header plus one per row) on their way to a capped buffer."""

    def __init__(self, target: _CappedBuffer, max_rows: int) -> None:
        self.target = target
        self.max_rows = max_rows

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.target.write(data)
        if self.target.lines > self.max_rows + 1:
            raise _RowsExceeded
        return len(data)


def _serialize_triples(result: ox.QueryTriples, spec: QuerySpec) -> QueryOutcome:
    if spec.graph_media_type is None:
        return _not_acceptable("graph")
    triples: list[ox.Triple] = []
    for triple in result:
        triples.append(triple)
        if len(triples) > spec.max_rows:
            return QueryOutcome("too_large", message=(
                f"the graph has more than {spec.max_rows:,} triples; narrow the query "
                "or download the data dumps"))
    fmt = ox.RdfFormat.from_media_type(spec.graph_media_type)
    out = _CappedBuffer(spec.max_bytes)
    ox.serialize(triples, out, fmt)
    return QueryOutcome("ok", bytes(out.buffer), spec.graph_media_type, "graph")
