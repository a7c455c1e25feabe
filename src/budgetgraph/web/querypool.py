"""SPARQL queries run in child processes that are killed at their deadline.

pyoxigraph cannot interrupt a query, so a deadline can only be kept by killing
the process that runs it. Each server worker keeps a few long-lived query
processes, each with its own read-only store; a request borrows one, sends the
query over a pipe and waits at most ``timeout`` seconds. On timeout the process
is killed (freeing its CPU and memory at once) and a fresh one is started in the
background. Processes are *spawned*, not forked: the server worker has threads
and a RocksDB handle, neither of which survives ``fork`` safely.

Measured on the 2-core dev machine (docs/server.md): a one-row lookup takes
0.25 ms through the pool against 0.04 ms in-process (median of 300); spawning a
process and opening the store per query would take ~500 ms each.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import signal
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from ..store import QueryOutcome, QuerySpec, open_read_only, run_query
from .errors import Busy, QueryFailed, QueryTimeout

log = logging.getLogger(__name__)

_READY = "ready"


def _child_main(conn: Connection, store_dir: str) -> None:
    """Answer queries from ``conn`` until the parent closes it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    store = open_read_only(store_dir)
    conn.send(_READY)  # the parent starts a query's clock only once the store is open
    while True:
        try:
            spec = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(run_query(store, spec))


@dataclass
class _Child:
    process: BaseProcess
    conn: Connection
    ready: bool = False


class QueryPool:
    """A fixed number of query processes shared by the threads of one server worker."""

    def __init__(self, store_dir: str, size: int, *, queue_timeout: float) -> None:
        self._store_dir = store_dir
        self._size = size
        self._queue_timeout = queue_timeout
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Child] = queue.Queue()
        self._lock = threading.Lock()
        self._started = False

    def _spawn(self) -> _Child:
        parent_end, child_end = self._context.Pipe()
        process = self._context.Process(target=_child_main, args=(child_end, self._store_dir),
                                        daemon=True, name="budgetgraph-query")
        process.start()
        child_end.close()
        return _Child(process, parent_end)

    def _start(self) -> None:
        """Start the processes on first use, inside the server worker, never in its parent."""
        with self._lock:
            if not self._started:
                for _ in range(self._size):
                    self._idle.put(self._spawn())
                self._started = True

    def _replace(self, child: _Child) -> None:
        child.process.kill()
        child.process.join()
        child.conn.close()
        threading.Thread(target=lambda: self._idle.put(self._spawn()), daemon=True).start()

    def run(self, spec: QuerySpec, *, timeout: float) -> QueryOutcome:
        """Run ``spec`` in a free query process; raise :class:`QueryTimeout` at the deadline."""
        self._start()
        try:
            child = self._idle.get(timeout=self._queue_timeout)
        except queue.Empty:
            raise Busy(f"all query processes stayed busy for {self._queue_timeout:g} s; "
                       "try again later") from None
        try:
            if not child.ready:  # starting up (spawn + opening the store): not the query's time
                if not child.conn.poll(self._queue_timeout) or child.conn.recv() != _READY:
                    self._replace(child)
                    raise Busy("a query process did not start in time; try again later")
                child.ready = True
            child.conn.send(spec)
            if child.conn.poll(timeout):
                outcome: QueryOutcome = child.conn.recv()
                self._idle.put(child)
                return outcome
        except (EOFError, OSError) as error:
            log.error("query process %s died: %s", child.process.pid, error)
            self._replace(child)
            raise QueryFailed("the query process died; the query may need too much memory") \
                from error
        self._replace(child)
        raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped; add "
                           "LIMIT, narrow the patterns, or download the data dumps")

    def close(self) -> None:
        """Stop every idle process (busy ones end when their pipe closes)."""
        while True:
            try:
                child = self._idle.get_nowait()
            except queue.Empty:
                return
            child.conn.close()
            child.process.kill()
            child.process.join()
