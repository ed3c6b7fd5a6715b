"""Issue 18, against a real server process: no SSRF (a canary endpoint on loopback must receive nothing), no
request that freezes the event loop, answers and workers bounded in bytes, short queries not starved, slow
clients closed, updates as guarded as queries."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest

from .servers import policygraph_server, store_with

TOKEN = "hardening-token"
SECRET = "canary-secret-7f3a"


class Canary:
    """A SPARQL-looking HTTP endpoint on loopback that records every request it gets."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        canary = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                canary.requests.append(f"{self.command} {self.path}")
                body = ('{"head":{"vars":["secret"]},"results":{"bindings":[{"secret":{"type":"literal",'
                        f'"value":"{SECRET}"}}}}]}}}}').encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    c = Canary()
    yield c
    c.close()


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Path:
    return store_with(tmp_path_factory.mktemp("hardening") / "store", seed_path)


@pytest.fixture(scope="module")
def server(store_dir: Path) -> Iterator[str]:
    with policygraph_server(store_dir, update_token=TOKEN, query_timeout="5", header_timeout="2") as base:
        yield base


def bypasses(url: str) -> dict[str, str]:
    return {
        "plain": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?secret ?y ?z }} }}",
        "CR-ended comment": f"SELECT * WHERE {{ ?a pg:ordinal 1 # x\rSERVICE <{url}> {{ ?secret ?y ?z }} }}",
        "number glued to the keyword": f"SELECT * WHERE {{ ?a pg:ordinal 1SERVICE <{url}> {{ ?secret ?y ?z }} }}",
        "variable endpoint": f"SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?secret ?y ?z }} }}",
        "lower case, silent": f"select * where {{ service silent <{url}> {{ ?secret ?y ?z }} }}",
    }


def _no_leak(response: httpx.Response, canary: Canary) -> None:
    assert 400 <= response.status_code < 500, response.text
    assert set(response.json()["error"]) == {"status", "code", "message"}
    for secret in (SECRET, str(canary.port), "127.0.0.1"):
        assert secret not in response.text


@pytest.mark.parametrize("name", list(bypasses("x")))
def test_service_bypasses_reach_nothing(server: str, canary: Canary, name: str) -> None:
    query = bypasses(canary.url)[name]
    with httpx.Client(base_url=server, timeout=30) as c:
        for response in [c.get("/sparql", params={"query": query}),
                         c.post("/sparql", data={"query": query}),
                         c.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"})]:
            _no_leak(response, canary)
    assert canary.requests == []


UPDATES = {
    "LOAD": "LOAD <{url}>",
    "LOAD into a graph": "LOAD SILENT <{url}> INTO GRAPH <urn:loaded>",
    "SERVICE in WHERE": "INSERT {{ GRAPH <urn:x> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "LOAD behind a CR-ended comment": "INSERT DATA {{ GRAPH <urn:x> {{ <urn:a> <urn:b> 1 }} }} # x\r; LOAD <{url}>",
    "LOAD glued to a number": "INSERT DATA {{ GRAPH <urn:x> {{ <urn:a> <urn:b> 1 }} }} ;LOAD <{url}>",
}


@pytest.mark.parametrize("name", list(UPDATES))
def test_updates_with_service_or_load_reach_nothing(server: str, canary: Canary, name: str) -> None:
    update = UPDATES[name].format(url=canary.url)
    with httpx.Client(base_url=server, timeout=30, headers={"Authorization": f"Bearer {TOKEN}"}) as c:
        _no_leak(c.post("/sparql", data={"update": update}), canary)
        _no_leak(c.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"}), canary)
        assert c.get("/sparql", params={"query": "ASK { GRAPH ?g { <urn:a> <urn:b> 1 } }"}).json()["boolean"] is False
    assert canary.requests == []


def test_allowed_endpoints_only(store_dir: Path, tmp_path: Path) -> None:
    """With --allow-service naming one endpoint, SERVICE reaches it and nothing else."""
    allowed, other = Canary(), Canary()
    try:
        copy = tmp_path / "store"
        import shutil

        shutil.copytree(store_dir, copy)
        with policygraph_server(copy, allow_service=allowed.url) as base:
            ok = httpx.get(base + "/sparql", params={"query": bypasses(allowed.url)["plain"]}, timeout=30)
            assert ok.status_code == 200, ok.text
            assert SECRET in ok.text and len(allowed.requests) == 1
            for query in bypasses(other.url).values():
                _no_leak(httpx.get(base + "/sparql", params={"query": query}, timeout=30), other)
            assert other.requests == []
    finally:
        allowed.close()
        other.close()


def _healthz_latency(server: str, stop: threading.Event, worst: list[float]) -> None:
    while not stop.is_set():
        started = time.monotonic()
        r = httpx.get(server + "/healthz", timeout=30)
        assert r.status_code == 200
        worst.append(time.monotonic() - started)
        time.sleep(0.05)


def test_quadratic_regex_body_at_1_mb_does_not_freeze_the_server(server: str) -> None:
    body = 'ASK {} # \n"' + '\\"' * 499_990
    assert len(body.encode()) < 1_000_000
    stop, latencies = threading.Event(), [0.0]
    watcher = threading.Thread(target=_healthz_latency, args=(server, stop, latencies))
    watcher.start()
    try:
        for _ in range(2):
            started = time.monotonic()
            r = httpx.post(server + "/sparql", content=body, headers={"Content-Type": "application/sparql-query"},
                           timeout=30)
            assert r.status_code == 400 and time.monotonic() - started < 5
            r = httpx.post(server + "/sparql", content=body, headers={"Content-Type": "application/sparql-update",
                                                                      "Authorization": f"Bearer {TOKEN}"}, timeout=30)
            assert 400 <= r.status_code < 600 and time.monotonic() - started < 12
    finally:
        stop.set()
        watcher.join()
    print(f"\n1 MB quadratic-regex body: /healthz worst {max(latencies):.3f} s over {len(latencies)} calls")
    assert max(latencies) < 1.0, latencies


def _rss_mb(port: int) -> float:
    """The resident size of the policygraph server listening on ``port`` (found by its command line)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            status = (entry / "status").read_text()
        except OSError:
            continue
        if b"serve" in argv and str(port).encode() in argv:
            kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            return kb / 1024
    raise LookupError(port)


def doubling(times: int, salt: int) -> str:
    binds = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(times))
    return f'SELECT ?v{times} WHERE {{ BIND("{salt:016d}" AS ?v0) {binds} }}'


def test_memory_bomb_and_huge_answers_leave_the_server_small(server: str) -> None:
    port = urlparse(server).port
    assert port is not None
    before = _rss_mb(port)
    bomb = httpx.get(server + "/sparql", params={"query": doubling(32, 1)}, timeout=60)  # 64 GB of string
    assert bomb.status_code == 503, bomb.text
    for salt in range(8):  # a 64 MB value each: cut from the answer, which says so
        r = httpx.get(server + "/sparql", params={"query": doubling(22, salt)}, timeout=60)
        assert r.status_code == 200 and r.headers["X-Truncated"] == "true", r.text[:200]
        assert len(r.content) < 16_000_000 and r.json()["truncated"] is True
    after = _rss_mb(port)
    print(f"\nserver RSS {before:.0f} MB before the memory bomb and eight 64 MB values, {after:.0f} MB after")
    assert after - before < 100
    assert httpx.get(server + "/healthz").json()["status"] == "ok"


def test_a_short_query_is_answered_while_slow_ones_hold_the_workers(server: str) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    outcomes: list[str] = []
    threads = [threading.Thread(target=lambda i=i: outcomes.append(
        httpx.get(server + "/sparql", params={"query": slow + f" # {i}"}, timeout=60).text))
        for i in range(8)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    started = time.monotonic()
    quick = httpx.get(server + "/sparql", params={"query": "ASK {}"}, timeout=60)
    took = time.monotonic() - started
    for t in threads:
        t.join()
    assert quick.status_code == 200 and quick.json()["boolean"] is True
    print(f"\nASK among 8 slow queries: {took:.2f} s")
    assert took < 4, took  # behind at most one slow query's turn and a worker's restart, not the 5 s timeout
    assert {json.loads(o)["error"]["status"] for o in outcomes} == {503}, outcomes


def test_slow_clients_are_closed_and_healthz_answers_among_them(server: str) -> None:
    url = urlparse(server)
    sockets = []
    for _ in range(2000):
        s = socket.create_connection((url.hostname, url.port))
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # a head that never ends
        sockets.append(s)
    try:
        started = time.monotonic()
        assert httpx.get(server + "/healthz", timeout=10).status_code == 200
        took = time.monotonic() - started
        print(f"\n/healthz among 2,000 slow-header connections: {took:.3f} s")
        assert took < 1
        time.sleep(3)  # header_timeout is 2 s here
        closed = 0
        for s in sockets:
            s.settimeout(0.5)
            try:
                s.sendall(b"X")
                closed += s.recv(1) == b""
            except OSError:
                closed += 1
        assert closed == len(sockets)
    finally:
        for s in sockets:
            s.close()
    slow_body = socket.create_connection((url.hostname, url.port))
    slow_body.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                      b"Content-Length: 100\r\n\r\nASK")
    slow_body.settimeout(10)
    assert b" 408 " in slow_body.recv(1000).split(b"\r\n")[0] + b" "
    slow_body.close()


@pytest.mark.parametrize(("header", "status"), [
    (f"Bearer {TOKEN}", 204), (f"bearer {TOKEN}", 204), (f"BEARER  {TOKEN}", 204), (TOKEN, 403),
    (f"Basic {TOKEN}", 403), (f"Bearer {TOKEN}x", 403), ("Bearer", 403)])
def test_bearer_scheme_is_case_insensitive_and_nothing_else_passes(server: str, header: str, status: int) -> None:
    r = httpx.post(server + "/sparql", data={"update": "INSERT DATA { GRAPH <urn:t> { <urn:a> <urn:t> 1 } }"},
                   headers={"Authorization": header}, timeout=30)
    assert r.status_code == status, r.text


def test_deep_nesting_is_refused_before_any_parser(server: str) -> None:
    deep_where = "INSERT { GRAPH <urn:n> { <urn:a> <urn:b> 1 } } WHERE " + "{" * 20000 + "}" * 20000
    deep_list = "INSERT DATA { GRAPH <urn:n> { <urn:a> <urn:b> " + "(" * 20000 + ")" * 20000 + " } }"
    with httpx.Client(base_url=server, timeout=30, headers={"Authorization": f"Bearer {TOKEN}"}) as c:
        for body in [deep_where, deep_list]:
            r = c.post("/sparql", content=body, headers={"Content-Type": "application/sparql-update"})
            assert r.status_code == 400 and r.json()["error"]["code"] == "too_deep", r.text
        assert c.get("/healthz").json()["status"] == "ok"


def test_update_where_is_told_the_default_graph_is_empty(server: str) -> None:
    with httpx.Client(base_url=server, timeout=30, headers={"Authorization": f"Bearer {TOKEN}"}) as c:
        insert = 'INSERT DATA { GRAPH <urn:dg> { <urn:s> <urn:text> "t" } }'
        assert c.post("/sparql", data={"update": insert}).status_code == 204
        r = c.post("/sparql", data={"update": "DELETE WHERE { ?s <urn:text> ?o }"})
        assert r.status_code == 400 and r.json()["error"]["code"] == "default_graph"
        assert c.get("/sparql", params={"query": "ASK { <urn:s> <urn:text> ?o }"}).json()["boolean"] is True
        assert c.post("/sparql", data={"update": "DELETE WHERE { GRAPH ?g { ?s <urn:text> ?o } }"}).status_code == 204
        assert c.get("/sparql", params={"query": "ASK { <urn:s> <urn:text> ?o }"}).json()["boolean"] is False


def test_xml_results_refuse_control_characters_and_stay_well_formed(server: str) -> None:
    import xml.etree.ElementTree as ET

    query = 'SELECT ?x WHERE { BIND("a\\u0001b" AS ?x) }'
    r = httpx.get(server + "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+xml"})
    assert r.status_code == 406 and r.json()["error"]["code"] == "not_acceptable"
    assert httpx.get(server + "/sparql", params={"query": query}).json()["results"]["bindings"][0]["x"]["value"] \
        == "a\x01b"
    fine = httpx.get(server + "/sparql", params={"query": 'SELECT ?x WHERE { BIND("a\\tb<&>" AS ?x) }'},
                     headers={"Accept": "application/sparql-results+xml"})
    ET.fromstring(fine.content)


def test_internal_errors_name_no_host(server: str) -> None:
    r = httpx.get(server + "/sparql", params={"query": "SELECT * WHERE { SERVICE <http://10.0.0.1:6379/> {} }"})
    assert r.status_code == 400 and "10.0.0.1" not in r.text and "6379" not in r.text


def test_a_large_insert_data_is_not_slowed_by_the_checks(server: str) -> None:
    triples = " ".join(f'<urn:bulk:{i}> <urn:p> "第{i}条 责任" .' for i in range(12000))
    update = f"INSERT DATA {{ GRAPH <urn:bulk> {{ {triples} }} }}"
    assert len(update.encode()) > 400_000
    started = time.monotonic()
    r = httpx.post(server + "/sparql", content=update, timeout=60,
                   headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 204, r.text
    assert time.monotonic() - started < 5


def test_lookups_and_stored_queries_are_under_the_timeout(seed_path: Path, tmp_path: Path) -> None:
    """A document with 3,000 articles and 3,000 duties makes /api/documents count 9 million combinations (the
    issue's 9-18 s calls): it is stopped at the timeout (503) while the server answers others; before, lookups
    ran in the server process with no bound at all. (Its store is built anew: a copy of the module's store,
    which the module's server writes, can lose a table file to a compaction while it is copied.)"""
    import pyoxigraph as ox

    copy = store_with(tmp_path / "store", seed_path)
    pg, eli = "https://w3id.org/policygraph/ontology#", "http://data.europa.eu/eli/ontology#"
    doc, graph, a = ox.NamedNode("urn:big"), ox.NamedNode("urn:big"), ox.NamedNode(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    quads = [ox.Quad(doc, a, ox.NamedNode(pg + "Regulation"), graph),
             ox.Quad(doc, ox.NamedNode(eli + "title"), ox.Literal("大"), graph)]
    for i in range(3000):
        for kind in ("Article", "Duty"):
            node = ox.NamedNode(f"urn:big:{kind}{i}")
            quads += [ox.Quad(node, a, ox.NamedNode(pg + kind), graph),
                      ox.Quad(node, ox.NamedNode(pg + "inDocument"), doc, graph)]
    store = ox.Store(str(copy))
    store.extend(quads)
    store.flush()
    del store
    with policygraph_server(copy, query_timeout="1") as base:
        started = time.monotonic()
        r = httpx.get(base + "/api/documents", timeout=30)
        assert r.status_code == 503 and r.json()["error"]["code"] == "timeout", r.text
        assert time.monotonic() - started < 2
        assert httpx.get(base + "/api/queries/duties-of-actor", params={"actor": "县级政府"}).status_code == 200
        assert httpx.get(base + "/healthz").json()["status"] == "ok"


def test_a_client_leaving_mid_body_is_one_log_line(store_dir: Path, tmp_path: Path) -> None:
    import os
    import shutil
    import subprocess

    from .servers import VENV_BIN, free_port, wait_until_up

    copy = tmp_path / "store"
    shutil.copytree(store_dir, copy)
    port, log = free_port(), tmp_path / "server.log"
    with open(log, "w") as err:
        proc = subprocess.Popen([str(VENV_BIN / "policygraph"), "serve", "--store", str(copy), "--port", str(port)],
                                stdout=subprocess.DEVNULL, stderr=err, env=os.environ.copy())
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", proc)
        for _ in range(3):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                      b"Content-Length: 1000\r\n\r\nSELECT * WHERE {")
            time.sleep(0.2)
            s.close()
        time.sleep(0.5)
        assert httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
    finally:
        proc.terminate()
        proc.wait(10)
    lines = [line for line in log.read_text().splitlines() if not line.startswith("policygraph ")]
    assert "Traceback" not in log.read_text()
    assert lines == ["POST /sparql: the client left before sending its whole body"] * 3, lines


def test_workers_mode_has_the_same_guards(store_dir: Path, tmp_path: Path) -> None:
    """--workers N runs uvicorn's worker processes, which get the guarded protocol by name."""
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(store_dir, copy)
    with policygraph_server(copy, workers="2", header_timeout="1") as base:
        assert httpx.get(base + "/sparql", params={"query": "ASK {}"}, timeout=30).json()["boolean"] is True
        url = urlparse(base)
        slow = socket.create_connection((url.hostname, url.port))
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        slow.settimeout(5)
        started = time.monotonic()
        assert slow.recv(100) == b""  # closed by the server
        assert time.monotonic() - started < 3
        slow.close()


def test_over_the_connection_limit_a_prompt_client_displaces_the_slowest(store_dir: Path, tmp_path: Path) -> None:
    """3,000 half-sent requests against a limit of 500 (the issue's 20,000 exhausted the descriptors): the server
    keeps at most 500, and /healthz, sent at once, gets in by closing the connection that waited longest."""
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(store_dir, copy)
    with policygraph_server(copy, max_connections="500", header_timeout="60") as base:
        url = urlparse(base)
        sockets = []
        try:
            for _ in range(3000):
                s = socket.create_connection((url.hostname, url.port))
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                sockets.append(s)
            for _ in range(5):
                started = time.monotonic()
                assert httpx.get(base + "/healthz", timeout=10).status_code == 200
                assert time.monotonic() - started < 1
            time.sleep(0.5)
            open_ = 0
            for s in sockets:
                s.setblocking(False)
                try:
                    open_ += s.recv(1) != b""
                except BlockingIOError:
                    open_ += 1  # nothing to read: still open
                except OSError:
                    pass
            assert open_ <= 500, open_
        finally:
            for s in sockets:
                s.close()


def test_the_update_thread_has_no_network_unless_endpoints_are_allowed(canary: Canary) -> None:
    """What the parse-tree check would miss, the writer still could not reach: its thread has no network."""
    import asyncio

    from policygraph.api import Writer

    def connect() -> str:
        with socket.socket() as s:
            try:
                s.connect(("127.0.0.1", canary.port))
                return "connected"
            except OSError as exc:
                return exc.strerror or "refused"

    isolated, open_ = Writer(isolate=True), Writer(isolate=False)
    assert asyncio.run(isolated.run(connect)) == "Network is unreachable"
    assert asyncio.run(open_.run(connect)) == "connected"
    assert connect() == "connected"  # the rest of the server keeps its network (a remote store needs it)


def test_updates_are_rehearsed_under_the_workers_limits(server: str, store_dir: Path) -> None:
    """An update that would blow up on the real data (where a dry run on an empty store sees nothing) runs
    first on a checkpoint in a worker: the memory bomb and the endless join are stopped there (503), the
    server stays small and nothing is written."""
    port = urlparse(server).port
    assert port is not None
    binds = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(32))
    bomb = (f"INSERT {{ GRAPH <urn:bomb> {{ ?d <urn:v> ?v32 }} }} WHERE {{ GRAPH ?g {{ ?d a pg:Permission }} "
            f'BIND("0123456789abcdef" AS ?v0) {binds} }}')
    endless = ("INSERT { GRAPH <urn:endless> { ?a <urn:n> ?n } } WHERE { { SELECT ?a (COUNT(*) AS ?n) WHERE { "
               "GRAPH ?g1 { ?a ?b ?c } GRAPH ?g2 { ?d ?e ?f } GRAPH ?g3 { ?h ?i ?j } } GROUP BY ?a } }")
    before = _rss_mb(port)
    with httpx.Client(base_url=server, timeout=60, headers={"Authorization": f"Bearer {TOKEN}"}) as c:
        for update, code in [(bomb, "too_much_memory"), (endless, "timeout")]:
            started = time.monotonic()
            r = c.post("/sparql", data={"update": update})
            assert r.status_code == 503 and r.json()["error"]["code"] == code, r.text
            assert time.monotonic() - started < 5 + 3
        for graph in ("urn:bomb", "urn:endless"):
            assert c.get("/sparql", params={"query": f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"}).json()["boolean"] \
                is False
        assert c.get("/healthz").json()["status"] == "ok"
    assert _rss_mb(port) - before < 100
    assert [p.name for p in store_dir.parent.iterdir() if "rehearsal" in p.name] == []  # copies removed
