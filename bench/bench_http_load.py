"""Mixed lookups and SPARQL at rising concurrency on loopback: throughput, p50/p99, errors, server memory.

    .venv/bin/python bench/bench_http_load.py [--seconds S] [--levels 1,8,32,64]

A bounded async httpx client (it stops by itself) sends a mix of staff questions, actor and article lookups,
stored queries and SPARQL SELECTs to one `policygraph serve` process, started as the README starts it (its
defaults: its query workers, and Oxigraph's server beside it for the SPARQL queries). Memory is the resident
size of the server and every process under it, read from /proc, before and after each level. Each level records
the machine's load (the 1-minute load average at its start and end, and the cores that processes outside the
benchmark used meanwhile: the machine is shared).

The server caches answers by request (keyed by the store's version), so a load test that repeats requests
measures the cache. Here every SPARQL SELECT and every staff question is a new request (a numbered comment; a
numbered question), so the server evaluates it; the actor, article and stored-query lookups go through every
actor and article of the measure in turn, and repeat once they have all been asked. The client counts the
requests whose URL it had already sent to this server: the most the cache could have answered (the hit rate is
at most that), reported per level.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from common import ROOT, MachineLoad, record

BIN = Path(sys.executable).parent
QUESTIONS = ["谁负责扶贫资金管理监督？", "县级党委和政府有哪些职责？", "谁向中央签署脱贫责任书？",
             "誰負責扶貧資金管理監督？", "谁承担脱贫攻坚主体责任？", "民营企业有哪些责任？"]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and every process under it (the query workers, Oxigraph's server)."""
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid=,rss="], capture_output=True, text=True, check=True)
    rows = [tuple(map(int, line.split())) for line in out.stdout.splitlines() if line.strip()]
    tree, grown = {pid}, True
    while grown:
        more = {p for p, parent, _ in rows if parent in tree} - tree
        tree |= more
        grown = bool(more)
    return round(sum(rss for p, _, rss in rows if p in tree) / 1024, 1)


SPARQL = "SELECT ?d ?a WHERE { ?d pg:bearer/skos:prefLabel ?b ; pg:action ?a } LIMIT %d\n# request %d"
DOCUMENT = "脱贫攻坚责任制实施办法"


def requests(actors: list[str], articles: list[str]) -> Iterator[str]:
    """An endless mix, one in ten a staff question, six in ten SPARQL, the rest lookups.

    Questions and SPARQL are numbered, so never repeated; lookups walk through every actor and article."""
    for n in itertools.count():
        step = n % 10
        if step == 0:
            yield f"/api/responsibilities?q={quote(f'{QUESTIONS[n // 10 % len(QUESTIONS)]} {n}')}"
        elif step == 1:
            yield f"/api/actors/{quote(actors[n // 10 % len(actors)])}/duties"
        elif step == 2:
            yield f"/api/documents/{quote(DOCUMENT)}/articles/{articles[n // 10 % len(articles)]}"
        elif step == 3:
            yield "/api/queries/duties-of-actor?actor=" + quote(actors[n // 10 % len(actors)])
        else:
            yield f"/sparql?query={quote(SPARQL % (1 + n % 40, n))}"


class Source:
    """The request mix, shared by every level of one server run, counting URLs sent before."""

    def __init__(self, actors: list[str], articles: list[str]) -> None:
        self.paths = requests(actors, articles)
        self.seen: set[str] = set()
        self.repeats = 0

    def next(self) -> str:
        path = next(self.paths)
        if path in self.seen:
            self.repeats += 1
        self.seen.add(path)
        return path


async def level(base: str, concurrency: int, seconds: float, source: Source) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    failures: dict[str, int] = {}
    stop = time.monotonic() + seconds
    repeats_before = source.repeats
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        async def user() -> None:
            nonlocal errors
            while time.monotonic() < stop:
                path = source.next()
                started = time.perf_counter()
                try:
                    r = await client.get(path)
                    if r.status_code != 200:
                        errors += 1
                        key = f"{r.status_code} {path.split('?')[0]} {r.text[:120]}"
                        failures[key] = failures.get(key, 0) + 1
                except httpx.HTTPError as exc:
                    errors += 1
                    key = f"{type(exc).__name__} {path.split('?')[0]}"
                    failures[key] = failures.get(key, 0) + 1
                latencies.append(time.perf_counter() - started)

        began = time.perf_counter()
        await asyncio.gather(*(user() for _ in range(concurrency)))
        took = time.perf_counter() - began
    latencies.sort()
    return {"concurrency": concurrency, "requests": len(latencies), "rps": round(len(latencies) / took, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 2),
            "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2), "errors": errors,
            "failures": failures, "repeated": source.repeats - repeats_before,
            "repeated_pct": round(100 * (source.repeats - repeats_before) / max(1, len(latencies)), 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--levels", default="1,8,32,64")
    args = parser.parse_args()
    from policygraph.loader import Loader
    from policygraph.lookups import actors, document
    from policygraph.store import open_store

    tmp = Path(tempfile.mkdtemp(prefix="pg-http-"))
    store = open_store(tmp / "store")
    Loader(store).load([ROOT / "data" / f"{DOCUMENT}.txt"])
    names = [a["id"] for a in actors(store)]
    numbers = [a["number"] for a in (document(store, DOCUMENT) or {"articles": []})["articles"]]
    store.close()
    source = Source(names, numbers)
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(BIN / "policygraph"), "serve", "--store", str(tmp / "store"), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                httpx.get(base + "/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        asyncio.run(level(base, 4, 2, source))  # warm up: workers started, search index built
        memory_start = rss_mb(server.pid)
        levels = []
        for c in (int(x) for x in args.levels.split(",")):
            machine = MachineLoad()
            result = asyncio.run(level(base, c, args.seconds, source))
            result["server_rss_mb"] = rss_mb(server.pid)
            result.update(machine.figures())
            levels.append(result)
        memory_end = rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    record("http_load", {"seconds_per_level": args.seconds, "levels": levels, "rss_start_mb": memory_start,
                         "rss_end_mb": memory_end, "errors": sum(lv["errors"] for lv in levels),
                         "actors": len(names), "articles": len(numbers),
                         "client": "httpx.AsyncClient in one process on the same 2 cores"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
