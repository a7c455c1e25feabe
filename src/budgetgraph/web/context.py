"""What every view needs, created once per server worker by ``create_app``."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from ..search import Index
from ..store import GraphInfo
from .forward import ForwardingPool
from .lookup import Store
from .querypool import QueryPool
from .urls import Urls


@dataclass
class Context:
    """Settings, URL builder, the store, the query pool and per-worker caches.

    The store is the embedded read-only snapshot (with its names index), or a remote engine
    (``serve --endpoint``) with the same lookups and ``/sparql`` forwarded to it.
    The snapshot never changes while the server runs, so figures derived from it
    (graph listing, landing-page statistics) are computed once per worker and
    kept; for an engine, which others may load into, they are as of the first
    request (restart the server to refresh them, as after loading a store).
    """

    settings: dict[str, Any]
    urls: Urls
    store: Store
    pool: QueryPool | ForwardingPool
    #: The store's names index; None when it has none (a store loaded before the
    #: index existed, or a remote engine): /search then scans by SPARQL.
    index: Index | None = None
    _cache: dict[str, Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def graphs(self) -> list[GraphInfo]:
        with self._lock:
            if "graphs" not in self._cache:
                self._cache["graphs"] = self.store.graphs()
            return self._cache["graphs"]  # type: ignore[no-any-return]

    def cached(self, key: str) -> Any:
        with self._lock:
            return self._cache.get(key)

    def remember(self, key: str, value: Any) -> None:
        with self._lock:
            self._cache[key] = value


def current() -> Context:
    """The context of the app handling this request."""
    return current_app.extensions["budgetgraph"]  # type: ignore[no-any-return]
