"""One timed stage per call, each run in a fresh process by :mod:`bench.run`.

A fresh process per stage gives each its own peak memory (``ru_maxrss``) and
keeps one engine's threads (RocksDB) away from another's ``fork``. Usage:
``python -m bench.stages STAGE JSON_ARGS``; the result is one JSON object on
the last line of stdout. Timings are floats (seconds); money never appears here.
"""

from __future__ import annotations

import functools
import json
import multiprocessing
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from bench.queries import Targets, lookup_query, queries

BASE = "http://127.0.0.1:8000/"
#: Seconds one query may take in total on one engine: a slow query (the references at
#: 10M quads) is run fewer times, never fewer than three.
QUERY_BUDGET_S = 20.0
Result = dict[str, Any]


def maxrss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile: with few samples p95 is the slowest, said in the report."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


# ---------------------------------------------------------------------------
# Corpus preparation (not a figure: the conversion is timed in parse_convert)
# ---------------------------------------------------------------------------


def _to_ox(term: Any) -> Any:
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unexpected term {term!r}")


def dataset_quads(dataset: Any) -> Iterator[ox.Quad]:
    """The quads of an rdflib Dataset as pyoxigraph quads (named graphs only)."""
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = getattr(g, "identifier", g)
        yield ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), ox.NamedNode(str(name)))


def read_generated(path: Path, manifest: dict[str, dict[str, str]]) -> Any:
    """Read a generated document and give it the region the reader cannot recognise.

    The reader knows only a few region names (``readers.vocabulary.REGIONS``);
    the generator's made-up counties come from the manifest instead.
    """
    from budgetgraph.readers import read

    doc = read(path)
    entry = manifest.get(path.name)
    if entry is not None:
        doc.region, doc.region_code = entry["region"], entry["region_code"]
    return doc


def load_manifest(corpus: Path) -> dict[str, dict[str, str]]:
    data = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    return {entry["file"]: entry for entry in data["documents"]}


def _convert_one(args: tuple[str, str]) -> dict[str, Any]:
    from budgetgraph.pipeline import document_dataset
    from budgetgraph.rdf.uris import Minter

    path, out_dir = Path(args[0]), Path(args[1])
    manifest = load_manifest(path.parent)
    doc = read_generated(path, manifest)
    iri, dataset = document_dataset(doc, Minter(BASE))
    quads = list(dataset_quads(dataset))
    target = out_dir / (path.stem + ".nq")
    ox.serialize(quads, target, ox.RdfFormat.N_QUADS)
    disclosure = next(q.subject.value for q in quads
                      if q.predicate.value.endswith("#type")
                      and q.object.value == "https://w3id.org/budgetgraph/def#Disclosure")
    observation = next(q.subject.value for q in quads
                       if q.object.value == "http://purl.org/linked-data/cube#Observation")
    return {"file": path.name, "nq": str(target), "graph": iri, "quads": len(quads),
            "region": doc.region_code, "year": doc.year, "disclosure": disclosure,
            "observation": observation}


def prepare(corpus: str, out: str, workers: int = 2) -> Result:
    """Convert every document of ``corpus`` to N-Quads (one file per graph) in ``out``."""
    from budgetgraph.rdf.convert import add_reference, new_dataset
    from budgetgraph.rdf.uris import Minter

    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = sorted(Path(corpus).glob("generated-*.txt"))
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        docs = pool.map(_convert_one, [(str(f), str(out_dir)) for f in files], chunksize=4)
    reference = new_dataset()
    years = sorted({d["year"] for d in docs})
    add_reference(reference, minter=Minter(BASE), years=years)
    graphs: dict[str, list[ox.Quad]] = {}
    for quad in dataset_quads(reference):
        graphs.setdefault(quad.graph_name.value, []).append(quad)
    refs = []
    for n, (iri, quads) in enumerate(sorted(graphs.items())):
        target = out_dir / f"reference-{n:02d}.nq"
        ox.serialize(quads, target, ox.RdfFormat.N_QUADS)
        refs.append({"graph": iri, "nq": str(target), "quads": len(quads)})
    meta = {"documents": docs, "reference": refs}
    (out_dir / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return {"documents": len(docs), "quads": sum(d["quads"] for d in docs),
            "reference_quads": sum(r["quads"] for r in refs), "maxrss_mb": maxrss_mb()}


def combined(out: str, documents: int) -> tuple[Path, list[dict[str, Any]], int]:
    """One N-Quads file of the reference graphs and the first ``documents`` documents."""
    meta = json.loads((Path(out) / "meta.json").read_text(encoding="utf-8"))
    parts = meta["reference"] + meta["documents"][:documents]
    target = Path(out) / f"combined-{documents}.nq"
    if not target.exists():
        with target.open("wb") as sink:
            for part in parts:
                with open(part["nq"], "rb") as source:
                    shutil.copyfileobj(source, sink)
    return target, parts, sum(p["quads"] for p in parts)


def targets(out: str, documents: int) -> Targets:
    meta = json.loads((Path(out) / "meta.json").read_text(encoding="utf-8"))
    docs = meta["documents"][:documents]
    regions = sorted({d["region"] for d in docs})
    first = docs[0]
    return Targets(BASE, first["region"], regions[-1] if len(regions) > 1 else first["region"],
                   first["year"], first["disclosure"], first["observation"])


# ---------------------------------------------------------------------------
# Parse + convert, validation
# ---------------------------------------------------------------------------


def parse_convert(corpus: str, documents: int, runs: int) -> Result:
    """Documents per second: I/O floor (bytes → decoded lines), parse, parse + convert."""
    from budgetgraph.pipeline import document_dataset
    from budgetgraph.rdf.uris import Minter
    from budgetgraph.readers.text import read_text_lines

    files = sorted(Path(corpus).glob("generated-*.txt"))[:documents]
    manifest = load_manifest(Path(corpus))
    minter = Minter(BASE)
    read_generated(files[0], manifest)  # imports and caches warm, as in a long load
    def each(step: Callable[[Path], object]) -> float:
        """Documents/s of ``step`` over the sample, keeping no result alive (as a load does)."""
        start = time.perf_counter()
        for f in files:
            step(f)
        return len(files) / (time.perf_counter() - start)

    floor, parse, both = [], [], []
    for _ in range(runs):
        floor.append(each(read_text_lines))
        parse.append(each(lambda f: read_generated(f, manifest)))
        both.append(each(lambda f: document_dataset(read_generated(f, manifest), minter)))
    return {"documents": len(files), "runs": runs, "floor_docs_s": statistics.median(floor),
            "parse_docs_s": statistics.median(parse), "parse_convert_docs_s":
            statistics.median(both), "bytes_per_doc": sum(f.stat().st_size for f in files)
            / len(files), "maxrss_mb": maxrss_mb()}


def _pyshacl_child(data_nt: str, shapes_nt: str, conn: Any) -> None:
    import pyshacl
    from rdflib import Graph

    data = Graph().parse(data=data_nt, format="nt")
    shapes = Graph().parse(data=shapes_nt, format="nt")
    start = time.perf_counter()
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, advanced=True)
    elapsed = time.perf_counter() - start
    messages = sorted({line.strip() for line in str(text).splitlines()
                       if line.strip().startswith(("Message:", "Source Shape:"))})
    conn.send((elapsed, bool(conforms), messages[:6]))


def validation(corpus: str, documents: int, runs: int, pyshacl_docs: int,
               pyshacl_timeout: float = 120.0) -> Result:
    """Documents per second through ``budgetgraph.validate`` (pyrudof, one document plus
    its year's reference graphs at a time), and pyshacl on the same data and shapes."""
    try:
        from budgetgraph import validate as v
    except ImportError as error:
        return {"missing": f"budgetgraph.validate not importable: {error}"}
    from budgetgraph.pipeline import document_dataset
    from budgetgraph.rdf.uris import Minter

    files = sorted(Path(corpus).glob("generated-*.txt"))[:documents]
    manifest = load_manifest(Path(corpus))
    datasets = [document_dataset(read_generated(f, manifest), Minter(BASE))[1] for f in files]
    v.validate(datasets[0])  # shapes parsed and the engine built once, as in a long load
    per_doc: list[float] = []
    failing = 0
    examples: list[str] = []
    for _ in range(runs):
        for ds in datasets:
            start = time.perf_counter()
            outcome = v.validate(ds)
            per_doc.append(time.perf_counter() - start)
            if not outcome.conforms:
                failing += 1
                examples.extend(str(f) for f in outcome.violations[:2])
    result: Result = {
        "documents": len(files), "runs": runs, "docs_s": 1 / statistics.median(per_doc),
        "median_s": statistics.median(per_doc), "max_s": max(per_doc),
        "non_conforming": failing, "examples": examples[:3], "maxrss_mb": maxrss_mb()}
    shapes = v.document_shapes()
    context = multiprocessing.get_context("fork")
    pyshacl_times: list[float] = []
    for ds in datasets[:pyshacl_docs]:
        doc = next(v._documents(ds))  # the same document graph the engine is given
        data = (v.reference_nt(doc.base, doc.year) + doc.graph.serialize(format="nt")
                + shapes.parameters_nt
                + v.derived_graph(doc.graph, shapes, base=doc.base, year=doc.year)
                .serialize(format="nt"))
        parent, child = context.Pipe()
        process = context.Process(target=_pyshacl_child,
                                  args=(data, shapes.engine_nt, child))
        process.start()
        if parent.poll(pyshacl_timeout):
            elapsed, conforms, messages = parent.recv()
            pyshacl_times.append(elapsed)
            result["pyshacl_conforms"] = conforms
            result["pyshacl_messages"] = messages
            process.join()
        else:
            process.kill()
            process.join()
            result["pyshacl_timeout_s"] = pyshacl_timeout
            break
    if pyshacl_times:
        result["pyshacl_median_s"] = statistics.median(pyshacl_times)
        result["pyshacl_docs"] = len(pyshacl_times)
    return result


def ingest(corpus: str, documents: int, jobs: list[int], work: str, runs: int = 1,
           sample: int = 10) -> Result:
    """``budgetgraph load --jobs N`` end to end, and what one core does per document.

    First, in this process, the per-core rates of each step of a load's job
    (:func:`pipeline.prepare`) on ``sample`` documents: read, convert to rdflib,
    validate, serialise to N-Quads for the writer. Then the wall time of
    ``pipeline.load`` of the first ``documents`` documents into a fresh on-disk store
    at each of ``jobs``, interleaved ``runs`` times so that other load on the machine
    weighs on each alike (pool start-up and the one write included).
    """
    from budgetgraph import pipeline, store
    from budgetgraph.rdf.uris import Minter
    from budgetgraph.readers import read
    from budgetgraph.readers.vocabulary import register_region
    from budgetgraph.validate import validate

    manifest = load_manifest(Path(corpus))
    for entry in manifest.values():  # what `load --region NAME=CODE` would do
        register_region(entry["region"], entry["region_code"])
    files = sorted(Path(corpus).glob("generated-*.txt"))
    minter = Minter(BASE)
    validate(pipeline.document_dataset(read(files[0]), minter)[1])  # imports, shapes: warm
    steps: dict[str, float] = {"read": 0.0, "convert": 0.0, "validate": 0.0, "nquads": 0.0}
    cpu = dict.fromkeys(steps, 0.0)  # CPU time of all threads: pyrudof runs several
    for f in files[:sample]:
        marks = [(time.perf_counter(), time.process_time())]
        doc = read(f)
        marks.append((time.perf_counter(), time.process_time()))
        _, dataset = pipeline.document_dataset(doc, minter)
        marks.append((time.perf_counter(), time.process_time()))
        validate(dataset)
        marks.append((time.perf_counter(), time.process_time()))
        store.nquads(dataset)
        marks.append((time.perf_counter(), time.process_time()))
        for n, name in enumerate(steps):
            steps[name] += marks[n + 1][0] - marks[n][0]
            cpu[name] += marks[n + 1][1] - marks[n][1]
    count = len(files[:sample])
    result: Result = {
        "sample": count, "cores": os.cpu_count(),
        "per_core_docs_s": {name: count / seconds for name, seconds in steps.items()},
        "per_cpu_second_docs": {name: count / seconds for name, seconds in cpu.items()},
        "parse_convert_docs_s": count / (steps["read"] + steps["convert"]),
        "validate_docs_s": count / steps["validate"],
        "job_docs_s": count / sum(steps.values()), "loads": {}}
    chosen = files[:documents]
    times: dict[int, list[float]] = {j: [] for j in jobs}
    for _ in range(runs):
        for j in jobs:
            target = Path(work) / f"ingest-{j}"
            shutil.rmtree(target, ignore_errors=True)
            started = time.perf_counter()
            loaded = pipeline.load(chosen, target, base=BASE, jobs=j, say=lambda _m: None)
            times[j].append(time.perf_counter() - started)
            result["loads"][str(j)] = {"loaded": len(loaded.documents),
                                       "refused": len(loaded.refused),
                                       "quads": loaded.holdings.document_quads}
            shutil.rmtree(target, ignore_errors=True)
    for j, measured in times.items():
        result["loads"][str(j)] |= {"wall_s": statistics.median(measured), "runs_s": measured,
                                    "docs_s": len(chosen) / statistics.median(measured)}
    result |= {"documents": len(chosen), "runs": runs, "maxrss_mb": maxrss_mb()}
    return result


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


def _previous_load_graph(store_dir: Path, graph_iri: str, nq: Path) -> None:
    """The load path before issue 8, kept here only as a same-run reference: one SPARQL
    Update (``DROP SILENT GRAPH``; ``INSERT DATA``) per graph, i.e. one transaction each."""
    graph = ox.NamedNode(graph_iri)
    body = "\n".join(f"{q.subject} {q.predicate} {q.object} ."
                     for q in ox.parse(path=nq, format=ox.RdfFormat.N_QUADS))
    store_dir.mkdir(parents=True, exist_ok=True)
    s = ox.Store(str(store_dir))
    s.update(f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}")
    s.flush()
    del s


def load(out: str, documents: int, runs: int, work: str, previous: bool,
         per_graph: bool = True) -> Result:
    """Seconds to load the same N-Quads four ways, against ``bulk_load`` in the same run.

    ``replace_graphs`` of every graph at once is what ``budgetgraph load`` does;
    ``load_graph`` once per graph is the correction path (a copy and a swap per
    graph), only when ``per_graph``; the previous path (one Update per graph) and
    ``extend`` per graph (the fastest transactional write) only when ``previous``;
    the floor is one ``bulk_load`` of the concatenated file, not atomic. Then one
    document is reloaded into the full store (the cost of a correction at this size).
    """
    from budgetgraph import store

    nq, parts, quads = combined(out, documents)
    sources = [(p["graph"], Path(p["nq"])) for p in parts]
    times: dict[str, list[float]] = {"batch": [], "per_graph": [], "previous": [], "extend": [],
                                     "bulk_disk": [], "bulk_mem": [], "reload_one": []}
    sizes: dict[str, float] = {}
    one = sources[-1]

    def fresh(name: str) -> Path:
        target = Path(work) / name
        shutil.rmtree(target, ignore_errors=True)
        return target

    def bulk(t: Path) -> None:
        s = ox.Store(str(t))
        s.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        s.flush()
        del s

    def batch(t: Path) -> None:
        store.replace_graphs(t, sources)

    def one_at_a_time(t: Path) -> None:
        for graph, data in sources:
            store.load_graph(t, graph, data)

    def previous_path(t: Path) -> None:
        for graph, data in sources:
            _previous_load_graph(t, graph, data)

    def extend(t: Path) -> None:  # the fastest transactional write, one per graph
        t.mkdir(parents=True)
        s = ox.Store(str(t))
        for _, data in sources:
            s.extend(list(ox.parse(path=data, format=ox.RdfFormat.N_QUADS)))
        s.flush()
        del s

    methods: dict[str, Callable[[Path], None]] = {"bulk_disk": bulk, "batch": batch}
    if per_graph:
        methods["per_graph"] = one_at_a_time
    if previous:
        methods |= {"previous": previous_path, "extend": extend}
    for _ in range(runs):
        for name, method in methods.items():  # interleaved, so noise hits all alike
            target = fresh(f"load-{name}")
            times[name].append(timed(functools.partial(method, target)))
            sizes[name] = dir_mb(target)
            if name == "batch":
                times["reload_one"].append(timed(functools.partial(store.load_graph, target,
                                                                   *one)))
            shutil.rmtree(target, ignore_errors=True)
        times["bulk_mem"].append(timed(lambda: ox.Store().bulk_load(
            path=str(nq), format=ox.RdfFormat.N_QUADS)))
    return {"quads": quads, "graphs": len(parts), "runs": runs,
            "last_graph_quads": parts[-1]["quads"],
            **{f"{name}_s": statistics.median(t) for name, t in times.items() if t},
            **{f"{name}_store_mb": mb for name, mb in sizes.items()},
            "maxrss_mb": maxrss_mb()}


def build_store(out: str, documents: int, directory: str) -> Result:
    """A bulk-loaded on-disk store for the query and HTTP stages."""
    nq, _, quads = combined(out, documents)
    shutil.rmtree(directory, ignore_errors=True)
    s = ox.Store(directory)
    s.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    s.optimize()
    s.flush()
    return {"quads": quads, "store_mb": dir_mb(Path(directory)), "maxrss_mb": maxrss_mb()}


# ---------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------


def repeat(run: Callable[[], float], runs: int) -> list[float]:
    """Times of ``run`` (which returns its own time), ``runs`` of them or as many as fit in
    :data:`QUERY_BUDGET_S`, at least three."""
    deadline = time.perf_counter() + QUERY_BUDGET_S
    times: list[float] = []
    while len(times) < runs and (len(times) < 3 or time.perf_counter() < deadline):
        times.append(run())
    return times


def _run_ox(s: ox.Store, text: str) -> int:
    result = s.query(text, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryBoolean):
        return 1
    return sum(1 for _ in result)


def query_oxigraph(out: str, documents: int, store_dir: str, runs: int) -> Result:
    """p50/p95 of each query on pyoxigraph on disk (read-only) and in memory."""
    nq, _, quads = combined(out, documents)
    qs = queries(targets(out, documents))
    disk = ox.Store.read_only(store_dir)
    mem = ox.Store()
    load_s = timed(lambda: mem.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS))
    result: Result = {"quads": quads, "mem_load_s": load_s, "queries": {}}
    for name, text in qs.items():
        row: dict[str, Any] = {}
        for label, s in (("disk", disk), ("mem", mem)):
            rows = _run_ox(s, text)  # warm-up, and the answer size
            times = repeat(lambda s=s, text=text: timed(lambda: _run_ox(s, text)), runs)
            row[label] = {"p50_ms": percentile(times, 50) * 1000,
                          "p95_ms": percentile(times, 95) * 1000, "rows": rows,
                          "runs": len(times)}
        result["queries"][name] = row
    result["maxrss_mb"] = maxrss_mb()
    return result


def search_texts(out: str, documents: int) -> dict[str, str]:
    """What people type into the search box, taken from the corpus loaded: one
    department's full name, two hanzi of it, one hanzi, a code, a code's leading
    digits, and the benchmark's label-search phrase."""
    meta = json.loads((Path(out) / "meta.json").read_text(encoding="utf-8"))
    first = meta["documents"][0]
    department = ""
    for quad in ox.parse(path=first["nq"], format=ox.RdfFormat.N_QUADS):
        if quad.predicate.value == "http://xmlns.com/foaf/0.1/name":
            department = quad.object.value
            break
    return {"department, full name": department, "two hanzi (保险)": "保险", "one hanzi (局)": "局",
            "code (2080501)": "2080501", "code prefix (208)": "208",
            "phrase (住房公积金)": "住房公积金"}


def search_index(out: str, documents: int, store_dir: str, runs: int) -> Result:
    """The names index against the SPARQL scans it replaces, in this one process.

    Builds the index from the bulk-loaded store (what ``budgetgraph index`` does,
    without the copy and swap), then times each text through the index and through
    ``search.sparql_scan`` (the same names, by ``CONTAINS``) on the on-disk store, and
    the benchmark's own label-search query (``rdfs:label`` only) beside them.
    """
    from budgetgraph import search
    from budgetgraph.store import _search_entries

    _, _, quads = combined(out, documents)
    disk = ox.Store.read_only(store_dir)
    target = Path(store_dir) / search.INDEX_FILE
    started = time.perf_counter()
    entries = search.write_index(target, _search_entries(disk, None))
    build_s = time.perf_counter() - started
    index = search.Index(target)
    result: Result = {"quads": quads, "entries": entries, "build_s": build_s,
                      "index_mb": target.stat().st_size / 1e6, "texts": {}}
    label_search = queries(targets(out, documents))["label search"]
    for name, text in search_texts(out, documents).items():
        hits = len(index.search(text).hits)
        times = repeat(lambda text=text: timed(lambda: index.search(text)), max(runs, 100))
        scan = search.sparql_scan(text, limit=20)
        rows = _run_ox(disk, scan)
        scan_times = repeat(lambda scan=scan: timed(lambda: _run_ox(disk, scan)), runs)
        result["texts"][name] = {
            "text": text, "hits": hits, "scan_rows": rows,
            "index_p50_ms": percentile(times, 50) * 1000,
            "index_p95_ms": percentile(times, 95) * 1000, "index_runs": len(times),
            "scan_p50_ms": percentile(scan_times, 50) * 1000,
            "scan_p95_ms": percentile(scan_times, 95) * 1000, "scan_runs": len(scan_times)}
    old = repeat(lambda: timed(lambda: _run_ox(disk, label_search)), runs)
    result["label_search_p50_ms"] = percentile(old, 50) * 1000
    index.close()
    result["maxrss_mb"] = maxrss_mb()
    return result


def _rdflib_child(dataset: Any, text: str, conn: Any) -> None:
    start = time.perf_counter()
    rows = len(list(dataset.query(text)))
    conn.send((time.perf_counter() - start, rows))


def query_rdflib(out: str, documents: int, runs: int, timeout: float) -> Result:
    """The same queries on rdflib's in-memory engine, each run in a forked child killed at
    ``timeout`` (rdflib cannot be interrupted otherwise)."""
    from rdflib import Dataset

    nq, _, quads = combined(out, documents)
    qs = queries(targets(out, documents))
    dataset = Dataset(default_union=True)
    load_s = timed(lambda: dataset.parse(str(nq), format="nquads"))
    result: Result = {"quads": quads, "load_s": load_s, "queries": {}}
    context = multiprocessing.get_context("fork")
    for name, text in qs.items():
        times: list[float] = []
        rows = 0
        for _ in range(runs):
            parent, child = context.Pipe()
            process = context.Process(target=_rdflib_child, args=(dataset, text, child))
            process.start()
            if parent.poll(timeout):
                elapsed, rows = parent.recv()
                times.append(elapsed)
                process.join()
            else:
                process.kill()
                process.join()
                break
        result["queries"][name] = (
            {"p50_ms": percentile(times, 50) * 1000, "p95_ms": percentile(times, 95) * 1000,
             "rows": rows} if times else {"timeout_s": timeout})
    result["maxrss_mb"] = maxrss_mb()
    return result


# ---------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------


def _wait(url: str, deadline: float) -> bool:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return True
        except OSError:
            time.sleep(0.3)
    return False


#: Sent with every request: results as JSON, graphs (the DESCRIBE) as Turtle.
ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"


def _wrk(url: str, script: Path, *, connections: int, seconds: int) -> dict[str, Any]:
    """wrk on loopback, bounded by duration, sending the requests ``script`` makes;
    requests/s and latency percentiles."""
    command = ["wrk", "-s", str(script), f"-t{min(2, connections)}", f"-c{connections}",
               f"-d{seconds}s", "--latency", "-H", f"Accept: {ACCEPT}", url]
    text = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30).stdout
    out: dict[str, Any] = {}
    for line in text.splitlines():
        parts = line.split()
        if line.startswith("Requests/sec:"):
            out["req_s"] = float(parts[1])
        elif parts and parts[0] in ("50%", "99%"):
            out[f"p{parts[0][:-1]}"] = parts[1]
        elif "Non-2xx" in line:
            out["non_2xx"] = int(parts[-1])
    return out


def _mix_script(paths: list[str], target: Path) -> Path:
    """A wrk script sending ``paths`` in turn (each thread cycles through all of them)."""
    quoted = ", ".join(json.dumps(p) for p in paths)  # JSON strings are valid Lua strings here
    target.write_text(f"local paths = {{ {quoted} }}\nlocal i = 0\n"
                      "request = function()\n  i = i % #paths + 1\n"
                      "  return wrk.format(nil, paths[i])\nend\n", encoding="utf-8")
    return target


def _serve(command: list[str], probe: str) -> subprocess.Popen[bytes] | None:
    """Start a server; None if it does not answer ``probe`` within 60 s (it is then stopped)."""
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if _wait(probe, time.monotonic() + 60):
        return server
    _stop(server)
    return None


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _servers(store_dir: str, port: int, oxigraph_bin: str
             ) -> dict[str, tuple[list[str], str]]:
    """Our app (on ``port``) and the bare Oxigraph server (on ``port + 1``) on the same
    store: command, and the URL prefix a query is appended to."""
    return {
        "ours": ([sys.executable, "-c", "import sys; from budgetgraph.web.serve import serve; "
                  f"serve({store_dir!r}, host='127.0.0.1', port={port}, workers=2)"],
                 f"http://127.0.0.1:{port}/sparql?query="),
        "oxigraph": ([oxigraph_bin, "serve-read-only", "--location", store_dir, "--bind",
                      f"127.0.0.1:{port + 1}", "--union-default-graph"],
                     f"http://127.0.0.1:{port + 1}/query?query="),
    }


def _in_process_ms(store_dir: str, texts: list[str]) -> float:
    """Median ms per query of ``store.run_query`` in this process: the engine's and the
    serialiser's share of a request, without HTTP, Flask or the query-process pipe."""
    from budgetgraph import store

    opened = store.open_read_only(store_dir)
    specs = [store.QuerySpec(text, "application/sparql-results+json", "text/turtle",
                             max_rows=100_000, max_bytes=10**8) for text in texts]
    rounds = [timed(lambda: [store.run_query(opened, spec) for spec in specs])
              for _ in range(20)]
    return statistics.median(rounds) / len(specs) * 1000


def http(out: str, documents: int, store_dir: str, seconds: int, port: int,
         oxigraph_bin: str, work: str) -> Result:
    """``/sparql`` under 1, 4 and 8 concurrent connections, two workloads: a one-row lookup
    and the researcher queries in turn. Our gunicorn app vs the bare Oxigraph server on the
    same store; loopback only, bounded by time.

    Both servers run at once (an idle one costs nothing) and each level is measured
    ours, Oxigraph, Oxigraph, ours: other load on the machine then weighs on both
    sides of the ratio alike. ``req_s`` is the mean of the two runs.
    """
    t = targets(out, documents)
    researcher = [text for name, text in queries(t).items() if not name.startswith("reference")]
    workloads = {"lookup": [lookup_query(t)], "researcher": researcher}
    result: Result = {"seconds": seconds, "ours": {}, "oxigraph": {},
                      "in_process_ms": {workload: _in_process_ms(store_dir, texts)
                                        for workload, texts in workloads.items()}}
    if not Path(oxigraph_bin).exists():
        return {**result, "error": f"no oxigraph binary at {oxigraph_bin}"}
    started: dict[str, tuple[subprocess.Popen[bytes], str]] = {}
    try:
        for name, (command, prefix) in _servers(store_dir, port, oxigraph_bin).items():
            server = _serve(command, prefix + urllib.parse.quote(workloads["lookup"][0]))
            if server is None:
                return {**result, "error": f"{name}: server did not answer within 60 s"}
            started[name] = (server, prefix)
        for workload, texts in workloads.items():
            scripts = {}
            for name, (_, prefix) in started.items():
                split = urllib.parse.urlsplit(prefix)
                paths = [f"{split.path}?{split.query}{urllib.parse.quote(text)}"
                         for text in texts]
                scripts[name] = (f"{split.scheme}://{split.netloc}/", _mix_script(
                    paths, Path(work) / f"wrk-{name}-{workload}.lua"))
                _wrk(*scripts[name], connections=2, seconds=2)  # warm-up: processes, caches
                result[name][workload] = {}
            for c in (1, 4, 8):
                runs: dict[str, list[dict[str, Any]]] = {name: [] for name in started}
                for name in ("ours", "oxigraph", "oxigraph", "ours"):
                    url, script = scripts[name]
                    runs[name].append(_wrk(url, script, connections=c, seconds=seconds))
                for name, measured in runs.items():
                    rates = [x.get("req_s", 0.0) for x in measured]
                    result[name][workload][str(c)] = {
                        **measured[0], "req_s": statistics.mean(rates), "req_s_runs": rates,
                        "non_2xx": sum(x.get("non_2xx", 0) for x in measured)}
    finally:
        for server, _ in started.values():
            _stop(server)
    return result


# ---------------------------------------------------------------------------
# Virtuoso, and the Oxigraph server over the same HTTP client
# ---------------------------------------------------------------------------


def _http_ms(url: str, text: str) -> tuple[float, int]:
    """One query over HTTP GET: milliseconds to the last byte, and rows (SELECT) or -1."""
    request = urllib.request.Request(url + urllib.parse.quote(text), headers={"Accept": ACCEPT})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=300) as response:
        body = response.read()
        kind = response.headers.get_content_type()
    elapsed = (time.perf_counter() - start) * 1000
    rows = len(json.loads(body)["results"]["bindings"]) if kind.endswith("json") else -1
    return elapsed, rows


def _latencies(url: str, texts: dict[str, str], runs: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, text in texts.items():
        _, rows = _http_ms(url, text)  # warm-up, and the answer size
        times = repeat(lambda text=text: _http_ms(url, text)[0], runs)
        out[name] = {"p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95),
                     "rows": rows, "runs": len(times)}
    return out


def _isql(port: str, password: str, sql: str) -> str:
    isql = shutil.which("isql-vt") or shutil.which("isql") or "isql-vt"
    done = subprocess.run([isql, f"127.0.0.1:{port}", "dba", password, f"exec={sql}"],
                          capture_output=True, text=True, timeout=3_600)
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise RuntimeError(f"isql failed: {(done.stdout + done.stderr).strip()[-500:]}")
    return done.stdout


def virtuoso(out: str, documents: int, store_dir: str, runs: int, port: int,
             oxigraph_bin: str, directory: str) -> Result:
    """Virtuoso's bulk loader and query latency, against the Oxigraph server on the same data.

    Both are queried through the same HTTP client, one request at a time, so the
    comparison includes each server's protocol cost, not only its engine. Virtuoso
    is started fresh (``scripts/start-virtuoso.sh``, its default memory settings)
    and stopped at the end.
    """
    nq, _, quads = combined(out, documents)
    qs = queries(targets(out, documents))
    root = Path(__file__).resolve().parents[1]
    started = subprocess.run(["bash", str(root / "scripts" / "start-virtuoso.sh"), directory],
                             capture_output=True, text=True, timeout=300)
    if started.returncode != 0:
        return {"quads": quads, "missing": started.stderr.strip().splitlines()[-1]}
    env = dict(line.removeprefix("export ").split("=", 1)
               for line in started.stdout.splitlines() if line.startswith("export "))
    sql_port = next(line.split(":")[-1].strip() for line in
                    (Path(directory) / "virtuoso.ini").read_text().splitlines()
                    if line.startswith("ServerPort") and "$" not in line)
    password = (Path(directory) / "dba-password").read_text().strip().split(":", 1)[1]
    pid = int((Path(directory) / "virtuoso.pid").read_text())
    result: Result = {"quads": quads, "runs": runs}
    try:
        os.link(nq, Path(directory) / nq.name)  # DirsAllowed is the Virtuoso directory
        result["load_s"] = timed(lambda: _isql(
            sql_port, password, f"ld_dir('{directory}', '{nq.name}', 'urn:budgetgraph:unused'); "
            "rdf_loader_run(); checkpoint;"))
        errors = _isql(sql_port, password,
                       "select count(*) from DB.DBA.load_list where ll_error is not null;")
        lines = [line.strip() for line in errors.splitlines()]
        rule = next(i for i, line in enumerate(lines) if line.startswith("___"))
        result["load_errors"] = int(next(line for line in lines[rule + 1:] if line))
        result["virtuoso"] = _latencies(env["BUDGETGRAPH_VIRTUOSO_URL"] + "?query=", qs, runs)
    finally:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
            time.sleep(0.2)
        shutil.rmtree(directory, ignore_errors=True)
    if Path(oxigraph_bin).exists():
        command, prefix = _servers(store_dir, port, oxigraph_bin)["oxigraph"]
        server = _serve(command, prefix + urllib.parse.quote(qs["DESCRIBE an observation"]))
        if server is not None:
            try:
                result["oxigraph_server"] = _latencies(prefix, qs, runs)
            finally:
                _stop(server)
    return result


# ---------------------------------------------------------------------------
# The real documents
# ---------------------------------------------------------------------------


def qinghai(path: str, runs: int) -> Result:
    """The real Qinghai document read, converted and validated, cold and warm."""
    start = time.perf_counter()
    from budgetgraph.pipeline import document_dataset
    from budgetgraph.rdf.uris import Minter
    from budgetgraph.readers import read

    try:
        from budgetgraph.validate import validate
    except ImportError:
        validate = None  # type: ignore[assignment]
    imports = time.perf_counter() - start

    def once() -> tuple[float, float, float]:
        t0 = time.perf_counter()
        doc = read(path)
        t1 = time.perf_counter()
        _, dataset = document_dataset(doc, Minter(BASE))
        t2 = time.perf_counter()
        if validate is not None:
            validate(dataset)
        return t1 - t0, t2 - t1, time.perf_counter() - t2

    cold = once()
    warm = [once() for _ in range(runs)]
    return {"imports_s": imports, "cold": cold, "validated": validate is not None,
            "warm_read_s": statistics.median(w[0] for w in warm),
            "warm_convert_s": statistics.median(w[1] for w in warm),
            "warm_validate_s": statistics.median(w[2] for w in warm),
            "maxrss_mb": maxrss_mb()}


def pdf(path: str, runs: int) -> Result:
    """Our PDF reader (pdf_lines, then the whole read) against ``pdftotext -layout``."""
    import pypdfium2 as pdfium

    from budgetgraph.readers import read
    from budgetgraph.readers.pdf import pdf_lines

    with pdfium.PdfDocument(path) as document:
        pages = len(document)
    pdf_lines(Path(path))  # warm: imports, font caches
    lines = [timed(lambda: pdf_lines(Path(path))) for _ in range(runs)]
    whole = [timed(lambda: read(path)) for _ in range(runs)]
    tool = shutil.which("pdftotext")
    floor = ([timed(lambda: subprocess.run([tool, "-layout", path, "-"], check=True,
                                           capture_output=True)) for _ in range(runs)]
             if tool else [])
    return {"file": Path(path).name, "pages": pages, "pdf_lines_s": statistics.median(lines),
            "read_s": statistics.median(whole),
            "pdftotext_s": statistics.median(floor) if floor else None,
            "maxrss_mb": maxrss_mb()}


STAGES: dict[str, Callable[..., Result]] = {
    "prepare": prepare, "parse_convert": parse_convert, "validation": validation, "load": load,
    "build_store": build_store, "query_oxigraph": query_oxigraph, "query_rdflib": query_rdflib,
    "http": http, "virtuoso": virtuoso, "qinghai": qinghai, "pdf": pdf,
    "search_index": search_index, "ingest": ingest,
}


def main() -> None:
    name, args = sys.argv[1], json.loads(sys.argv[2])
    os.environ.setdefault("PYTHONHASHSEED", "0")
    print(json.dumps(STAGES[name](**args), ensure_ascii=False))


if __name__ == "__main__":
    main()
