"""Run user SPARQL, stored queries and lookups in worker processes, so limits really stop the work.

pyoxigraph offers no way to cancel a running query, nor to bound its memory. Each worker opens the store
read-only, gives up its network (a network namespace of its own, unless ``allow_service`` names
endpoints) and its address space is capped (``RLIMIT_AS``). A job that outlives the timeout gets its
worker killed and replaced (503); a worker that runs out of memory dies and is replaced (503); the
server keeps answering others.

Scheduling: waiting requests are served newest first (under overload the oldest are the ones about to
time out anyway), at most ``queue_limit`` wait (more get 503 at once), and a query running past
``slow_after`` seconds may hold only ``size - 1`` workers: when they are all held by slow queries it is
stopped (503), so a short query always finds a worker within about ``slow_after`` seconds.

A read-only opener must not read the directory of a store whose writer is live: the writer's compactions
delete table files under it. So when the server holds the writable store, workers read a *view*: a
RocksDB checkpoint of the store (hard links, made by ``Store.backup`` in milliseconds) that no
compaction touches. An update makes a new version; the next job gets a fresh view, and views no worker
holds any more are deleted.
"""

from __future__ import annotations

import asyncio
import ctypes
import multiprocessing as mp
import os
import shutil
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .endpoint import Refused
from .settings import Settings, default

_CLONE_NEWNET = 0x40000000


class QueryTimeout(Exception):
    """The job ran past the timeout, or no worker came free in time; it was stopped (503)."""


class QueryFailed(Exception):
    """The job was refused or failed, with the status and code it is answered with."""

    def __init__(self, message: str, status: int = 400, code: str = "bad_query") -> None:
        super().__init__(message)
        self.status, self.code = status, code


@dataclass(frozen=True)
class Limits:
    """What a worker enforces on every job (the defaults are the settings table's)."""

    max_rows: int = default("max_rows")
    max_bytes: int = default("max_answer_bytes")
    max_nesting: int = default("max_nesting")
    memory_mb: int = default("worker_memory_mb")
    endpoints: frozenset[str] = frozenset()  # SERVICE/LOAD targets allowed; empty: no network at all

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(max_rows=settings.max_rows, max_bytes=settings.max_answer_bytes,
                   max_nesting=settings.max_nesting, memory_mb=settings.worker_memory_mb,
                   endpoints=settings.service_endpoints)

    def within(self, settings: Settings) -> Settings:
        """``settings`` with these limits."""
        return replace(settings, max_rows=self.max_rows, max_answer_bytes=self.max_bytes,
                       max_nesting=self.max_nesting, worker_memory_mb=self.memory_mb,
                       allow_service=",".join(sorted(self.endpoints)))


@dataclass
class Job:
    """A SPARQL query; the worker negotiates ``accept`` against the form its parser finds."""

    query: str
    accept: str | None = None
    default_graph: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    version: int = 0
    base: str | None = None  # the endpoint's URL: the base IRI of relative IRIs when the query has no BASE


@dataclass
class UpdateCheck:
    """An update to inspect before the writer runs it: nesting, SERVICE/LOAD, the engine's own parser, and
    (with ``rehearsal``, a checkpoint of the store made for this update) the update itself run on that copy,
    under the worker's time and memory limits."""

    text: str
    version: int = 0
    rehearsal: str | None = None
    base: str | None = None
    using: list[str] = field(default_factory=list)  # using-graph-uri: the WHERE's default graph
    using_named: list[str] = field(default_factory=list)  # using-named-graph-uri

    @property
    def dataset(self) -> bool:
        """Whether the request gives a protocol dataset (then rdflib evaluates it, see dataset_update.py)."""
        return bool(self.using or self.using_named)


@dataclass
class Call:
    """A lookup or stored query: ``function`` ("module:name" in policygraph) called with the store first;
    the answer is its result as JSON bytes."""

    function: str
    args: tuple[Any, ...] = ()
    version: int = 0


@dataclass
class Answer:
    body: bytes
    content_type: str
    kind: str  # "select", "ask", "graph" or "json"
    rows: int
    truncated: bool


def no_network() -> bool:
    """Move the calling thread (a process's only thread, in a worker) into an empty network namespace:
    no interface but a loopback that is down. False where the kernel does not allow it."""
    try:
        return ctypes.CDLL(None, use_errno=True).unshare(_CLONE_NEWNET) == 0
    except (OSError, AttributeError):
        return False


def _limit_memory(megabytes: int) -> None:
    """Cap the worker's address space at what it uses now plus ``megabytes``."""
    import resource

    size = 0
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                size = int(line.split()[1]) * 1024
    if size:
        limit = size + megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _warm_up() -> None:
    """Import what most jobs need (the lookups) before taking any."""
    import importlib

    importlib.import_module("policygraph.payloads")  # rdflib's parser waits for the first job that needs it


def _worker(path: str | None, conn: Connection, settings: Settings) -> None:
    """A worker's loop: open the store (or a view of it) read-only, answer jobs until the pipe closes. The
    Settings come pickled from the server: a worker reads no environment."""
    from .store import LocalStore, vanished_file
    from .work import run

    limits = Limits.of(settings)
    isolated = not limits.endpoints and no_network()
    store = LocalStore(path, read_only=True) if path else None
    _warm_up()
    _limit_memory(limits.memory_mb)
    conn.send(("ready",))  # only now is the worker handed jobs: its start never counts against a timeout
    while True:
        try:
            job, view = conn.recv()
        except EOFError:
            return
        if view is not None and view != path:
            del store
            path = view
            store = LocalStore(path, read_only=True)
        for attempt in range(3):
            try:
                conn.send(("ok", run(store, job, limits, isolated)))
            except Refused as exc:
                conn.send(("error", exc.message, exc.status, exc.code))
            except MemoryError:
                conn.send(("error", "the query needed more memory than a query may use and was stopped", 503,
                           "too_much_memory"))
            except (OSError, RuntimeError) as exc:
                # Serving a store read-only while another process writes it (a load beside a --workers N
                # server): a table file vanished. Reading can be repeated; reopening sees the new files.
                if vanished_file(exc) and attempt < 2 and path:
                    del store
                    store = LocalStore(path, read_only=True)
                    continue
                conn.send(("error", "the query failed while it was evaluated (storage or network error)", 500,
                           "internal_error"))
            except (SyntaxError, ValueError, TypeError) as exc:
                conn.send(("error", str(exc) if isinstance(exc, SyntaxError) else f"{type(exc).__name__}: {exc}",
                           400, "bad_query"))
            except Exception as exc:  # a lookup's own bug: answered 500, logged in one line, the worker lives on
                print(f"policygraph worker: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
                conn.send(("error", "the server failed to answer this request", 500, "internal_error"))
            break


class _Worker:
    def __init__(self, ctx: Any, view: str | None, settings: Settings) -> None:
        self.job: object | None = None  # the job it is running, if any
        self.view = view  # the directory it has open
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(view, child, settings), daemon=True)
        self.process.start()
        child.close()

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


def _died(job: object) -> QueryFailed:
    if isinstance(job, UpdateCheck):
        return QueryFailed("the update needed more memory than an update may use (or crashed the engine) when "
                           "it was rehearsed on a copy of the store; nothing was written", 503, "too_much_memory")
    return QueryFailed("the query needed more memory than a query may use, or crashed the engine; it was "
                       "stopped", 503, "too_much_memory")


class QueryPool:
    """A fixed number of worker processes over one store directory (or none: parse checks only).

    With ``checkpoint`` (the live writer's ``LocalStore.checkpoint``), workers read views of the store
    made by it, one per version, in a directory beside the store; without, they read the store itself.
    """

    def __init__(self, path: str | None, *, settings: Settings | None = None, size: int | None = None,
                 timeout: float | None = None, checkpoint: Callable[[Path], None] | None = None,
                 limits: Limits | None = None, slow_after: float | None = None, queue_limit: int | None = None
                 ) -> None:
        settings = settings or Settings()
        self.settings = limits.within(settings) if limits else settings  # what the workers receive, pickled
        self.path = path
        self.size = size if size is not None else max(2, settings.query_workers)
        self.timeout = timeout if timeout is not None else settings.query_timeout
        self.limits = Limits.of(self.settings)
        self.slow_after = slow_after  # None: no query counts as slow (a server passes settings.slow_after)
        self.queue_limit = queue_limit if queue_limit is not None else settings.queue_limit
        self._checkpoint = checkpoint
        self.also_held: Callable[[], set[str]] = set  # views read by others (the Oxigraph server): kept
        self._views_dir = Path(path).with_name(f".{Path(path).name}.views") if path else Path()
        self._views: dict[int, str] = {}
        self._version = 0
        self._ctx = mp.get_context("spawn")  # no fork of a threaded server
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._waiters: list[asyncio.Future[_Worker]] = []  # newest last: served first
        self._slow: set[_Worker] = set()
        self._workers: list[_Worker] = []
        if checkpoint is not None:
            shutil.rmtree(self._views_dir, ignore_errors=True)  # left by a server that was killed
        for _ in range(self.size):
            self._add()

    @classmethod
    def serving(cls, path: str | None, settings: Settings,
                checkpoint: Callable[[Path], None] | None = None) -> QueryPool:
        """The server's pool: everything from its Settings."""
        return cls(path, settings=settings, checkpoint=checkpoint, slow_after=settings.slow_after)

    def view(self, version: int) -> str | None:
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
            held = {w.view for w in self._workers} | {newest} | self.also_held()
            for old in [v for v, d in self._views.items() if d not in held]:
                shutil.rmtree(self._views.pop(old), ignore_errors=True)
            return newest

    def _add(self) -> None:
        worker = _Worker(self._ctx, self.view(self._version), self.settings)
        with self._lock:
            self._workers.append(worker)
        threading.Thread(target=self._when_ready, args=(worker,), daemon=True).start()

    def wait_ready(self, patience: float = 60.0) -> bool:
        """Wait until every worker has started (a server calls this before it takes requests)."""
        deadline = time.monotonic() + patience
        while time.monotonic() < deadline:
            with self._lock:
                if len(self._idle) >= len(self._workers):
                    return True
            time.sleep(0.05)
        return False

    def _when_ready(self, worker: _Worker) -> None:
        """Hand a new worker out once it says it is ready; replace it if it died starting."""
        try:
            ready = worker.conn.poll(120) and worker.conn.recv() == ("ready",)
        except (EOFError, OSError, ValueError):
            ready = False
        if ready:
            self._release(worker)
            return
        with self._lock:
            closing = worker not in self._workers
        if not closing:
            time.sleep(1)  # do not spin if workers cannot start at all
            self.discard(worker)

    def _release(self, worker: _Worker) -> None:
        """Give a free worker to the newest waiter, or make it idle."""
        with self._lock:
            worker.job = None
            self._slow.discard(worker)
            while self._waiters:
                waiter = self._waiters.pop()
                if not waiter.done():
                    waiter.get_loop().call_soon_threadsafe(self._hand_over, waiter, worker)
                    return
            self._idle.append(worker)

    def _hand_over(self, waiter: asyncio.Future[_Worker], worker: _Worker) -> None:
        if waiter.done():  # it gave up meanwhile
            self._release(worker)
        else:
            waiter.set_result(worker)

    def discard(self, worker: _Worker, job: object | None = None) -> None:
        """Stop a worker and start a fresh one; with ``job``, only while the worker still runs that job."""
        with self._lock:
            if worker not in self._workers or (job is not None and worker.job is not job):
                return
            self._workers.remove(worker)
            self._slow.discard(worker)
        worker.stop()
        self._add()

    # ------------------------------------------------------------ blocking use (CLI, tests)

    def run(self, job: Job | UpdateCheck | Call) -> Any:
        """Run a job, waiting for a worker (up to the timeout); QueryTimeout if it then runs longer than it."""
        deadline = time.monotonic() + self.timeout
        worker = None
        while worker is None:
            with self._lock:
                worker = self._idle.pop() if self._idle else None
            if worker is None:
                if time.monotonic() > deadline:
                    raise QueryTimeout("every query worker stayed busy for the whole timeout")
                time.sleep(0.02)
        self._send(worker, job)
        if not worker.conn.poll(self.timeout):
            self.discard(worker)
            raise QueryTimeout(f"the query ran longer than {self.timeout:g} s and was stopped")
        return self._receive(worker, job)

    def _send(self, worker: _Worker, job: Job | UpdateCheck | Call) -> None:
        view = self.view(job.version) if self.path else None
        with self._lock:
            worker.job = job
            worker.view = view
        try:
            worker.conn.send((job, view))
        except (OSError, ValueError):
            self.discard(worker)
            raise _died(job) from None

    def _receive(self, worker: _Worker, job: object) -> Any:
        try:
            reply = worker.conn.recv()
        except (EOFError, OSError, ValueError):
            self.discard(worker)
            raise _died(job) from None
        self._release(worker)
        if reply[0] == "error":
            raise QueryFailed(reply[1], reply[2], reply[3])
        return reply[1]

    # ------------------------------------------------------------ the server's use

    async def submit(self, job: Job | UpdateCheck | Call, gone: Callable[[], Awaitable[bool]] | None = None,
                     deadline: float | None = None) -> Any:
        """Run a job from the event loop; stops it if ``gone()`` says the client left. With ``deadline`` (a
        ``time.monotonic()`` the request must be answered by: one the Oxigraph server began), waiting and
        running share it; without, each has the timeout."""
        loop = asyncio.get_running_loop()
        worker = await self._acquire(deadline or time.monotonic() + self.timeout, gone)
        await loop.run_in_executor(None, self._send, worker, job)
        deadline = deadline or time.monotonic() + self.timeout
        ready = loop.create_future()
        fd = worker.conn.fileno()
        loop.add_reader(fd, lambda: None if ready.done() else ready.set_result(None))
        try:
            await self._watch(worker, ready, deadline, gone)
        except BaseException:  # timed out, client gone, or the request itself cancelled
            loop.remove_reader(fd)  # before the worker (and its descriptor) goes
            self.discard(worker, job)
            raise
        loop.remove_reader(fd)
        os.set_blocking(fd, True)  # uvloop made it non-blocking; recv and send expect a blocking pipe
        return await loop.run_in_executor(None, self._receive, worker, job)

    async def _watch(self, worker: _Worker, ready: asyncio.Future[None], deadline: float,
                     gone: Callable[[], Awaitable[bool]] | None) -> None:
        """Wait for the answer; raise (the caller stops the worker) at the deadline, when the client has
        left, or when the query turns slow while the other workers are all held by slow queries."""
        started = time.monotonic()
        while not ready.done():
            await asyncio.wait({ready}, timeout=0.1)
            if ready.done():
                return
            now = time.monotonic()
            if now > deadline:
                raise QueryTimeout(f"the query ran longer than {self.timeout:g} s and was stopped")
            if gone is not None and await gone():
                raise QueryFailed("the client closed the connection", 400, "client_gone")
            self._check_slow(worker, now - started)

    def _check_slow(self, worker: _Worker, elapsed: float) -> None:
        """Keep one worker for short queries: a query turning slow when the others are all slow stops."""
        if self.slow_after is None or elapsed < self.slow_after or worker in self._slow:
            return
        with self._lock:
            crowded = len(self._slow) >= self.size - 1
            if not crowded:
                self._slow.add(worker)
        if crowded:
            raise QueryTimeout(f"the other workers are busy with long queries; this one was stopped after "
                               f"{self.slow_after:g} s so that short ones still get answered")

    async def _acquire(self, deadline: float, gone: Callable[[], Awaitable[bool]] | None) -> _Worker:
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._idle:
                return self._idle.pop()
            if len([w for w in self._waiters if not w.done()]) >= self.queue_limit:
                raise QueryTimeout("too many requests are waiting for a query worker")
            waiter: asyncio.Future[_Worker] = loop.create_future()
            self._waiters.append(waiter)
        taken = False
        try:
            while True:
                remaining = deadline - time.monotonic()
                done, _ = await asyncio.wait({waiter}, timeout=min(0.1, max(0.0, remaining)))
                if done:
                    taken = True
                    return waiter.result()
                if remaining <= 0:
                    raise QueryTimeout("every query worker stayed busy for the whole timeout")
                if gone is not None and await gone():
                    raise QueryFailed("the client closed the connection", 400, "client_gone")
        finally:
            if not waiter.done():
                waiter.cancel()
            elif not taken and not waiter.cancelled():
                self._release(waiter.result())  # handed over just as this request gave up
            with self._lock:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)

    def close(self) -> None:
        with self._lock:
            workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop()
        if self._checkpoint is not None:
            shutil.rmtree(self._views_dir, ignore_errors=True)
