"""Shared helpers for the benchmarks: the corpus, timing with medians, and the report's records."""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LAWREFBOOK = ROOT.parent / "shared" / "corpus" / "lawrefbook"
OUT = ROOT / "bench" / "out"


def corpus_files(limit: int | None = None) -> list[Path]:
    """The lawrefbook laws (Hugo _index.md stubs left out); empty where ../shared is absent."""
    if not LAWREFBOOK.exists():
        return []
    files = sorted(p for p in LAWREFBOOK.rglob("*.md") if p.name != "_index.md")
    return files[:limit] if limit else files


def median_time(fn: Callable[[], Any], repeats: int, *, clock: Callable[[], float] = time.perf_counter
                ) -> tuple[float, Any]:
    """The median time of ``repeats`` runs by ``clock`` (wall time by default), and the last run's result."""
    times = []
    result = None
    for _ in range(repeats):
        started = clock()
        result = fn()
        times.append(clock() - started)
    return statistics.median(times), result


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> dict[str, Any]:
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
            "processor": platform.processor() or platform.machine()}


def record(name: str, figures: dict[str, Any]) -> None:
    """Save a benchmark's figures for bench/run.py's report, and print them."""
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.json").write_text(json.dumps({"name": name, **figures}, ensure_ascii=False, indent=2))
    print(json.dumps({"name": name, **figures}, ensure_ascii=False, indent=2))
