"""Mixed lookups and SPARQL at rising concurrency on loopback: throughput, p50/p99, errors, server memory.

    .venv/bin/python bench/bench_http_load.py [--seconds S] [--levels 1,8,32,64]

A bounded async httpx client (it stops by itself) sends a mix of staff questions, actor and article lookups,
stored queries and distinct SPARQL SELECTs to one `policygraph serve` process (and its query workers). Memory is
the resident size of the server and its workers, read from /proc, before and after each level.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from common import ROOT, record

BIN = Path(sys.executable).parent
QUESTIONS = ["谁负责扶贫资金管理监督？", "县级党委和政府有哪些职责？", "谁向中央签署脱贫责任书？",
             "誰負責扶貧資金管理監督？", "谁承担脱贫攻坚主体责任？", "民营企业有哪些责任？"]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (the query workers)."""
    out = subprocess.run(["ps", "-o", "rss=", "--ppid", str(pid), "-p", str(pid)], capture_output=True, text=True)
    return round(sum(int(x) for x in out.stdout.split()) / 1024, 1)


def requests() -> itertools.cycle[str]:
    paths = [f"/api/responsibilities?q={quote(q)}" for q in QUESTIONS]
    paths += ["/api/actors/县级政府/duties", "/api/documents/脱贫攻坚责任制实施办法/articles/19",
              "/api/queries/duties-of-actor?actor=" + quote("县级政府"), "/api/actors?level=county"]
    sparql = "SELECT ?d ?a WHERE { ?d pg:bearer/skos:prefLabel ?b ; pg:action ?a } LIMIT %d"
    paths += [f"/sparql?query={quote(sparql % n)}" for n in range(1, 40)]  # distinct: evaluated, not cached
    return itertools.cycle(paths)


async def level(base: str, concurrency: int, seconds: float) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    failures: dict[str, int] = {}
    stop = time.monotonic() + seconds
    source = requests()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        async def user() -> None:
            nonlocal errors
            while time.monotonic() < stop:
                path = next(source)
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
            "failures": failures}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--levels", default="1,8,32,64")
    args = parser.parse_args()
    from policygraph.loader import Loader
    from policygraph.store import open_store

    tmp = Path(tempfile.mkdtemp(prefix="pg-http-"))
    store = open_store(tmp / "store")
    Loader(store).load([ROOT / "data" / "脱贫攻坚责任制实施办法.txt"])
    store.close()
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
        asyncio.run(level(base, 4, 2))  # warm up: workers started, caches and search index built
        memory_start = rss_mb(server.pid)
        levels = []
        for c in (int(x) for x in args.levels.split(",")):
            result = asyncio.run(level(base, c, args.seconds))
            result["server_rss_mb"] = rss_mb(server.pid)
            levels.append(result)
        memory_end = rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait()
    record("http_load", {"seconds_per_level": args.seconds, "levels": levels, "rss_start_mb": memory_start,
                         "rss_end_mb": memory_end, "errors": sum(lv["errors"] for lv in levels),
                         "client": "httpx.AsyncClient in one process on the same 2 cores"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
