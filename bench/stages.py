"""One timed stage per call, each run in a fresh process by :mod:`bench.run`.

A fresh process per stage gives each its own peak memory (``ru_maxrss``) and
keeps one engine's threads (RocksDB) away from another's ``fork``. Usage:
``python -m bench.stages STAGE JSON_ARGS``; the result is one JSON object on
the last line of stdout. Timings are floats (seconds); money never appears here.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import shutil
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

from bench.queries import Targets, http_query, queries

BASE = "http://127.0.0.1:8000/"
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


def _pyshacl_child(data_nt: str, shapes_turtle: str, conn: Any) -> None:
    import pyshacl
    from rdflib import Graph

    data = Graph().parse(data=data_nt, format="nt")
    shapes = Graph().parse(data=shapes_turtle, format="turtle")
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
                + shapes.parameters_nt)
        parent, child = context.Pipe()
        process = context.Process(target=_pyshacl_child,
                                  args=(data, shapes.engine_turtle, child))
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


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


def load(out: str, documents: int, runs: int, work: str) -> Result:
    """Triples per second: ``store.load_graph`` per graph vs ``bulk_load`` of the same N-Quads."""
    from budgetgraph import store

    nq, parts, quads = combined(out, documents)
    ours, bulk_disk, bulk_mem = [], [], []
    size_ours = size_bulk = 0.0
    for _ in range(runs):
        target = Path(work) / "load-ours"
        shutil.rmtree(target, ignore_errors=True)
        ours.append(timed(lambda t=target: [store.load_graph(t, p["graph"], Path(p["nq"]))
                                            for p in parts]))
        size_ours = dir_mb(target)
        shutil.rmtree(target, ignore_errors=True)
        target = Path(work) / "load-bulk"
        shutil.rmtree(target, ignore_errors=True)

        def bulk(t: Path = target) -> None:
            s = ox.Store(str(t))
            s.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
            s.flush()
            del s

        bulk_disk.append(timed(bulk))
        size_bulk = dir_mb(target)
        shutil.rmtree(target, ignore_errors=True)
        bulk_mem.append(timed(lambda: ox.Store().bulk_load(path=str(nq),
                                                           format=ox.RdfFormat.N_QUADS)))
    return {"quads": quads, "graphs": len(parts), "runs": runs,
            "ours_s": statistics.median(ours), "bulk_disk_s": statistics.median(bulk_disk),
            "bulk_mem_s": statistics.median(bulk_mem), "ours_store_mb": size_ours,
            "bulk_store_mb": size_bulk, "maxrss_mb": maxrss_mb()}


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
            times = [timed(lambda s=s, text=text: _run_ox(s, text)) for _ in range(runs)]
            row[label] = {"p50_ms": percentile(times, 50) * 1000,
                          "p95_ms": percentile(times, 95) * 1000, "rows": rows}
        result["queries"][name] = row
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


def _wrk(url: str, connections: int, seconds: int) -> dict[str, Any]:
    """wrk on loopback, bounded by duration; requests/s and latency percentiles."""
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s",
               "--latency", "-H", "Accept: application/sparql-results+json", url]
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


def http(out: str, documents: int, store_dir: str, seconds: int, port: int,
         oxigraph_bin: str) -> Result:
    """``/sparql`` under 1, 4 and 8 concurrent connections: our gunicorn app vs the bare
    Oxigraph server on the same store and query. Loopback only, bounded by time."""
    query = http_query(targets(out, documents))
    encoded = urllib.parse.quote(query)
    result: Result = {"seconds": seconds, "ours": {}, "oxigraph": {}}
    servers = {
        "ours": ([sys.executable, "-c", "import sys; from budgetgraph.web.serve import serve; "
                  f"serve({store_dir!r}, host='127.0.0.1', port={port}, workers=2)"],
                 f"http://127.0.0.1:{port}/sparql?query={encoded}"),
        "oxigraph": ([oxigraph_bin, "serve-read-only", "--location", store_dir, "--bind",
                      f"127.0.0.1:{port}", "--union-default-graph"],
                     f"http://127.0.0.1:{port}/query?query={encoded}"),
    }
    for name, (command, url) in servers.items():
        if name == "oxigraph" and not Path(oxigraph_bin).exists():
            result[name] = {"missing": f"no oxigraph binary at {oxigraph_bin}"}
            continue
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if not _wait(url, time.monotonic() + 60):
                result[name] = {"missing": "server did not answer within 60 s"}
                continue
            _wrk(url, 2, 2)  # warm-up: query processes started, caches filled
            for connections in (1, 4, 8):
                result[name][str(connections)] = _wrk(url, connections, seconds)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
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
    "http": http, "qinghai": qinghai, "pdf": pdf,
}


def main() -> None:
    name, args = sys.argv[1], json.loads(sys.argv[2])
    os.environ.setdefault("PYTHONHASHSEED", "0")
    print(json.dumps(STAGES[name](**args), ensure_ascii=False))


if __name__ == "__main__":
    main()
