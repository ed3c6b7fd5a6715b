"""Run user SPARQL queries in worker processes, so a timeout really stops the work.

pyoxigraph offers no way to cancel a running query. Each worker opens the store
read-only; a query that outlives the timeout gets its worker killed and replaced,
and the server keeps answering others.

A read-only opener must not read the directory of a store whose writer is live:
the writer's compactions delete table files under it, and pyoxigraph then fails
("IO error: No such file or directory") or, in some query plans, spins forever.
So when the server holds the writable store, workers read a *view*: a RocksDB
checkpoint of the store (hard links, made by ``Store.backup`` in milliseconds)
that no compaction touches. An update makes a new version; the next job gets a
fresh view, and views no worker holds any more are deleted.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
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
    """A worker's loop: open the store (or a view of it) read-only, answer jobs until the pipe closes."""
    from .store import open_read_only, vanished_file

    store = open_read_only(path)
    while True:
        try:
            job, view = conn.recv()
        except EOFError:
            return
        if view != path:
            del store
            path = view
            store = open_read_only(path)
        for attempt in range(3):
            try:
                conn.send(("ok", _execute(store, job)))
                break
            except (OSError, RuntimeError) as exc:
                # Serving a store read-only while another process writes it (a load beside a --workers N
                # server): a table file vanished. Reading can be repeated; reopening sees the new files.
                if vanished_file(exc) and attempt < 2:
                    del store
                    store = open_read_only(path)
                    continue
                conn.send(("error", f"{type(exc).__name__}: {exc}"))
                break
            except (SyntaxError, ValueError, TypeError) as exc:
                conn.send(("error", str(exc) if isinstance(exc, SyntaxError) else f"{type(exc).__name__}: {exc}"))
                break


class _Worker:
    def __init__(self, ctx: Any, view: str) -> None:
        self.job: Job | None = None  # the job it is running, if any
        self.view = view  # the directory it has open
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(view, child), daemon=True)
        self.process.start()
        child.close()

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryPool:
    """A fixed number of query worker processes over one store directory.

    With ``checkpoint`` (the live writer's ``LocalStore.checkpoint``), workers read views of the store
    made by it, one per version, in a directory beside the store; without, they read the store itself.
    """

    def __init__(self, path: str, *, size: int = 2, timeout: float = 10.0,
                 checkpoint: Callable[[Path], None] | None = None) -> None:
        self.path = path
        self.timeout = timeout
        self._checkpoint = checkpoint
        self._views_dir = Path(path).with_name(f".{Path(path).name}.views")
        self._views: dict[int, str] = {}
        self._version = 0
        self._ctx = mp.get_context("spawn")  # no fork of a threaded server
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._workers: list[_Worker] = []
        if checkpoint is not None:
            shutil.rmtree(self._views_dir, ignore_errors=True)  # left by a server that was killed
        for _ in range(size):
            self._add()

    def view(self, version: int) -> str:
        """The directory to answer a job of ``version`` from: the newest view (made now if the version is
        new), or the store itself when there is no writer to checkpoint."""
        if self._checkpoint is None:
            return self.path
        with self._lock:
            if version > self._version or not self._views:
                target = self._views_dir / f"v{version}"
                shutil.rmtree(target, ignore_errors=True)
                target.parent.mkdir(exist_ok=True)
                self._checkpoint(target)
                self._views[version] = str(target)
                self._version = version
            newest = self._views[self._version]
            held = {w.view for w in self._workers} | {newest}
            for old in [v for v, d in self._views.items() if d not in held]:
                shutil.rmtree(self._views.pop(old), ignore_errors=True)
            return newest

    def _add(self) -> None:
        worker = _Worker(self._ctx, self.view(self._version))
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
        view = self.view(job.version)
        with self._lock:
            worker.job = job
            worker.view = view
        try:
            worker.conn.send((job, view))
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
        if self._checkpoint is not None:
            shutil.rmtree(self._views_dir, ignore_errors=True)
