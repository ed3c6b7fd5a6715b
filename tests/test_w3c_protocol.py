"""Every entry of the W3C SPARQL 1.1 Protocol test manifest, run against a real ``policygraph serve``.

The manifest and its data are the W3C's (``../shared/w3c-sparql-protocol/``, from the rdf-tests suite).
Each entry's requests go, in order, to the server's ``/sparql`` (the manifest's ``/sparql/`` prefix
replaced, as the manifest says to); the datasets an entry names (``ut:graphData``) are in the store as
named graphs under their IRIs before it runs. Updates carry the server's token (the manifest has none).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from .servers import policygraph_server

SUITE = Path(__file__).resolve().parents[2] / "shared" / "w3c-sparql-protocol"
if not SUITE.exists():
    SUITE = Path("/work/shared/w3c-sparql-protocol")
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
TOKEN = "w3c-protocol-token"
BOOLEAN_TYPES = ("application/sparql-results+json", "application/sparql-results+xml")
TABULAR_TYPES = (*BOOLEAN_TYPES, "text/csv", "text/tab-separated-values")
RDF_TYPES = ("application/rdf+xml", "text/turtle", "application/n-triples")

pytestmark = pytest.mark.skipif(not (SUITE / "manifest.ttl").exists(), reason="the W3C protocol suite is missing")


def _manifest() -> tuple[rdflib.Graph, list[rdflib.term.Node]]:
    graph = rdflib.Graph()
    graph.parse(SUITE / "manifest.ttl", format="turtle", publicID=BASE + "manifest.ttl")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    return graph, list(Collection(graph, graph.value(manifest, MF.entries)))


GRAPH, ENTRIES = _manifest() if (SUITE / "manifest.ttl").exists() else (rdflib.Graph(), [])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with policygraph_server(tmp_path_factory.mktemp("w3c") / "store", update_token=TOKEN) as base:
        yield base


def _load_datasets(server: str, entry: Any) -> None:
    """The entry's datasets as named graphs under their IRIs (an authorised INSERT DATA of the files)."""
    for data in GRAPH.objects(entry, UT.graphData):
        name = str(GRAPH.value(data, RDFS.label))
        triples = (SUITE / str(GRAPH.value(data, UT.graph)).rsplit("/", 1)[-1]).read_text(encoding="utf-8")
        response = httpx.post(server + "/sparql", content=f"CLEAR SILENT GRAPH <{name}> ; INSERT DATA {{ GRAPH "
                              f"<{name}> {{ {triples} }} }}", headers={"content-type": "application/sparql-update",
                                                                        "authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 204, response.text


def _send(client: httpx.Client, server: str, request: Any) -> httpx.Response:
    method = str(GRAPH.value(request, HT.methodName))
    path = str(GRAPH.value(request, HT.absolutePath))
    assert path.startswith("/sparql/")
    url = server + "/sparql" + path[len("/sparql/"):]
    headers = {"authorization": f"Bearer {TOKEN}"}
    for header in Collection(GRAPH, GRAPH.value(request, HT.headers)) if GRAPH.value(request, HT.headers) else []:
        headers[str(GRAPH.value(header, HT.fieldName))] = str(GRAPH.value(header, HT.fieldValue))
    content = None
    body = GRAPH.value(request, HT.body)
    if body is not None:
        encoding = str(GRAPH.value(body, CNT.characterEncoding) or "UTF-8")
        content = str(GRAPH.value(body, CNT.chars)).encode(encoding.lower())
    return client.request(method, url, content=content, headers=headers)


def _boolean(response: httpx.Response) -> bool:
    ctype = response.headers["content-type"].split(";")[0].strip()
    if ctype == "application/sparql-results+json":
        return bool(json.loads(response.content)["boolean"])
    assert ctype == "application/sparql-results+xml", ctype
    root = ET.fromstring(response.content)
    found = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert found is not None
    return found.text == "true"


def _check(response: httpx.Response, expected: Any) -> None:
    statuses = {str(s).rsplit("StatusCode", 1)[-1][0] for s in GRAPH.objects(expected, MF.expectedStatus)}
    assert str(response.status_code)[0] in statuses, (response.status_code, response.text[:300])
    fmt = GRAPH.value(expected, MF.expectedFormat)
    ctype = response.headers.get("content-type", "").split(";")[0].strip()
    if fmt is not None:
        allowed = {"boolean": BOOLEAN_TYPES, "tabular": TABULAR_TYPES, "RDF": RDF_TYPES}[str(fmt)]
        assert ctype in allowed, ctype
    if str(response.status_code)[0] == "4":  # errors have the API's one JSON shape
        assert response.json()["error"]["status"] == response.status_code
    boolean = GRAPH.value(expected, MF.expectedBoolean)
    if boolean is not None:
        assert _boolean(response) is boolean.toPython()


@pytest.mark.parametrize("entry", ENTRIES, ids=[str(e).rsplit("#", 1)[-1] for e in ENTRIES])
def test_protocol(server: str, entry: Any) -> None:
    _load_datasets(server, entry)
    with httpx.Client(timeout=30.0) as client:
        requests = list(Collection(GRAPH, GRAPH.value(GRAPH.value(entry, MF.action), HT.requests)))
        assert requests
        for request in requests:
            _check(_send(client, server, request), GRAPH.value(request, HT.resp))


def test_every_entry_is_run() -> None:
    assert len(ENTRIES) == 34
