"""Run the app under gunicorn, programmatically, for ``budgetgraph serve``."""

from __future__ import annotations

import os
import socket
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from ..store import require_store
from .app import create_app, remote_endpoint
from .settings import SettingsError, resolve


class _Server(BaseApplication):  # type: ignore[misc]
    """gunicorn with our options and an app built inside each worker (no preload).

    Building the app per worker keeps the RocksDB handle and the query
    processes out of the gunicorn master, which forks the workers.
    """

    def __init__(self, options: dict[str, Any], settings: dict[str, Any]) -> None:
        self._options = options
        self._settings = settings
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return create_app(self._settings)


def _require_free(host: str, port: int) -> None:
    """Refuse a busy address in one line: gunicorn would retry it for seconds, then exit
    with log lines of its own."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port,
                                                             type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does
            probe.bind(address)
    except OSError as error:
        raise SettingsError(f"{host}:{port}: cannot listen there "
                            f"({error.strerror or error})") from None


def serve(store_dir: str | os.PathLike[str] | None = None, host: str = "127.0.0.1",
          port: int = 8000, base: str | None = None, workers: int = 2,
          **settings: Any) -> None:
    """Serve ``store_dir``, or the engine of the ``endpoint`` setting, on ``host:port``.

    ``gthread`` workers: a thread waiting for its query process (or for the
    engine) costs nothing, so slow queries do not block other clients;
    ``workers`` × ``threads`` requests are in flight at once and ``workers`` ×
    ``query_processes`` queries run at once on a store. Extra keyword arguments
    are settings (see ``settings.py``). Exactly one of ``store_dir`` and
    ``endpoint`` must be given: serving a default store by accident while an
    engine was meant would publish the wrong data.
    """
    if (store_dir is None) == (not settings.get("endpoint")):
        raise SettingsError("give exactly one of a store directory and an endpoint")
    if store_dir is not None:
        settings = {**settings, "store_dir": os.fspath(store_dir)}
    if base is not None:
        settings["base_iri"] = base
    values = resolve(settings)  # fail fast on bad settings and fix paths, before gunicorn forks
    if values["endpoint"]:
        remote_endpoint(values)  # the password variable must be set
    else:
        require_store(values["store_dir"])
    _require_free(host, port)
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": 8,
        "timeout": 120,
        "graceful_timeout": 10,
        "accesslog": "-",
        "control_socket_disable": True,  # gunicorn 27 would otherwise write under $HOME
    }
    _Server(options, values).run()
