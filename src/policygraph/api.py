"""The HTTP API: a SPARQL 1.1 Protocol endpoint, responsibility lookups, stored queries, the web page.

``create_app(store, settings)`` builds the app from the routers in ``web/``; nothing is created at import
time. Where things are:

- ``web/core.py``: what the routers share (errors, ``Service``, ETags, the token check, the worker helpers);
  it imports no router.
- ``web/middleware.py``: the body limit, the pre-routing cache of repeated GET /sparql, uvicorn's guarded
  protocol.
- one router per resource: ``web/sparql.py``, ``documents.py``, ``actors.py``, ``questions.py``,
  ``queries.py``, ``links.py``, ``health.py``, ``page.py``.
- ``payloads.py``: what the query workers run for the lookups; ``work.py``/``pool.py``: the workers.

Every error, everywhere, has one shape::

    {"error": {"status": 404, "code": "not_found", "message": "no actor named …"}}
"""

from __future__ import annotations

import gc
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import __version__
from .settings import Settings
from .store import Store
from .web import actors, documents, health, links, page, queries, questions, sparql
from .web.core import CODES, ApiError, Service, Writer, check_token, error_body, etag, log, store_version
from .web.lane import Lane
from .web.middleware import BodyLimit, FastSparql, GuardedProtocol, guarded_protocol
from .web.passthrough import CORS
from .web.relay import relay_protocol

__all__ = ["ApiError", "GuardedProtocol", "Service", "Writer", "app_for", "check_token", "create_app", "etag",
           "guarded_protocol", "store_version"]

ROUTERS = (sparql, questions, actors, documents, links, queries, health, page)


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
        await run_in_threadpool(app.state.service.start_sidecar)  # and the Oxigraph server (web/passthrough.py)
        gc.freeze()  # what serving keeps (modules, indexes): full collections no longer walk it (~60 ms each)
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

        app.add_middleware(CORSMiddleware, **CORS)
    app.add_middleware(BodyLimit, limit=settings.max_body, timeout=settings.header_timeout)
    app.add_middleware(FastSparql, fastapi=app)
    _handle_errors(app)
    for module in ROUTERS:
        app.include_router(module.router)
    from .implementations import register as register_implementations

    register_implementations(app)
    page.mount_static(app)
    return app


def _handle_errors(app: FastAPI) -> None:
    """Every error in the one JSON shape."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.status, exc.code, exc.message), status_code=exc.status,
                            headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = CODES.get(exc.status_code, "error")
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


def app_for(settings: Settings) -> Lane:
    """The app of a ``--workers N`` process (uvicorn calls it in each; the Settings are pickled to it): the
    store read-only, with the fast path of GET /sparql in front (``web/passthrough.py``, ``web/lane.py``)."""
    import os

    from .store import open_store

    # libuv (uvloop) takes every pending connection at once: one process could take most of a burst of
    # keep-alive clients (24 of 32 here) and stay the bottleneck. One at a time, with a yield between, the
    # processes share them. Read by libuv when this process starts listening, after this factory runs.
    os.environ.setdefault("UV_TCP_SINGLE_ACCEPT", "1")
    return Lane(create_app(open_store(settings.store, read_only=True), settings))


def serve(settings: Settings) -> None:
    """Run the server: one process over the store, or ``settings.workers`` read-only processes, each given
    the Settings (pickled by uvicorn's process supervisor, with the guarded protocol that binds them)."""
    import functools
    import resource

    import uvicorn

    from .errors import StoreError
    from .store import open_store

    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)  # room for max_connections and the workers' pipes
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    limits: dict[str, Any] = {"host": settings.host, "port": settings.port, "log_level": "warning",
                              "http": relay_protocol(settings), "timeout_keep_alive": settings.keep_alive,
                              "h11_max_incomplete_event_size": 64 * 1024}
    if settings.workers <= 1:
        uvicorn.run(Lane(create_app(open_store(settings.store), settings)), **limits)
        return
    # Several processes share the store read-only; updates need the single writer.
    if settings.update_token:
        raise StoreError("SPARQL Update needs --workers 1 (one process may write the store)")
    open_store(settings.store, read_only=True).close()  # fail here, clearly, if it cannot be opened
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(functools.partial(app_for, settings), factory=True, workers=settings.workers, **limits)
    Multiprocess(config, sockets=[config.bind_socket()]).run()
