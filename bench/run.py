"""Run every benchmark against its floor and write ``docs/benchmarks.md``.

``python -m bench.run --quick`` (under 5 minutes: ~10k and ~1M triples) or
``python -m bench.run`` (full: adds ~10M triples and larger samples). Each stage
runs in a fresh process (:mod:`bench.stages`) so its peak memory is its own;
each figure is the median of several runs, and its baseline is measured in the
same run, on the same files, on this machine. Servers bind 127.0.0.1 only and
every load test is bounded in time.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
QINGHAI = ROOT / "data" / "huzhu-social-insurance-bureau-2024-budget.txt"
PDF_30_PAGES = (ROOT / "tests" / "corpus" / "fetched" / "pdf"
                / "F02_shanghai-putuo-guihuaziyuan-2024-final.pdf")
#: the Oxigraph server, in a venv of its own (not pyoxigraph's)
OXIGRAPH_VENV = Path(tempfile.gettempdir()) / "venv-oxigraph"
#: The national corpus: counties, departments per county, documents per department-year.
NATIONAL = {"counties": 2_800, "departments": 40, "documents_per_year": 2}


@dataclass(frozen=True)
class Mode:
    """How much one run measures; quick must finish in under five minutes."""

    name: str
    regions: int
    departments: int
    years: int
    parse_sizes: tuple[int, ...]  # documents timed for parse + convert
    validate_docs: int
    pyshacl_docs: int
    load_sizes: tuple[int, ...]  # documents (plus reference graphs) per load/query size
    runs: int
    query_runs: int
    rdflib_max_docs: int  # rdflib is not given more than this (memory, time)
    rdflib_timeout: float
    http_seconds: int
    large_runs: int  # runs of load and rdflib queries at the largest sizes (minutes each)
    large: int = 100  # from this many documents on, a size counts as large
    ingest_docs: int = 40  # documents `load --jobs` is timed on, at 1 job and at every core


QUICK = Mode("quick", regions=6, departments=26, years=1, parse_sizes=(10, 30),
             validate_docs=10, pyshacl_docs=1, load_sizes=(1, 156), runs=3, query_runs=20,
             rdflib_max_docs=156, rdflib_timeout=20, http_seconds=5, large_runs=1)
#: Between the two (~20 minutes on 2 busy cores): the quick sizes plus ~2.4M quads.
MEDIUM = Mode("medium", regions=10, departments=40, years=1, parse_sizes=(10, 30, 100),
              validate_docs=20, pyshacl_docs=1, load_sizes=(1, 156, 400), runs=3,
              query_runs=20, rdflib_max_docs=156, rdflib_timeout=20, http_seconds=5,
              large_runs=1, ingest_docs=100)
FULL = Mode("full", regions=20, departments=40, years=2, parse_sizes=(10, 100, 400),
            validate_docs=60, pyshacl_docs=3, load_sizes=(1, 170, 1_600), runs=3,
            query_runs=30, rdflib_max_docs=170, rdflib_timeout=120, http_seconds=10, large_runs=3,
            ingest_docs=400)


def stage(name: str, **args: Any) -> dict[str, Any]:
    """Run one stage in a fresh interpreter; its JSON result, or the error it died of."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "0"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bench.stages", name, json.dumps(args)],
                          capture_output=True, text=True, cwd=ROOT, env=env)
    elapsed = time.perf_counter() - started
    print(f"  {name} {args.get('documents', '')}: {elapsed:.1f} s", file=sys.stderr, flush=True)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else
                f"exit {done.returncode}"}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_s"] = elapsed
    return result


def median_cold(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Of several fresh processes, the one with the median first-document time (imports
    included), with every process's time beside it: one cold start is too noisy to quote."""
    done = [r for r in runs if "error" not in r]
    if not done:
        return runs[0]
    done.sort(key=lambda r: r["imports_s"] + sum(r["cold"]))
    return {**done[len(done) // 2],
            "cold_totals_s": [r["imports_s"] + sum(r["cold"]) for r in done]}


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in ("rdflib", "pyoxigraph", "pyshacl", "pyrudof", "flask", "gunicorn",
                 "pypdfium2"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    binary = OXIGRAPH_VENV / "bin" / "oxigraph"
    if binary.exists():
        out["oxigraph server"] = subprocess.run([str(binary), "--version"], capture_output=True,
                                                text=True).stdout.strip()
    for tool, flag in (("pdftotext", "-v"), ("wrk", "-v"), ("virtuoso-t", "-?")):
        path = shutil.which(tool)
        if path:
            done = subprocess.run([path, flag], capture_output=True, text=True)
            lines = (done.stdout + done.stderr).strip().splitlines()
            out[tool] = next((line for line in lines if any(c.isdigit() for c in line)),
                             lines[0] if lines else "?")
    return out


def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "0")
    return {"cpu": cpu, "cores": str(os.cpu_count()), "memory_gib": f"{int(memory) / 2**20:.0f}",
            "os": platform.platform()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument("--quick", action="store_true", help="the < 5 minute subset")
    chosen.add_argument("--medium", action="store_true",
                        help="quick plus ~2.4M quads, when full does not fit in the time")
    parser.add_argument("--work", type=Path,
                        default=Path(tempfile.gettempdir()) / "budgetgraph-bench",
                        help="scratch directory for the corpus, N-Quads and stores")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--port", type=int, default=18_321)
    args = parser.parse_args()
    mode = QUICK if args.quick else MEDIUM if args.medium else FULL
    started = time.perf_counter()
    work = args.work / mode.name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    sys.path.insert(0, str(ROOT))
    # Bytecode as an installed package has it (pip compiles at install); without it every
    # fresh stage process would compile our modules again where PYTHONDONTWRITEBYTECODE is set.
    compileall.compile_dir(ROOT / "src", quiet=1)
    from bench.generate import write_corpus

    print(f"budgetgraph benchmarks, {mode.name} mode, in {work}", file=sys.stderr)
    t0 = time.perf_counter()
    paths = write_corpus(work / "corpus", regions_count=mode.regions,
                         departments=mode.departments, years=mode.years, seed=args.seed)
    results: dict[str, Any] = {"mode": mode.name, "seed": args.seed, "generated": len(paths),
                               "generate_s": time.perf_counter() - t0}
    results["prepare"] = stage("prepare", corpus=str(work / "corpus"), out=str(work / "nq"))
    results["qinghai"] = median_cold([stage("qinghai", path=str(QINGHAI), runs=5)
                                      for _ in range(3)])
    results["pdf"] = (stage("pdf", path=str(PDF_30_PAGES), runs=5) if PDF_30_PAGES.exists()
                      else {"missing": f"{PDF_30_PAGES} not found"})
    results["parse_convert"] = [stage("parse_convert", corpus=str(work / "corpus"),
                                      documents=n, runs=mode.runs) for n in mode.parse_sizes]
    results["validation"] = stage("validation", corpus=str(work / "corpus"),
                                  documents=mode.validate_docs, runs=1,
                                  pyshacl_docs=mode.pyshacl_docs)
    results["ingest"] = stage("ingest", corpus=str(work / "corpus"), documents=mode.ingest_docs,
                              jobs=[1, os.cpu_count() or 1] if (os.cpu_count() or 1) > 1 else [1],
                              work=str(work), runs=mode.large_runs, sample=mode.validate_docs)
    docs_available = results["prepare"].get("documents", 0)
    results["load"], results["query_oxigraph"], results["query_rdflib"] = [], [], []
    results["virtuoso"] = []
    store_dir = work / "store"
    for size in mode.load_sizes:
        if size > docs_available:
            continue
        results["load"].append(stage("load", out=str(work / "nq"), documents=size,
                                     runs=1 if size > 1_000 else
                                     mode.large_runs if size >= mode.large else mode.runs,
                                     work=str(work), previous=size <= mode.rdflib_max_docs,
                                     per_graph=size <= 1_000))
        stage("build_store", out=str(work / "nq"), documents=size, directory=str(store_dir))
        results["query_oxigraph"].append(stage(
            "query_oxigraph", out=str(work / "nq"), documents=size, store_dir=str(store_dir),
            runs=mode.query_runs))
        results.setdefault("search", []).append(stage(
            "search_index", out=str(work / "nq"), documents=size, store_dir=str(store_dir),
            runs=mode.query_runs))
        results["virtuoso"].append(stage(
            "virtuoso", out=str(work / "nq"), documents=size, store_dir=str(store_dir),
            runs=mode.query_runs, port=args.port + 1,
            oxigraph_bin=str(OXIGRAPH_VENV / "bin" / "oxigraph"),
            directory=str(work / "virtuoso")))
        if size <= mode.rdflib_max_docs:
            results["query_rdflib"].append(stage(
                "query_rdflib", out=str(work / "nq"), documents=size,
                runs=mode.large_runs if size >= mode.large else 3, timeout=mode.rdflib_timeout))
        if size == max(s for s in mode.load_sizes if s <= mode.rdflib_max_docs):
            results["http"] = stage("http", out=str(work / "nq"), documents=size,
                                    store_dir=str(store_dir), seconds=mode.http_seconds,
                                    port=args.port, work=str(work),
                                    oxigraph_bin=str(OXIGRAPH_VENV / "bin" / "oxigraph"))
    results["total_s"] = time.perf_counter() - started
    results["versions"] = versions()
    results["machine"] = machine()
    (work / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    from bench.report import write_report

    write_report(results, args.out)
    print(f"wrote {args.out} in {results['total_s']:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
