"""GET /sparql relayed at the connection (web/relay.py), against a real policygraph server process and the real
``oxigraph`` server it starts: every request below is shown taken by the relay (``/healthz``'s ``relayed``, this
process's count), and every guarantee holds through it — the answer cache (from a query's second sighting on,
``/healthz``'s ``cached``), ETags and 304, the timeout (503 while other queries go on), a departed client's query
stopped, the row cap (handed to the workers), SERVICE kept from the server, updates only with the token and seen by
the next query (a cached answer dropped), pipelining and ``Connection: close``."""

from __future__ import annotations

import json
import os
import shutil
import socket
import time
from pathlib import Path
from urllib.parse import quote, urlparse

import httpx
import pytest

from .servers import get_in_background, policygraph_server, store_with
from .test_passthrough import SLOW, _alive, _server_pid, sidecars

pytestmark = pytest.mark.usefixtures("oxigraph_binary")  # the Oxigraph server is what they test

TOKEN = "relay-token"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Path:
    return store_with(tmp_path_factory.mktemp("relay") / "store", seed_path)


def relayed(base: str) -> int:
    """How many GET /sparql requests the server's (one) process has taken at the connection."""
    return int(httpx.get(base + "/healthz").json()["relayed"])


def ask(base: str, query: str, **headers: str) -> httpx.Response:
    return httpx.get(base + "/sparql", params={"query": query}, headers=headers, timeout=30)


def test_distinct_queries_cache_etags_and_304_go_through_the_relay(store_dir: Path) -> None:
    with policygraph_server(store_dir) as base:
        ask(base, "ASK {}")  # the server's connections made
        start = relayed(base)
        for i in range(5):
            r = ask(base, f'SELECT ?d WHERE {{ ?d pg:action ?a }} LIMIT 1 VALUES ?n {{ "{i}" }}')
            assert r.status_code == 200 and r.headers["content-type"] == "application/sparql-results+json"
            assert len(r.json()["results"]["bindings"]) == 1 and r.headers["cache-control"] == "no-cache"
        assert relayed(base) == start + 5
        first = ask(base, "ASK { ?s a pg:Duty } # relay")
        again = ask(base, "ASK { ?s a pg:Duty } # relay")  # its second sighting: cached from here on
        assert first.content == again.content == b'{"head":{},"boolean":true}'
        assert first.headers["etag"] == again.headers["etag"]
        same = ask(base, "ASK { ?s a pg:Duty } # relay", **{"If-None-Match": first.headers["etag"]})
        assert same.status_code == 304 and same.content == b"" and same.headers["etag"] == first.headers["etag"]
        accept = ask(base, "ASK { ?s a pg:Duty } # relay", Accept="application/sparql-results+json, */*;q=0.1")
        assert accept.headers["etag"] != first.headers["etag"] or accept.content == first.content
        assert relayed(base) == start + 9


def cached(base: str) -> int:
    """How many GET /sparql answers the server's process holds in its raw cache."""
    return int(httpx.get(base + "/healthz").json()["cached"])


def test_an_answer_is_cached_from_its_second_sighting(store_dir: Path) -> None:
    with policygraph_server(store_dir) as base:
        ask(base, "ASK {}")
        start, held = relayed(base), cached(base)
        for i in range(5):  # distinct queries: answered, not cached
            r = ask(base, f'SELECT ?d WHERE {{ ?d pg:action ?a }} LIMIT 1 VALUES ?n {{ "seen {i}" }}')
            assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 1 and r.headers["etag"]
        assert cached(base) == held and relayed(base) == start + 5
        query = "SELECT ?d WHERE { ?d a pg:Duty } LIMIT 2 # sightings"
        first = ask(base, query)
        assert first.status_code == 200 and cached(base) == held  # seen once: answered, not kept
        second = ask(base, query)
        assert second.content == first.content and second.headers["etag"] == first.headers["etag"]
        assert cached(base) == held + 1  # seen again: kept
        third = ask(base, query)  # from the raw cache
        assert third.content == first.content and third.headers["etag"] == first.headers["etag"]
        assert cached(base) == held + 1
        same = ask(base, query, **{"If-None-Match": first.headers["etag"]})
        assert same.status_code == 304 and same.content == b"" and same.headers["etag"] == first.headers["etag"]
        other = "SELECT ?d WHERE { ?d a pg:Duty } LIMIT 3 # sightings"  # not yet cached when asked with its ETag
        tag = ask(base, other).headers["etag"]
        assert cached(base) == held + 1
        assert ask(base, other, **{"If-None-Match": tag}).status_code == 304
        assert relayed(base) == start + 5 + 6


def test_query_strings_reach_the_server_as_the_route_reads_them(store_dir: Path) -> None:
    """A plain query string is passed on to the Oxigraph server as it came (GET, after the base and the built-in
    prefixes); a longer one, or one that is not plain (a stray %), is decoded here and POSTed. Each reads alike: a
    + is a space, %2B a plus, %25 a percent sign, UTF-8 escapes a character, relative IRIs resolve against the
    endpoint and the built-in prefixes are declared."""
    import http.client

    query = 'SELECT ?x ?i ?d WHERE { BIND("a+b %41 县" AS ?x) BIND(<rel> AS ?i) ?d a pg:Duty } LIMIT 1'
    encoded = quote(query, safe="").replace("%20", "+")
    with policygraph_server(store_dir) as base:
        port = urlparse(base).port
        assert port is not None
        ask(base, "ASK {}")
        start = relayed(base)
        for tail in ("", "+%23" + "x" * 5000, "+%23+100%"):  # plain (GET), long (POST), a stray % (POST)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/sparql?query=" + encoded + tail, headers={"Host": f"127.0.0.1:{port}"})
            answer = conn.getresponse()
            assert answer.status == 200, answer.read()
            (row,) = json.loads(answer.read())["results"]["bindings"]
            conn.close()
            assert row["x"]["value"] == "a+b %41 县" and row["i"]["value"] == f"http://127.0.0.1:{port}/rel"
            assert row["d"]["type"] == "uri"
        assert relayed(base) == start + 3


def test_a_slow_query_is_503_at_the_timeout_while_others_go_on(store_dir: Path) -> None:
    with policygraph_server(store_dir, query_timeout="2") as base:
        ask(base, "ASK {}")
        (before,) = sidecars(base)
        start = relayed(base)
        finish = get_in_background(base + "/sparql", {"query": SLOW + " # relay"})
        time.sleep(0.5)
        for i in range(5):
            began = time.monotonic()
            quick = ask(base, f"ASK {{ ?s a pg:Duty }} # relay {i}")
            assert quick.status_code == 200 and time.monotonic() - began < 1
        response, took = finish()
        assert response.status_code == 503 and response.json()["error"]["code"] == "timeout", response.text
        assert response.headers["retry-after"] == "1" and 2 <= took < 3
        deadline = time.monotonic() + 2
        while _alive(before) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(before)  # stopped with the server that ran it
        assert ask(base, "ASK {} # after").json()["boolean"] is True
        assert relayed(base) >= start + 6  # the slow one and the five quick ones


def test_a_departed_clients_query_is_stopped(store_dir: Path) -> None:
    with policygraph_server(store_dir, query_timeout="30") as base:
        ask(base, "ASK {}")
        (before,) = sidecars(base)
        start = relayed(base)
        port = urlparse(base).port
        assert port is not None
        with socket.create_connection(("127.0.0.1", port)) as conn:
            conn.sendall(f"GET /sparql?query={quote(SLOW + ' # left')} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            time.sleep(0.3)
        deadline = time.monotonic() + 2
        while _alive(before) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(before), "the query of a client that left kept running"
        assert relayed(base) == start + 1
        assert ask(base, "ASK {} # back").json()["boolean"] is True


def test_row_cap_and_errors_are_the_workers_through_the_relay(store_dir: Path) -> None:
    with policygraph_server(store_dir, max_rows="5") as base:
        ask(base, "ASK {}")
        start = relayed(base)
        cut = ask(base, "SELECT ?s WHERE { ?s a pg:Duty } # relay")
        assert cut.status_code == 200 and cut.json()["truncated"] is True and cut.headers["x-truncated"] == "true"
        assert len(cut.json()["results"]["bindings"]) == 5
        bad = ask(base, "SELECT * WHERE { ?s ?p ?o } garbage")
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_query"
        graph = ask(base, "CONSTRUCT WHERE { ?s a pg:Duty } LIMIT 2")  # JSON asked: the workers say what
        assert graph.status_code in (200, 406)
        assert relayed(base) == start + 3  # taken, then handed on with their deadline


def test_service_is_never_relayed(store_dir: Path) -> None:
    with policygraph_server(store_dir) as base:
        ask(base, "ASK {}")
        start = relayed(base)
        for query in ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
                      "SELECT * WHERE { \\u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }"):
            refused = ask(base, query)
            assert refused.status_code in (400, 403), refused.text
        assert relayed(base) == start


def writable_copy(store_dir: Path, tmp_path: Path) -> Path:
    """A copy of the shared store that a test may update."""
    copy = tmp_path / "store"
    shutil.copytree(store_dir, copy)
    return copy


def post_update(base: str, update: str, **headers: str) -> httpx.Response:
    """An update posted to /sparql, with ``headers`` (the token) besides its content type."""
    return httpx.post(base + "/sparql", content=update,
                      headers={"Content-Type": "application/sparql-update", **headers})


def test_updates_need_the_token_and_are_seen_through_the_relay(store_dir: Path, tmp_path: Path) -> None:
    copy = writable_copy(store_dir, tmp_path)
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:relay> { ?s ?p ?o } }"
    update = "INSERT DATA { GRAPH <urn:relay> { <urn:a> <urn:b> 1 } }"
    with policygraph_server(copy, update_token=TOKEN) as base:
        assert ask(base, count).json()["results"]["bindings"][0]["n"]["value"] == "0"
        for headers in ({}, {"Authorization": "Bearer wrong"}):
            refused = post_update(base, update, **headers)
            assert refused.status_code == 403
        assert ask(base, "INSERT DATA { <urn:a> <urn:b> 2 }").status_code == 400  # not a query
        done = post_update(base, update, Authorization=f"Bearer {TOKEN}")
        assert done.status_code == 204, done.text
        start = relayed(base)
        for i in range(20):  # the server moves to the new view (the first queries meanwhile go to the workers)
            assert ask(base, count + f" # {i}").json()["results"]["bindings"][0]["n"]["value"] == "1"
            time.sleep(0.05)
        assert relayed(base) > start
        taken = relayed(base)
        assert ask(base, count + " # last").json()["results"]["bindings"][0]["n"]["value"] == "1"
        assert relayed(base) == taken + 1  # the Oxigraph server, on the new view


def test_an_update_drops_answers_cached_on_their_second_sighting(store_dir: Path, tmp_path: Path) -> None:
    copy = writable_copy(store_dir, tmp_path)
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:seen> { ?s ?p ?o } } # twice"
    update = "INSERT DATA { GRAPH <urn:seen> { <urn:a> <urn:b> 1 } }"
    with policygraph_server(copy, update_token=TOKEN) as base:
        ask(base, "ASK {}")
        for _ in range(3):
            old = ask(base, count)
            assert old.json()["results"]["bindings"][0]["n"]["value"] == "0"
        assert cached(base) >= 1  # seen twice: kept
        done = post_update(base, update, Authorization=f"Bearer {TOKEN}")
        assert done.status_code == 204, done.text
        assert cached(base) == 0  # the update emptied the caches
        for _ in range(20):  # the same query string, through the workers and then the relay on the new view
            new = ask(base, count)
            assert new.json()["results"]["bindings"][0]["n"]["value"] == "1"
            assert new.headers["etag"] != old.headers["etag"]
            time.sleep(0.05)


def test_pipelined_requests_and_connection_close(store_dir: Path) -> None:
    with policygraph_server(store_dir) as base:
        port = urlparse(base).port
        assert port is not None
        one = "GET /sparql?query=" + quote("ASK { ?s a pg:Duty } # pipe") + " HTTP/1.1\r\nHost: x\r\n"
        two = ("GET /sparql?query=" + quote("SELECT ?s WHERE { ?s a pg:Duty } LIMIT 2 # pipe")
               + " HTTP/1.1\r\nHost: x\r\n")
        raw = (one + "\r\n" + two + "\r\n" + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" + one
               + "Connection: close\r\n\r\n").encode()
        with socket.create_connection(("127.0.0.1", port)) as conn:
            conn.settimeout(30)
            conn.sendall(raw)
            received = b""
            while chunk := conn.recv(65536):
                received += chunk
        answers = received.split(b"HTTP/1.1 ")[1:]
        assert [a.split(b" ", 1)[0] for a in answers] == [b"200"] * 4
        assert answers[0].endswith(b'{"head":{},"boolean":true}') and answers[3].endswith(b'{"head":{},"boolean":true}')
        assert len(json.loads(answers[1].split(b"\r\n\r\n", 1)[1])["results"]["bindings"]) == 2
        assert b'"status": "ok"' in answers[2] and b"connection: close" in answers[3].lower()


def _children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="pinning needs two CPUs")
def test_each_front_and_its_oxigraph_server_share_cpus_of_their_own(store_dir: Path) -> None:
    """Under --workers 2 (pin_cpus on by default), each server process's event loop and its Oxigraph server, every
    thread of it, run on one half of the CPUs, the two halves apart; the query workers run anywhere."""
    with policygraph_server(store_dir, workers="2") as base:
        assert ask(base, "ASK {}").status_code == 200
        for _ in range(300):  # until both processes are up, each with its Oxigraph server
            children = _children(_server_pid(base))  # the two server processes (and multiprocessing's tracker)
            sidecar_pids = {pid for child in children for pid in _children(child)
                            if b"serve-read-only" in Path(f"/proc/{pid}/cmdline").read_bytes()}
            fronts = [child for child in children if sidecar_pids & set(_children(child))]
            if len(fronts) == 2:
                break
            time.sleep(0.1)
        assert len(fronts) == 2
        shares = []
        for front in fronts:
            share = os.sched_getaffinity(front)  # the front's main thread: the event loop's
            servers = [pid for pid in _children(front) if pid in sidecar_pids]
            assert len(servers) == 1
            threads = [int(t.name) for t in Path(f"/proc/{servers[0]}/task").iterdir()]
            assert all(os.sched_getaffinity(t) == share for t in threads)
            workers = [pid for pid in _children(front) if pid not in servers]
            assert workers and all(os.sched_getaffinity(w) == os.sched_getaffinity(0) for w in workers)
            shares.append(share)
        assert shares[0] and shares[1] and not shares[0] & shares[1]
    with policygraph_server(store_dir, workers="2", pin_cpus="false") as base:
        assert ask(base, "ASK {}").status_code == 200
        assert all(os.sched_getaffinity(child) == os.sched_getaffinity(0) for child in _children(_server_pid(base)))
