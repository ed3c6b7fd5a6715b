"""Loading the national corpus as `policygraph load` does, and its writing against a plain pyoxigraph bulk load.

    .venv/bin/python bench/bench_load.py [--limit N] [--jobs J]

Every step runs in a fresh process (its memory its own), one after the other:

1. ``policygraph load FILES`` into a new store: ``policygraph.scale.load_files`` with the default ``--jobs``
   (one worker process per core), as the command runs it: the workers read, build, validate and compute each
   document's own inferences; the parent bulk-loads them in chunks beside the store while they build, swaps the
   new store in, links every rule to its measure and reasons on what crosses documents. Wall time, the phases
   (link among them), CPU, peak memory.
2. ``policygraph build FILES --out DIR``: the same documents as N-Quads shards (default ``--jobs``).
3. ``policygraph load DIR`` into a new store: the writing (the shards bulk-loaded beside the store and
   swapped in), then linking and every inference, computed by the parent.
4. ``policygraph load DIR`` into a store holding the bundled measure: one transaction per document, then
   linking (without reasoning).

Every step that loads links, as the command does (``link_s``, its own column): until 55d7ced the lookups that
linking reads with walked every duty of the store, and whole-corpus linking ran for over 18 minutes after the
swap without finishing (2026-11-28 05:01-05:20 UTC). ``bench_scale.py`` states linking's growth, N documents
against 2N.
5. The baseline: ``pyoxigraph.Store.bulk_load`` of the same shards, concatenated into one N-Quads file, into a
   new store (no swap, no transactions). Target: the first load's write (3) <= 1.5x the baseline.

Each step records the machine's load: the 1-minute load average at its start and end, and the cores that
processes outside the benchmark used meanwhile (the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import ROOT, MachineLoad, corpus_files, record

SEED = ROOT / "data" / "脱贫攻坚责任制实施办法.txt"


def step(name: str, files: list[str], tmp: Path, jobs: int | None) -> dict[str, Any]:
    """One step, in this process; its figures."""
    from policygraph.scale import build, load_files, load_shards
    from policygraph.store import open_store

    machine = MachineLoad()
    started = time.perf_counter()
    figures: dict[str, Any] = {}
    if name == "files":
        store = open_store(tmp / "files")
        figures = load_files(store, files, jobs=jobs).summary()
        store.close()
    elif name == "build":
        manifest = build(files, tmp / "shards", jobs=jobs)
        figures = {"shard_quads": sum(d.get("shard_quads", 0) for d in manifest["documents"])}
    elif name in ("shards", "transactions"):
        store = open_store(tmp / f"store-{name}")
        if name == "transactions":
            load_files(store, [str(SEED)], jobs=1)
            machine, started = MachineLoad(), time.perf_counter()
        figures = load_shards(store, tmp / "shards", reason=name == "shards").summary()
        store.close()
    elif name == "baseline":
        import pyoxigraph as ox

        joined = tmp / "all.nq"
        with open(joined, "wb") as out:
            for shard in sorted((tmp / "shards").glob("*.nq")):
                out.write(shard.read_bytes())
        machine, started = MachineLoad(), time.perf_counter()
        plain = ox.Store(str(tmp / "baseline"))
        plain.bulk_load(path=str(joined), format=ox.RdfFormat.N_QUADS)
        plain.flush()
        figures = {"quads": len(plain)}
        del plain
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {**figures, "wall_s": round(time.perf_counter() - started, 2), "peak_rss_mb": round(usage.ru_maxrss / 1024),
            **machine.figures()}


def run_step(name: str, files: Path, tmp: Path, jobs: int | None) -> dict[str, Any]:
    command = [sys.executable, __file__, "--step", name, "--files-from", str(files), "--tmp", str(tmp)]
    proc = subprocess.run([*command, *(["--jobs", str(jobs)] if jobs else [])], capture_output=True, text=True,
                          check=True)
    figures: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    print(name, json.dumps(figures, ensure_ascii=False), flush=True)
    return figures


def du_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: as `policygraph load`)")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--files-from", help=argparse.SUPPRESS)
    parser.add_argument("--tmp", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        files = Path(args.files_from).read_text(encoding="utf-8").splitlines()
        print(json.dumps(step(args.step, files, Path(args.tmp), args.jobs)))
        return 0
    corpus = corpus_files(args.limit)
    if not corpus:
        print("skipped: ../shared/corpus/lawrefbook is absent")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="pg-load-"))
    try:
        listing = tmp / "files.txt"
        listing.write_text("\n".join(map(str, corpus)), encoding="utf-8")
        steps = {name: run_step(name, listing, tmp, args.jobs)
                 for name in ("files", "build", "shards", "transactions", "baseline")}
        steps["files"]["store_mb"] = du_mb(tmp / "files")
        steps["shards"]["store_mb"] = du_mb(tmp / "store-shards")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    shards, base = steps["shards"], steps["baseline"]
    record("load", {
        "files": len(corpus), "steps": steps, "target_ratio": 1.5,
        "ratio_bulk_write_to_bulk": round(shards["write_s"] / base["wall_s"], 2),
        "ratio_transactions_to_bulk": round(steps["transactions"]["write_s"] / base["wall_s"], 2),
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
