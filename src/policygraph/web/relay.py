"""GET /sparql relayed at the connection: uvicorn's protocol with a lean path of its own for the queries Oxigraph's
server answers (issue 17). ``bench/bench_front.py`` showed where a request's time went: a bare front relaying
each query to an Oxigraph server cost about 190 µs of CPU, policygraph's lane 359 µs — uvicorn's per-request
machinery (the scope, the request-response cycle, a task, ASGI messages) and the lane's Python around it. Here a
GET /sparql is taken as its head is parsed, before any of that is made, and relayed with callbacks alone (no task,
no coroutine): the raw cache, the checks, the Oxigraph server, the answer written in one piece.

What it keeps, as the pass-through (``passthrough.py``) does, with its own code for the decisions:

- **Which requests.** GET /sparql with a query string, HTTP/1.1, no body (no ``Content-Length`` or
  ``Transfer-Encoding``), no ``Expect``, no ``X-Forwarded-For``/``-Proto`` (the proxy-headers middleware would
  rewrite the endpoint's URL), ``cors`` off, nothing pipelined before it; and a query the raw cache answers, or
  one the pass-through may hand to the server (``Passthrough._asked``: no ``service`` in the text, nesting,
  JSON results, a base IRI) while it is up. Anything else is uvicorn's as before (the lane, then the app).
- **Cache, ETags, 304**: the raw cache and the answer cache under the route's keys and tags, written from a
  query's second sighting on (``core.Sightings``: a query string seen once is remembered by its hash only, and
  looked up in neither cache); the ETag is the route's on every sighting, so a repeat with it is 304.
- **Timeout**: past ``query_timeout`` the request is answered 503 and the server killed (the one way to stop a
  query, ``sidecar.py``); a query whose server was killed to stop another is asked again of the next one
  within its own deadline.
- **A departed client**: the connection's ``connection_lost`` says so; a query still running ``_QUICK`` after it
  began is stopped by killing the server, and nothing is written.
- **The request to the server**: a plain query string (``passthrough._plain_query``: ASCII, the one field, no stray
  ``%``; at most 4 KB, and no U+FFFD once decoded) is passed on as it came, by GET, after the ``BASE`` line and the
  built-in prefixes the query names, percent-encoded — the server reads it as the checks here did — so nothing is
  encoded again; any other query is decoded here and POSTed. The answer is handed back by a callback of the
  connection's parser (``sidecar._Exchange.ask``), with no future in between.
- **The workers**: when they must answer (the server went away by itself, the answer is over the row-cap or
  byte bound, an error, a CONSTRUCT), the request is given to uvicorn's own task with its deadline, as the
  lane hands it on (the app's pass-through passes a request with a deadline straight to the route).
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import time
from typing import Any
from urllib.parse import quote

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol, RequestResponseCycle

from ..settings import Settings
from ..sidecar import Lost, TooLarge
from .core import CODES, DEADLINE, Service, error_body, etag, log
from .middleware import GuardedProtocol
from .passthrough import (
    _DECLARED,
    _QUICK,
    JSON_RESULTS,
    Passthrough,
    _as_route,
    _most_bytes,
    _passable,
    _plain_query,
    _prefixes,
    _query_of,
    _whole,
)

_JSON = JSON_RESULTS.encode()
_POST = (b"POST /query HTTP/1.1\r\nHost: oxigraph\r\nContent-Type: application/sparql-query\r\nAccept: " + _JSON
         + b"\r\nContent-Length: ")  # the request to the Oxigraph server, up to its length
_GET = b"GET /query?query="  # a plain query string is passed on as it came, after the base and the prefixes
_GET_LONGEST = 4096  # longer ones are POSTed: the server answers 400 to a request head over about 8 KB
_GET_END = b" HTTP/1.1\r\nHost: oxigraph\r\nAccept: " + _JSON + b"\r\n\r\n"
_DECLARED_ENCODED = [(name, quote(line, safe="").encode()) for name, line in _DECLARED]
_NOT_TAKEN = frozenset((b"content-length", b"transfer-encoding", b"x-forwarded-for", b"x-forwarded-proto",
                        b"expect", b"upgrade"))


def relay_protocol(settings: Settings) -> Any:
    """The protocol ``serve`` gives uvicorn: a partial that pickles, for ``--workers N`` processes."""
    return functools.partial(RelayProtocol, settings=settings)


@functools.cache
def _passthrough(app: Any) -> Passthrough | None:
    """The pass-through the app is or wraps (uvicorn wraps it in its proxy-headers middleware)."""
    for _ in range(4):
        if isinstance(app, Passthrough):
            return app
        app = getattr(app, "app", None)
    return None


class _Relay:
    """What every relayed request of a process reads: the pass-through, the ``Service``, the limits from its
    settings, and the endpoint's URL (the base IRI) by what it depends on, each found once."""

    def __init__(self, passthrough: Passthrough, service: Service) -> None:
        settings = service.settings
        self.passthrough, self.service, self.sidecar = passthrough, service, service.sidecar
        self.timeout, self.nesting = settings.query_timeout, settings.max_nesting
        self.limit = min(settings.max_answer_bytes, _most_bytes(settings.max_rows))  # the row-cap bound
        self._bases: dict[tuple[Any, ...], tuple[str, bytes] | None] = {}

    @staticmethod
    def of(app: Any) -> _Relay | None:
        passthrough = _passthrough(app)
        service: Service | None = None if passthrough is None else getattr(passthrough.app.state, "service", None)
        if passthrough is None or service is None or service.sidecar is None or service.settings.cors:
            return None
        return _relay(passthrough, service)

    def asked(self, protocol: RelayProtocol, query_string: bytes, headers: dict[bytes, bytes]
              ) -> tuple[str, str | None, str, bytes] | None:
        """(query, Accept, base, the request to the server) of a request the server may answer, else None:
        the pass-through's checks (``Passthrough._asked``)."""
        plain = _plain_query(query_string)
        query = plain if plain is not None else _query_of(query_string)
        if query is None or not _passable(query, self.nesting):
            return None
        raw = headers.get(b"accept")
        accept = None if raw is None else raw.decode("latin-1")
        if not self.passthrough._json(accept):
            return None
        based = self.base(protocol, headers.get(b"host"))
        if based is None:
            return None
        base, line = based
        if plain is not None and len(query_string) <= _GET_LONGEST and "\ufffd" not in query:
            # the server decodes the same query string alike (as form fields: + a space, %XX a byte, UTF-8)
            prefixes = b"".join([encoded for name, encoded in _DECLARED_ENCODED if name in query])
            return query, accept, base, b"".join((_GET, line, prefixes, query_string[6:], _GET_END))
        text = f"BASE <{base}>\n{_prefixes(query)}{query}".encode()
        return query, accept, base, b"%s%d\r\n\r\n%s" % (_POST, len(text), text)

    def base(self, protocol: RelayProtocol, host: bytes | None) -> tuple[str, bytes] | None:
        """The endpoint's URL, as the route's ``url_for`` makes it (``Passthrough._base``), and its ``BASE``
        line percent-encoded; None if the engine's term parser does not take it as an IRI."""
        key = (protocol.scheme, host, protocol.server)
        try:
            return self._bases[key]
        except KeyError:
            pass
        scope = {"type": "http", "scheme": protocol.scheme, "server": protocol.server, "root_path": "",
                 "path": "/sparql", "query_string": b"", "headers": [] if host is None else [(b"host", host)]}
        base = self.passthrough._base(scope, {} if host is None else {b"host": host})
        if len(self._bases) > 1000:
            self._bases.clear()
        found = self._bases[key] = None if base is None else (base, quote(f"BASE <{base}>\n", safe="").encode())
        return found


@functools.cache
def _relay(passthrough: Passthrough, service: Service) -> _Relay:
    return _Relay(passthrough, service)


class RelayProtocol(GuardedProtocol):
    """uvicorn's protocol (with ``GuardedProtocol``'s limits) taking GET /sparql itself (the module's docstring).
    A request head is collected as it is parsed (its URL and raw headers); once whole, it is either relayed here
    or given to uvicorn's own callbacks, replayed, as if they had seen it all along."""

    _flight: _Flight | None = None  # the request relayed on this connection, until answered
    _mine = False  # whether the message being parsed is relayed here
    _relay: _Relay | None = None  # found on the connection's first GET /sparql

    def on_message_begin(self) -> None:
        self._in_head = True
        self._url = b""
        self._raw: list[tuple[bytes, bytes]] = []  # a new list each message: a flight keeps its own
        self._mine = False

    def on_url(self, url: bytes) -> None:
        self._url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        self._raw.append((name.lower(), value))

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._disarm()
        if self._flight is None and not self.pipeline and (self.cycle is None or self.cycle.response_complete):
            try:
                self._mine = self._take()
            except Exception as exc:  # never the client's 400: uvicorn's path answers it instead
                log.error("GET /sparql (relay): %s: %s", type(exc).__name__, exc)
                self._flight = None
            if self._mine:
                return
        HttpToolsProtocol.on_message_begin(self)  # uvicorn's own, replayed: its scope, its cycle, its task
        self.url = self._url
        for name, value in self._raw:
            HttpToolsProtocol.on_header(self, name, value)
        if self._flight is not None:
            self.cycle = _BUSY  # uvicorn queues a request behind one in flight, started once it is answered
        HttpToolsProtocol.on_headers_complete(self)

    def on_body(self, body: bytes) -> None:
        if not self._mine:
            super().on_body(body)

    def on_message_complete(self) -> None:
        if not self._mine:
            super().on_message_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        flight = self._flight
        if flight is not None:
            flight.gone()
        super().connection_lost(exc)

    def shutdown(self) -> None:
        if self._flight is None:
            super().shutdown()
        else:
            self._flight.keep_alive = False  # closed once answered

    def _take(self) -> bool:
        """Relay this request if it is one of those the module's docstring names (else False: uvicorn's)."""
        url = self._url
        if not url.startswith(b"/sparql?") or len(url) == 8 or b"#" in url or self.root_path:
            return False
        parser = self.parser
        if parser.get_method() != b"GET" or parser.get_http_version() != "1.1":
            return False
        relay = self._relay
        if relay is None:
            relay = self._relay = _Relay.of(self.app)
            if relay is None:
                return False
        headers = dict(reversed(self._raw))
        if not _NOT_TAKEN.isdisjoint(headers):
            return False
        service = relay.service
        query_string = url[8:]
        keep = service.sightings.again(query_string)  # a query seen once is in neither cache (nor written to)
        if keep:
            hit = service.raw.get((service.version, query_string, _as_route(headers, b"accept"),
                                   _as_route(headers, b"host"), b""))
            if hit is not None:
                service.relayed += 1
                _Flight(self, relay, query_string, headers, keep).answer_with(*hit)
                return True
        asked = relay.asked(self, query_string, headers)
        if asked is None or not service.sidecar_ready():
            return False
        service.relayed += 1
        flight = self._flight = _Flight(self, relay, query_string, headers, keep)
        flight.start(*asked)
        return True

    def _onward(self, flight: _Flight) -> None:
        """Give the request to uvicorn's own task (the lane, then the app's route and its workers), with its
        deadline, as if uvicorn had parsed it."""
        scope = _scope(self, flight)
        scope[DEADLINE] = flight.deadline
        cycle = RequestResponseCycle(
            scope=scope, transport=self.transport, flow=self.flow, logger=self.logger,  # type: ignore[arg-type]
            access_logger=self.access_logger, access_log=self.access_log,
            default_headers=self.server_state.default_headers, message_event=asyncio.Event(),
            expect_100_continue=False, keep_alive=flight.keep_alive, on_response=self.on_response_complete)
        cycle.more_body = False
        self.cycle = cycle
        HttpToolsProtocol._start_asgi_task(self, cycle, self.app)


class _Busy:
    response_complete = False


_BUSY: Any = _Busy()


def _scope(protocol: RelayProtocol, flight: _Flight) -> dict[str, Any]:
    """The ASGI scope uvicorn would have made of this request (``HttpToolsProtocol.on_message_begin`` and
    ``on_headers_complete``)."""
    return {"type": "http", "asgi": {"version": protocol.asgi_version, "spec_version": "2.3"},
            "http_version": "1.1", "server": protocol.server, "client": protocol.client, "scheme": protocol.scheme,
            "root_path": "", "headers": list(flight.raw), "state": protocol.app_state.copy(), "method": "GET",
            "path": "/sparql", "raw_path": b"/sparql", "query_string": flight.query_string}


_HEADS: dict[int, bytes] = {}  # a status line and uvicorn's default headers, written before every answer's own
_HEADS_OF: list[Any] = [None]  # of this list of default headers (uvicorn makes a new one each second: its date)


def _head(protocol: RelayProtocol, status: int) -> bytes:
    defaults = protocol.server_state.default_headers
    if defaults is not _HEADS_OF[0]:
        _HEADS.clear()
        _HEADS_OF[0] = defaults
    head = _HEADS.get(status)
    if head is None:
        head = _HEADS[status] = STATUS_LINE[status] + b"".join([b"%s: %s\r\n" % pair for pair in defaults])
    return head


class _Flight:
    """One relayed request: its answer from the raw cache, the answer cache or the Oxigraph server, written to
    the connection in one piece; or handed on to uvicorn's task."""

    __slots__ = ("began", "deadline", "done", "exchange", "headers", "keep", "keep_alive", "key", "left",
                 "protocol", "query_string", "raw", "relay", "request", "tag", "timer", "until")

    def __init__(self, protocol: RelayProtocol, relay: _Relay, query_string: bytes, headers: dict[bytes, bytes],
                 keep: bool) -> None:
        self.protocol, self.relay, self.query_string, self.headers = protocol, relay, query_string, headers
        self.keep = keep  # whether its answer goes into the caches: from the query's second sighting on
        self.raw = protocol._raw  # its headers, for the hand-on (the parser makes a new list for the next one)
        self.keep_alive = protocol.parser.should_keep_alive()
        self.deadline = self.until = self.began = 0.0  # until: asking again, the next server must be up by then
        self.key: tuple[Any, ...] = ()
        self.tag = self.request = b""
        self.exchange: Any = None
        self.timer: asyncio.TimerHandle | None = None
        self.done = self.left = False

    # ------------------------------------------------------------ asking

    def start(self, query: str, accept: str | None, base: str, request: bytes) -> None:
        """Answer from the answer cache, or ask the server (the pass-through's keys and tags)."""
        service = self.relay.service
        self.key = ("sparql", query, (), (), accept, base)
        self.tag = etag(self.key, service.generation).encode()
        if self.headers.get(b"if-none-match") == self.tag:
            self.write(304, b"etag: %s\r\n" % self.tag, b"")
            return
        hit = service.cached(self.key) if self.keep else None
        if hit is not None:
            self.answer(*hit)
            return
        self.request = request
        loop = self.protocol.loop
        self.began = loop.time()
        self.deadline = time.monotonic() + self.relay.timeout
        self.timer = loop.call_later(self.relay.timeout, self.stop, True)
        self.ask()

    def ask(self) -> None:
        """Send the request to the live server on an idle connection (or a new one)."""
        sidecar = self.relay.sidecar
        assert sidecar is not None
        exchange = sidecar.idle()
        if exchange is None:
            connecting = asyncio.ensure_future(sidecar.exchange())
            connecting.add_done_callback(self._connected)
            return
        self.exchange = exchange
        exchange.ask(self.request, self.relay.limit, self._answered)  # (may answer at once: a closed connection)

    def _connected(self, connecting: asyncio.Future[Any]) -> None:
        sidecar = self.relay.sidecar
        assert sidecar is not None
        if self.done:
            if not connecting.cancelled() and connecting.exception() is None:
                sidecar.give_back(connecting.result())
            return
        if connecting.cancelled() or connecting.exception() is not None:
            self.onward()  # Lost: no server to ask
            return
        self.exchange = connecting.result()
        self.exchange.ask(self.request, self.relay.limit, self._answered)

    def _answered(self, status: int, body: bytes, failed: BaseException | None) -> None:
        """The server's answer, or why there is none (``sidecar._Exchange.ask``); not called once the query was
        stopped (the exchange aborted)."""
        if self.done:
            return
        try:
            if isinstance(failed, Lost) and failed.killed and not self.left:
                self.until = min(self.deadline, time.monotonic() + 1.0)
                self._again()
            elif isinstance(failed, (Lost, TooLarge)):  # died by itself, or over the row-cap bound: the workers
                self.onward()
            elif failed is not None:
                self.fail(failed)
            else:
                self.relay.sidecar.give_back(self.exchange)  # type: ignore[union-attr]
                if status != 200 or not _whole(body):
                    self.onward()  # an error, a CONSTRUCT: the workers answer it, in their words
                    return
                if self.keep:
                    self.relay.service.remember(self.key, (body, JSON_RESULTS, False), len(body))
                self.answer(body, JSON_RESULTS, False)
        except Exception as exc:  # as the pass-through: logged, answered in the one shape
            self.fail(exc)

    def _again(self) -> None:
        """The server was killed to stop another query: ask the next one once it is up (about 40 ms), within
        a second and the deadline; else the workers answer."""
        if self.done or self.left:
            return
        if self.relay.service.sidecar_ready():
            self.ask()
        elif time.monotonic() + 0.01 < self.until:
            self.protocol.loop.call_later(0.01, self._again)
        else:
            self.onward()

    # ------------------------------------------------------------ stopping

    def stop(self, timeout: bool) -> None:
        """Stop the query (past the deadline, or its client gone): its server is killed; 503 on a timeout."""
        if self.done:
            return
        self.done = True
        self._clear()
        exchange, sidecar = self.exchange, self.relay.sidecar
        if exchange is not None and sidecar is not None:
            exchange.abort()
            sidecar.kill(exchange.generation)
        if timeout:
            message = (f"the query ran longer than {self.relay.timeout:g} s and was stopped; simplify the "
                       "query or add a LIMIT")
            self.write(503, b"content-type: application/json\r\nretry-after: 1\r\n",
                       json.dumps(error_body(503, CODES[503], message)).encode())

    def gone(self) -> None:
        """The client left: a query asked ``_QUICK`` ago or more is stopped now, a younger one then if it runs on."""
        self.left = True
        if self.done:
            return
        young = self.began + _QUICK - self.protocol.loop.time()
        if young > 0:
            self.protocol.loop.call_later(young, self.stop, False)
        else:
            self.stop(False)

    def _clear(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.protocol._flight is self:
            self.protocol._flight = None

    # ------------------------------------------------------------ answering

    def onward(self) -> None:
        """The workers answer (through uvicorn's task), by the same deadline; nobody, if the client left."""
        if self.done:
            return
        self.done = True
        self._clear()
        if self.left:
            return
        if not self.deadline:
            self.deadline = time.monotonic() + self.relay.timeout
        self.protocol._onward(self)

    def fail(self, exc: BaseException) -> None:
        log.error("GET /sparql: %s: %s", type(exc).__name__, exc)
        self.write(500, b"content-type: application/json\r\n",
                   json.dumps(error_body(500, CODES[500], "the server failed to answer this request")).encode())

    def answer_with(self, body: bytes, content_type: bytes, tag: bytes, truncated: bool) -> None:
        """Answer with a raw cache entry (its body, content type, ETag and whether it was cut), or 304."""
        if self.headers.get(b"if-none-match") == tag:
            self.write(304, b"etag: %s\r\n" % tag, b"")
            return
        self.write(200, b"content-type: %s\r\netag: %s\r\ncache-control: no-cache\r\n%s"
                   % (content_type, tag, b"x-truncated: true\r\n" if truncated else b""), body)

    def answer(self, body: bytes, content_type: str, truncated: bool) -> None:
        """Answer 200 with the server's (or the answer cache's) body, kept in the raw cache as the route does
        (from the query's second sighting on)."""
        kind = _JSON if content_type == JSON_RESULTS else content_type.encode()
        if self.keep:
            headers = self.headers
            self.relay.service.remember_raw(self.query_string, _as_route(headers, b"accept"),
                                            _as_route(headers, b"host"), b"", (body, kind, self.tag, truncated))
        self.answer_with(body, kind, self.tag, truncated)

    def write(self, status: int, headers: bytes, body: bytes) -> None:
        """The answer, in one write, as uvicorn's ``send`` would make it (its default headers, then ``headers``,
        each line ending in CRLF); then the connection goes on."""
        self.done = True
        self._clear()
        protocol = self.protocol
        transport = protocol.transport
        if self.left or transport.is_closing():
            return
        close = b"" if self.keep_alive else b"connection: close\r\n"
        transport.write(b"%s%scontent-length: %d\r\n%s\r\n%s" % (_head(protocol, status), headers, len(body),
                                                                 close, body))
        if protocol.access_log and protocol.access_logger.isEnabledFor(logging.INFO):
            protocol.access_logger.info('%s:%d - "GET /sparql?%s HTTP/1.1" %d', *(protocol.client or ("-", 0)),
                                        self.query_string.decode("latin-1"), status)
        if not self.keep_alive:
            transport.close()
        protocol.on_response_complete()
