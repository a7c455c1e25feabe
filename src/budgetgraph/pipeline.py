"""The stages chained: read → convert → validate → load, documents prepared on every core.

Kept out of the CLI so tests and the benchmarks run exactly what ``budgetgraph
load`` runs. Each document goes into its own named graph and replaces it whole;
the ontology and code lists are loaded once, into their own graphs.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import multiprocessing
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Dataset

from budgetgraph.errors import BudgetgraphError
from budgetgraph.model import Disclosure
from budgetgraph.rdf.convert import (
    SourceInfo,
    add_reference,
    disclosure_graph,
    disclosure_key,
    new_dataset,
)
from budgetgraph.rdf.uris import Minter
from budgetgraph.readers import read

if TYPE_CHECKING:
    from budgetgraph import remote
    from budgetgraph.validate import Finding


class ValidationRefused(BudgetgraphError):
    """A document breaks identities exactly: not loaded unless forced."""

    exit_code = 1


@dataclass(frozen=True)
class Refused:
    """A document a load left out: it could not be read, or it breaks identities."""

    file: str
    #: One line naming the file (and page and line) and why, like any error of the CLI
    reason: str
    #: The violations that refused it (empty when it could not be read)
    violations: tuple[Finding, ...] = ()

    @property
    def exit_code(self) -> int:
        """2 for a document that could not be read, 1 for one with violations (as
        ``validate`` exits)."""
        return 1 if self.violations else 2


@dataclass(frozen=True)
class Holdings:
    """What a store holds after a load: every document loaded so far, not just this run's."""

    documents: int
    document_quads: int
    reference_quads: int


@dataclass
class Loaded:
    """What one ``load`` did, for the progress lines and the tests."""

    documents: list[tuple[str, str, int]] = field(default_factory=list)  # file, graph, quads
    reference_quads: int = 0
    refused: list[Refused] = field(default_factory=list)
    holdings: Holdings = field(default_factory=lambda: Holdings(0, 0, 0))

    @property
    def exit_code(self) -> int:
        """0 when every document was loaded, else the worst refusal's (see :class:`Refused`)."""
        return max((r.exit_code for r in self.refused), default=0)


def document_dataset(doc: Disclosure, minter: Minter, source: SourceInfo | None = None
                     ) -> tuple[str, Dataset]:
    """One document's named graph, alone in a dataset."""
    dataset = new_dataset()
    iri, _ = disclosure_graph(doc, minter=minter, into=dataset, source=source)
    return str(iri), dataset


def software_version() -> str:
    """budgetgraph's version as installed (what the prov:Activity names)."""
    try:
        return metadata.version("budgetgraph")
    except metadata.PackageNotFoundError:  # run from a source tree without installing
        return "unknown"


def source_info(path: Path, url: str | None = None) -> SourceInfo:
    """What the RDF says of a source file: its SHA-256, where it was published, and
    this conversion's time and software version. A disclosure joined from several
    files (``正文.pdf+公开表.pdf``) gets each file's SHA-256."""
    from budgetgraph.readers import parts

    files = parts.split(path) or [path]
    digests = [hashlib.sha256(f.read_bytes()).hexdigest() if f.is_file() else None
               for f in files]
    now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return SourceInfo(sha256=digests[0], url=url, converted=now, software=software_version(),
                      parts=tuple((f.name, d) for f, d in zip(files[1:], digests[1:],
                                                              strict=True) if d))


def source_urls(paths: list[Path], urls: list[str]) -> Mapping[Path, str]:
    """``--source-url`` values paired with the files, in order: one URL per file."""
    if urls and len(urls) != len(paths):
        raise BudgetgraphError(f"{len(urls)} --source-url for {len(paths)} file(s): give one "
                               "URL per file, in the order of the files")
    return dict(zip(paths, urls, strict=False))


@contextlib.contextmanager
def local_inputs(inputs: Iterable[str | Path]) -> Iterator[tuple[list[Path], dict[Path, str]]]:
    """The inputs as local files: paths as they are, http(s) URLs downloaded (at most
    ``MAX_INPUT_BYTES`` each) into a temporary folder that lasts as long as the block.
    Also gives, per downloaded file, its URL: what the RDF records as its source.
    A disclosure's files of tables (公开表) come joined to its main file (正文), as one
    path ``正文.pdf+公开表.pdf`` (see :mod:`budgetgraph.readers.parts`)."""
    from budgetgraph.readers import MAX_INPUT_BYTES, parts, read_head, read_source_lines
    from budgetgraph.readers.download import download, is_url

    paths: list[Path] = []
    urls: dict[Path, str] = {}
    with tempfile.TemporaryDirectory(prefix="budgetgraph-") as directory:
        for index, item in enumerate(inputs):
            if is_url(item):
                folder = Path(directory) / str(index)  # two URLs may end in one name
                folder.mkdir()
                path = download(str(item), folder, max_bytes=MAX_INPUT_BYTES)
                urls[path] = str(item)
            else:
                path = Path(item)
            paths.append(path)
        yield parts.grouped(paths, read_head, read_source_lines), urls


@dataclass(frozen=True)
class Prepared:
    """One document read, converted and validated: what a worker sends the writer.

    Plain data that pickles small (N-Quads bytes, not rdflib objects, which are
    slow to pickle and ~10× larger), so that :func:`load` can prepare documents in
    other processes and write them in its own.
    """

    path: Path
    #: The ``read …`` line (None when the document could not be read)
    message: str | None = None
    #: Why it is refused: a :class:`~budgetgraph.errors.ReadError` or :class:`ValidationRefused`
    error: BudgetgraphError | None = None
    violations: tuple[Finding, ...] = ()
    year: int = 0
    graph: str = ""
    nquads: bytes = b""
    validation_graph: str = ""
    findings: bytes = b""


def prepare(path: Path, url: str | None = None, *, base: str, force: bool = False
            ) -> Prepared:
    """Read, convert and validate one document (one job of ``load --jobs``).

    A document that cannot be read, or has violations (unless ``force``), comes
    back with its :attr:`Prepared.error` and nothing to write; any other exception
    is a bug, or a file the system refused, and is raised.
    """
    from budgetgraph import store
    from budgetgraph.findings import findings_graph
    from budgetgraph.validate import validate

    minter = Minter(base)
    try:
        doc = read(path)
    except BudgetgraphError as error:
        return Prepared(path, error=error)
    info = source_info(path, url)
    iri, dataset = document_dataset(doc, minter, info)
    outcome = validate(dataset)
    message = (f"read {path.name}: {len(doc.tables)} tables, "
               f"{doc.coverage.figures_consumed}/{doc.coverage.figures_total} figures, "
               f"{len(outcome.violations)} violation(s), {len(outcome.warnings)} warning(s)")
    if outcome.violations and not force:
        refusal = ValidationRefused(
            f"{len(outcome.violations)} violation(s); not loaded (use --force to load "
            "anyway; `budgetgraph validate` shows them in full)", file=str(path))
        return Prepared(path, message, refusal, tuple(outcome.violations), doc.year)
    key = disclosure_key(doc)
    findings = new_dataset()
    named = findings.graph(minter.validation_graph(key))
    named += findings_graph(minter.disclosure(key), outcome, forced=force,
                            validated=info.converted)
    return Prepared(path, message, year=doc.year, graph=iri, nquads=store.nquads(dataset),
                    validation_graph=str(minter.validation_graph(key)),
                    findings=store.nquads(findings))


def default_jobs() -> int:
    """Processes ``load`` prepares documents in by default: one per core."""
    return os.cpu_count() or 1


def load(paths: Iterable[Path], store_dir: Path | None, *, base: str, force: bool = False,
         all_or_nothing: bool = False, endpoint: remote.Endpoint | None = None,
         urls: Mapping[Path, str] | None = None, jobs: int | None = None,
         say: Callable[[str], None] = print,
         progress: Callable[[int, int], None] | None = None) -> Loaded:
    """Load documents into the store at ``store_dir`` (or a remote ``endpoint``),
    each replacing its own graph and the graph of its validation findings.

    Every document is read, converted and validated (:func:`prepare`, in
    ``jobs`` processes, by default one per core) before anything is written; the
    results are taken in input order and written by this process alone, so the
    store gets the same quads whatever ``jobs`` is, and ``progress`` is called
    with (documents prepared, total) after each. One that cannot be read, or
    that has violations (unless ``force``), is left out and listed in
    :attr:`Loaded.refused`; the others are loaded, so one bad document in a
    batch of hundreds does not hold the rest back. With ``all_or_nothing`` the
    first refusal raises instead (:class:`~budgetgraph.errors.ReadError` or
    :class:`ValidationRefused`) and nothing is loaded. What validation found is
    published beside each document (:mod:`budgetgraph.findings`), a forced load
    marked as such; ``urls`` gives the published address of a source file. Into
    the embedded store the whole run is one :func:`store.replace_graphs` (a bulk
    write into a copy, swapped in at once), so an interrupted load leaves the
    store as it was. A remote engine gets one atomic replacement per graph, so
    there an interrupted load leaves every graph either as it was or wholly new.
    """
    from budgetgraph import store  # imported where used: reading and converting need neither

    write: Callable[..., dict[str, int]]
    if endpoint is not None:
        write = functools.partial(_load_remote, endpoint)
    elif store_dir is not None:
        write = functools.partial(store.replace_graphs, store_dir)
    else:
        raise BudgetgraphError("load needs a store directory or an endpoint")
    minter = Minter(base)
    paths = list(paths)
    task = functools.partial(prepare, base=base, force=force)
    result = Loaded()
    with tempfile.TemporaryDirectory(prefix="budgetgraph-load-") as spool, \
            contextlib.closing(_prepared(paths, urls or {}, task, jobs or default_jobs())
                               ) as results:
        prepared: list[tuple[Path, str, Path]] = []
        validations: list[tuple[str, bytes]] = []
        years: set[int] = set()
        for done, item in enumerate(results, start=1):
            if item.message is not None:
                say(item.message)
            if progress is not None:
                progress(done, len(paths))
            if item.error is not None:
                if all_or_nothing:
                    raise item.error
                if item.message is None:
                    say(f"not read: {item.error}")
                result.refused.append(Refused(str(item.path), str(item.error), item.violations))
                continue
            # spooled to disk: a run holds every document until its one write
            nquads = Path(spool) / f"{done}.nq"
            nquads.write_bytes(item.nquads)
            prepared.append((item.path, item.graph, nquads))
            validations.append((item.validation_graph, item.findings))
            years.add(item.year)
        if prepared:
            _write(prepared, validations, years, minter, write, result, say)
    result.holdings = holdings(store_dir, endpoint, minter)
    return result


def _prepared(paths: list[Path], urls: Mapping[Path, str], task: Callable[..., Prepared],
              jobs: int) -> Iterator[Prepared]:
    """``task`` of each path, in input order: in this process for one job (or one
    document), else in a pool of ``jobs`` processes. Closing the iterator early (a
    refusal under all-or-nothing, an error, Ctrl-C) cancels what has not started."""
    jobs = max(1, min(jobs, len(paths)))
    if jobs == 1:
        for path in paths:
            yield task(path, urls.get(path))
        return
    from budgetgraph.readers.vocabulary import REGIONS

    # forkserver, not fork: the parent may have threads (a test run, a server); the
    # workers are given what they need (the regions registered) explicitly, and fork
    # from a server that has imported the stages once
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["budgetgraph.pipeline", "budgetgraph.validate",
                                    "budgetgraph.findings", "budgetgraph.store"])
    executor = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker,
                                   initargs=(dict(REGIONS),))
    try:
        futures = [executor.submit(task, path, urls.get(path)) for path in paths]
        for future in futures:
            yield future.result()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _start_worker(regions: dict[str, str]) -> None:
    """A worker knows the regions the parent was taught (``--region``)."""
    from budgetgraph.readers.vocabulary import REGIONS

    REGIONS.update(regions)


def _write(prepared: list[tuple[Path, str, Path]], validations: list[tuple[str, bytes]],
           years: set[int], minter: Minter, write: Callable[..., dict[str, int]], result: Loaded,
           say: Callable[[str], None]) -> None:
    """The documents, their findings and the reference graphs of their years, in one write."""
    reference = new_dataset()
    add_reference(reference, minter=minter, years=sorted(years))
    references: list[tuple[str, Dataset]] = []
    for graph in reference.graphs():
        if len(graph) == 0 or str(graph.identifier).startswith("urn:x-rdflib"):
            continue
        single = new_dataset()
        named = single.graph(graph.identifier)
        named += graph
        references.append((str(graph.identifier), single))
    names = {iri: path.name for path, iri, _ in prepared}

    def quads_read(iri: str, count: int) -> None:
        if iri in names:  # documents only, as the reference graphs are the same every run
            say(f"  {names[iri]}: {count} quads read")

    sources: list[tuple[str, Dataset | bytes | Path]] = [
        *references, *((iri, nquads) for _, iri, nquads in prepared), *validations]
    counts = write(sources, progress=quads_read)
    result.reference_quads = sum(counts[iri] for iri, _ in references)
    for path, iri, _ in prepared:
        result.documents.append((path.name, iri, counts[iri]))
        say(f"loaded {path.name} into <{iri}>: {counts[iri]} quads")


def holdings(store_dir: Path | None, endpoint: remote.Endpoint | None,
             minter: Minter) -> Holdings:
    """Count what the store (or the engine, under ``minter``'s base) holds now: the
    document graphs (``{base}graph/org/…``) and the reference graphs beside them."""
    from budgetgraph import remote, store

    if endpoint is not None:
        graphs = remote.RemoteStore(endpoint, graph_prefix=minter.base).graphs()
    elif store_dir is not None and store_dir.exists():
        graphs = store.open_read_only(store_dir).graphs()
    else:
        graphs = []  # nothing was ever loaded there
    documents = str(minter.graph("org/"))
    ours = [g for g in graphs if g.iri.startswith(str(minter.graph("")))]
    mine = [g.triples for g in ours if g.iri.startswith(documents)]
    return Holdings(len(mine), sum(mine),
                    sum(g.triples for g in ours if not g.iri.startswith(documents)))


def _load_remote(endpoint: remote.Endpoint, sources: list[tuple[str, Dataset | bytes | Path]], *,
                 progress: Callable[[str, int], None]) -> dict[str, int]:
    """:func:`store.replace_graphs` for a remote engine: one atomic request per graph."""
    from budgetgraph import remote

    return {iri: remote.load_graph(endpoint, iri, data,
                                   progress=functools.partial(progress, iri))
            for iri, data in sources}
