"""A remote SPARQL engine as the store: Graph Store Protocol or Update writes, SPARQLWrapper reads.

The embedded pyoxigraph store (:mod:`budgetgraph.store`) fits one machine; a
deployment with many counties can keep its data in a server engine instead
(Virtuoso, Oxigraph server, Fuseki, GraphDB, QLever, a managed service). This
module is the only place that knows how each engine wants to be written to:

* **Replacing a document's graph must be atomic**, as it is in the embedded
  store: a reader sees the old graph or the new one, never half of each. The
  SPARQL 1.1 Graph Store Protocol's ``PUT`` says "replace", but engines differ:
  the Oxigraph server (0.5) clears the graph and then loads it in a second
  transaction, so there it is ``DROP SILENT GRAPH <g> ; INSERT DATA {…}`` in
  one Update request instead (its request bodies are capped at 1 MiB, so the
  data goes as compact Turtle, ~0.5 MB for the Qinghai document). Virtuoso's
  ``PUT`` on ``/sparql-graph-crud-auth`` replaces in one request, and large
  ``INSERT DATA`` requests hit its SQL text limits, so there it is ``PUT``.
  :data:`ENGINES` records the choice per engine (see ``docs/engines.md``).
* **Reads** go through SPARQLWrapper with content negotiation only (no
  ``format=`` parameters, which some engines answer with 406).

:class:`RemoteStore` offers the lookups the web pages use from
:class:`budgetgraph.store.ReadOnlyStore`, and :class:`RemoteQueries` runs
``/sparql`` requests the way :class:`budgetgraph.web.querypool.QueryPool` does,
so the web app can serve from a remote engine (``serve --endpoint``).
"""

from __future__ import annotations

import base64
import gzip
import io
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdflibLiteral
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from .errors import BudgetgraphError
from .store import (
    RDF_LANG_STRING,
    XSD_STRING,
    GraphInfo,
    QueryOutcome,
    QuerySpec,
    Statement,
    Term,
)

if TYPE_CHECKING:
    from rdflib import Dataset

__all__ = [
    "ENGINES",
    "Endpoint",
    "RemoteError",
    "RemoteQueries",
    "RemoteStore",
    "RemoteTimeout",
    "endpoint",
    "load_graph",
]

log = logging.getLogger(__name__)

WriteMethod = Literal["update", "graph-store"]

#: The Oxigraph server refuses request bodies over 1 MiB (``MAX_SPARQL_BODY_SIZE``).
OXIGRAPH_MAX_BODY = 1_048_576


class RemoteError(BudgetgraphError):
    """The remote engine refused a request or could not be reached."""


class RemoteTimeout(RemoteError):
    """The remote engine did not answer within the deadline."""


@dataclass(frozen=True)
class Endpoint:
    """Where and how to talk to one engine.

    ``query_url`` is the SPARQL 1.1 Protocol endpoint; ``update_url`` and
    ``graph_store_url`` are needed only for loading. ``write`` says which of the
    two replaces a graph atomically on this engine; ``max_update_bytes`` is the
    engine's cap on an Update body (0: none known). ``timeout_param`` names the
    query parameter by which the engine itself stops a query (Virtuoso:
    ``timeout``, in milliseconds), so a slow query also stops server-side.
    """

    query_url: str
    update_url: str | None = None
    graph_store_url: str | None = None
    user: str | None = None
    password: str | None = None
    write: WriteMethod = "graph-store"
    max_update_bytes: int = 0
    timeout_param: str | None = None
    engine: str = "generic"

    @property
    def name(self) -> str:
        """How messages name this endpoint (never with credentials)."""
        return self.query_url


def _oxigraph(url: str) -> Endpoint:
    base = _strip(url, "/query")
    return Endpoint(base + "/query", base + "/update", base + "/store", write="update",
                    max_update_bytes=OXIGRAPH_MAX_BODY, engine="oxigraph")


def _virtuoso(url: str) -> Endpoint:
    base = _strip(url, "/sparql")
    return Endpoint(base + "/sparql", base + "/sparql-auth", base + "/sparql-graph-crud-auth",
                    write="graph-store", timeout_param="timeout", engine="virtuoso")


def _fuseki(url: str) -> Endpoint:
    base = _strip(_strip(url, "/query"), "/sparql")
    return Endpoint(base + "/query", base + "/update", base + "/data", write="graph-store",
                    timeout_param="timeout", engine="fuseki")


def _graphdb(url: str) -> Endpoint:
    base = url.rstrip("/")
    return Endpoint(base, base + "/statements", base + "/rdf-graphs/service",
                    write="graph-store", timeout_param="timeout", engine="graphdb")


def _generic(url: str) -> Endpoint:
    return Endpoint(url)


def _strip(url: str, suffix: str) -> str:
    url = url.rstrip("/")
    return url[: -len(suffix)] if url.endswith(suffix) else url


#: Engine name → how its URLs are laid out and which write is atomic there.
ENGINES: dict[str, Callable[[str], Endpoint]] = {
    "oxigraph": _oxigraph,
    "virtuoso": _virtuoso,
    "fuseki": _fuseki,
    "graphdb": _graphdb,
    "generic": _generic,
}


def endpoint(url: str, *, engine: str = "generic", user: str | None = None,
             password: str | None = None) -> Endpoint:
    """The :class:`Endpoint` of an engine of kind ``engine`` whose query URL is ``url``."""
    try:
        layout = ENGINES[engine]
    except KeyError:
        raise RemoteError(f"unknown engine {engine!r}; one of {', '.join(ENGINES)}") from None
    return replace(layout(url), user=user, password=password)


# --- HTTP ------------------------------------------------------------------------


def _opener(ep: Endpoint) -> urllib.request.OpenerDirector:
    """An opener answering Basic or Digest challenges (for reads, whose bodies are small)."""
    if not ep.user:
        return urllib.request.build_opener()
    passwords = _passwords(ep)
    return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(passwords),
                                       urllib.request.HTTPBasicAuthHandler(passwords))


def _passwords(ep: Endpoint) -> urllib.request.HTTPPasswordMgrWithDefaultRealm:
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    for url in (ep.query_url, ep.update_url, ep.graph_store_url):
        if url:
            passwords.add_password(None, url, ep.user, ep.password or "")
    return passwords


def _authorize(ep: Endpoint, request: urllib.request.Request, *, timeout: float) -> None:
    """Add credentials to a write *before* its body is sent.

    urllib answers a challenge by sending the request again; Virtuoso closes
    the connection on the unauthenticated first attempt while a large body is
    still being written (a broken pipe, seen with 1.5 MB). So the challenge is
    fetched with a bodiless GET first and the write carries the answer.
    """
    if not ep.user:
        return
    probe = urllib.request.Request(request.full_url, method="GET")
    try:
        with urllib.request.build_opener().open(probe, timeout=timeout):
            pass
        return  # no challenge on this URL: nothing to add
    except urllib.error.HTTPError as error:
        challenge = error.headers.get("WWW-Authenticate", "") if error.code == 401 else ""
        error.close()
    scheme, _, params = challenge.partition(" ")
    passwords = _passwords(ep)
    if scheme.lower() == "digest":
        fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(params))
        answer = urllib.request.HTTPDigestAuthHandler(passwords).get_authorization(request, fields)
        request.add_unredirected_header("Authorization", "Digest " + str(answer))
    elif scheme.lower() == "basic":
        token = base64.b64encode(f"{ep.user}:{ep.password or ''}".encode()).decode()
        request.add_unredirected_header("Authorization", "Basic " + token)


def _send(ep: Endpoint, request: urllib.request.Request, *, timeout: float) -> bytes:
    _authorize(ep, request, timeout=timeout)
    try:
        with _opener(ep).open(request, timeout=timeout) as response:
            return bytes(response.read())
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", "replace").strip()[:500]
        raise RemoteError(f"{request.get_method()} {request.full_url.split('?')[0]}: "
                          f"HTTP {error.code}: {body}") from None
    except TimeoutError as error:
        raise RemoteTimeout(f"{ep.name}: no answer within {timeout:g} s") from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise RemoteTimeout(f"{ep.name}: no answer within {timeout:g} s") from None
        raise RemoteError(f"{ep.name}: cannot connect: {error.reason}") from None


# --- loading -----------------------------------------------------------------------


def _graph_of(data: str | bytes | Path | Dataset, graph_iri: str) -> Graph:
    """The triples of ``data`` for ``graph_iri``; quads in any other named graph are refused.

    Same contract as :func:`budgetgraph.store.load_graph`: a document owns
    exactly one graph, default-graph triples are put into it.
    """
    from rdflib import Dataset
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    if isinstance(data, Dataset):
        dataset = data
    else:
        dataset = Dataset()
        source = data.read_bytes() if isinstance(data, Path) else data
        dataset.parse(data=source, format="nquads")
    graph = Graph()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = getattr(g, "identifier", g)
        if name not in (None, DATASET_DEFAULT_GRAPH_ID) and str(name) != graph_iri:
            raise RemoteError(f"quad in graph {name}, expected only <{graph_iri}>",
                              file=str(data) if isinstance(data, Path) else graph_iri)
        graph.add((s, p, o))
    return graph


def _turtle_body(graph: Graph) -> tuple[str, str]:
    """(PREFIX lines, Turtle triples): compact enough for engines that cap Update bodies."""
    for prefix, namespace in _prefixes(graph):
        graph.bind(prefix, namespace)
    text = graph.serialize(format="turtle")
    prefixes, triples = [], []
    for line in text.splitlines():
        if line.startswith("@prefix "):
            prefixes.append("PREFIX " + line[len("@prefix "):].rstrip(" ."))
        else:
            triples.append(line)
    return "\n".join(prefixes), "\n".join(triples)


def _prefixes(graph: Graph) -> Iterator[tuple[str, str]]:
    from .rdf.namespaces import PREFIXES

    used = {str(term) for triple in graph for term in triple if isinstance(term, URIRef)}
    for prefix, namespace in PREFIXES.items():
        if any(value.startswith(str(namespace)) for value in used):
            yield prefix, str(namespace)


def load_graph(ep: Endpoint, graph_iri: str, data: str | bytes | Path | Dataset, *,
               progress: Callable[[int], None] | None = None, timeout: float = 300.0) -> int:
    """Replace the named graph ``graph_iri`` on the engine with ``data``; return its triple count.

    The remote twin of :func:`budgetgraph.store.load_graph` (same inputs, same
    refusal of other graphs). The graph is replaced in one request, by the
    method :attr:`Endpoint.write` names for this engine. An Update body over
    the engine's cap falls back to a Graph Store ``PUT``, which on the Oxigraph
    server is *not* atomic (it is logged as a warning).
    """
    graph = _graph_of(data, graph_iri)
    count = len(graph)
    method = ep.write
    if method == "update":
        prefixes, triples = _turtle_body(graph)
        update = (f"{prefixes}\nDROP SILENT GRAPH <{graph_iri}> ;\n"
                  f"INSERT DATA {{ GRAPH <{graph_iri}> {{\n{triples}\n}} }}")
        body = update.encode("utf-8")
        if ep.max_update_bytes and len(body) > ep.max_update_bytes and ep.graph_store_url:
            log.warning("%s: the update for <%s> is %d bytes, over the engine's %d; "
                        "replacing it with PUT instead, which this engine does not do "
                        "atomically", ep.name, graph_iri, len(body), ep.max_update_bytes)
            method = "graph-store"
        else:
            if not ep.update_url:
                raise RemoteError(f"{ep.name}: no update URL configured")
            _send(ep, urllib.request.Request(
                ep.update_url, data=body, method="POST",
                headers={"Content-Type": "application/sparql-update"}), timeout=timeout)
    if method == "graph-store":
        if not ep.graph_store_url:
            raise RemoteError(f"{ep.name}: no Graph Store Protocol URL configured")
        body = graph.serialize(format="nt", encoding="utf-8")
        url = ep.graph_store_url + "?" + urllib.parse.urlencode({"graph": graph_iri})
        _send(ep, urllib.request.Request(
            url, data=body, method="PUT",
            headers={"Content-Type": "application/n-triples"}), timeout=timeout)
    if progress is not None:
        progress(count)
    return count


# --- reading -----------------------------------------------------------------------


def _term(binding: dict[str, str]) -> Term:
    """A result term as the embedded store gives it.

    Blank-node labels are hex-encoded: engines' own labels need not be valid
    in N-Quads or Turtle (Virtuoso's are ``nodeID://b10025``), and encoding
    keeps distinct labels distinct within the result.
    """
    kind = binding["type"]
    if kind == "uri":
        return Term("iri", binding["value"])
    if kind == "bnode":
        return Term("bnode", binding["value"].encode("utf-8").hex())
    language = binding.get("xml:lang")
    if language:  # as the embedded store gives it
        return Term("literal", binding["value"], RDF_LANG_STRING, language)
    return Term("literal", binding["value"], binding.get("datatype", XSD_STRING))


@dataclass
class RemoteStore:
    """The read side of a remote engine, with :class:`budgetgraph.store.ReadOnlyStore`'s lookups.

    Every lookup is one or two SPARQL queries; the engine's default graph must
    be the union of the named graphs (Virtuoso's default, Oxigraph server's
    ``--union-default-graph``), as on our own endpoint. An engine may hold
    graphs that are not ours (Virtuoso's system graphs, another dataset), so
    with ``graph_prefix`` the graph listing and the whole-store dump keep only
    graphs whose IRI starts with it (the server passes its ``base_iri``).
    """

    endpoint: Endpoint
    timeout: float = 30.0
    graph_prefix: str = ""

    def select(self, query: str) -> list[dict[str, Term]]:
        """Rows of a SELECT query as plain terms (unbound variables absent)."""
        data = self._json(query)
        return [{name: _term(value) for name, value in row.items()}
                for row in data["results"]["bindings"]]

    def ask(self, query: str) -> bool:
        return bool(self._json(query)["boolean"])

    def _json(self, query: str) -> dict[str, Any]:
        wrapper = SPARQLWrapper(self.endpoint.query_url)
        wrapper.setOnlyConneg(True)
        wrapper.setMethod(POST)
        wrapper.setReturnFormat(JSON)
        wrapper.setTimeout(int(max(1, self.timeout)))
        wrapper.setQuery(query)
        if self.endpoint.timeout_param:
            wrapper.addParameter(self.endpoint.timeout_param, str(int(self.timeout * 1000)))
        try:
            response = wrapper.query().response
            return json.loads(response.read())  # type: ignore[no-any-return]
        except SPARQLWrapperException as error:
            raise RemoteError(f"{self.endpoint.name}: {error}") from None
        except TimeoutError as error:
            raise RemoteTimeout(f"{self.endpoint.name}: no answer within "
                                f"{self.timeout:g} s") from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise RemoteTimeout(f"{self.endpoint.name}: no answer within "
                                    f"{self.timeout:g} s") from None
            raise RemoteError(f"{self.endpoint.name}: cannot connect: {error.reason}") from None

    def graphs(self) -> list[GraphInfo]:
        rows = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                           f"{self._ours('?g')} }} GROUP BY ?g")
        return sorted((GraphInfo(row["g"].value, int(row["n"].value)) for row in rows
                       if row["g"].is_iri), key=lambda info: info.iri)

    def _ours(self, variable: str) -> str:
        """A FILTER keeping graphs under :attr:`graph_prefix` (nothing without one)."""
        if not self.graph_prefix:
            return ""
        return f'FILTER(STRSTARTS(STR({variable}), "{_iri(self.graph_prefix)}"))'

    def has_graph(self, iri: str) -> bool:
        return self.ask(f"ASK {{ GRAPH <{_iri(iri)}> {{ ?s ?p ?o }} }}")

    def is_known(self, iri: str) -> bool:
        node = _iri(iri)
        return self.ask(f"ASK {{ {{ <{node}> ?p ?o }} UNION {{ ?s ?p <{node}> }} }}")

    def describe(self, iri: str, *, limit: int) -> list[Statement]:
        """The triples of ``iri`` and of the blank nodes it points to (one level), merged.

        Blank-node labels are only stable within one result, so the nested
        triples are fetched in the same query.
        """
        node = _iri(iri)
        rows = self.select(
            f"SELECT DISTINCT ?p ?o ?p2 ?o2 WHERE {{ <{node}> ?p ?o . "
            f"OPTIONAL {{ FILTER(isBlank(?o)) ?o ?p2 ?o2 }} }} LIMIT {limit + 1}")
        subject = Term("iri", iri)
        out: dict[Statement, None] = {}
        for row in rows:
            out[(subject, row["p"], row["o"])] = None
            if "p2" in row:
                out[(row["o"], row["p2"], row["o2"])] = None
        return list(out)[:limit]

    def incoming(self, iri: str, *, limit: int) -> list[Statement]:
        node = _iri(iri)
        rows = self.select(f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p <{node}> }} LIMIT {limit}")
        return sorted((row["s"], row["p"], Term("iri", iri)) for row in rows)

    def objects(self, subject: str, predicates: Iterable[str]) -> list[Term]:
        values = " ".join(f"<{_iri(p)}>" for p in predicates)
        rows = self.select(
            f"SELECT ?o WHERE {{ VALUES ?p {{ {values} }} <{_iri(subject)}> ?p ?o }}")
        return [row["o"] for row in rows]

    def dump_nquads_gzip(self, output: IO[bytes], *, graph_iri: str | None = None) -> None:
        """Write all our graphs, or one, as gzipped N-Quads, fetched with one SELECT.

        One result set must hold every quad: an engine that caps result rows
        (Virtuoso's ``ResultSetMaxRows``) cuts the dump short without saying
        so, which is why an engine's own dump is the way for large stores.
        """
        scope = f"VALUES ?g {{ <{_iri(graph_iri)}> }}" if graph_iri else self._ours("?g")
        rows = self.select(f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {scope} }}")
        with gzip.GzipFile(fileobj=output, mode="wb", mtime=0) as zipped:
            for row in rows:
                quad = [_rdflib(row[k]) for k in ("s", "p", "o", "g")]
                zipped.write((" ".join(t.n3() for t in quad) + " .\n").encode("utf-8"))


def _iri(value: str) -> str:
    """``value`` checked to be safe inside ``<…>`` in a query we build."""
    if any(c in value for c in '<>"{}|^`\\ \n\t'):
        raise RemoteError(f"not an IRI: {value!r}")
    return value


def _rdflib(term: Term) -> URIRef | BNode | RdflibLiteral:
    if term.kind == "iri":
        return URIRef(term.value)
    if term.kind == "bnode":
        return BNode(term.value)
    if term.language:
        return RdflibLiteral(term.value, lang=term.language)
    return RdflibLiteral(term.value, datatype=URIRef(term.datatype) if term.datatype else None)


# --- /sparql forwarding ----------------------------------------------------------------


class RemoteQueries:
    """Runs ``/sparql`` requests on the remote engine, like the query pool does locally.

    The engine evaluates (and applies its own FROM/SERVICE rules); this side
    keeps the same row and byte caps and the deadline, so clients see the same
    limits whichever store serves them.
    """

    def __init__(self, ep: Endpoint) -> None:
        self.endpoint = ep

    def run(self, spec: QuerySpec, *, timeout: float) -> QueryOutcome:
        """The outcome of ``spec``; raises :class:`RemoteTimeout` at the deadline."""
        accept = ", ".join(t for t in (spec.results_media_type, spec.graph_media_type) if t)
        if not accept:
            return QueryOutcome("not_acceptable", message="no acceptable media type")
        params: list[tuple[str, str]] = [("query", spec.query)]
        params += [("default-graph-uri", g) for g in spec.default_graphs]
        params += [("named-graph-uri", g) for g in spec.named_graphs]
        if self.endpoint.timeout_param:
            params.append((self.endpoint.timeout_param, str(int(timeout * 1000))))
        request = urllib.request.Request(
            self.endpoint.query_url, data=urllib.parse.urlencode(params).encode(), method="POST",
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with _opener(self.endpoint).open(request, timeout=timeout) as response:
                body = response.read(spec.max_bytes + 1)
                media_type = response.headers.get_content_type()
        except urllib.error.HTTPError as error:
            message = error.read().decode("utf-8", "replace").strip()[:1000]
            return QueryOutcome("syntax" if error.code == 400 else "failed", message=message)
        except TimeoutError as error:
            raise RemoteTimeout(f"the query ran longer than {timeout:g} s") from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise RemoteTimeout(f"the query ran longer than {timeout:g} s") from None
            return QueryOutcome("failed", message=f"{self.endpoint.name}: {error.reason}")
        if len(body) > spec.max_bytes:
            return QueryOutcome("too_large", message=(
                f"the result is larger than {spec.max_bytes:,} bytes; add LIMIT or "
                "download the data dumps"))
        return _capped(body, media_type, spec)

    def close(self) -> None:
        """Nothing to stop: each query is one HTTP request."""


#: SPARQL results media types, by the name rdflib's result parsers know them.
_RESULTS_FORMATS = {"application/sparql-results+json": "json",
                    "application/sparql-results+xml": "xml", "text/csv": "csv",
                    "text/tab-separated-values": "tsv"}


def _capped(body: bytes, media_type: str, spec: QuerySpec) -> QueryOutcome:
    """Count rows or triples with rdflib's parsers and refuse results over the cap."""
    from rdflib.query import Result

    results_format = _RESULTS_FORMATS.get(media_type)
    if results_format is None:
        graph = Graph()
        graph.parse(data=body, format=media_type)
        if len(graph) > spec.max_rows:
            return QueryOutcome("too_large", message=(
                f"the graph has more than {spec.max_rows:,} triples; narrow the query "
                "or download the data dumps"))
        return QueryOutcome("ok", body, media_type, "graph")
    result = Result.parse(io.BytesIO(body), format=results_format)
    if result.type == "ASK":
        return QueryOutcome("ok", body, media_type, "boolean")
    if len(result) > spec.max_rows:
        return QueryOutcome("too_large", message=(
            f"the result has more than {spec.max_rows:,} rows; add LIMIT/OFFSET to page "
            "through it or download the data dumps"))
    return QueryOutcome("ok", body, media_type, "solutions")
