"""The wheel works on its own: built from the sources, installed (not editable) into a
fresh virtual environment, run from a folder that holds nothing but the demo documents.

Each command of the pipeline runs as the installed ``budgetgraph`` script: parse →
convert → validate → load → serve, then real HTTP requests to the served store, a dump
download among them. The source copy the wheel was built from is deleted first, so a
file the package reaches outside itself (``parents[3]``) fails here.

Offline by design: the fresh environment gets the package only from the wheel
(``--no-deps --no-index``) and borrows the dependencies of the running environment
through a ``.pth`` path line (which adds their folder to ``sys.path`` without running
that folder's own ``.pth`` files, so the editable install of the checkout stays off).
"""

from __future__ import annotations

import gzip
import shutil
import site
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import rdflib
from tests.documents import DATA, ROOT
from tests.servers import fetch, free_port, start, stop

#: What building a wheel reads from the checkout
BUILD_INPUTS = ("pyproject.toml", "README.md", "src", "ontology", "shapes")


def _run(args: list[str | Path], cwd: Path) -> str:
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                            timeout=600, check=False)
    assert result.returncode == 0, f"{args}: {result.stderr[-3000:]}"
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the sources that is deleted afterwards."""
    root = tmp_path_factory.mktemp("wheel")
    sources = root / "sources"
    sources.mkdir()
    for name in BUILD_INPUTS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, sources / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, sources / name)
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
          "--no-index", "--wheel-dir", root / "dist", sources], cwd=root)
    shutil.rmtree(sources)
    (built,) = (root / "dist").glob("budgetgraph-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of a fresh venv with the wheel installed in it."""
    venv = tmp_path_factory.mktemp("venv") / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=venv.parent)
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps",
          "--no-index", wheel], cwd=venv.parent)
    (purelib,) = (venv / "lib").glob("python*/site-packages")
    borrowed = [*site.getsitepackages(), site.getusersitepackages()]
    (purelib / "_dependencies_of_the_test_environment.pth").write_text(
        "\n".join(borrowed) + "\n", encoding="utf-8")
    return venv / "bin"


def test_every_package_and_data_folder_is_in_the_package_list() -> None:
    """pyproject.toml lists the packages by hand (to map ontology/ and shapes/ in): a
    folder added under src/ must be added there too, or the wheel would lack it."""
    from setuptools import find_namespace_packages

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = config["tool"]["setuptools"]["packages"]
    mapped = config["tool"]["setuptools"]["package-dir"]
    assert sorted(listed) == sorted({*find_namespace_packages(ROOT / "src"), *mapped} - {""})


@pytest.mark.slow
def test_the_wheel_carries_the_ontology_shapes_and_code_lists(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {"budgetgraph/ontology/budgetgraph.ttl", "budgetgraph/shapes/identities.ttl",
                "budgetgraph/rdf/codelists/func.csv", "budgetgraph/rdf/context.jsonld",
                "budgetgraph/web/templates/base.html"}
    assert expected <= names, expected - names


@pytest.mark.slow
def test_the_installed_wheel_runs_the_whole_pipeline_and_serves(installed: Path,
                                                                  tmp_path: Path) -> None:
    where = _run([installed / "python", "-c", "import budgetgraph; print(budgetgraph.__file__)"],
                 cwd=tmp_path)
    assert Path(where.strip()).is_relative_to(installed.parent), where
    assert _run([installed / "budgetgraph", "--version"], cwd=tmp_path).strip() == \
        "budgetgraph 0.1.0"
    shutil.copytree(DATA, tmp_path / "data")
    documents = sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "data").iterdir())
    cli = installed / "budgetgraph"
    parsed = _run([cli, "parse", *documents], cwd=tmp_path)
    assert "互助土族自治县社会保险服务局" in parsed and "上海市普陀区社会福利院" in parsed
    _run([cli, "convert", *documents, "--format", "trig", "-o", "var/all.trig"], cwd=tmp_path)
    converted = rdflib.Dataset().parse(tmp_path / "var" / "all.trig", format="trig")
    assert len(converted) > 10_000
    _run([cli, "validate", *documents], cwd=tmp_path)
    generated = _run([installed / "python", "-m", "budgetgraph.fixtures", "generated",
                      "data/huzhu-social-insurance-bureau-2024-budget.txt"], cwd=tmp_path)
    assert "--region 示例甲县=630291" in generated
    missing = subprocess.run([installed / "python", "-m", "budgetgraph.fixtures", "generated"],
                             cwd=tmp_path, capture_output=True, text=True, check=False)
    assert missing.returncode == 2 and len(missing.stderr.splitlines()) == 1
    loaded = _run([cli, "load", *documents, "--store", "var/store"], cwd=tmp_path)
    assert "var/store: 2 document(s)" in loaded
    port = free_port()
    server = start([str(cli), "serve", "--store", "var/store", "--port", str(port),
                    "--workers", "1"], port, cwd=tmp_path)
    try:
        url = f"http://127.0.0.1:{port}"
        status, headers, body = fetch(url + "/", accept="text/html")
        assert status == 200 and "互助土族自治县社会保险服务局" in body.decode()
        status, headers, body = fetch(url + "/dumps/all.nq.gz")
        assert status == 200 and headers["Content-Type"] == "application/gzip"
        dump = rdflib.Dataset().parse(data=gzip.decompress(body), format="nquads")
        assert len(dump) > 10_000
        status, _, body = fetch(url + "/id/org/630223/e6b42d96fa", accept="text/turtle")
        assert status == 200 and "互助土族自治县社会保险服务局" in body.decode()
    finally:
        stop(server)
