"""Shared helpers for the benchmarks: the corpus, timing with medians, and the report's records."""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import time
from collections.abc import Callable, Iterator
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


def busy_ticks() -> int:
    """The machine's busy CPU time since boot (``/proc/stat``: user, nice, system, irq, softirq, steal), in ticks."""
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    return sum(fields[:3]) + sum(fields[5:8])


def process_stats() -> Iterator[tuple[int, list[str]]]:
    """(pid, the fields of ``/proc/PID/stat`` after the command) of every live process."""
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", encoding="latin-1") as f:
                    yield int(entry.name), f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue


def our_ticks() -> int:
    """CPU time (ticks) of this process and its descendants, with the time of the children each has reaped."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for pid, fields in process_stats():
        parents[pid] = int(fields[1])
        ticks[pid] = sum(int(x) for x in fields[11:15])
    ours, grown = {os.getpid()}, True
    while grown:
        more = {pid for pid, parent in parents.items() if parent in ours} - ours
        ours |= more
        grown = bool(more)
    return sum(ticks[pid] for pid in ours if pid in ticks)


class MachineLoad:
    """The machine's load over a span: the 1-minute load average at its start and end, and the cores that
    processes outside this benchmark used meanwhile (busy time from ``/proc/stat`` less this process tree's)."""

    def __init__(self) -> None:
        self.start_load = os.getloadavg()[0]
        self.busy, self.ours, self.began = busy_ticks(), our_ticks(), time.monotonic()

    def figures(self) -> dict[str, Any]:
        elapsed = max(time.monotonic() - self.began, 1e-9)
        others = (busy_ticks() - self.busy - (our_ticks() - self.ours)) / os.sysconf("SC_CLK_TCK") / elapsed
        return {"load_average": [round(self.start_load, 1), round(os.getloadavg()[0], 1)],
                "others_cores": round(max(0.0, others), 2)}
