"""What wraps the app: the body limit (413/408), the pre-routing cache of repeated GET /sparql answers, and
uvicorn's HTTP protocol guarded against slow or piled-up clients."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections import OrderedDict
from typing import Any, ClassVar

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from ..settings import Settings
from .core import CODES, Service, error_body

log = logging.getLogger("policygraph")


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
    body = JSONResponse(error_body(status, CODES[status], message)).body
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
                                       headers.get(b"host", b""), headers.get(b"x-forwarded-proto", b"")))
                # the host and the forwarded scheme: relative IRIs resolve against them
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


def guarded_protocol(settings: Settings) -> Any:
    """uvicorn's HTTP protocol with what it lacks against slow or piled-up clients (see ``GuardedProtocol``),
    its limits bound in: a partial that pickles, so ``--workers N`` processes get the same settings."""
    return functools.partial(GuardedProtocol, settings=settings)


class GuardedProtocol(HttpToolsProtocol):
    """A connection that has not sent a whole request head within ``header_timeout`` seconds of connecting
    (or of starting a request) is closed. Over ``max_connections``, a new connection makes room by closing
    the one that has waited longest for its head (so a client that sends its request at once gets in among
    thousands of slow ones), or is closed itself when every connection is busy with a request. Limits come
    from the Settings ``guarded_protocol`` binds."""

    _waiting: ClassVar[OrderedDict[GuardedProtocol, None]] = OrderedDict()  # yet to send a head, oldest first
    _head_timer: asyncio.TimerHandle | None = None
    _in_head = False

    def __init__(self, *args: Any, settings: Settings, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.settings = settings

    def _limits(self) -> Settings:
        return self.settings

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

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._in_head:  # a request head began in this data and is not whole yet: its time runs
            self._arm()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True  # armed after this data if the head is not whole in it (most are: no timer)

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _start_asgi_task(self, cycle: Any, app: Any) -> None:
        """Where uvicorn starts the app on a request: the lane of GET /sparql first (``web/lane.py``)."""
        take = _lane_of(app)
        if take is None or not take(self, cycle, app):
            super()._start_asgi_task(cycle, app)


@functools.cache
def _lane_of(app: Any) -> Any:
    """The ``take_lane`` of the app or of an app it wraps (uvicorn wraps it in its proxy-headers middleware)."""
    for _ in range(4):
        take = getattr(app, "take_lane", None)
        if take is not None or not hasattr(app, "app"):
            return take
        app = app.app
    return None
