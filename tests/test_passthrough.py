"""GET /sparql through Oxigraph's own server (sidecar.py, web/passthrough.py), against a real policygraph server
process and the real ``oxigraph`` binary it starts: the same answers as the query workers, every guarantee
kept (timeout, a departed client, no network, updates seen, row cap, CORS, ETags)."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest

from .servers import get_in_background, policygraph_server, store_with

pytestmark = pytest.mark.usefixtures("oxigraph_binary")  # the Oxigraph server is what they test

TOKEN = "passthrough-token"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
QUERIES = [
    "SELECT ?duty ?action WHERE { ?duty pg:bearer/skos:prefLabel \"县级政府\"@zh-Hans ; pg:action ?action }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s a pg:Duty }",
    "SELECT ?label WHERE { ?a skos:prefLabel ?label } ORDER BY ?label LIMIT 7",
    "SELECT ?x WHERE { VALUES ?x { <relative> 1 \"a\"@en 2.5 } }",  # a relative IRI: against the endpoint
    "SELECT ?s WHERE { ?s pg:nothing ?o }",
    "ASK { ?s a pg:Duty }",
]


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Path:
    return store_with(tmp_path_factory.mktemp("passthrough") / "store", seed_path)


def _copy(store_dir: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store"
    shutil.copytree(store_dir, copy)
    return copy


def _server_pid(base: str) -> int:
    port = str(urlparse(base).port).encode()
    for entry in Path("/proc").iterdir():
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if entry.name.isdigit() and b"serve" in argv and port in argv:
            return int(entry.name)
    raise LookupError(base)


def sidecars(base: str) -> list[int]:
    """The Oxigraph servers the policygraph server on ``base`` has started."""
    parent = _server_pid(base)
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            argv = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent and b"serve-read-only" in argv:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]) != "Z"
    except OSError:
        return False


def _rows(response: httpx.Response, base: str) -> object:
    """The answer's rows, in order, the server's own URL (relative IRIs resolve against it) left out."""
    body = response.json()
    if "boolean" in body:
        return body["boolean"]
    return sorted(json.dumps(b, sort_keys=True, ensure_ascii=False).replace(base, "")
                  for b in body["results"]["bindings"])


def test_the_oxigraph_server_answers_as_the_workers_do(store_dir: Path, tmp_path: Path) -> None:
    with policygraph_server(store_dir) as fast, policygraph_server(_copy(store_dir, tmp_path),
                                                                   oxigraph_server="false") as workers:
        assert len(sidecars(fast)) == 1 and sidecars(workers) == []
        for query in QUERIES:
            a = httpx.get(fast + "/sparql", params={"query": query}, timeout=30)
            b = httpx.get(workers + "/sparql", params={"query": query}, timeout=30)
            assert a.status_code == b.status_code == 200, (query, a.text, b.text)
            assert a.headers["content-type"] == b.headers["content-type"]
            assert _rows(a, fast) == _rows(b, workers), query
        # The ASK was the Oxigraph server's (its JSON is compact; the workers' is json.dumps's).
        assert httpx.get(fast + "/sparql", params={"query": "ASK { ?s ?p ?o } # 2"}).content == \
            b'{"head":{},"boolean":true}'
        # Errors and forms it does not answer in JSON are the workers', in their words.
        bad = httpx.get(fast + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } garbage"})
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_query"
        graph = httpx.get(fast + "/sparql", params={"query": "CONSTRUCT WHERE { ?s a pg:Duty } LIMIT 2"},
                          headers={"Accept": "text/turtle"})
        assert graph.status_code == 200 and graph.headers["content-type"].startswith("text/turtle")


def test_the_oxigraph_server_has_no_network(store_dir: Path) -> None:
    with policygraph_server(store_dir) as base:
        (pid,) = sidecars(base)
        assert os.readlink(f"/proc/{pid}/ns/net") != os.readlink(f"/proc/{_server_pid(base)}/ns/net")


def test_a_slow_query_is_503_at_the_timeout_and_stopped_while_others_answer(store_dir: Path) -> None:
    with policygraph_server(store_dir, query_timeout="2") as base:
        (before,) = sidecars(base)
        finish = get_in_background(base + "/sparql", {"query": SLOW})
        time.sleep(0.5)
        for i in range(5):  # the slow query holds a core; these still come back at once
            started = time.monotonic()
            quick = httpx.get(base + "/sparql", params={"query": f"ASK {{ ?s a pg:Duty }} # {i}"}, timeout=30)
            assert quick.status_code == 200 and time.monotonic() - started < 1
        response, took = finish()
        assert response.status_code == 503 and response.json()["error"]["code"] == "timeout", response.text
        assert 2 <= took < 3
        deadline = time.monotonic() + 2
        while _alive(before) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(before)  # the query was stopped with the server that ran it
        assert httpx.get(base + "/sparql", params={"query": "ASK {}"}).status_code == 200
        time.sleep(0.5)
        assert len(sidecars(base)) == 1 and sidecars(base) != [before]  # a new one took over


def test_a_departed_clients_query_is_stopped(store_dir: Path) -> None:
    with policygraph_server(store_dir, query_timeout="30") as base:
        (before,) = sidecars(base)
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(base + "/sparql", params={"query": SLOW + " # gone"}, timeout=1)
        deadline = time.monotonic() + 2
        while _alive(before) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(before), "the query of a client that left kept running"
        assert httpx.get(base + "/sparql", params={"query": "ASK {}"}).json()["boolean"] is True


def test_an_update_is_seen_by_the_next_query(store_dir: Path, tmp_path: Path) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:pt> { ?s ?p ?o } }"
    with policygraph_server(_copy(store_dir, tmp_path), update_token=TOKEN) as base:
        first = httpx.get(base + "/sparql", params={"query": count})
        assert first.json()["results"]["bindings"][0]["n"]["value"] == "0"
        r = httpx.post(base + "/sparql", content="INSERT DATA { GRAPH <urn:pt> { <urn:a> <urn:b> 1 } }",
                       headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 204, r.text
        for _ in range(20):  # the first answers may come from the workers while the server moves to the new view
            after = httpx.get(base + "/sparql", params={"query": count + f" # {_}"})
            assert after.json()["results"]["bindings"][0]["n"]["value"] == "1"
        assert httpx.get(base + "/sparql", params={"query": count}).headers["etag"] != first.headers["etag"]
        time.sleep(0.3)
        assert httpx.get(base + "/sparql", params={"query": "ASK { GRAPH <urn:pt> { ?s ?p 1 } } # x"}).content \
            == b'{"head":{},"boolean":true}'  # the Oxigraph server, on the new view


def test_row_cap_cors_and_etags_hold(store_dir: Path) -> None:
    with policygraph_server(store_dir, max_rows="5", cors="true") as base:
        r = httpx.get(base + "/sparql", params={"query": "SELECT ?s WHERE { ?s a pg:Duty }"},
                      headers={"Origin": "http://elsewhere.example"})
        assert r.status_code == 200 and r.json()["truncated"] is True and r.headers["X-Truncated"] == "true"
        assert len(r.json()["results"]["bindings"]) == 5
        assert r.headers["access-control-allow-origin"] == "*"
        small = httpx.get(base + "/sparql", params={"query": "ASK { ?s a pg:Duty } # cors"},
                          headers={"Origin": "http://elsewhere.example"})
        assert small.content == b'{"head":{},"boolean":true}' and small.headers["access-control-allow-origin"] == "*"
        again = httpx.get(base + "/sparql", params={"query": "ASK { ?s a pg:Duty } # cors"},
                          headers={"If-None-Match": small.headers["etag"]})
        assert again.status_code == 304


def test_post_queries_take_the_same_path(store_dir: Path) -> None:
    """A form and an application/sparql-query body are answered by the Oxigraph server too; a body over
    max_body is still 413, an error still the workers' message, a body that never comes still 408."""
    import socket

    with policygraph_server(store_dir, max_body="2000", header_timeout="1") as base:
        form = httpx.post(base + "/sparql", data={"query": "ASK { ?s a pg:Duty } # form"})
        direct = httpx.post(base + "/sparql", content="ASK { ?s a pg:Duty } # body",
                            headers={"Content-Type": "application/sparql-query"})
        assert form.content == direct.content == b'{"head":{},"boolean":true}'
        rows = httpx.post(base + "/sparql", data={"query": QUERIES[0]})
        assert rows.status_code == 200 and rows.json()["results"]["bindings"]
        big = httpx.post(base + "/sparql", content="ASK {} #" + "x" * 3000,
                         headers={"Content-Type": "application/sparql-query"})
        assert big.status_code == 413
        bad = httpx.post(base + "/sparql", data={"query": "ASK { garbage"})
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_query"
        port = urlparse(base).port
        assert port is not None
        with socket.create_connection(("127.0.0.1", port)) as slow:
            slow.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                         b"Content-Length: 100\r\n\r\nASK {")
            slow.settimeout(10)
            assert b" 408 " in slow.recv(4096).split(b"\r\n")[0] + b" "


def _exchange(port: int, raw: bytes) -> bytes:
    """Send raw bytes on one connection and read until the server closes it."""
    import socket

    with socket.create_connection(("127.0.0.1", port)) as conn:
        conn.settimeout(30)
        conn.sendall(raw)
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
    return received


def test_the_protocol_lane_keeps_the_asgi_paths_answers(store_dir: Path) -> None:
    """GET /sparql taken at the protocol (web/lane.py): pipelined requests answered in order with the other
    routes', ``Connection: close`` honoured, an answer over the row cap handed to the workers (cut), the proxy
    headers' scheme kept, the cache and 304 as on the ASGI path."""
    from urllib.parse import quote

    with policygraph_server(store_dir, max_rows="5") as base:
        port = urlparse(base).port
        assert port is not None
        ask = "GET /sparql?query=" + quote("ASK { ?s a pg:Duty } # lane") + " HTTP/1.1\r\nHost: x\r\n"
        many = "GET /sparql?query=" + quote("SELECT ?s WHERE { ?s a pg:Duty } # lane") + " HTTP/1.1\r\nHost: x\r\n"
        raw = (ask + "\r\n" + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" + many + "\r\n"
               + ask + "Connection: close\r\n\r\n").encode()
        answers = _exchange(port, raw).split(b"HTTP/1.1 ")[1:]
        assert [a.split(b" ", 1)[0] for a in answers] == [b"200"] * 4
        assert answers[0].endswith(b'{"head":{},"boolean":true}') and answers[3].endswith(b'{"head":{},"boolean":true}')
        assert b'"status": "ok"' in answers[1]  # /healthz, between the two
        cut = json.loads(answers[2].split(b"\r\n\r\n", 1)[1])
        assert cut["truncated"] is True and len(cut["results"]["bindings"]) == 5 and b"x-truncated: true" in answers[2]
        assert b"connection: close" in answers[3].lower()
        relative = "SELECT ?x WHERE { VALUES ?x { <relative> } }"
        plain = httpx.get(base + "/sparql", params={"query": relative}).json()["results"]["bindings"][0]["x"]["value"]
        proxied = httpx.get(base + "/sparql", params={"query": relative + " # proxied"},
                            headers={"X-Forwarded-Proto": "https"})
        assert plain.startswith("http://") and proxied.json()["results"]["bindings"][0]["x"]["value"] == \
            "https://" + plain.removeprefix("http://")
        first = httpx.get(base + "/sparql", params={"query": QUERIES[1] + " # cached"})
        again = httpx.get(base + "/sparql", params={"query": QUERIES[1] + " # cached"})
        assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
        same = httpx.get(base + "/sparql", params={"query": QUERIES[1] + " # cached"},
                         headers={"If-None-Match": first.headers["etag"]})
        assert same.status_code == 304


def test_the_answer_cache_keeps_the_forwarded_scheme_apart(store_dir: Path) -> None:
    """A relative IRI resolves against the endpoint's URL, scheme included: an answer cached for a plain request
    is not the answer to the same query sent through a proxy that says https, nor the other way round."""
    with policygraph_server(store_dir) as base:
        relative = "SELECT ?x WHERE { VALUES ?x { <relative> } } # scheme"
        def value(**headers: str) -> str:
            answer = httpx.get(base + "/sparql", params={"query": relative}, headers=headers)
            assert answer.status_code == 200
            return str(answer.json()["results"]["bindings"][0]["x"]["value"])
        plain = value()
        assert value() == plain and plain.startswith("http://")  # the second from the cache
        assert value(**{"X-Forwarded-Proto": "https"}) == "https://" + plain.removeprefix("http://")
        assert value() == plain
