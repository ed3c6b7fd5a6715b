"""Where the light lookup's time goes: Oxigraph's server against Python fronts on the same store (issue 17).

    .venv/bin/python bench/bench_front.py [--seconds S] [--turns T] [--connections C]

The question it answers: can any Python HTTP front reach half of Oxigraph's server's throughput on queries
it has never seen (``bench_sparql.py``'s light lookup, a distinct literal each request, 32 connections)? The
servers, all up at once and taking turns as ``bench_sparql.py``'s do (warmed first, the order swapped every
repeat, each turn begun once all are idle, medians):

- ``oxigraph``: ``oxigraph serve-read-only`` on the store (the baseline);
- ``bare``: the floor of a Python front that evaluates in its own process — two processes (SO_REUSEPORT) of
  uvloop and httptools, a bare protocol that decodes the query string, runs pyoxigraph on the store and
  writes the JSON answer; no checks, no cache, no timeout, no stopping a query (``BARE`` below);
- ``bare_no_query``: the same front answering a fixed body without evaluating anything (Python's HTTP alone);
- ``bare_relay``: the same front handing each query to one Oxigraph server behind it (a child of the front,
  its CPU counted) over keep-alive connections, a hand-written request and httptools' parser, and writing its
  answer back: the floor of a Python front that keeps a killable evaluator behind it;
- ``bare_relay_each``: the same, with an Oxigraph server for each front process (as ``--workers 2`` runs);
- ``policygraph``: ``policygraph serve --workers 2`` as shipped (GET /sparql at uvicorn's protocol, handed to
  Oxigraph's server behind it); with ``--before SRC``, also ``policygraph_before``, the same command run from
  another source tree (a git worktree of an earlier commit), so before and after compare in one run.

For each: requests/s, p99, and the CPU time each request cost the server's processes (from ``/proc``, around
the wrk run) and wrk. On two cores a closed loop of 32 connections is bound by the CPU time of a request,
so these say which costs a design must remove.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench_sparql import BIN, LITERAL_LUA, QUERY, free_port, settle, start, wrk
from common import ROOT, process_stats, record

BARE = r'''
import asyncio, collections, os, socket, subprocess, sys, time
from urllib.parse import unquote_plus
import httptools, pyoxigraph as ox, uvloop

PORT, STORE, MODE = int(sys.argv[1]), sys.argv[2], sys.argv[3]  # MODE: evaluate, fixed, relay
EVALUATE = MODE == "evaluate"
FIXED = b'{"head":{"vars":["duty","action"]},"results":{"bindings":[]}}'


class Front(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport, self.parser, self.url = transport, httptools.HttpRequestParser(self), b""

    def data_received(self, data):
        self.parser.feed_data(data)

    def on_url(self, url):
        self.url = url

    def on_message_complete(self):
        if MODE == "relay":
            at = self.url.find(b"?")
            request = (b"GET /query" + self.url[at:] + b" HTTP/1.1\r\nHost: oxigraph\r\n"
                       b"Accept: application/sparql-results+json\r\n\r\n")
            if IDLE:
                IDLE.pop().ask(self, request)
            else:
                PENDING.append((self, request))
            return
        body = FIXED
        at = self.url.find(b"query=")
        if EVALUATE and at >= 0:
            query = unquote_plus(self.url[at + 6:].decode())
            body = bytes(STORE_.query(query, use_default_graph_as_union=True).serialize(
                format=ox.QueryResultsFormat.JSON))
        self.answer(body)

    def answer(self, body):
        self.transport.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/sparql-results+json\r\n"
                             b"content-length: %d\r\n\r\n%s" % (len(body), body))


class Upstream(asyncio.Protocol):
    """One keep-alive connection to the Oxigraph server: a hand-written request, httptools' parser. The server
    closes a connection idle for 60 s (after writing a 500 that answers no request): it is then replaced, and a
    request it held is asked again on the new one (without this, a front idle between its turns for over a
    minute lost its connections one by one and stopped answering)."""

    def connection_made(self, transport):
        self.transport, self.parser, self.body = transport, httptools.HttpResponseParser(self), []
        self.client = self.request = None

    def ask(self, client, request):
        self.client, self.request = client, request
        self.transport.write(request)

    def data_received(self, data):
        self.parser.feed_data(data)

    def on_body(self, body):
        self.body.append(body)

    def on_message_complete(self):
        body, self.body, client = b"".join(self.body), [], self.client
        if client is None:  # the idle connection's 500: the server closes it next
            return
        self.client = self.request = None
        if PENDING:
            self.ask(*PENDING.popleft())
        else:
            IDLE.append(self)
        client.answer(body)

    def connection_lost(self, exc):
        if self in IDLE:
            IDLE.remove(self)
        held = (self.client, self.request) if self.client is not None else None
        self.client = None
        task = asyncio.get_running_loop().create_task(replace(held))
        TASKS.add(task)
        task.add_done_callback(TASKS.discard)


async def replace(held):
    _, upstream = await asyncio.get_running_loop().create_connection(Upstream, "127.0.0.1", UPSTREAM)
    if held is not None:
        upstream.ask(*held)
    elif PENDING:
        upstream.ask(*PENDING.popleft())
    else:
        IDLE.append(upstream)


IDLE, PENDING, TASKS = [], collections.deque(), set()


def serve():
    global STORE_
    STORE_ = ox.Store.read_only(STORE)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("127.0.0.1", PORT))
    sock.listen(1024)
    loop = uvloop.new_event_loop()
    if MODE == "relay":
        for _ in range(32):
            IDLE.append(loop.run_until_complete(loop.create_connection(Upstream, "127.0.0.1", UPSTREAM))[1])
    loop.run_until_complete(loop.create_server(Front, sock=sock))
    loop.run_forever()


def upstream(port):
    """An Oxigraph server on ``port``, a child of this process (its CPU is counted with the front's)."""
    global UPSTREAM
    UPSTREAM = port
    subprocess.Popen([sys.argv[4], "serve-read-only", "--location", STORE, "--bind", f"127.0.0.1:{UPSTREAM}",
                      "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", UPSTREAM)) == 0:
                break
        time.sleep(0.05)


EACH = MODE == "relay_each"  # one Oxigraph server for each front process, as policygraph's --workers 2 runs
MODE = "relay" if EACH else MODE
if MODE == "relay" and not EACH:  # one Oxigraph server behind both processes
    upstream(PORT + 1)
if os.fork() == 0:
    if EACH:
        upstream(PORT + 2)
    serve()
if EACH:
    upstream(PORT + 1)
serve()
'''


def tree_ticks(root: int) -> int:
    """CPU time (ticks) of a process and its descendants."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for pid, fields in process_stats():
        parents[pid], ticks[pid] = int(fields[1]), int(fields[11]) + int(fields[12])
    tree, grown = {root}, True
    while grown:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grown = bool(more)
    return sum(ticks.get(pid, 0) for pid in tree)


def turn(proc: subprocess.Popen[bytes], url: str, args: argparse.Namespace, script: Path) -> dict[str, Any]:
    """One wrk run, with the server's CPU time a request (µs) and wrk's (this process's reaped children)."""
    settle()
    before, wrk_before = tree_ticks(proc.pid), os.times()
    figures = wrk(url, args.seconds, args.connections, script=script)
    after, wrk_after = tree_ticks(proc.pid), os.times()
    requests, hz = figures["rps"] * args.seconds, os.sysconf("SC_CLK_TCK")
    wrk_s = (wrk_after.children_user + wrk_after.children_system
             - wrk_before.children_user - wrk_before.children_system)
    return {**figures, "server_us": round((after - before) / hz / requests * 1e6),
            "wrk_us": round(wrk_s / requests * 1e6), "load_1min": round(os.getloadavg()[0], 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--before", help="also measure policygraph from this source tree (e.g. a git worktree's "
                                         "src), as policygraph_before: before and after in one run")
    parser.add_argument("--before-label", default="the code before", help="what --before's tree is (its commit)")
    parser.add_argument("--only", help="comma-separated servers to measure besides oxigraph")
    args = parser.parse_args()
    import pyoxigraph as ox

    from policygraph.loader import Loader
    from policygraph.store import LocalStore, open_store

    began = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    tmp = Path(tempfile.mkdtemp(prefix="pg-front-"))
    store = open_store(tmp / "ours")
    assert isinstance(store, LocalStore)
    Loader(store).load([ROOT / "data" / "脱贫攻坚责任制实施办法.txt"])
    dump = tmp / "all.nq"
    dump.write_bytes(store.dump(ox.RdfFormat.N_QUADS))
    store.close()
    subprocess.run([str(BIN / "oxigraph"), "load", "--location", str(tmp / "oxigraph"), "--file", str(dump)],
                   check=True, capture_output=True)
    script, bare = tmp / "literal.lua", tmp / "bare.py"
    script.write_text(LITERAL_LUA)
    bare.write_text(BARE)
    query = quote(QUERY)
    servers: dict[str, tuple[subprocess.Popen[bytes], str]] = {}

    def wanted(name: str) -> bool:
        return not args.only or name in args.only.split(",")

    try:
        port = free_port()
        servers["oxigraph"] = (start([str(BIN / "oxigraph"), "serve-read-only", "--location", str(tmp / "oxigraph"),
                                      "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                                     f"http://127.0.0.1:{port}/query?query=ASK%7B%7D"),
                               f"http://127.0.0.1:{port}/query?query={query}")
        for name, mode in (("bare", "evaluate"), ("bare_no_query", "fixed"), ("bare_relay", "relay"),
                           ("bare_relay_each", "relay_each")):
            if not wanted(name):
                continue
            port = free_port()
            servers[name] = (start([sys.executable, str(bare), str(port), str(tmp / "oxigraph"), mode,
                                    str(BIN / "oxigraph")],
                                   f"http://127.0.0.1:{port}/?query=ASK%7B%7D"),
                             f"http://127.0.0.1:{port}/?query={query}")
        for name, source in (("policygraph", None), ("policygraph_before", args.before)):
            if not wanted(name) or (name == "policygraph_before" and source is None):
                continue
            port = free_port()  # the code under test; with --before, also another tree's (PYTHONPATH first)
            env = [] if source is None else ["env", f"PYTHONPATH={Path(source).resolve()}"]
            servers[name] = (start([*env, str(BIN / "policygraph"), "serve", "--store", str(tmp / "ours"), "--port",
                                    str(port), "--workers", "2"], f"http://127.0.0.1:{port}/healthz"),
                             f"http://127.0.0.1:{port}/sparql?query={query}")
        for _proc, url in servers.values():  # warmed, not counted
            settle()
            wrk(url, min(args.seconds, 3), args.connections, script=script)
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in servers}
        for repeat in range(args.turns):
            order = list(servers.items())
            for name, (proc, url) in (order if repeat % 2 == 0 else reversed(order)):
                runs[name].append(turn(proc, url, args, script))
    finally:
        for proc, _ in servers.values():
            stop(proc)
    results: dict[str, Any] = {"began": began, "ended": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                               "before": args.before_label if args.before else None,
                               "query": QUERY, "connections": args.connections, "seconds": args.seconds,
                               "turns": args.turns}
    for name, rs in runs.items():
        results[name] = {k: round(statistics.median(r[k] for r in rs), 2) for k in rs[0]}
    base = results["oxigraph"]
    for name in runs:
        results[name]["ratio"] = round(results[name]["rps"] / base["rps"], 2)
        results[name]["p99_ratio"] = round(results[name]["p99_ms"] / base["p99_ms"], 2)
    record("front", results)
    return 0


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server and every process under it (the bare front forks a second front, and each front may start an
    Oxigraph server of its own: a grandchild, which a kill of the children alone left running)."""
    parents = {pid: int(fields[1]) for pid, fields in process_stats()}
    tree, grew = {proc.pid}, True
    while grew:
        below = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree, grew = tree | below, bool(below)
    children = sorted(tree - {proc.pid})
    proc.terminate()
    for pid in children:
        try:
            os.kill(pid, 15)
        except ProcessLookupError:
            continue
    proc.wait()
    time.sleep(0.5)


if __name__ == "__main__":
    sys.exit(main())
