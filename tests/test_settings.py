"""Every server setting can be given on the command line (``serve --setting NAME VALUE``)
and is documented in docs/server.md; a real server started that way obeys them."""

from __future__ import annotations

import gzip
import importlib
import json
import os
import sys
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from tests.documents import QINGHAI, ROOT
from tests.servers import fetch, free_port, start, stop

from budgetgraph.cli import main
from budgetgraph.web.settings import DEFAULTS, SETTINGS, help_table, resolve

#: A value other than the default for each text setting (numbers and lists are derived)
TEXT_SAMPLES = {
    "store_dir": "var/other-store", "endpoint": "http://127.0.0.1:9/sparql",
    "endpoint_engine": "virtuoso", "endpoint_user": "reader",
    "endpoint_password_env": "BUDGETGRAPH_TEST_PASSWORD", "base_iri": "http://example.org/",
    "cors_origin": "https://example.org", "dumps_dir": "var/dumps", "title": "测试数据",
    "description": "A test.", "publisher_name": "测试者", "publisher_iri": "http://example.org/p",
    "license_iri": "http://example.org/licence",
}


def sample(name: str) -> str:
    default = DEFAULTS[name]
    if isinstance(default, tuple):
        return "http://a.example/sparql,http://b.example/sparql"
    if isinstance(default, int | float):
        return str(default * 2)
    assert name in TEXT_SAMPLES, f"tests/test_settings.py: add a sample value for {name}"
    return TEXT_SAMPLES[name]


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("settings") / "var" / "store"
    assert main(["load", str(QINGHAI), "--store", str(directory)]) == 0
    return directory


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What gunicorn would have been started with (the settings as the app gets them)."""
    runs: list[dict[str, Any]] = []

    class Server:
        def __init__(self, options: dict[str, Any], settings: dict[str, Any]) -> None:
            runs.append(settings)

        def run(self) -> None:
            pass

    # the module, not the function budgetgraph.web re-exports under the same name
    monkeypatch.setattr(importlib.import_module("budgetgraph.web.serve"), "_Server", Server)
    return runs


@pytest.mark.parametrize("name", [s.name for s in SETTINGS])
def test_every_setting_can_be_given_on_the_command_line(
        name: str, store_dir: Path, started: list[dict[str, Any]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(store_dir.parent.parent)  # relative paths resolve against the cwd
    (store_dir.parent / "other-store").mkdir(exist_ok=True)
    (store_dir.parent / "other-store" / "CURRENT").touch()  # what a store looks like
    target = [] if name in ("store_dir", "endpoint") else ["--store", "var/store"]
    port = str(free_port())
    assert main(["serve", *target, "--port", port, "--setting", name, sample(name)]) == 0
    (settings,) = started
    assert settings[name] == resolve({name: sample(name)})[name] != DEFAULTS[name]
    if name in ("store_dir", "dumps_dir"):
        assert settings[name] == str(Path.cwd() / sample(name))


@pytest.mark.parametrize(("args", "message"), [
    (["--setting", "nope", "1"], "unknown setting 'nope'; known: store_dir, endpoint"),
    (["--setting", "max_result_rows", "many"], "setting max_result_rows: 'many' is not usable"),
    (["--setting", "query_timeout", "-1"], "setting query_timeout: '-1' is not usable"),
    (["--setting", "store_dir", "var/store"], "--store and --setting store_dir both given"),
    (["--setting", "title", "a", "--setting", "title", "b"], "--setting title given twice"),
])
def test_a_bad_setting_is_one_line(args: list[str], message: str, store_dir: Path,
                                   started: list[dict[str, Any]],
                                   monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(store_dir.parent.parent)
    assert main(["serve", "--store", "var/store", *args]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and message in err
    assert started == []


def test_docs_list_every_setting_as_the_code_defines_it() -> None:
    """docs/server.md ends with the settings table; `make docs` rewrites it."""
    text = (ROOT / "docs" / "server.md").read_text(encoding="utf-8")
    assert text.endswith(help_table() + "\n"), "docs/server.md is stale: run `make docs`"
    for setting in SETTINGS:
        assert f"| `{setting.name}` |" in text


def test_a_server_started_with_settings_obeys_them(store_dir: Path) -> None:
    """The real command, a relative --store, settings from three areas; the dump works."""
    port = free_port()
    args = [sys.executable, "-m", "budgetgraph.cli", "serve", "--store", "var/store",
            "--port", str(port), "--workers", "1", "--setting", "title", "测试数据集",
            "--setting", "max_result_rows", "3", "--setting", "cors_origin",
            "https://example.org"]
    server = start(args, port, cwd=store_dir.parent.parent)
    try:
        url = f"http://127.0.0.1:{port}"
        status, headers, body = fetch(url + "/", accept="text/html")
        assert status == 200 and "测试数据集" in body.decode()
        assert headers["Access-Control-Allow-Origin"] == "https://example.org"
        query = urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 4"})
        status, _, body = fetch(f"{url}/sparql?{query}", accept="application/json")
        assert json.loads(body)["error"] == "result_too_large"
        status, _, body = fetch(url + "/dumps/all.nq.gz")
        assert status == 200 and len(gzip.decompress(body).splitlines()) > 10_000
        assert os.path.isfile(store_dir.parent / "store.dumps" / "all.nq.gz")
    finally:
        stop(server)
