"""The README's walkthrough, every command as written, so that the README cannot rot.

Each ```sh block of README.md runs with bash in a checkout-like folder: the repository's
``data/``, ``Makefile`` and ``pyproject.toml``, and ``.venv`` (this test run's
environment). The rules, by what a block holds:

- a line that starts a server in the foreground (``make serve``, ``… serve …`` without
  ``&``) runs in the background until it answers on its port; then its landing page
  and its dump download are fetched, and it is stopped, as the reader's Ctrl-C would;
- a block that starts servers with ``&`` runs in one bash session with the next block,
  with a wait between the two until the servers answer queries (the README's "give the
  servers a few seconds"), so that its ``kill %1 %2`` stops them; the output must be
  what the README's ```text block after it shows;
- ``make test`` is this suite itself: ``.ci/run`` runs it from a fresh clone;
- every other line runs as written and must exit 0.

A block that fits none of these fails the test, so a new command cannot go untested.
The servers listen on the ports the README names (8000-8002): a busy one skips the
test, saying which.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.documents import DATA, ROOT
from tests.servers import fetch, start

pytestmark = pytest.mark.slow

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = [(match["kind"], match["body"]) for match in re.finditer(
    r"^```(?P<kind>\w*)\n(?P<body>.*?)^```$", README, re.MULTILINE | re.DOTALL)]
PORT = re.compile(r"--port (\d+)")
ACCESS_LOG = re.compile(r'^127\.0\.0\.1 - - \[')


def _command(line: str) -> str:
    return line.split("#", 1)[0].strip()


def _foreground_server(line: str) -> bool:
    command = _command(line)
    return not command.endswith("&") and (command == "make serve"
                                          or " serve " in f" {command} ")


def _sh_blocks() -> list[str]:
    return [body for kind, body in BLOCKS if kind == "sh"]


def _session_blocks() -> list[tuple[str, str, str]]:
    """(block starting servers with ``&``, the block after it, the text block after that)."""
    sessions = []
    for index, (kind, body) in enumerate(BLOCKS):
        if kind == "sh" and any(_command(line).endswith("&") for line in body.splitlines()):
            follow, expected = BLOCKS[index + 1], BLOCKS[index + 2]
            assert (follow[0], expected[0]) == ("sh", "text"), \
                "a block starting servers with & must be followed by a sh and a text block"
            sessions.append((body, follow[1], expected[1]))
    return sessions


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder laid out as the README assumes, the venv being this test run's."""
    folder = tmp_path_factory.mktemp("readme")
    shutil.copytree(DATA, folder / "data")
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, folder / name)  # keeps the date: make must not reinstall
    (folder / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    if not (folder / ".venv" / "bin" / "budgetgraph").exists():
        pytest.skip("budgetgraph is not installed in this environment (make .venv/bin/budgetgraph)")
    stale = subprocess.run(["make", "-q", ".venv/bin/budgetgraph"], cwd=folder, check=False,
                           capture_output=True)
    if stale.returncode != 0:
        pytest.skip("the venv is older than pyproject.toml: run `make .venv/bin/budgetgraph`")
    return folder


@pytest.fixture(scope="module")
def ports() -> Iterator[None]:
    """The README's ports, free before the walkthrough uses them."""
    for port in sorted({8000, *(int(p) for p in PORT.findall(README))}):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                pytest.skip(f"port {port}, which the README's servers use, is busy")
    yield


def _run(script: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """``script`` in bash, stopping at the first failing command. Its own process group:
    servers it left running (it failed before its ``kill``) are stopped with it."""
    process = subprocess.Popen(["bash", "-euo", "pipefail", "-c", script], cwd=folder,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        out, err = process.communicate(timeout=600)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def _serve_and_probe(line: str, folder: Path) -> None:
    """A foreground server: started, its landing page and dump fetched, stopped."""
    port = int(PORT.search(line)[1]) if PORT.search(line) else 8000  # type: ignore[index]
    server = start(["bash", "-c", f"exec {_command(line)}"], port, within=120, cwd=folder,
                   new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        status, _, body = fetch(url + "/", accept="text/html")
        assert status == 200 and "互助土族自治县社会保险服务局" in body.decode(), line
        status, headers, body = fetch(url + "/dumps/all.nq.gz")
        assert (status, headers["Content-Type"]) == (200, "application/gzip"), line
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the group: make and the gunicorn it started
        server.wait(timeout=30)
        if server.stderr:
            server.stderr.close()


def test_every_sh_block_is_run_by_this_test() -> None:
    sessions = {block for session in _session_blocks() for block in session[:2]}
    for block in _sh_blocks():
        if block in sessions:
            continue
        for line in block.splitlines():
            command = _command(line)
            assert command and not command.endswith("&") and "'" not in command, \
                f"README command this test does not know how to run: {line}"


def test_the_single_commands_run_as_written(checkout: Path, ports: None) -> None:
    sessions = {block for session in _session_blocks() for block in session[:2]}
    ran = []
    for block in _sh_blocks():
        if block in sessions:
            continue
        for line in block.splitlines():
            command = _command(line)
            if command == "make test":
                continue  # this suite; .ci/run runs it in a fresh clone
            if _foreground_server(line):
                _serve_and_probe(line, checkout)
            else:
                result = _run(command, checkout)
                assert result.returncode == 0, f"{line}\n{result.stderr[-3000:]}"
            ran.append(command)
    assert "make serve" in ran and any(" parse data/F13_" in c for c in ran)
    assert (checkout / "var" / "qinghai.trig").is_file()  # convert -o made its folder
    assert (checkout / "var" / "report.ttl").is_file()


def test_the_two_server_walkthrough_prints_what_the_readme_shows(checkout: Path,
                                                                 ports: None) -> None:
    (session,) = _session_blocks()
    start_block, query_block, expected = session
    # "Give the servers a few seconds to start": until each has answered queries in both
    # of its workers (a worker starts its query processes on its first query; on a busy
    # machine that can take longer than a request waits, and the reader would retry)
    waits = "\n".join(
        f"for _ in 1 2 3 4; do until curl -sf -o /dev/null --data-urlencode 'query=ASK {{}}' "
        f"http://127.0.0.1:{port}/sparql; do sleep 0.2; done; done"
        for port in PORT.findall(start_block))
    result = _run(f"{start_block}\n{waits}\n{query_block}", checkout)
    assert result.returncode == 0, result.stderr[-3000:]
    # the servers' access log shares the terminal (gunicorn writes it to stdout)
    out = [line for line in result.stdout.splitlines() if not ACCESS_LOG.match(line)]
    regions = sorted(line.split(",")[0].rsplit("/", 1)[-1] for line in out
                     if line.startswith("http://127.0.0.1:8000/id/region/"))
    assert regions == ["310107", "630223"], out  # each region's 208 total, one per server
    table = out[out.index(expected.splitlines()[0]):]
    assert "\n".join(table) + "\n" == expected
