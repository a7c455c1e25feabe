"""Real servers for the protocol tests: a free port, and a process that answers."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(args: list[str], port: int, *, within: float = 30) -> subprocess.Popen[bytes]:
    """Start ``args`` (a server on ``port``) and return once its /sparql answers.

    A server that exits or stays silent past ``within`` seconds raises with its
    stderr, so a test failure shows why the server did not come up.
    """
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + within
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/sparql?format=ttl",
                                   timeout=5).read()
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(process.stderr.read().decode() if process.stderr else "") \
                    from None
            time.sleep(0.1)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=15)
    if process.stderr:
        process.stderr.close()
