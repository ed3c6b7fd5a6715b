"""Hostile input: injection attempts through every lookup parameter, huge and malformed requests, SERVICE,
unauthorised updates. The server answers each with a 4xx in the one JSON shape (or a harmless 200), keeps
answering, and the store's quads are identical before and after."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest

from .servers import policygraph_server, store_with

SPARQL = "application/sparql-query"
PAYLOADS = [
    "'",
    '"',
    '"} ; DROP ALL ; #',
    "\" } } ; CLEAR ALL ; INSERT DATA { <urn:x> <urn:y> <urn:z> } #",
    "}\nDELETE WHERE { ?s ?p ?o }",
    "<http://evil.example/>",
    "\\u0022) } UNION { ?s ?p ?o } #",
    "?x",
    "# comment\n",
    "县级政府\" . ?s ?p ?o . FILTER(\"",
    "\\",
    "%00",
    "../../etc/passwd",
    "𠀀" * 50,
]

# Every place a request's value reaches the store: (path template, param name or None for a path segment).
PLACES = [
    ("/api/responsibilities", "q"),
    ("/api/actors", "level"),
    ("/api/actors", "kind"),
    ("/api/actors", "document"),
    ("/api/actors/{}", None),
    ("/api/actors/{}/duties", None),
    ("/api/documents/{}", None),
    ("/api/documents/脱贫攻坚责任制实施办法/articles/{}", None),
    ("/api/documents/{}/comparison", None),
    ("/api/links", "document"),
    ("/api/queries/duties-of-actor", "actor"),
    ("/api/queries/articles-citing", "title"),
    ("/api/queries/responsibilities", "document"),
    ("/api/queries/duties-by-level", "level"),
    ("/api/queries/duties-by-kind", "kind"),
    ("/api/queries/implementing-documents", "measure"),
    ("/api/queries/gaps", "rule"),
]


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Path:
    return store_with(tmp_path_factory.mktemp("hostile") / "store", seed_path)


def quads(store_dir: Path) -> list[str]:
    """The store's quads, read with the store to ourselves (a reader beside a live writer is not safe)."""
    store = ox.Store(str(store_dir))
    lines = sorted((store.dump(format=ox.RdfFormat.N_QUADS) or b"").decode().splitlines())
    del store
    return lines


@pytest.fixture(scope="module")
def before(store_dir: Path) -> list[str]:
    return quads(store_dir)


@pytest.fixture(scope="module")
def running(store_dir: Path, before: list[str]) -> Iterator[tuple[str, ExitStack]]:
    """The server's base URL and its lifetime, so the last test can stop it and read the store on disk."""
    with ExitStack() as lifetime:
        base = lifetime.enter_context(policygraph_server(store_dir, update_token="right-token", query_timeout="3"))
        yield base, lifetime


@pytest.fixture(scope="module")
def server(running: tuple[str, ExitStack]) -> str:
    return running[0]


def _check(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        body = response.json()
        assert set(body["error"]) == {"status", "code", "message"}


@pytest.mark.parametrize(("path", "param"), PLACES)
def test_injection_through_every_parameter(server: str, before: list[str], path: str, param: str | None) -> None:
    with httpx.Client(base_url=server, timeout=20) as client:
        for payload in PAYLOADS:
            if param is None:
                url = path.format(quote(payload, safe=""))
                response = client.get(url)
            else:
                response = client.get(path, params={param: payload})
            _check(response)


@pytest.mark.parametrize(
    ("description", "request_args"),
    [
        ("deeply nested groups", {"method": "POST", "url": "/sparql", "headers": {"Content-Type": SPARQL},
                                  "content": "SELECT * WHERE " + "{" * 20000 + "}" * 20000}),
        ("deeply nested expression", {"method": "POST", "url": "/sparql", "headers": {"Content-Type": SPARQL},
                                      "content": "SELECT (" + "(" * 20000 + "1" + ")" * 20000 + " AS ?x) {}"}),
        ("invalid UTF-8 in a form", {"method": "POST", "url": "/sparql", "content": b"query=SELECT%20\xff\xfe",
                                     "headers": {"Content-Type": "application/x-www-form-urlencoded"}}),
        ("invalid UTF-8 in a query body", {"method": "POST", "url": "/sparql", "content": b"SELECT \xff {}",
                                           "headers": {"Content-Type": "application/sparql-query"}}),
        ("oversized body", {"method": "POST", "url": "/sparql", "content": b"#" * 2_000_000,
                            "headers": {"Content-Type": "application/sparql-query"}}),
        ("SERVICE to an outside host", {"method": "GET", "url": "/sparql",
                                        "params": {"query": "SELECT * { SERVICE <http://203.0.113.9/sparql> "
                                                            "{ ?s ?p ?o } }"}}),
        ("SERVICE behind a CR-ended comment", {"method": "GET", "url": "/sparql", "params": {
            "query": "SELECT * WHERE { ?a ?b 1 # x\rSERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}}),
        ("SERVICE glued to a number", {"method": "POST", "url": "/sparql", "data": {
            "query": "SELECT * WHERE { ?a ?b 1SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}}),
        ("SERVICE to a variable", {"method": "GET", "url": "/sparql", "params": {
            "query": "SELECT * WHERE { BIND(<http://10.0.0.1/> AS ?e) SERVICE ?e { ?s ?p ?o } }"}}),
        ("quadratic-regex body", {"method": "POST", "url": "/sparql", "headers": {"Content-Type": SPARQL},
                                  "content": 'ASK {} # \n"' + '\\"' * 200_000}),
        ("update smuggled after a CR", {"method": "GET", "url": "/sparql",
                                        "params": {"query": "ASK {} # \rDROP ALL"}}),
        ("LOAD with the token", {"method": "POST", "url": "/sparql", "data": {"update": "LOAD <http://127.0.0.1:9/>"},
                                 "headers": {"Authorization": "Bearer right-token"}}),
        ("LOAD behind a CR with the token", {"method": "POST", "url": "/sparql", "headers": {
            "Authorization": "Bearer right-token"}, "data": {"update": "CLEAR SILENT GRAPH <urn:none> # x\r; "
                                                                      "LOAD <http://127.0.0.1:9/>"}}),
        ("deeply nested update", {"method": "POST", "url": "/sparql", "headers": {
            "Authorization": "Bearer right-token", "Content-Type": "application/sparql-update"},
            "content": "INSERT { GRAPH <urn:n> { <urn:a> <urn:b> 1 } } WHERE " + "{" * 20000 + "}" * 20000}),
        ("DELETE WHERE over the empty default graph", {"method": "POST", "url": "/sparql", "data": {
            "update": "DELETE WHERE { ?s ?p ?o }"}, "headers": {"Authorization": "Bearer right-token"}}),
        ("using-graph-uri pasted into the update", {"method": "POST", "url": "/sparql", "data": {
            "update": "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }",
            "using-graph-uri": "urn:x> WHERE {} ; DROP ALL ; #"}, "headers": {"Authorization": "Bearer right-token"}}),
        ("the raw token without its scheme", {"method": "POST", "url": "/sparql", "data": {"update": "DROP ALL"},
                                              "headers": {"Authorization": "right-token"}}),
        ("update without a token", {"method": "POST", "url": "/sparql", "data": {"update": "DROP ALL"}}),
        ("update with a wrong token", {"method": "POST", "url": "/sparql", "data": {"update": "DROP ALL"},
                                       "headers": {"Authorization": "Bearer wrong-token"}}),
        ("update by GET", {"method": "GET", "url": "/sparql", "params": {"update": "DROP ALL"}}),
        ("update smuggled in a query", {"method": "GET", "url": "/sparql", "params": {"query": "DROP ALL"}}),
        ("query and update together", {"method": "POST", "url": "/sparql",
                                       "data": {"query": "ASK {}", "update": "DROP ALL"},
                                       "headers": {"Authorization": "Bearer right-token"}}),
    ],
)
def test_malformed_and_unauthorised_requests(server: str, before: list[str], description: str,
                                             request_args: dict[str, object]) -> None:
    with httpx.Client(base_url=server, timeout=20) as client:
        response = client.request(**request_args)  # type: ignore[arg-type]
        assert 400 <= response.status_code < 500, (description, response.status_code, response.text[:200])
        _check(response)
        assert client.get("/healthz").json()["status"] == "ok"


def test_the_store_is_unchanged(running: tuple[str, ExitStack], store_dir: Path, before: list[str]) -> None:
    """Runs last in this module: after every hostile request above, not one quad changed."""
    base, lifetime = running
    assert httpx.get(base + "/healthz").json()["status"] == "ok"
    lifetime.close()  # stop the server: the store is ours to read
    assert quads(store_dir) == before
