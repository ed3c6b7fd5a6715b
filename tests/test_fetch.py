"""Regulations by URL: parse, extract and load fetch them from a local HTTP server on 127.0.0.1; a 404, a
time-out, an oversized body and a binary body each give one line, exit 2, and write nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from policygraph.pipeline import read_document
from policygraph.store import open_store

from .documents import measure_lines, news_page, saved_page, write_docx

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _routes(tmp: Path) -> dict[str, tuple[int, str, bytes]]:
    docx = write_docx(measure_lines(), tmp / "measure.docx").read_bytes()
    return {
        "/measure.html": (200, "text/html; charset=utf-8", saved_page(measure_lines()).encode("utf-8")),
        # A portal page in GB18030 that says so only in its header.
        "/portal.htm": (200, "text/html; charset=gb18030", news_page(measure_lines()).replace(
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">', "").encode("gb18030")),
        "/files/measure.docx": (200, DOCX_TYPE, docx),
        "/big.txt": (200, "text/plain; charset=utf-8", "第一条　本办法自印发之日起施行。\n".encode() * 20000),
        "/photo.png": (200, "image/png", b"\x89PNG\r\n\x1a\n" + bytes(2048)),
        "/blob": (200, "application/octet-stream", bytes(range(256)) * 64),
    }


class _Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, str, bytes]]] = {}

    def do_GET(self) -> None:
        if self.path == "/old/measure.html":
            self.send_response(301)
            self.send_header("Location", "/measure.html")
            self.end_headers()
            return
        if self.path == "/slow.html":
            time.sleep(3)
        if self.path == "/stream.txt":  # no Content-Length: the limit applies while reading
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.end_headers()
            self.wfile.write("第一条　本办法自印发之日起施行。\n".encode() * 20000)
            return
        status, kind, body = self.routes.get(self.path, (404, "text/html", b"<h1>404</h1>"))
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the time-out test)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _Handler.routes = _routes(tmp_path_factory.mktemp("site"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "POLICYGRAPH_FETCH_TIMEOUT": "1", "POLICYGRAPH_FETCH_MAX_BYTES": "200000"}
    return subprocess.run([sys.executable, "-m", "policygraph", *args], capture_output=True, text=True,
                          check=False, env=env, timeout=120)


@pytest.mark.parametrize("path", ["/measure.html", "/portal.htm", "/files/measure.docx", "/old/measure.html"])
def test_parse_by_url(site: str, path: str) -> None:
    doc = read_document(site + path)
    assert [a.number for a in doc.articles] == list(range(1, 30))
    assert doc.title == "脱贫攻坚责任制实施办法"
    assert doc.article(22).text.startswith("军队和武警部队应当发挥")


def test_load_by_url_records_where_the_document_came_from(site: str, tmp_path: Path) -> None:
    store = tmp_path / "store"
    url = site + "/old/measure.html"
    proc = _cli("load", url, "--store", str(store))
    assert proc.returncode == 0, proc.stderr
    assert "1 documents (1 loaded" in proc.stderr
    opened = open_store(store)
    try:
        rows = opened.select("SELECT ?from WHERE { GRAPH ?g { ?load prov:used ?file . "
                             "?file prov:wasDerivedFrom ?from } }")
    finally:
        opened.close()
    assert [r["from"].value for r in rows] == [site + "/measure.html"]  # where the redirect led


def test_extract_by_url(site: str) -> None:
    proc = _cli("extract", site + "/files/measure.docx")
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) > 50


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("/nothing-here.html", "not found (HTTP 404)"),
        ("/slow.html", "timed out after 1 s"),
        ("/big.txt", "too large (980000 bytes; the limit is 200000)"),
        ("/stream.txt", "too large (more than 200000 bytes)"),
        ("/photo.png", "not a document (the server sent image/png)"),
        ("/blob", "binary file (contains NUL bytes), not a regulation"),
    ],
)
def test_a_url_that_cannot_be_read_gives_one_line_and_exit_2(site: str, tmp_path: Path, path: str,
                                                             problem: str) -> None:
    url = site + path
    for args in (["parse", url], ["load", url, "--store", str(tmp_path / "store")]):
        proc = _cli(*args)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.startswith(f"policygraph: {url}: {problem}"), proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert not (tmp_path / "store").exists()  # nothing written, not even an empty store
