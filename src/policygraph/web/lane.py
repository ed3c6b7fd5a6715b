"""GET /sparql taken at uvicorn's protocol, before the ASGI stack: the pass-through's own path (``passthrough.py``),
less the Python around it. uvicorn has parsed the request and made its request-response cycle; where it would start
a task running the app (the proxy-headers middleware, then ``Passthrough``), ``GuardedProtocol`` asks
``Lane.take_lane`` first. A request it takes is answered by the pass-through's code, unchanged (the answer cache,
ETags and 304, the checks, the Oxigraph server, the timeout, a departed client), with its answer written to the
connection in one piece instead of through uvicorn's two writes. What it does not take goes on as before:

- **Taken**: GET /sparql with a query string, no body, no ``Expect`` (uvicorn has none pending), no
  ``X-Forwarded-For``/``-Proto`` (the proxy-headers middleware would rewrite the client or scheme, hence the
  endpoint's URL), ``cors`` off; and a query the cache answers, or one the pass-through may hand to the server
  while it is up. Everything else starts uvicorn's task as usual, and the pass-through sees it there.
- **Handed on**: when the workers must answer (the server went away, the answer is over the row cap, an error),
  the request is given back to uvicorn's own task, with its deadline: the pass-through passes a request with a
  deadline straight to the app. What the watcher for a departed client read of the request (a bodiless GET's one
  message) is given back by setting the cycle's event again, as uvicorn's ``receive`` reads it.
- **Connection**: as uvicorn's ``send`` does: its default headers, its access log, ``connection: close`` and
  closing when the cycle is not kept alive, nothing written once the client has gone, then ``on_response``
  (keep-alive timer, pipelined requests).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from starlette.types import Message
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol, RequestResponseCycle
from uvicorn.protocols.utils import get_client_addr, get_path_with_query_string

from .core import CODES, DEADLINE, Service, error_body, log
from .passthrough import Passthrough, _as_route, _cached, _headers, _query_of, _send

_NOT_TAKEN = frozenset((b"content-length", b"transfer-encoding", b"x-forwarded-for", b"x-forwarded-proto"))


class Lane(Passthrough):
    """The pass-through, with GET /sparql also taken at the protocol (see the module's docstring)."""

    def take_lane(self, protocol: HttpToolsProtocol, cycle: RequestResponseCycle, app: Any) -> bool:
        """Whether this request is answered here (in a task of its own); if not, uvicorn starts the app."""
        scope: Any = cycle.scope
        if scope["method"] != "GET" or scope["path"] != "/sparql" or not scope["query_string"] or DEADLINE in scope:
            return False  # (with a deadline: handed on by the relay, web/relay.py, for the workers)
        service: Service | None = getattr(self.app.state, "service", None)
        if service is None or service.sidecar is None or service.settings.cors or cycle.waiting_for_100_continue:
            return False
        headers = _headers(scope)
        if not _NOT_TAKEN.isdisjoint(headers):
            return False
        work: tuple[Any, ...] | None = service.raw.get((service.version, scope["query_string"],
                                                        _as_route(headers, b"accept"), _as_route(headers, b"host"),
                                                        b""))  # the lane takes no X-Forwarded-Proto
        if work is None:  # not in the raw cache: a query the server may answer
            query = _query_of(scope["query_string"])
            work = None if query is None else self._asked(query, scope, service, headers)
            if work is None or not service.sidecar_ready():
                return False
        task = protocol.loop.create_task(self._run(protocol, cycle, app, service, work, headers))
        task.add_done_callback(protocol.tasks.discard)
        protocol.tasks.add(task)
        return True

    async def _run(self, protocol: HttpToolsProtocol, cycle: RequestResponseCycle, app: Any, service: Service,
                   asked: tuple[Any, ...], headers: dict[bytes, bytes]) -> None:
        """Answer from the raw cache's ``hit`` (four items) or as the pass-through does what it ``asked``."""
        scope: Any = cycle.scope
        send = _Whole(cycle)
        try:
            if len(asked) == 4:
                await _cached(send, asked, headers)
                return
            receive: Any = cycle.receive  # uvicorn types its events; the pass-through takes plain messages
            onward = await self._answer(scope, receive, send, service, asked, headers)
        except Exception as exc:  # as the pass-through: logged, answered in the one shape
            log.error("GET /sparql: %s: %s", type(exc).__name__, exc)
            body = json.dumps(error_body(500, CODES[500], "the server failed to answer this request")).encode()
            if not cycle.response_complete:
                await _send(send, 500, [(b"content-type", b"application/json")], body)
            return
        if onward is not None:  # the workers answer it, through uvicorn's own task
            scope[DEADLINE] = onward.deadline
            if onward.read:
                cycle.message_event.set()  # gives the request's message again (uvicorn's receive)
            HttpToolsProtocol._start_asgi_task(protocol, cycle, app)


class _Whole:
    """An ASGI ``send`` for one answer of one body (``http.response.start`` then one ``http.response.body``),
    written to the connection in one piece, as uvicorn's ``send`` would write it in two."""

    def __init__(self, cycle: RequestResponseCycle) -> None:
        self.cycle = cycle
        self.status = 500
        self.headers: list[tuple[bytes, bytes]] = []

    async def __call__(self, message: Message) -> None:
        cycle = self.cycle
        if cycle.disconnected:
            return
        if message["type"] == "http.response.start":
            self.status, self.headers = message["status"], list(message.get("headers", []))
            cycle.response_started = True
            return
        out = [STATUS_LINE[self.status]]
        for name, value in (*cycle.default_headers, *self.headers):
            out += [name, b": ", value, b"\r\n"]
        if not cycle.keep_alive:
            out.append(b"connection: close\r\n")
        out += [b"\r\n", message.get("body", b"")]
        if cycle.access_log and cycle.access_logger.isEnabledFor(logging.INFO):
            scope: Any = cycle.scope
            cycle.access_logger.info('%s - "%s %s HTTP/%s" %d', get_client_addr(scope), scope["method"],
                                     get_path_with_query_string(scope), scope["http_version"], self.status)
        cycle.transport.write(b"".join(out))
        cycle.response_complete = True
        cycle.message_event.set()
        if not cycle.keep_alive:
            cycle.transport.close()
        cycle.on_response()
