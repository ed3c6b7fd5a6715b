"""Oxigraph's own server, read-only on the store's view, as the engine behind ``/sparql`` queries.

The ``oxigraph`` binary (from the ``oxigraph`` PyPI package) answers a SELECT or ASK in a fraction of the time a
hand-off to a Python worker process costs. It runs as ``oxigraph serve-read-only`` on the same directory the
query workers read (the checkpoint view of a written store, or the read-only store itself), so it never reads
files a compaction may delete. What it lacks, this module and ``web/passthrough.py`` add:

- **No network.** It is started from a thread that has moved into a network namespace of its own with only the
  loopback up (``unshare(CLONE_NEWNET)``), and every connection to it is a socket made in that thread: the
  server can reach nothing but itself. (Where the kernel refuses, it runs in the server's namespace and the
  pass-through's check — no query that could hold SERVICE ever reaches it — stands alone.)
- **Stopping a query.** Oxigraph cannot cancel one query (its ``--timeout-s`` did not stop a four-way cross
  product here), so a query past the timeout, or whose client left, is stopped by killing the whole server;
  the other queries it was running are answered by the query workers instead (``Lost``), and a new server is
  started on the current view in about 40 ms.
- **Memory.** Its address space is capped at what it uses once started plus ``worker_memory_mb`` (per
  thread arena kept small): an allocation past it kills the server, whose queries then go to the workers,
  where the one that needed the memory is stopped (503) and the others are answered.
"""

from __future__ import annotations

import asyncio
import ctypes
import fcntl
import functools
import logging
import os
import queue
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httptools

log = logging.getLogger("policygraph")
_CLONE_NEWNET = 0x40000000
_PR_SET_PDEATHSIG = 1


class Lost(Exception):
    """The server went away while it held the query: ``killed`` to stop another query, or died by itself
    (out of memory)."""

    def __init__(self, killed: bool = False) -> None:
        super().__init__("the Oxigraph server went away")
        self.killed = killed


class TooLarge(Exception):
    """The answer grew past the bytes the pass-through may hold (it may be over the row cap)."""


Answered = Callable[[int, bytes, "BaseException | None"], None]  # (status, body, failure): an answer, or why none


def binary() -> str | None:
    """The ``oxigraph`` server binary: beside this Python's executable (a venv), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def _loopback_up() -> None:
    """Bring up ``lo`` in the calling thread's (new) network namespace."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        request = struct.pack("16sH14x", b"lo", 0)
        flags = struct.unpack("16sH14x", fcntl.ioctl(s, 0x8913, request))[1]  # SIOCGIFFLAGS
        fcntl.ioctl(s, 0x8914, struct.pack("16sH14x", b"lo", flags | 1))  # SIOCSIFFLAGS, IFF_UP


class _Net:
    """One thread in a network namespace of its own (loopback only): it starts the server and makes every
    socket that talks to it, so both live in that namespace."""

    def __init__(self, isolate: bool) -> None:
        self._calls: queue.Queue[tuple[Callable[[], Any], queue.Queue[tuple[bool, Any]]]] = queue.Queue()
        self.isolated = False
        ready: queue.Queue[bool] = queue.Queue()
        threading.Thread(target=self._loop, args=(isolate, ready), name="policygraph-oxigraph-net",
                         daemon=True).start()
        self.isolated = ready.get()

    def _loop(self, isolate: bool, ready: queue.Queue[bool]) -> None:
        isolated = False
        if isolate:
            try:
                isolated = ctypes.CDLL(None, use_errno=True).unshare(_CLONE_NEWNET) == 0
                if isolated:
                    _loopback_up()
            except OSError:
                isolated = False  # unshared but no loopback: nothing would connect; spawn fails loudly
        ready.put(isolated)
        while True:  # lives as long as the process: the server it started dies with it (PDEATHSIG)
            call, answer = self._calls.get()
            try:
                answer.put((True, call()))
            except BaseException as exc:
                answer.put((False, exc))

    def run(self, call: Callable[[], Any]) -> Any:
        answer: queue.Queue[tuple[bool, Any]] = queue.Queue()
        self._calls.put((call, answer))
        ok, value = answer.get()
        if not ok:
            raise value
        return value


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _die_with_parent(cpus: frozenset[int] = frozenset()) -> None:
    """In the child before exec: die when the thread that started it (which lives as long as the server
    process) dies, so a killed policygraph leaves no Oxigraph server behind; and run on ``cpus`` (its front's
    share, ``core.claim_cpus``; every thread it starts inherits them), if any are given."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if cpus:
        os.sched_setaffinity(0, cpus)


def _vm_size(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


class _Exchange(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection to the server, one request at a time. ``ask`` hands the answer to a
    callback, called once, as soon as it is parsed (the relay's path: no future, no extra turn of the event loop);
    ``send`` wraps it in a future (the pass-through's)."""

    def __init__(self, sidecar: Sidecar, generation: int) -> None:
        self.sidecar, self.generation = sidecar, generation
        self.transport: Any = None  # uvloop's transports are not asyncio.Transport subclasses
        self.parser = httptools.HttpResponseParser(self)  # (no on_header: the status and the body are what is read)
        self.waiting: Answered | None = None  # the callback of the request in flight; None once nobody waits
        self.limit = 0
        self.alive = True
        self._body: list[bytes] = []
        self._size = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.alive = False
        self._done(0, b"", Lost(killed=self.generation in self.sidecar.killed))
        self.sidecar.lost(self.generation)

    def ask(self, request: bytes, limit: int, answered: Answered) -> None:
        """Send a request; ``answered(status, body, None)`` once its answer is whole, or ``answered(0, b"",
        failure)`` (``Lost``, ``TooLarge``) — unless ``abort`` was called first (then nobody is told)."""
        self.waiting, self.limit, self._size, self._body = answered, limit, 0, []
        if not self.alive or self.transport.is_closing():
            self._done(0, b"", Lost())
        else:
            self.transport.write(request)

    def send(self, request: bytes, limit: int) -> asyncio.Future[tuple[int, bytes, bytes]]:
        """``ask`` as a future of (status, b"", body), which a waiter may end first (it is then not set)."""
        future: asyncio.Future[tuple[int, bytes, bytes]] = asyncio.get_running_loop().create_future()

        def answered(status: int, body: bytes, failed: BaseException | None) -> None:
            if future.done():
                return
            if failed is not None:
                future.set_exception(failed)
            else:
                future.set_result((status, b"", body))

        self.ask(request, limit, answered)
        return future

    def _done(self, status: int, body: bytes, failed: BaseException | None) -> None:
        answered, self.waiting = self.waiting, None
        if answered is not None:
            answered(status, body, failed)

    def abort(self) -> None:
        """Close the connection; whoever waits for its answer is not told (it no longer waits)."""
        self.alive = False
        self.waiting = None
        if self.transport is not None:
            self.transport.abort()

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            self._done(0, b"", Lost())
            self.abort()

    def on_body(self, body: bytes) -> None:
        self._size += len(body)
        if self._size > self.limit:
            self._done(0, b"", TooLarge())
            self.abort()  # the server stops writing (and evaluating, for a streamed answer)
            return
        self._body.append(body)

    def on_message_complete(self) -> None:
        if self.waiting is None:
            # An answer to no request: Oxigraph's server writes a 500 ("Resource temporarily unavailable") to a
            # connection idle for 60 s, and closes it. It is not lent again.
            self.abort()
            return
        keep = self.parser.should_keep_alive()
        if not keep:
            self.alive = False  # not lent again (give_back drops it)
        body = self._body[0] if len(self._body) == 1 else b"".join(self._body)
        self._body = []
        self._done(self.parser.get_status_code(), body, None)
        if not keep:
            self.abort()


class Sidecar:
    """An ``oxigraph serve-read-only`` process over one view of the store, restarted on demand.

    ``current(view)`` tells whether it serves that view now (starting it there in the background if not);
    ``exchange()`` lends a connection; ``kill(generation)`` stops the server that ran a query which must stop.
    """

    def __init__(self, program: str, *, isolate: bool, memory_mb: int) -> None:
        self.program, self.memory_mb = program, memory_mb
        self.cpus: frozenset[int] = frozenset()  # where the server runs (empty: anywhere; core.claim_cpus)
        self._net = _Net(isolate)
        self.isolated = self._net.isolated
        if isolate and not self.isolated:
            log.warning("the Oxigraph server could not be taken off the network (unshare refused): SERVICE is "
                        "kept from it by the pass-through's check alone")
        self.generation = 0
        self.view: str | None = None  # the directory the live server reads; None while none is up
        self.wanted: str | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._port = 0
        self._idle: list[_Exchange] = []
        self._lock = threading.Lock()
        self._starting = False
        self._dead: list[subprocess.Popen[bytes]] = []  # killed, not yet reaped
        self.killed: set[int] = set()  # generations killed on purpose
        self.closed = False

    # ------------------------------------------------------------ the process

    def start(self, view: str) -> None:
        """Start a server on ``view`` (blocking, about 40 ms), replacing any other."""
        with self._lock:
            self.wanted = view
        self._net.run(lambda: self._spawn(view))

    def _spawn(self, view: str) -> None:
        self._stop()
        with self._lock:
            dead, self._dead = self._dead, []
        for process in dead:
            process.wait()
        port = 7878 if self.isolated else _free_port()  # alone in its namespace, any port is free
        env = {**os.environ, "MALLOC_ARENA_MAX": "2"}  # arenas per thread would eat the address-space cap
        process = subprocess.Popen(
            [self.program, "serve-read-only", "--location", view, "--bind", f"127.0.0.1:{port}",
             "--union-default-graph"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, env=env, preexec_fn=functools.partial(_die_with_parent, self.cpus))
        deadline = time.monotonic() + 30
        while process.poll() is None and time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.005)
        if process.poll() is not None or time.monotonic() >= deadline:
            process.kill()
            raise OSError("the Oxigraph server did not start")
        import resource

        limit = _vm_size(process.pid) + self.memory_mb * 1024 * 1024
        resource.prlimit(process.pid, resource.RLIMIT_AS, (limit, limit))
        with self._lock:
            self._process, self._port, self.view = process, port, view
            self.generation += 1
            self._idle = []

    def _stop(self) -> None:
        with self._lock:
            process, self._process, self.view = self._process, None, None
            idle, self._idle = self._idle, []
        for exchange in idle:
            exchange.abort()
        if process is not None:
            process.kill()
            process.wait()

    def current(self, view: str) -> bool:
        """Whether the server is up on ``view``; if not, one is started there in the background."""
        if self.view == view and self._process is not None:
            return True
        with self._lock:
            if self._starting or self.closed:
                return False
            self._starting = True
            self.wanted = view
        threading.Thread(target=self._restart, daemon=True).start()
        return False

    def _restart(self) -> None:
        try:
            while True:
                with self._lock:
                    view = self.wanted
                if view is None or self.closed:
                    return
                try:
                    self._net.run(functools.partial(self._spawn, view))
                except OSError as exc:
                    log.error("the Oxigraph server could not be started (%s); /sparql uses the query workers", exc)
                    time.sleep(1)
                    return
                with self._lock:
                    if self.wanted == view:
                        return
        finally:
            with self._lock:
                self._starting = False

    def kill(self, generation: int) -> None:
        """Stop the server of ``generation`` (if it is still the live one): the only way to stop a query in it.
        Its other queries get ``Lost``; a new server starts on the same view."""
        with self._lock:
            if generation != self.generation or self._process is None:
                return
            process, view = self._process, self.view
        self.killed.add(generation)
        process.kill()  # its connections close: their exchanges answer Lost
        with self._lock:
            if self._process is process:
                self._process, self.view, self._idle = None, None, []
            self._dead.append(process)  # reaped by the thread that starts the next one
        if view is not None:
            self.current(view)

    def lost(self, generation: int) -> None:
        """A connection closed: if the server itself died (out of memory), start another."""
        with self._lock:
            process, view = self._process, self.view
        if generation == self.generation and process is not None and process.poll() is not None:
            with self._lock:
                if self._process is process:
                    self._process, self.view, self._idle = None, None, []
            if view is not None:
                self.current(view)

    def close(self) -> None:
        with self._lock:
            self.closed = True
        self._stop()

    # ------------------------------------------------------------ connections

    def idle(self) -> _Exchange | None:
        """An idle keep-alive connection to the live server, if there is one."""
        with self._lock:
            while self._idle:
                exchange = self._idle.pop()
                if exchange.alive and exchange.generation == self.generation:
                    return exchange
        return None

    async def exchange(self) -> _Exchange:
        """A keep-alive connection to the live server (a new one made in the namespace's thread if none is idle)."""
        exchange = self.idle()
        if exchange is not None:
            return exchange
        with self._lock:
            generation, port = self.generation, self._port
        if self._process is None:
            raise Lost()
        sock = self._net.run(socket.socket)
        sock.setblocking(False)
        loop = asyncio.get_running_loop()
        try:
            await loop.sock_connect(sock, ("127.0.0.1", port))
        except OSError:
            sock.close()
            raise Lost() from None
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        _, exchange = await loop.create_connection(lambda: _Exchange(self, generation), sock=sock)
        return exchange

    def give_back(self, exchange: _Exchange) -> None:
        with self._lock:
            if exchange.alive and exchange.generation == self.generation:
                self._idle.append(exchange)
                return
        exchange.abort()
