"""Real servers for tests: an Oxigraph server, and policygraph's own app under uvicorn."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {proc.stderr.read() if proc.stderr else ''!r}")
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not come up in {timeout} s")


@contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """``oxigraph serve`` (from the oxigraph PyPI package) on a free loopback port; yields its base URL."""
    port = free_port()
    binary = VENV_BIN / "oxigraph"
    proc = subprocess.Popen([str(binary), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/query?query=ASK%7B%7D", proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def policygraph_server(store: Path, **env: str) -> Iterator[str]:
    """``policygraph serve`` in its own process on a free loopback port; yields its base URL."""
    import os

    port = free_port()
    environment = {**os.environ, **{f"POLICYGRAPH_{k.upper()}": v for k, v in env.items()}}
    proc = subprocess.Popen([str(VENV_BIN / "policygraph"), "serve", "--store", str(store), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/healthz", proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def store_with(path: Path, *files: Path) -> Path:
    """A closed on-disk store at ``path`` holding the given documents, for a server process to open."""
    from policygraph.loader import Loader
    from policygraph.store import open_store

    store = open_store(path)
    try:
        report = Loader(store).load(list(files))
        assert not report.failed, [f.error for f in report.failed]
    finally:
        store.close()
    return path


def get_in_background(url: str, params: dict[str, str]) -> Callable[[], tuple[httpx.Response, float]]:
    """Send a GET in a thread of its own; the returned function waits for it: (response, seconds taken)."""
    result: dict[str, object] = {}

    def run() -> None:
        started = time.monotonic()
        result["response"] = httpx.get(url, params=params, timeout=30)
        result["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run)
    thread.start()

    def finish() -> tuple[httpx.Response, float]:
        thread.join()
        response, seconds = result["response"], result["seconds"]
        assert isinstance(response, httpx.Response) and isinstance(seconds, float)
        return response, seconds

    return finish
