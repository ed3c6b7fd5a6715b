"""The HTTP API: a SPARQL 1.1 Protocol endpoint, responsibility lookups, stored queries, the web page.

``create_app(store, settings)`` builds the app; nothing is created at import time.
Every error, everywhere, has one shape::

    {"error": {"status": 404, "code": "not_found", "message": "no actor named …"}}
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import hmac
import logging
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, ClassVar

import pyoxigraph as ox
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from . import __version__
from .pool import Limits, QueryPool, no_network
from .settings import Settings
from .store import LocalStore, Store

log = logging.getLogger("policygraph")


class ApiError(Exception):
    """An error answered in the one JSON shape."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def error_body(status: int, code: str, message: str) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message}}


_CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          406: "not_acceptable", 413: "too_large", 415: "unsupported_media_type", 422: "invalid_parameter",
          408: "request_timeout", 500: "internal_error", 502: "upstream_error", 503: "timeout"}


class BodyLimit:
    """Reject request bodies over ``limit`` bytes with 413, before they are read whole, and bodies that take
    longer than ``timeout`` seconds to arrive with 408. A client that leaves mid-body is logged in one line."""

    def __init__(self, app: ASGIApp, limit: int, timeout: float = 10.0) -> None:
        self.app, self.limit, self.timeout = app, limit, timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _reject(send, 413, f"the request body is over {self.limit} bytes")
            return
        seen = 0
        complete = declared in (None, b"0") and b"transfer-encoding" not in headers  # no body to wait for
        deadline = time.monotonic() + self.timeout

        async def counted() -> Message:
            nonlocal seen, complete
            if complete:  # the body is read: what follows is waiting for a disconnect
                return await receive()
            try:
                async with asyncio.timeout(max(0.01, deadline - time.monotonic())):
                    message = await receive()
            except TimeoutError:
                raise _TooSlow from None
            if message["type"] == "http.disconnect":
                raise _Gone
            seen += len(message.get("body", b""))
            complete = not message.get("more_body", False)
            if seen > self.limit:
                raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await _reject(send, 413, f"the request body is over {self.limit} bytes")
        except _TooSlow:
            await _reject(send, 408, f"the request body did not arrive within {self.timeout:g} s")
        except _Gone:
            log.warning("%s %s: the client left before sending its whole body", scope["method"], scope["path"])


async def _reject(send: Send, status: int, message: str) -> None:
    body = JSONResponse(error_body(status, _CODES[status], message)).body
    try:
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
    except (RuntimeError, OSError):  # a response had already begun, or the client is gone
        pass


class _TooLarge(Exception):
    pass


class _TooSlow(Exception):
    pass


class _Gone(Exception):
    pass


class FastSparql:
    """Answer a repeated GET /sparql from the cache before routing: the researcher's hot path.

    The key is the raw query string and Accept header of a request the route has
    already answered for the current store version; anything else goes on to the app.
    """

    def __init__(self, app: ASGIApp, fastapi: FastAPI) -> None:
        self.app, self.fastapi = app, fastapi

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == "/sparql" \
                and scope["query_string"]:
            service: Service | None = getattr(self.fastapi.state, "service", None)
            if service is not None:
                headers = dict(scope["headers"])
                hit = service.raw.get((service.version, scope["query_string"], headers.get(b"accept", b""),
                                       headers.get(b"host", b"")))  # the host: relative IRIs resolve against it
                if hit is not None:
                    body, content_type, tag, truncated = hit
                    extra = [(b"x-truncated", b"true")] if truncated else []
                    if headers.get(b"if-none-match") == tag:
                        await send({"type": "http.response.start", "status": 304, "headers": [(b"etag", tag)]})
                        await send({"type": "http.response.body", "body": b""})
                        return
                    await send({"type": "http.response.start", "status": 200, "headers": [
                        (b"content-type", content_type), (b"content-length", str(len(body)).encode()),
                        (b"etag", tag), (b"cache-control", b"no-cache"), *extra]})
                    await send({"type": "http.response.body", "body": body})
                    return
        await self.app(scope, receive, send)


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
        size += 200 + len(repr(key)) // 2  # the key and the entry's own overhead, roughly
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

    from .ontology import PG, STATE_GRAPH
    from .store import insert_data

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
        limits = Limits(max_rows=settings.max_rows, max_bytes=settings.max_answer_bytes,
                        max_nesting=settings.max_nesting, memory_mb=settings.worker_memory_mb,
                        endpoints=settings.service_endpoints)
        local = isinstance(store, LocalStore)
        # A writable store is being written by this process: workers read checkpoints of it, not the
        # directory its compactions rewrite (see pool.py). A remote store's workers only check requests.
        self.pool = QueryPool(store.location if local else None, size=max(2, settings.query_workers),
                              timeout=settings.query_timeout, limits=limits, slow_after=settings.slow_after,
                              queue_limit=settings.queue_limit,
                              checkpoint=store.checkpoint if local and not store.read_only else None)  # type: ignore[attr-defined]
        self.writer = Writer(isolate=local and not settings.service_endpoints)

    def cached(self, key: tuple[Any, ...]) -> Any:
        return self._cache.get((self.version, *key))

    def remember(self, key: tuple[Any, ...], value: Any, size: int) -> None:
        self._cache.put((self.version, *key), value, size)

    def remember_raw(self, query: bytes, accept: bytes, host: bytes, answer: tuple[bytes, bytes, bytes, bool]) -> None:
        self.raw.put((self.version, query, accept, host), answer, len(answer[0]) + len(query))

    def changed(self) -> None:
        self.generation = store_version(self.store)
        self.version += 1
        self._cache.clear()
        self.raw.clear()

    def close(self) -> None:
        self.pool.close()


def create_app(store: Store, settings: Settings | None = None) -> FastAPI:
    """The policygraph web app over a store."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        from .reason import is_stale, materialize

        if not getattr(store, "read_only", False) and is_stale(store):
            await run_in_threadpool(materialize, store)  # a load was interrupted: finish its inferences
        app.state.service = Service(store, settings)
        await run_in_threadpool(app.state.service.pool.wait_ready)  # serve once the query workers are up
        yield
        app.state.service.close()

    app = FastAPI(
        title="policygraph",
        version=__version__,
        summary="Who is responsible for what in Chinese regulations: SPARQL 1.1 endpoint and lookups.",
        lifespan=lifespan,
        # Swagger UI and ReDoc load their assets from a CDN; the page must work offline. The schema stays.
        docs_url=None,
        redoc_url=None,
    )
    if settings.cors:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                           allow_headers=["*"], expose_headers=["X-Truncated", "ETag"])
    app.add_middleware(BodyLimit, limit=settings.max_body, timeout=settings.header_timeout)
    app.add_middleware(FastSparql, fastapi=app)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.status, exc.code, exc.message), status_code=exc.status,
                            headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _CODES.get(exc.status_code, "error")
        return JSONResponse(error_body(exc.status_code, code, str(exc.detail)), status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return JSONResponse(error_body(422, "invalid_parameter", f"{where}: {first.get('msg', 'invalid')}"),
                            status_code=422)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # The message names no internal host, port, path or answer: those stay in the server's log.
        log.error("%s %s: %s: %s", request.method, request.url.path, type(exc).__name__, exc)
        return JSONResponse(error_body(500, "internal_error", "the server failed to answer this request"),
                            status_code=500)

    from .routes import register

    register(app, settings)
    _mount_page(app)
    return app


STATIC_DIR = Path(__file__).resolve().parent / "static"


def _mount_page(app: FastAPI) -> None:
    """The web page: one HTML shell, its script and style, and the bundled CodeMirror."""
    from fastapi.responses import FileResponse
    from fastapi.staticfiles import StaticFiles

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/ontology", include_in_schema=False)
    def ontology_page() -> Response:
        from .ontodoc import render

        return Response(render(), media_type="text/html; charset=utf-8")

    @app.get("/ontology.ttl", include_in_schema=False)
    def ontology_turtle() -> Response:
        from .ontology import ONTOLOGY_FILE

        return Response(ONTOLOGY_FILE.read_bytes(), media_type="text/turtle; charset=utf-8")


def app_from_env() -> FastAPI:
    """The app for ``uvicorn --factory`` worker processes: settings from the environment, store read-only."""
    from .store import open_store

    settings = Settings.from_env()
    return create_app(open_store(settings.store, read_only=True), settings)


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
    """The ETag of an answer: the request that asked it and the store's version (``store_version``)."""
    return '"' + hashlib.sha1(repr((generation, key)).encode()).hexdigest()[:20] + '"'


def guarded_protocol(settings: Settings) -> type:
    """uvicorn's HTTP protocol with what it lacks against slow or piled-up clients (see ``GuardedProtocol``),
    importable by name, so that ``--workers N`` processes get it too."""
    GuardedProtocol.settings = settings
    return GuardedProtocol


class GuardedProtocol(HttpToolsProtocol):
    """A connection that has not sent a whole request head within ``header_timeout`` seconds of connecting
    (or of starting a request) is closed. Over ``max_connections``, a new connection makes room by closing
    the one that has waited longest for its head (so a client that sends its request at once gets in among
    thousands of slow ones), or is closed itself when every connection is busy with a request. Limits come
    from ``guarded_protocol`` or, in a ``--workers N`` process, from the environment the parent set."""

    settings: Settings | None = None
    _waiting: ClassVar[OrderedDict[GuardedProtocol, None]] = OrderedDict()  # yet to send a head, oldest first
    _head_timer: asyncio.TimerHandle | None = None

    def _limits(self) -> Settings:
        if GuardedProtocol.settings is None:
            GuardedProtocol.settings = Settings.from_env()
        return GuardedProtocol.settings

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        if len(self.connections) > self._limits().max_connections:
            if not self._waiting:
                transport.abort()
                return
            oldest, _ = self._waiting.popitem(last=False)
            oldest._disarm()
            oldest.transport.abort()
        self._arm()

    def _arm(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self._limits().header_timeout, self._too_slow)
            self._waiting[self] = None

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
        self._waiting.pop(self, None)

    def _too_slow(self) -> None:
        self._head_timer = None
        self._waiting.pop(self, None)
        if not self.transport.is_closing():
            self.transport.close()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)
