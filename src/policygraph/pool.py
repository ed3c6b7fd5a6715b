"""Run user SPARQL queries in worker processes, so a timeout really stops the work.

pyoxigraph offers no way to cancel a running query. Each worker opens the store
read-only; a query that outlives the timeout gets its worker killed and replaced,
and the server keeps answering others. Workers reopen the store when its version
changes (after an update), since a read-only opener sees the data as of opening.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from .ontology import PREFIXES


class QueryTimeout(Exception):
    """The query ran past the timeout; its worker was stopped."""


class QueryFailed(Exception):
    """The query could not be parsed or evaluated (the message is the engine's)."""


@dataclass
class Job:
    query: str
    media: str  # the negotiated media type
    default_graph: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    max_rows: int = 10_000
    version: int = 0


@dataclass
class Answer:
    body: bytes
    content_type: str
    kind: str  # "select", "ask" or "graph"
    rows: int
    truncated: bool


def _execute(store: Any, job: Job) -> Answer:
    import pyoxigraph as ox

    from .endpoint import CONTENT_TYPE, GRAPH_TYPES, SELECT_TYPES, serialize_boolean, serialize_select

    kwargs: dict[str, Any] = {"prefixes": PREFIXES}
    if job.default_graph:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graph]
    else:
        kwargs["use_default_graph_as_union"] = True
    if job.named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    result = store.query(job.query, **kwargs)
    if isinstance(result, ox.QueryBoolean):
        fmt = SELECT_TYPES.get(job.media, "json")
        return Answer(serialize_boolean(bool(result), fmt), CONTENT_TYPE[fmt], "ask", 1, False)
    if isinstance(result, ox.QuerySolutions):
        fmt = SELECT_TYPES.get(job.media, "json")
        variables = [v.value for v in result.variables]
        rows: list[list[Any]] = []
        truncated = False
        for solution in result:
            if len(rows) == job.max_rows:
                truncated = True
                break
            rows.append([solution[v] for v in variables])
        del result  # a live result holds the store
        body = serialize_select(variables, rows, fmt, truncated=truncated)
        return Answer(body, CONTENT_TYPE[fmt], "select", len(rows), truncated)
    triples: list[Any] = []
    truncated = False
    for triple in result:
        if len(triples) == job.max_rows:
            truncated = True
            break
        triples.append(triple)
    del result
    rdf = GRAPH_TYPES.get(job.media, ox.RdfFormat.TURTLE)
    prefixes = PREFIXES if rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML) else None
    body = ox.serialize(triples, format=rdf, prefixes=prefixes) or b""
    return Answer(body, f"{rdf.media_type}; charset=utf-8" if rdf.media_type.startswith("text/") else rdf.media_type,
                  "graph", len(triples), truncated)


def _worker(path: str, conn: Connection) -> None:
    """A worker's loop: open the store read-only, answer jobs until the pipe closes."""
    import pyoxigraph as ox

    store = ox.Store.read_only(path)
    version = 0
    while True:
        try:
            job: Job = conn.recv()
        except EOFError:
            return
        if job.version != version:
            del store
            store = ox.Store.read_only(path)
            version = job.version
        try:
            conn.send(("ok", _execute(store, job)))
        except (SyntaxError, ValueError, OSError, RuntimeError, TypeError) as exc:
            conn.send(("error", f"{type(exc).__name__}: {exc}" if not isinstance(exc, SyntaxError) else str(exc)))


class _Worker:
    def __init__(self, ctx: Any, path: str) -> None:
        self.job: Job | None = None  # the job it is running, if any
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(path, child), daemon=True)
        self.process.start()
        child.close()

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryPool:
    """A fixed number of query worker processes over one store directory."""

    def __init__(self, path: str, *, size: int = 2, timeout: float = 10.0) -> None:
        self.path = path
        self.timeout = timeout
        self._ctx = mp.get_context("spawn")  # no fork of a threaded server
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._workers: list[_Worker] = []
        for _ in range(size):
            self._add()

    def _add(self) -> None:
        worker = _Worker(self._ctx, self.path)
        with self._lock:
            self._workers.append(worker)
        self._idle.put(worker)

    def run(self, job: Job) -> Answer:
        """Run a job; QueryTimeout if it outlives the timeout (its worker is replaced)."""
        worker = self.acquire(self.timeout)
        if worker is None:
            raise QueryTimeout("every query worker stayed busy for the whole timeout")
        return self.execute(worker, job)

    def acquire(self, wait: float) -> _Worker | None:
        """An idle worker, waiting at most ``wait`` seconds."""
        try:
            return self._idle.get(timeout=wait) if wait > 0 else self._idle.get_nowait()
        except queue.Empty:
            return None

    def execute(self, worker: _Worker, job: Job, *, timeout: float | None = None) -> Answer:
        """Run a job on an acquired worker, which is released (or replaced, on timeout or death)."""
        with self._lock:
            worker.job = job
        try:
            worker.conn.send(job)
            limit = self.timeout if timeout is None else timeout
            if not worker.conn.poll(limit):
                raise QueryTimeout(f"the query ran longer than {self.timeout:g} s and was stopped")
            status, payload = worker.conn.recv()
        except QueryTimeout:
            self.discard(worker)
            raise
        except (EOFError, OSError, BrokenPipeError, ValueError):
            self.discard(worker)
            raise QueryFailed("the query worker died or was stopped; the query was not answered") from None
        with self._lock:
            worker.job = None
        self._idle.put(worker)
        if status == "error":
            raise QueryFailed(payload)
        answer: Answer = payload
        return answer

    def discard(self, worker: _Worker, job: Job | None = None) -> None:
        """Stop a worker and start a fresh one; with ``job``, only while the worker still runs that job.

        A client that leaves as its query finishes must not stop the worker, which may already be
        answering someone else.
        """
        with self._lock:
            if worker not in self._workers or (job is not None and worker.job is not job):
                return
            self._workers.remove(worker)
        worker.stop()
        self._add()

    def close(self) -> None:
        with self._lock:
            workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop()
