"""The HTTP API: a SPARQL 1.1 Protocol endpoint, responsibility lookups, stored queries, the web page.

``create_app(store, settings)`` builds the app; nothing is created at import time.
Every error, everywhere, has one shape::

    {"error": {"status": 404, "code": "not_found", "message": "no actor named …"}}
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections import OrderedDict
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import __version__
from .pool import QueryPool
from .search import SearchIndex
from .settings import Settings
from .store import LocalStore, Store


class ApiError(Exception):
    """An error answered in the one JSON shape."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def error_body(status: int, code: str, message: str) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message}}


_CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          406: "not_acceptable", 413: "too_large", 415: "unsupported_media_type", 422: "invalid_parameter",
          500: "internal_error", 503: "timeout"}


class BodyLimit:
    """Reject request bodies over ``limit`` bytes with 413, before they are read whole."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._reject(send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await self._reject(send)

    async def _reject(self, send: Send) -> None:
        body = JSONResponse(error_body(413, "too_large", f"the request body is over {self.limit} bytes")).body
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
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
                hit = service.raw.get((service.version, scope["query_string"], headers.get(b"accept", b"")))
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


class Service:
    """What the routes share: the store, the query pool, caches keyed by the store's version."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store, self.settings = store, settings
        self.version = 0
        self._lock = threading.Lock()
        self._index: tuple[int, SearchIndex] | None = None
        self._cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        # Finished GET /sparql answers by raw query string and Accept header, for the fast path.
        self.raw: dict[tuple[int, bytes, bytes], tuple[bytes, bytes, bytes, bool]] = {}
        self.pool: QueryPool | None = None
        if isinstance(store, LocalStore):
            # A writable store is being written by this process: workers read checkpoints of it, not the
            # directory its compactions rewrite (see pool.py).
            self.pool = QueryPool(store.location, size=max(1, settings.workers * 2), timeout=settings.query_timeout,
                                  checkpoint=None if store.read_only else store.checkpoint)

    def index(self) -> SearchIndex:
        with self._lock:
            if self._index is None or self._index[0] != self.version:
                self._index = (self.version, SearchIndex(self.store))
            return self._index[1]

    def cached(self, key: tuple[Any, ...]) -> Any:
        with self._lock:
            hit = self._cache.get((self.version, *key))
            if hit:
                self._cache.move_to_end((self.version, *key))
            return hit

    def remember(self, key: tuple[Any, ...], value: Any) -> None:
        with self._lock:
            self._cache[(self.version, *key)] = value
            while len(self._cache) > 512:
                self._cache.popitem(last=False)

    def remember_raw(self, query: bytes, accept: bytes, answer: tuple[bytes, bytes, bytes, bool]) -> None:
        if len(self.raw) > 2048:
            self.raw.clear()
        self.raw[(self.version, query, accept)] = answer

    def changed(self) -> None:
        with self._lock:
            self.version += 1
            self._cache.clear()
            self.raw.clear()

    def close(self) -> None:
        if self.pool:
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
    app.add_middleware(BodyLimit, limit=settings.max_body)
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
        return JSONResponse(error_body(500, "internal_error", f"{type(exc).__name__}: {exc}"), status_code=500)

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
    """Updates need the server's update token as a Bearer token (compared in constant time)."""
    if not settings.update_token:
        raise ApiError(403, "forbidden", "this endpoint is read-only (start the server with an update token "
                                         "to allow SPARQL Update)")
    given = (authorization or "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), settings.update_token.encode()):
        raise ApiError(403, "forbidden", "SPARQL Update needs a valid Bearer token")


def etag(key: tuple[Any, ...], version: int) -> str:
    return '"' + hashlib.sha1(repr((version, key)).encode()).hexdigest()[:20] + '"'
