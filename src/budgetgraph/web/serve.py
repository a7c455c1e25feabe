"""Run the app under gunicorn, programmatically, for ``budgetgraph serve``."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from ..store import require_store
from .app import create_app
from .settings import resolve


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


def serve(store_dir: str | os.PathLike[str], host: str = "127.0.0.1", port: int = 8000,
          base: str | None = None, workers: int = 2, **settings: Any) -> None:
    """Serve ``store_dir`` on ``host:port`` until interrupted.

    ``gthread`` workers: a thread waiting for its query process costs nothing,
    so slow queries do not block other clients; ``workers`` × ``threads``
    requests are in flight at once and ``workers`` × ``query_processes`` queries
    run at once. Extra keyword arguments are settings (see ``settings.py``).
    """
    settings = {**settings, "store_dir": os.fspath(store_dir)}
    if base is not None:
        settings["base_iri"] = base
    resolve(settings)  # fail fast on bad settings, before gunicorn forks
    require_store(settings["store_dir"])
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
    _Server(options, settings).run()
