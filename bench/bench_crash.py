"""Crash safety, measured: kill real loader processes with SIGKILL and look at what they leave.

    .venv/bin/python bench/bench_crash.py [--articles N] [--files N] [--at 0.2,0.4,0.6,0.8,0.95]

Two write paths. Transactional: a store holding the bundled measure, a large generated regulation loaded
into it by ``policygraph load`` in its own process. Bulk: a first load of the measure and many small
generated regulations into an empty store (bulk-loaded beside it and swapped in). Each path is timed unkilled
first, then killed at the given fractions of that time (so the kills land in every phase on any machine).
Each killed store is reopened and compared with the unkilled load of the same input:

- untouched: exactly the quads it had before;
- complete: exactly the quads of the finished load;
- stale: the new documents whole, the inferences not yet (marked stale), and the next load recomputes them
  to exactly the finished load's;
- partial: anything else, a failure.

A process that finished before its delay was not killed; it is counted as such, not as a kill.

The loader's own points matter more than the clock: a bulk load builds in worker processes, bulk-loads beside
the store, swaps it in, then links, reasons and compacts; with small files the steps after the swap are a
small part of the run, which time fractions rarely hit. So the bulk path is also killed at the swap: as soon as
the new store beside the old one (``.NAME.incoming``) is renamed into place, and a moment after it. Each load
runs in a session of its own; the processes of a killed load still alive 2.5 s after the kill (its worker
processes and the fork server) are counted, then killed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import ROOT, MachineLoad, process_stats, record

SEED = ROOT / "data" / "脱贫攻坚责任制实施办法.txt"
INFERRED = "https://w3id.org/policygraph/id/graph/inferred"


def snapshot(location: Path) -> list[str]:
    """Every quad of a store, less load timestamps, blank nodes anonymised, sorted."""
    import pyoxigraph as ox

    from policygraph.store import LocalStore

    store = LocalStore(str(location))
    try:
        text = store.dump(ox.RdfFormat.N_QUADS).decode("utf-8")
    finally:
        store.close()
    return sorted(re.sub(r"_:[0-9a-z]+", "_:b", line) for line in text.splitlines()
                  if line and "#startedAtTime>" not in line)


def in_graph(lines: list[str], graph: str) -> list[str]:
    return [line for line in lines if line.rstrip(" .").endswith(f"<{graph}>")]


def documents(lines: list[str]) -> list[str]:
    return [line for line in lines if "/id/doc/" in line.rstrip(" .").rsplit(" ", 1)[-1]]


def load(store: Path, *files: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "policygraph", "load", *map(str, files), "--store", str(store)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def kill_after(proc: subprocess.Popen[bytes], delay: float) -> tuple[bool, int]:
    """SIGKILL the process after ``delay`` seconds; whether it was still running (a real kill), and how many of
    its session's processes (workers, the fork server) outlived it by 2.5 s (a worker looks for its writer once a
    second)."""
    time.sleep(delay)
    return kill(proc)


def kill_at_swap(proc: subprocess.Popen[bytes], store: Path, after: float) -> tuple[bool, int]:
    """SIGKILL the process ``after`` seconds after its bulk load swapped the new store in (the incoming store
    beside it seen, then gone); at its end if it never swaps."""
    incoming = store.with_name(f".{store.name}.incoming")
    seen = False
    while proc.poll() is None:
        if incoming.exists():
            seen = True
        elif seen:
            time.sleep(after)
            break
        time.sleep(0.002)
    return kill(proc)


def kill(proc: subprocess.Popen[bytes]) -> tuple[bool, int]:
    running = proc.poll() is None
    if running:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    time.sleep(2.5)
    left = session(proc.pid)
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return running, len(left)


def session(sid: int) -> list[int]:
    """The live processes of a session (``/proc``)."""
    return [pid for pid, fields in process_stats() if int(fields[3]) == sid and fields[0] != "Z"]


def classify(location: Path, before: list[str], full: list[str], files: list[Path]) -> str:
    """What a killed load left, recovering stale inferences with the next load as a user would."""
    from policygraph.loader import Loader
    from policygraph.reason import is_stale
    from policygraph.store import LocalStore

    after = snapshot(location)
    if after == before:
        return "untouched"
    if after == full:
        return "complete"
    if documents(after) != documents(full):
        return "partial"
    store = LocalStore(str(location))
    try:
        if not is_stale(store):
            return "partial"  # inferences differ and nobody knows
        Loader(store).load(files)  # the next load: unchanged files skipped, inferences recomputed
    finally:
        store.close()
    return "stale" if in_graph(snapshot(location), INFERRED) == in_graph(full, INFERRED) else "partial"


def big_regulation(path: Path, articles: int) -> Path:
    lines = ["某省大型测试条例", "第一章　总　则"]
    lines += [f"第{n}条　县级政府应当建立第{n}项制度，市级党委和政府负责监督第{n}项工作，不得挤占挪用资金。"
              for n in range(1, articles + 1)]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def small_regulations(directory: Path, count: int) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = directory / f"rule-{n}.txt"
        path.write_text(f"测试第{n}号规定\n第一条　县级政府应当建立第{n}项制度。\n"
                        f"第二条　市级党委和政府负责监督第{n}项工作，不得挤占挪用资金。\n", encoding="utf-8")
        paths.append(path)
    return paths


def transactional(tmp: Path, articles: int, fractions: list[float]) -> dict[str, Any]:
    base = tmp / "with-measure"
    load(base, SEED).wait()
    before = snapshot(base)
    big = big_regulation(tmp / "big.txt", articles)
    finished = tmp / "finished"
    shutil.copytree(base, finished)
    started = time.perf_counter()
    load(finished, big).wait()
    took = time.perf_counter() - started
    full = snapshot(finished)
    runs = []
    for delay in (round(f * took, 2) for f in fractions):
        copy = tmp / f"killed-{delay}"
        shutil.copytree(base, copy)
        killed, left = kill_after(load(copy, big), delay)
        runs.append({"delay_s": delay, "killed": killed, "left": left,
                     "outcome": classify(copy, before, full, [big])})
    return {"articles": articles, "unkilled_load_s": round(took, 2), "runs": runs}


def bulk(tmp: Path, count: int, fractions: list[float], swap_delays: list[float]) -> dict[str, Any]:
    files = [SEED, *small_regulations(tmp / "rules", count)]
    finished = tmp / "bulk-finished"
    started = time.perf_counter()
    load(finished, *files).wait()
    took = time.perf_counter() - started
    full = snapshot(finished)
    runs = []
    for delay in (round(f * took, 2) for f in fractions):
        target = tmp / f"bulk-killed-{delay}"
        killed, left = kill_after(load(target, *files), delay)
        outcome = classify(target, [], full, files)  # opening it undoes a swap killed between its renames
        runs.append({"delay_s": delay, "killed": killed, "left": left, "outcome": outcome})
    for after in swap_delays:
        target = tmp / f"bulk-swap-{after}"
        killed, left = kill_at_swap(load(target, *files), target, after)
        runs.append({"at_swap_s": after, "killed": killed, "left": left,
                     "outcome": classify(target, [], full, files)})
    return {"files": len(files), "unkilled_load_s": round(took, 2), "runs": runs}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1500)
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--at", default="0.15,0.3,0.45,0.6,0.75,0.9,0.97",
                        help="fractions of the unkilled load's time at which to kill")
    parser.add_argument("--at-swap", default="0,0.05,0.2,0.5",
                        help="seconds after a bulk load's swap at which to kill it")
    args = parser.parse_args()
    machine = MachineLoad()
    fractions = [float(f) for f in args.at.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="pg-crash-"))
    try:
        figures = {
            "transactional": transactional(tmp, args.articles, fractions),
            "bulk": bulk(tmp, args.files, fractions, [float(a) for a in args.at_swap.split(",")]),
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    runs = figures["transactional"]["runs"] + figures["bulk"]["runs"]
    figures["kills"] = sum(r["killed"] for r in runs)
    figures["partial"] = sum(r["outcome"] == "partial" for r in runs)
    figures["left_processes"] = sum(r["left"] for r in runs)
    figures.update(machine.figures())
    record("crash", figures)
    return 1 if figures["partial"] else 0


if __name__ == "__main__":
    sys.exit(main())
