"""What every router shares, and nothing that a router defines: errors in the one JSON shape, the answer
caches, the writer thread, the ``Service`` (store, query pool, writer, version), ETags from the data, the
token check, and the helpers that run a job on a query worker or a lookup through the cache.

This module imports no router (``web/*.py``) and not ``api``: they import it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import hmac
import importlib
import json
import logging
import os
import pickle
import queue
import socket
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox
from fastapi import Request
from fastapi.concurrency import run_in_threadpool

from ..pool import Call, Job, QueryFailed, QueryPool, QueryTimeout, UpdateCheck, no_network
from ..settings import Settings
from ..sidecar import Sidecar
from ..store import LocalStore, RemoteStore, Store

log = logging.getLogger("policygraph")
JSON = "application/json"
DEADLINE = "policygraph.deadline"  # scope key: when a query handed on by the pass-through must be answered


class ApiError(Exception):
    """An error answered in the one JSON shape."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def error_body(status: int, code: str, message: str) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message}}


CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          406: "not_acceptable", 413: "too_large", 415: "unsupported_media_type", 422: "invalid_parameter",
          408: "request_timeout", 500: "internal_error", 502: "upstream_error", 503: "timeout"}


class ByteCache:
    """Least recently used answers, bounded by their total size in bytes (not by their number)."""

    def __init__(self, limit: int) -> None:
        self.limit, self.size = limit, 0
        self._entries: OrderedDict[Any, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            hit = self._entries.get(key)
            if hit is None:
                return None
            self._entries.move_to_end(key)
            return hit[0]

    def put(self, key: Any, value: Any, size: int) -> None:
        size += 200  # the key and the entry's own overhead, roughly (not its repr: a query's text, every request)
        for part in key:
            if part.__class__ is str or part.__class__ is bytes:
                size += len(part)
        if size > self.limit // 8:
            return  # one answer may not crowd out the rest
        with self._lock:
            old = self._entries.pop(key, None)
            self.size -= old[1] if old else 0
            self._entries[key] = (value, size)
            self.size += size
            while self.size > self.limit:
                _, (_, dropped) = self._entries.popitem(last=False)
                self.size -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.size = 0

    def __len__(self) -> int:
        return len(self._entries)


class Sightings:
    """Queries seen once, as fingerprints (the built-in hash of the raw query string) in a fixed table, a slot per
    hash: the newest fingerprint wins its slot, so the table never grows. ``again`` says whether a query was seen
    before; an answer is kept in the caches only from its second sighting on, so that queries asked once (most of
    them, for researchers) pay no cache write. A query whose fingerprint was pushed out is seen once more before
    it is cached; two queries with the same 64-bit hash would only be cached one sighting early."""

    SLOTS = 1 << 14  # 128 KB of slots (and the ints they hold): queries asked again within ~16k others are seen

    def __init__(self) -> None:
        self._table = [0] * self.SLOTS
        self._mask = self.SLOTS - 1

    def again(self, key: bytes) -> bool:
        """Whether ``key`` was seen before (and remember it, if not)."""
        fingerprint = hash(key)
        slot = fingerprint & self._mask
        if self._table[slot] == fingerprint:
            return True
        self._table[slot] = fingerprint
        return False


class Writer:
    """The one thread that writes the store: updates run here, one at a time, on a large stack, and (for an
    embedded store, unless allow_service names endpoints) in a network namespace with no network."""

    STACK = 64 * 1024 * 1024

    def __init__(self, isolate: bool) -> None:
        self._jobs: queue.Queue[tuple[Callable[[], Any], concurrent.futures.Future[Any]]] = queue.Queue()
        self.isolated = False
        previous = threading.stack_size(self.STACK)
        try:
            self._thread = threading.Thread(target=self._loop, args=(isolate,), name="policygraph-writer",
                                            daemon=True)
            self._thread.start()
        finally:
            threading.stack_size(previous)

    def _loop(self, isolate: bool) -> None:
        self.isolated = isolate and no_network()
        if isolate and not self.isolated:
            log.warning("the update thread could not be taken off the network (unshare refused): SERVICE and "
                        "LOAD in updates are refused by the parse-tree check alone")
        while True:
            work, done = self._jobs.get()
            try:
                done.set_result(work())
            except BaseException as exc:  # handed to the awaiting request
                done.set_exception(exc)

    async def run(self, work: Callable[[], Any]) -> Any:
        done: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self._jobs.put((work, done))
        return await asyncio.wrap_future(done)


GENERATION = "https://w3id.org/policygraph/id/store"  # its pg:generation in the state graph: one per server write
_VERSION_QUERIES = (
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",  # graphs written, removed, grown
    "SELECT ?load ?t WHERE { GRAPH ?g { ?load prov:startedAtTime ?t } }",  # every load, reloads included
    f"SELECT ?gen WHERE {{ GRAPH <https://w3id.org/policygraph/id/graph/state> {{ <{GENERATION}> pg:generation ?gen "
    "} }",  # every write through this server
)


def store_version(store: Store) -> str:
    """The store's version, derived from its data: what graphs it holds and how large, when each document was
    loaded, and the generation every server write sets. It changes with every write by policygraph (a load
    adds graphs or a load time; an update sets a new generation) and is the same after a restart."""
    digest = hashlib.sha256()
    for query in _VERSION_QUERIES:
        rows = sorted(repr(sorted((k, str(v)) for k, v in row.items())) for row in store.select(query))
        digest.update(("\n".join(rows) + "\f").encode())
    return digest.hexdigest()[:24]


def new_generation() -> str:
    """Update text that gives the store a new generation (appended by the writer to every update)."""
    import uuid

    from ..ontology import PG, STATE_GRAPH
    from ..store import insert_data

    subject = f"<{GENERATION}>"
    return (f"DELETE WHERE {{ GRAPH {STATE_GRAPH} {{ {subject} pg:generation ?old }} }} ;\n"
            + insert_data([ox.Quad(ox.NamedNode(GENERATION), ox.NamedNode(PG + "generation"),
                                   ox.Literal(uuid.uuid4().hex), STATE_GRAPH)]))


class Service:
    """What the routes share: the store, the query pool, the writer, caches keyed by the store's version."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store, self.settings = store, settings
        self.version = 0  # this process's count of writes: names the workers' views and the cache entries
        self.generation = store_version(store)  # from the data: names answers in ETags, across restarts
        self._cache = ByteCache(settings.cache_bytes * 3 // 4)
        # Finished GET /sparql answers by raw query string and Accept header, for the fast path.
        self.raw = ByteCache(settings.cache_bytes // 4)
        self.sightings = Sightings()  # GET /sparql query strings seen once (web/relay.py caches from the second)
        local = isinstance(store, LocalStore)
        # A writable store is being written by this process: workers read checkpoints of it, not the
        # directory its compactions rewrite (see pool.py). A remote store's workers only check requests.
        writer = store.checkpoint if local and not store.read_only else None  # type: ignore[attr-defined]
        self.pool = QueryPool.serving(store.location if local else None, settings, checkpoint=writer)
        self.writer = Writer(isolate=local and not settings.service_endpoints)
        self.sidecar = _sidecar(store, settings)
        self.sidecar_version = -1  # the store version the sidecar's view was asked for
        self.relayed = 0  # GET /sparql requests taken at the connection (web/relay.py), shown by /healthz
        self._slot, self.cpus = claim_cpus(settings)  # (after the pool's processes started: they run anywhere)
        if self.cpus:
            os.sched_setaffinity(0, self.cpus)  # this thread, the event loop's, and the threads it starts later
            if self.sidecar is not None:
                self.sidecar.cpus = self.cpus
        if self.sidecar is not None:
            sidecar = self.sidecar
            self.pool.also_held = lambda: {v for v in (sidecar.view, sidecar.wanted) if v}

    def start_sidecar(self) -> None:
        """Start the Oxigraph server on the current view (blocking: the server calls it before serving)."""
        if self.sidecar is None:
            return
        view = self.pool.view(self.version)
        assert view is not None
        try:
            self.sidecar.start(view)
            self.sidecar_version = self.version
        except OSError as exc:
            log.error("the Oxigraph server could not be started (%s); /sparql uses the query workers", exc)

    def sidecar_ready(self) -> bool:
        """Whether the Oxigraph server answers for the current version; if not, it is started on its view
        (in the background: until then queries go to the query workers)."""
        sidecar = self.sidecar
        if sidecar is None:
            return False
        view = sidecar.wanted
        if self.sidecar_version != self.version:
            view = self.pool.view(self.version)  # a new version: its checkpoint is made here, once
            self.sidecar_version = self.version
        return view is not None and sidecar.current(view)

    def cached(self, key: tuple[Any, ...]) -> Any:
        return self._cache.get((self.version, *key))

    def remember(self, key: tuple[Any, ...], value: Any, size: int) -> None:
        self._cache.put((self.version, *key), value, size)

    def remember_raw(self, query: bytes, accept: bytes, host: bytes, proto: bytes,
                     answer: tuple[bytes, bytes, bytes, bool]) -> None:
        """Keep a GET /sparql answer by what it depends on: the query string, Accept, and the Host and
        X-Forwarded-Proto that relative IRIs resolve against."""
        self.raw.put((self.version, query, accept, host, proto), answer, len(answer[0]) + len(query))

    def changed(self) -> None:
        self.generation = store_version(self.store)
        self.version += 1
        self._cache.clear()
        self.raw.clear()

    def close(self) -> None:
        if self.sidecar is not None:
            self.sidecar.close()
        self.pool.close()


def claim_cpus(settings: Settings) -> tuple[socket.socket | None, frozenset[int]]:
    """This server process's share of the CPUs, under ``--workers N`` with ``pin_cpus``: the process claims the
    first free slot of N (an abstract socket named by the supervisor's pid and the slot, bound while it lives, so
    a restarted process takes the slot its predecessor left), and slot k gets the k-th of N even parts of the CPUs
    (CPU k mod C when N >= C). The process and its Oxigraph server then run there: a query's hop from one to the
    other wakes a thread on the same core, not another core's (measured, README "The API"). (socket, CPUs), or
    (None, empty) when not pinned.

    >>> claim_cpus(Settings(workers=1))
    (None, frozenset())
    """
    if not settings.pin_cpus or settings.workers < 2 or not hasattr(os, "sched_getaffinity"):
        return None, frozenset()  # (one process, or a system without CPU affinity: nothing to pin)
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return None, frozenset()
    for slot in range(settings.workers):
        held = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            held.bind(f"\0policygraph-cpus-{os.getppid()}-{slot}")
        except OSError:
            held.close()
            continue
        n, parts = len(cpus), settings.workers
        share = [cpus[slot % n]] if parts >= n else cpus[slot * n // parts:(slot + 1) * n // parts]
        return held, frozenset(share)
    return None, frozenset()


def _sidecar(store: Store, settings: Settings) -> Sidecar | None:
    """The Oxigraph server behind /sparql, when the setting asks for it, the store is embedded and the binary
    is installed. It never sees a query that could hold SERVICE: those (and allow_service) are the workers'."""
    from ..sidecar import binary

    program = binary()
    if not settings.oxigraph_server or not isinstance(store, LocalStore):
        return None
    if program is None:
        log.warning("the oxigraph server binary is not installed: /sparql uses the query workers")
        return None
    return Sidecar(program, isolate=True, memory_mb=settings.worker_memory_mb)


def check_token(settings: Settings, authorization: str | None) -> None:
    """Updates need ``Authorization: Bearer <token>`` (the scheme in any case, RFC 7235), compared in constant
    time; a bare token or another scheme is refused."""
    if not settings.update_token:
        raise ApiError(403, "forbidden", "this endpoint is read-only (start the server with an update token "
                                         "to allow SPARQL Update)")
    scheme, _, given = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), settings.update_token.encode()):
        raise ApiError(403, "forbidden", "SPARQL Update needs a valid Bearer token (Authorization: Bearer …)")


def etag(key: tuple[Any, ...], generation: str) -> str:
    """The ETag of an answer: the request that asked it and the store's version (``store_version``), hashed from
    their pickle (protocol 4: the same bytes for the same strings, tuples and None in every process and after a
    restart, and two different keys never give the same bytes; a third of the time ``repr`` took on a query).

    >>> etag(("sparql", "ASK {}", (), (), None, "http://x/sparql"), "g") == etag(("sparql", "ASK {}", (), (), None,
    ...                                                                            "http://x/sparql"), "g")
    True
    """
    return '"' + hashlib.sha1(pickle.dumps((generation, key), 4)).hexdigest()[:20] + '"'


def service(request: Request) -> Service:
    """The app's Service (made by the app's lifespan)."""
    found: Service = request.app.state.service
    return found


def decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = f"the {what} is not valid UTF-8 ({exc.reason} at byte {exc.start})"
        raise ApiError(400, "bad_request", message) from None


async def pooled(request: Request, job: Job | UpdateCheck | Call) -> Any:
    """Run a job on a query worker; its failures as the API's errors."""
    pool = service(request).pool
    assert pool is not None
    try:  # a query the Oxigraph server began and lost keeps its deadline (web/passthrough.py)
        return await pool.submit(job, gone=request.is_disconnected, deadline=request.scope.get(DEADLINE))
    except QueryTimeout as exc:
        raise ApiError(503, "timeout", f"{exc}; simplify the query or add a LIMIT",
                       headers={"Retry-After": "1"}) from None
    except QueryFailed as exc:
        headers = {"Retry-After": "1"} if exc.status == 503 else None
        raise ApiError(exc.status, exc.code, str(exc), headers=headers) from None


async def lookup(request: Request, function: str, *args: Any) -> bytes:
    """A lookup's JSON (``function`` is "policygraph.module:name"): from the cache, else from a query worker
    (in this process for a remote store, whose server does the work)."""
    current = service(request)
    key = ("call", function, args)
    body = current.cached(key)
    if body is None:
        if isinstance(current.store, RemoteStore) or current.pool is None:
            module, _, name = function.partition(":")
            call = getattr(importlib.import_module(module), name)
            found = await run_in_threadpool(call, current.store, *args)
            body = json.dumps(found, ensure_ascii=False).encode()
        else:
            body = await pooled(request, Call(function, args, current.version))
        current.remember(key, body, len(body))
    return bytes(body)
