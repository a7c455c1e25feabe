"""Real servers for the protocol tests: a free port, a process that answers, one request.

Helpers, not fixtures: the session's servers are fixtures in conftest.py, built on these.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

#: The base IRI the test stores are minted under (the default of `budgetgraph serve`);
#: the servers listen elsewhere, so requests map to IRIs by this base, not by Host.
BASE = "http://127.0.0.1:8000/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(args: list[str], port: int, *, within: float = 30, cwd: Path | None = None,
          new_session: bool = False) -> subprocess.Popen[bytes]:
    """Start ``args`` (a server on ``port``, in ``cwd``) and return once its /sparql answers.

    ``new_session`` puts it in a process group of its own, for a server that starts
    others (``make serve``): the caller stops the group.

    A server that exits or stays silent past ``within`` seconds raises with its
    stderr, so a test failure shows why the server did not come up.
    """
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd,
                               start_new_session=new_session)
    deadline = time.monotonic() + within
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/sparql?format=ttl",
                                   timeout=5).read()
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                if new_session and process.poll() is None:
                    os.killpg(process.pid, signal.SIGKILL)
                process.kill()
                raise RuntimeError(process.stderr.read().decode() if process.stderr else "") \
                    from None
            time.sleep(0.1)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=15)
    if process.stderr:
        process.stderr.close()


def wait_listening(port: int, process: subprocess.Popen[bytes]) -> None:
    """Until the port accepts (for a server that cannot answer a query yet)."""
    deadline = time.monotonic() + 30
    while True:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the server on port {port} did not start")
        time.sleep(0.1)


@contextlib.contextmanager
def serving(directory: Path, **settings: object) -> Iterator[str]:
    """Run ``budgetgraph.web.serve`` over ``directory`` in a subprocess; yield its URL."""
    port = free_port()
    options = "".join(f", {name}={value!r}" for name, value in settings.items())
    code = (f"from budgetgraph.web import serve; "
            f"serve({str(directory)!r}, port={port}, workers=1{options})")
    process = start([sys.executable, "-c", code], port, within=20)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


@contextlib.contextmanager
def silent_endpoint() -> Iterator[str]:
    """An endpoint URL whose server accepts connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        listener.settimeout(0.2)
        accepted: list[socket.socket] = []
        done = threading.Event()

        def accept() -> None:
            while not done.is_set():
                try:
                    accepted.append(listener.accept()[0])
                except TimeoutError:
                    continue

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        finally:
            done.set()
            thread.join()
            for connection in accepted:
                connection.close()


def fetch(url: str, *, accept: str | None = None, data: bytes | None = None,
          content_type: str | None = None, method: str | None = None
          ) -> tuple[int, dict[str, str], bytes]:
    """One HTTP request; errors are returned, not raised."""
    request = urllib.request.Request(url, data=data, method=method)
    if accept:
        request.add_header("Accept", accept)
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()
