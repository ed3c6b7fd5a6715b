"""The fast path of ``/sparql``: a query (GET, or POST with a short body) handed to Oxigraph's own server
(``sidecar.py``) and its answer passed back, with what that server lacks added here. Anything it cannot vouch
for goes on to the route (``web/sparql.py``) and the query workers, unchanged:

- **SERVICE.** Only a query whose text cannot hold the keyword is passed: ``service`` appears nowhere in it
  (case-folded) and it has no ``\\u`` escape (SPARQL expands those before parsing). Every other query goes to
  a worker, where rdflib's parse tree decides, as before. The server itself has no network either.
- **Nesting.** Passed only when the text holds fewer brackets than ``max_nesting`` (so it cannot nest deeper);
  else the workers' linear scan decides.
- **Row cap and answer bytes.** An answer is passed only while it is short enough that it cannot hold more
  than ``max_rows`` rows (three bytes a row at least, ``{},``; ``_most_bytes``) nor more than
  ``max_answer_bytes``; a longer one is dropped (the server stops) and the query goes to a worker, which cuts
  it and says so (``truncated``).
- **Timeout and a departed client.** Past the timeout the request is answered 503 and the server killed (it
  cannot cancel one query; ``sidecar.py``); so it is when the client leaves. Its other queries are asked
  again of the next server, keeping their deadlines.
- **POST.** A form or ``application/sparql-query`` body of at most 64 KB (and ``max_body``) with nothing in
  the URL is read here, within ``header_timeout`` (else 408, as the body limit answers), and given to the
  route again if the query goes on there.
- **Form and format.** JSON results only (what ``Accept`` negotiates to by default); the server answers 406 to
  a CONSTRUCT or DESCRIBE asked for in JSON, which then goes to a worker, as does any error, so every error
  message is the workers'. Relative IRIs resolve against the endpoint's URL (a ``BASE`` put first, checked as
  an IRI by the engine's term parser) and the built-in prefixes are declared, as on the workers.
- **Cache, ETags, 304, CORS** as the route: the same keys, the same tags; the CORS middleware's own code adds
  its headers.
"""

from __future__ import annotations

import asyncio
import binascii
import contextlib
import functools
import json
import time
from typing import Any
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send

from ..endpoint import SELECT_TYPES, negotiate
from ..ontology import PREFIXES
from ..settings import Settings
from ..sidecar import Lost, Sidecar, TooLarge
from .core import CODES, DEADLINE, Service, error_body, etag, log
from .middleware import _reject

CORS: dict[str, Any] = {"allow_origins": ["*"], "allow_methods": ["GET", "POST"], "allow_headers": ["*"],
                        "expose_headers": ["X-Truncated", "ETag"]}  # the app's CORS middleware (api.py)

JSON_RESULTS = "application/sparql-results+json"
FORM, SPARQL_QUERY = "application/x-www-form-urlencoded", "application/sparql-query"
_LONGEST = 64 * 1024  # longer query texts go to the workers (the checks here run on the event loop)
_QUICK = 0.05  # seconds an answer may take before the client and the deadline are watched
_DECLARED = [(f"{name}:", f"PREFIX {name}: <{iri}>\n") for name, iri in PREFIXES.items()]


class Passthrough:
    """The ASGI app uvicorn runs: /sparql queries answered here, before FastAPI's middleware and routing, from the
    answer cache or through the Oxigraph server when it can be (see the module's docstring); everything else
    goes on to the app. With ``cors`` set, its answers get the CORS middleware's own headers."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self._bases: dict[tuple[Any, ...], str | None] = {}
        self._accepts: dict[str | None, bool] = {}
        self._cors: Any = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        service: Service | None = getattr(self.app.state, "service", None)
        if (scope["type"] != "http" or scope["method"] not in ("GET", "POST") or scope["path"] != "/sparql"
                or service is None or service.sidecar is None or DEADLINE in scope):  # (the lane handed it on)
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        if service.settings.cors:
            if b"cookie" in headers:  # the CORS middleware names the origin then: leave it to it
                await self.app(scope, receive, send)
                return
            send = functools.partial(self._cors_middleware().send, send=send, request_headers=Headers(scope=scope))
        if scope["method"] == "GET":
            if await _from_cache(scope, send, service, headers):
                return
            query = _query_of(scope["query_string"])
        else:
            query, again = await _posted(scope, receive, send, headers, service.settings)
            if again is None:
                return  # answered 408
            receive = again
        asked = None if query is None else self._asked(query, scope, service, headers)
        if asked is None or not service.sidecar_ready():
            await self.app(scope, receive, send)
            return
        try:
            onward = await self._answer(scope, receive, send, service, asked, headers)
            if onward is not None:
                scope[DEADLINE] = onward.deadline
                await self.app(scope, onward.receive, send)
        except Exception as exc:  # as the app's own handler: logged, answered in the one shape
            log.error("GET /sparql: %s: %s", type(exc).__name__, exc)
            body = json.dumps(error_body(500, CODES[500], "the server failed to answer this request")).encode()
            with contextlib.suppress(RuntimeError, OSError):  # unless the answer had begun
                await _send(send, 500, [(b"content-type", b"application/json")], body)

    def _cors_middleware(self) -> Any:
        """The app's CORS settings (api.create_app), to add the very headers its middleware adds."""
        if self._cors is None:
            from fastapi.middleware.cors import CORSMiddleware

            self._cors = CORSMiddleware(self.app, **CORS)
        return self._cors

    def _asked(self, query: str, scope: Scope, service: Service, headers: dict[bytes, bytes]
               ) -> tuple[str, str | None, str] | None:
        """(query, Accept, base) of a request the server may answer, else None."""
        if not _passable(query, service.settings.max_nesting):
            return None
        raw = headers.get(b"accept")
        accept = None if raw is None else raw.decode("latin-1")
        if not self._json(accept):
            return None
        base = self._base(scope, headers)
        return None if base is None else (query, accept, base)

    def _json(self, accept: str | None) -> bool:
        """Whether ``Accept`` negotiates to JSON results (remembered: clients send few distinct ones)."""
        json_results = self._accepts.get(accept)
        if json_results is None:
            json_results = negotiate(accept, SELECT_TYPES) in (JSON_RESULTS, "application/json")
            if len(self._accepts) > 1000:
                self._accepts.clear()
            self._accepts[accept] = json_results
        return json_results

    def _base(self, scope: Scope, headers: dict[bytes, bytes]) -> str | None:
        """The endpoint's URL (as the route's ``url_for``), if the engine's term parser takes it as an IRI."""
        key = (scope.get("scheme"), headers.get(b"host"), scope.get("root_path"), scope.get("server"))
        if key not in self._bases:
            base: str | None = str(Request(scope).base_url) + "sparql"
            try:
                ox.NamedNode(base)  # type: ignore[arg-type]
            except ValueError:
                base = None
            if len(self._bases) > 1000:
                self._bases.clear()
            self._bases[key] = base
        return self._bases[key]

    async def _answer(self, scope: Scope, receive: Receive, send: Send, service: Service,
                      asked: tuple[str, str | None, str], headers: dict[bytes, bytes]) -> _Onward | None:
        """Answer from the cache or the server; else ``_Onward``, for the workers to answer by that deadline."""
        query, accept, base = asked
        key = ("sparql", query, (), (), accept, base)
        tag = etag(key, service.generation)
        if headers.get(b"if-none-match") == tag.encode("latin-1"):
            await _send(send, 304, [(b"etag", tag.encode())], b"")
            return None
        hit = service.cached(key)
        if hit is None:
            deadline = time.monotonic() + service.settings.query_timeout
            outcome = await self._ask(scope, receive, send, service, query, base, deadline)
            if outcome is None or isinstance(outcome, _Onward):
                return outcome  # None: answered 503, or the client left
            hit = (outcome, JSON_RESULTS, False)
            service.remember(key, hit, len(outcome))
        body, content_type, truncated = hit
        if scope["method"] == "GET":  # as the route: the raw cache is of GET requests
            service.remember_raw(scope["query_string"], _as_route(headers, b"accept"), _as_route(headers, b"host"),
                                 _as_route(headers, b"x-forwarded-proto"),
                                 (body, content_type.encode(), tag.encode(), truncated))
        extra = [(b"x-truncated", b"true")] if truncated else []
        await _send(send, 200, [(b"content-type", content_type.encode()), (b"etag", tag.encode()),
                                (b"cache-control", b"no-cache"), *extra], body)
        return None

    async def _ask(self, scope: Scope, receive: Receive, send: Send, service: Service, query: str, base: str,
                   deadline: float) -> bytes | _Onward | None:
        """The server's answer; ``_Onward`` when the workers must answer instead; None when this request is
        done (503 sent, or the client left). A query whose server was killed to stop another one is asked
        again of the next server, within its own deadline."""
        sidecar = service.sidecar
        assert sidecar is not None
        text = f"BASE <{base}>\n{_prefixes(query)}{query}".encode()
        request = (b"POST /query HTTP/1.1\r\nHost: oxigraph\r\nContent-Type: application/sparql-query\r\n"
                   b"Accept: " + JSON_RESULTS.encode() + b"\r\nContent-Length: " + str(len(text)).encode()
                   + b"\r\n\r\n" + text)
        watcher = _Watcher(receive)
        try:
            while True:
                outcome = await _once(sidecar, request, service.settings, watcher, deadline, send)
                if outcome is not _AGAIN:
                    return outcome
                watcher.listen()  # before asking again: has its client left meanwhile?
                await asyncio.sleep(0)
                if not await _ready_again(service, deadline):
                    return None if watcher.gone else watcher.onward(deadline)
                if watcher.gone:  # not asked of the next server, which stopping it would kill again
                    return None
        finally:
            watcher.cancel()


_AGAIN = object()  # the server was killed to stop another query: ask the next one


async def _once(sidecar: Sidecar, request: bytes, settings: Settings, watcher: _Watcher, deadline: float,
                send: Send) -> Any:
    """One try on the live server: its answer's body, ``_Onward``, ``_AGAIN``, or None (done here)."""
    try:
        exchange = sidecar.idle() or await sidecar.exchange()
    except Lost:
        return watcher.onward(deadline)
    answer = exchange.send(request, min(settings.max_answer_bytes, _most_bytes(settings.max_rows)))
    watch = asyncio.get_running_loop().call_later(_QUICK, watcher.watch, answer, deadline)
    try:
        status, _, body = await answer
    except _Stopped as stop:
        exchange.abort()
        sidecar.kill(exchange.generation)  # the one way to stop the query (sidecar.py)
        if stop.timeout:
            await _timeout(send, settings.query_timeout)
        return None
    except Lost as lost:
        return _AGAIN if lost.killed else watcher.onward(deadline)  # died by itself: the workers find out why
    except TooLarge:
        return watcher.onward(deadline)
    finally:
        watch.cancel()
    sidecar.give_back(exchange)
    if status != 200 or not _whole(body):
        return watcher.onward(deadline)  # an error, a CONSTRUCT: the workers answer it, in their words
    return body


async def _ready_again(service: Service, deadline: float) -> bool:
    """Wait for the server that replaces a killed one (about 40 ms; at most a second, and never past the
    deadline: if it is not up by then, the workers answer)."""
    until = min(deadline, time.monotonic() + 1.0)
    while time.monotonic() < until:
        if service.sidecar_ready():
            return True
        await asyncio.sleep(0.01)
    return False


class _Onward:
    """The request goes on to the route (and the query workers), with what was read of it (``read``: whether
    the watcher took any of the client's messages, which ``receive`` gives back first), to be answered by
    ``deadline``."""

    def __init__(self, receive: Receive, deadline: float, read: bool) -> None:
        self.receive, self.deadline, self.read = receive, deadline, read


class _Stopped(Exception):
    """The answer is no longer awaited: past the deadline (``timeout``), or the client left."""

    def __init__(self, timeout: bool) -> None:
        super().__init__("timeout" if timeout else "gone")
        self.timeout = timeout


class _Watcher:
    """Once an answer is slow (``_QUICK``), watches for the client leaving (``http.disconnect``) and for the
    deadline: either ends the wait for the answer with ``_Stopped``."""

    def __init__(self, receive: Receive) -> None:
        self._receive = receive
        self._read: list[Message] = []
        self._task: asyncio.Task[None] | None = None
        self._timer: asyncio.TimerHandle | None = None

    async def _until_gone(self) -> None:
        while True:
            message = await self._receive()
            if message["type"] == "http.disconnect":
                return
            self._read.append(message)

    def watch(self, answer: asyncio.Future[Any], deadline: float) -> None:
        def stop(timeout: bool) -> None:
            if not answer.done():
                answer.set_exception(_Stopped(timeout))

        def gone(task: asyncio.Task[None]) -> None:
            if not task.cancelled():
                stop(False)

        if self._timer is not None:
            self._timer.cancel()  # asked again of the next server: the same deadline, a new answer
        task = self.listen()
        task.add_done_callback(gone)
        self._timer = asyncio.get_running_loop().call_later(max(0.0, deadline - time.monotonic()), stop, True)

    def listen(self) -> asyncio.Task[None]:
        """Start reading the client's messages (if not yet): the task ends when it leaves."""
        if self._task is None:
            self._task = asyncio.ensure_future(self._until_gone())
        return self._task

    @property
    def gone(self) -> bool:
        """Whether the client is known to have left."""
        return self._task is not None and self._task.done() and not self._task.cancelled()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self._task is not None and not self._task.done():
            self._task.cancel()

    def onward(self, deadline: float) -> _Onward:
        """The request for the workers: a receive that gives back first what the watcher read, then the
        client's own."""
        read = self._read
        taken = bool(read)

        async def receive() -> Message:
            return read.pop(0) if read else await self._receive()

        return _Onward(receive, deadline, taken)


def _query_of(encoded: bytes) -> str | None:
    """The query of a query string (or form body) that holds a ``query`` and nothing else, as ``parse_qsl``
    reads it: a plain one decoded in C (``_plain_query``), any other by ``parse_qsl``.

    >>> plain = b"query=ASK%20%7B%3Fs+%3Fp%20%22%E5%8E%BF%22%7D"
    >>> _query_of(plain) == _query_of(plain + b"&") == 'ASK {?s ?p "县"}'  # the second by parse_qsl
    True
    """
    plain = _plain_query(encoded)
    if plain is not None:
        return plain
    try:
        fields = parse_qsl(encoded.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        return None
    return fields[0][1] if len(fields) == 1 and fields[0][0] == "query" else None


def _plain_query(encoded: bytes) -> str | None:
    """The query of a plain ``query=…`` (ASCII, no other field, ``=`` or line break, no stray ``%``), decoded in
    C as ``parse_qsl`` would: the percent escapes read as quoted-printable ones, which ``binascii`` decodes alike
    (each scan here is one in C). A stray ``%`` (one that opens no escape: ``parse_qsl`` keeps it) is found by the
    length of what was decoded — every escape is three characters made one, and ``binascii`` makes a stray one
    shorter by less — and then this is None, as it is for a query string that is not plain.

    >>> _plain_query(b"query=ASK%7B%7D+%23") == "ASK{} #", _plain_query(b"query=100%"), _plain_query(b"query=%zz")
    (True, None, None)
    """
    if (not encoded.startswith(b"query=") or not encoded.isascii() or encoded.find(b"=", 6) >= 0
            or b"&" in encoded or b"\r" in encoded or b"\n" in encoded):
        return None
    plain = encoded[6:].replace(b"+", b" ")
    decoded = binascii.a2b_qp(plain.replace(b"%", b"="))
    if len(decoded) != len(plain) - 2 * plain.count(b"%"):
        return None
    return decoded.decode("utf-8", "replace")


async def _posted(scope: Scope, receive: Receive, send: Send, headers: dict[bytes, bytes], settings: Settings
                  ) -> tuple[str | None, Receive | None]:
    """The query of a POST (a form, or ``application/sparql-query``) with a short body, nothing in its URL,
    and a receive that gives the body to the app again; (None, None) once answered 408 as the body limit
    does (``header_timeout``). Anything else is the app's, with its body limit (413) and its errors."""
    kind = headers.get(b"content-type", b"").decode("latin-1").split(";")[0].strip().lower()
    length = headers.get(b"content-length", b"").decode("latin-1")
    if (kind not in (FORM, SPARQL_QUERY) or scope["query_string"] or not length.isdigit()
            or int(length) > min(settings.max_body, _LONGEST) or b"transfer-encoding" in headers):
        return None, receive
    read: list[Message] = []
    body = b""
    try:
        async with asyncio.timeout(settings.header_timeout):
            while True:
                read.append(await receive())
                if read[-1]["type"] != "http.request":  # the client left: the app logs it
                    return None, _replaying(read, receive)
                body += read[-1].get("body", b"")
                if not read[-1].get("more_body", False) or len(body) > int(length):
                    break
    except TimeoutError:
        await _reject(send, 408, f"the request body did not arrive within {settings.header_timeout:g} s")
        return None, None
    again = _replaying(read, receive)
    if len(body) != int(length):
        return None, again
    if kind == FORM:
        return _query_of(body), again
    try:
        return body.decode("utf-8"), again
    except UnicodeDecodeError:
        return None, again


def _replaying(read: list[Message], receive: Receive) -> Receive:
    """A receive that gives back first what was read, then the client's own."""
    pending = list(read)

    async def again() -> Message:
        return pending.pop(0) if pending else await receive()

    return again


def _headers(scope: Scope) -> dict[bytes, bytes]:
    """The request's headers by (lower-case) name, the first of each name (as ``Headers.get``)."""
    return dict(reversed(scope["headers"]))


def _as_route(headers: dict[bytes, bytes], name: bytes) -> bytes:
    """A header as the route keys its raw cache (``request.headers.get(name, "").encode()``)."""
    value = headers.get(name, b"")
    return value if value.isascii() else value.decode("latin-1").encode()


def _prefixes(query: str) -> str:
    """The built-in prefixes the query may use (those whose ``name:`` it holds), declared as on the workers."""
    return "".join(line for name, line in _DECLARED if name in query)


def _passable(query: str, max_nesting: int) -> bool:
    """Whether a query may go to the Oxigraph server: it cannot hold SERVICE, nor nest deeper than allowed."""
    if (len(query) > _LONGEST or ("\\" in query and ("\\u" in query or "\\U" in query))
            or "service" in query.casefold()):
        return False
    return query.count("{") + query.count("(") + query.count("[") < max_nesting


def _most_bytes(max_rows: int) -> int:
    """The longest JSON results document that cannot hold more than ``max_rows`` rows: the shortest with
    ``n`` rows is ``{"head":{"vars":[]},"results":{"bindings":[{},{},…]}}``, 45 + 3n bytes.

    >>> six = '{"head":{"vars":[]},"results":{"bindings":[' + ",".join(["{}"] * 6) + "]}}"
    >>> _most_bytes(5) == len(six) - 1
    True
    """
    return 45 + 3 * (max_rows + 1) - 1


def _whole(body: bytes) -> bool:
    """Whether a JSON results document came whole (the server writes an error into a streamed answer)."""
    return body.startswith(b'{"head":') and (body.endswith(b"]}}") or body.endswith(b"true}")
                                              or body.endswith(b"false}"))


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [*headers, (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def _from_cache(scope: Scope, send: Send, service: Service, headers: dict[bytes, bytes]) -> bool:
    """Answer a GET /sparql the route or this pass-through has answered for this store version (``FastSparql``'s
    cache: the raw query string, Accept and Host)."""
    hit = service.raw.get((service.version, scope["query_string"], _as_route(headers, b"accept"),
                           _as_route(headers, b"host"), _as_route(headers, b"x-forwarded-proto")))
    if hit is None:
        return False
    await _cached(send, hit, headers)
    return True


async def _cached(send: Send, hit: tuple[bytes, bytes, bytes, bool], headers: dict[bytes, bytes]) -> None:
    """Answer with a raw cache entry (its body, content type, ETag and whether it was cut), or 304."""
    body, content_type, tag, truncated = hit
    if headers.get(b"if-none-match") == tag:
        await _send(send, 304, [(b"etag", tag)], b"")
        return
    extra = [(b"x-truncated", b"true")] if truncated else []
    await _send(send, 200, [(b"content-type", content_type), (b"etag", tag), (b"cache-control", b"no-cache"),
                            *extra], body)


async def _timeout(send: Send, timeout: float) -> None:
    message = f"the query ran longer than {timeout:g} s and was stopped; simplify the query or add a LIMIT"
    body = json.dumps(error_body(503, CODES[503], message)).encode()
    await _send(send, 503, [(b"content-type", b"application/json"), (b"retry-after", b"1")], body)


__all__ = ["Passthrough", "Sidecar"]
