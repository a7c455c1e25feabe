"""The command line itself: --version, and arguments refused before anything runs, each
in one line naming the argument (argparse's usage line above it), exit status 2."""

from __future__ import annotations

import socket
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from tests.documents import QINGHAI

from budgetgraph.cli import main

CLI = [sys.executable, "-m", "budgetgraph.cli"]


def test_version_is_the_installed_distribution() -> None:
    result = subprocess.run([*CLI, "--version"], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout) == (0, f"budgetgraph {version('budgetgraph')}\n")


@pytest.mark.parametrize(("args", "message"), [
    (["serve", "--store", "s", "--port", "99999"], "argument --port: not a TCP port"),
    (["serve", "--store", "s", "--workers", "0"], "argument --workers: not a positive whole"),
    (["serve", "--endpoint", "localhost:8890"], "argument --endpoint: not an http(s) URL"),
    (["compare", "--endpoint", "notaurl"], "argument --endpoint: not an http(s) URL"),
    (["load", "x.txt", "--store", "s", "--base", "http://example.org"],
     "argument --base: a base IRI must end with '/'"),
    (["convert", "x.txt", "--base", "urn:x/"], "argument --base: not an http(s) URL"),
])
def test_an_unusable_argument_is_refused_before_anything_runs(
        args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(args)
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert message in err.splitlines()[-1] and "Traceback" not in err


def test_serving_on_a_busy_port_is_one_line(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["load", str(QINGHAI), "--store", str(tmp_path / "store")]) == 0
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        capsys.readouterr()
        code = main(["serve", "--store", str(tmp_path / "store"), "--port", str(port)])
    assert code == 2
    assert capsys.readouterr().err == (f"budgetgraph: error: 127.0.0.1:{port}: cannot listen "
                                       "there (Address already in use)\n")
