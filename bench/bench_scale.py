"""Scaling: the national corpus loaded with --jobs 1 and --jobs 2, at ×1 and ×4, and shards built by Dask.

    .venv/bin/python bench/bench_scale.py [--every K] [--x4-every K]

×4 is the same texts four times: the files themselves and three copies whose title line is prefixed 副本2…副本4,
so each copy is a distinct document (its own IRI) with the same text and so the same work. Every load runs in
a fresh process (`policygraph.scale.load_files`, as `policygraph load` runs it) into a new store; its
figures are the load's own: wall time, documents/s, the phases (build and SHACL summed over the workers),
peak RSS of the parent and of each worker, store size and bytes per quad. --jobs 1 and --jobs 2 are checked
to write the same quads (sorted N-Quads less load times, hashed). Dask: `build` with two local worker
processes of one thread (a LocalCluster) against the local pool of two, the same shards.

Linking's growth (``--link-pairs K``): the first K local-dev rules of ``PAIRS.tsv`` and the national laws they
implement (N documents), against those and a retitled copy of each (2N: twice the store and twice the rules to
link: the copies are aligned with the original laws too). Each store is loaded as ``policygraph load`` loads it,
then ``link.write.link_documents`` is run on it ``--link-repeats`` times, wall and CPU time (the median of each).
Linear is about 2x (twice the rules to align); a lookup that walks the whole store for each document (as
``link_articles`` did until 55d7ced) makes it about 4x or more.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import LAWREFBOOK, MachineLoad, corpus_files, record

LOCAL_DEV = LAWREFBOOK.parent / "local-dev"


def one(files: list[str], store: str, jobs: int) -> None:
    """Load ``files`` into ``store`` with ``jobs`` workers; print the load's figures as JSON."""
    from policygraph.scale import load_files
    from policygraph.store import open_store

    target = open_store(store)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    report = load_files(target, files, jobs=jobs)
    target.close()
    wall = time.perf_counter() - started
    summary = report.summary()
    summary["store_bytes"] = sum(f.stat().st_size for f in Path(store).rglob("*") if f.is_file())
    summary["bytes_per_quad"] = round(summary["store_bytes"] / max(summary["store_quads"], 1), 1)
    print(json.dumps({**summary, "wall_s": round(wall, 1), "docs_per_s": round(summary["loaded"] / wall, 2),
                      "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)]}))


def run_load(files: list[Path], jobs: int, tmp: Path, name: str) -> dict[str, Any]:
    listing = tmp / f"{name}.files"
    listing.write_text("\n".join(map(str, files)), encoding="utf-8")
    store = tmp / name
    proc = subprocess.run([sys.executable, __file__, "--one", str(listing), "--store", str(store), "--jobs",
                           str(jobs)], capture_output=True, text=True, check=True)
    figures: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    figures["quads_sha256"] = quads_hash(store)
    shutil.rmtree(store, ignore_errors=True)
    print(name, json.dumps(figures), flush=True)
    return figures


def quads_hash(store: Path) -> str:
    """SHA-256 of the store's sorted N-Quads, less load times, blank node labels anonymised (sorted on disk)."""
    import pyoxigraph as ox

    dump = store.with_suffix(".nq")
    ox.Store.read_only(str(store)).dump(str(dump), format=ox.RdfFormat.N_QUADS)
    script = (f"grep -v '#startedAtTime>' {dump} | sed -E 's/_:[0-9a-z]+/_:b/g' | LC_ALL=C sort -S 512M "
              "| sha256sum")
    out = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True).stdout
    dump.unlink()
    return out.split()[0]


def times_four(files: list[Path], tmp: Path) -> list[Path]:
    """The files and three retitled copies of each (副本2…副本4 before the title)."""
    return [*files, *(copy for k in (2, 3, 4) for copy in retitled(files, k, tmp))]


def retitled(files: list[Path], k: int, tmp: Path) -> list[Path]:
    """A copy of each file whose title line is prefixed 副本K: a distinct document with the same text."""
    directory = tmp / f"copy{k}"
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for i, f in enumerate(files):
        lines = f.read_text(encoding="utf-8").splitlines()
        first = next(n for n, line in enumerate(lines) if line.strip())
        line = lines[first]
        lines[first] = f"# 副本{k}{line[2:]}" if line.startswith("# ") else f"副本{k}{line}"
        copy = directory / f"{i:05d}-{f.name}"
        copy.write_text("\n".join(lines), encoding="utf-8")
        out.append(copy)
    return out


def link_pairs(count: int) -> list[Path]:
    """The first ``count`` local-dev rules of PAIRS.tsv and the national laws they implement."""
    rules, laws = [], []
    for row in (LOCAL_DEV / "PAIRS.tsv").read_text(encoding="utf-8").splitlines()[1:count + 1]:
        rule, central = row.split("\t")
        rules.append(LOCAL_DEV / rule)
        laws += [LOCAL_DEV.parent / c for c in central.split(";")]
    return [*dict.fromkeys(laws), *rules]


def link_one(files: list[str], store: str, repeats: int) -> None:
    """Load ``files`` into ``store`` as ``policygraph load`` does, then time linking on it; print JSON."""
    import statistics

    from policygraph.link.write import link_documents
    from policygraph.scale import load_files
    from policygraph.store import open_store

    target = open_store(store)
    report = load_files(target, files, jobs=2)
    times, cpu, linked = [], [], []
    for _ in range(repeats):
        began, began_cpu = time.perf_counter(), time.process_time()
        linked = link_documents(target)
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    summary = report.summary()
    target.close()
    print(json.dumps({"documents": summary["loaded"], "store_quads": summary["store_quads"], "linked": len(linked),
                      "aligned": sum(1 for d in linked if d.alignments), "load_link_s": summary["link_s"],
                      "link_s": [round(t, 2) for t in times], "median_link_s": round(statistics.median(times), 2),
                      "median_link_cpu_s": round(statistics.median(cpu), 2)}))


def link_growth(pairs: int, repeats: int, tmp: Path) -> dict[str, Any]:
    """Linking on N documents against 2N (the same and a retitled copy of each), each in a fresh process."""
    files = link_pairs(pairs)
    sizes = {"n": files, "2n": [*files, *retitled(files, 2, tmp / "link-copies")]}
    figures: dict[str, Any] = {"pairs": pairs, "repeats": repeats}
    for name, chosen in sizes.items():
        listing = tmp / f"link-{name}.files"
        listing.write_text("\n".join(map(str, chosen)), encoding="utf-8")
        machine = MachineLoad()
        proc = subprocess.run([sys.executable, __file__, "--link-one", str(listing), "--store",
                               str(tmp / f"link-{name}"), "--link-repeats", str(repeats)],
                              capture_output=True, text=True, check=True)
        figures[name] = {**json.loads(proc.stdout.strip().splitlines()[-1]), **machine.figures()}
        shutil.rmtree(tmp / f"link-{name}", ignore_errors=True)
        print("link", name, json.dumps(figures[name]), flush=True)
    n, n2 = figures["n"], figures["2n"]
    figures["ratio"] = round(n2["median_link_s"] / max(n["median_link_s"], 0.01), 2)
    figures["cpu_ratio"] = round(n2["median_link_cpu_s"] / max(n["median_link_cpu_s"], 0.01), 2)
    return figures


def dask_vs_pool(files: list[Path], tmp: Path) -> dict[str, Any]:
    from distributed import LocalCluster

    from policygraph.scale import build

    figures: dict[str, Any] = {"files": len(files)}
    started = time.perf_counter()
    build(files, tmp / "pool", jobs=2)
    figures["pool_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1") as cluster:
        ready = time.perf_counter()
        build(files, tmp / "dask", scheduler=cluster.scheduler_address)
        figures["dask_s"] = round(time.perf_counter() - ready, 1)
    figures["dask_with_cluster_start_s"] = round(time.perf_counter() - started, 1)
    figures["same_shards"] = shards_hash(tmp / "pool") == shards_hash(tmp / "dask")
    return figures


def shards_hash(directory: Path) -> str:
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    digest = hashlib.sha256()
    for entry in manifest["documents"]:
        if entry.get("shard"):
            lines = sorted(line for line in (directory / entry["shard"]).read_text(encoding="utf-8").splitlines()
                           if "#startedAtTime>" not in line)
            digest.update("\n".join(lines).encode())
    return digest.hexdigest()


def rerun_jobs(corpus: list[Path], every: int, tmp: Path) -> int:
    from common import OUT

    figures = json.loads((OUT / "scale.json").read_text(encoding="utf-8"))
    figures.pop("name", None)
    full = corpus[::every]
    one_job, two_jobs = run_load(full, 1, tmp, "x1-jobs1"), run_load(full, 2, tmp, "x1-jobs2")
    figures.update({"every": every, "jobs1": one_job, "jobs2": two_jobs,
                    "speedup": round(one_job["wall_s"] / two_jobs["wall_s"], 2),
                    "same_quads": one_job["quads_sha256"] == two_jobs["quads_sha256"]})
    record("scale", figures)
    return 0


def rerun_x4(corpus: list[Path], every: int, tmp: Path) -> int:
    from common import OUT

    figures = json.loads((OUT / "scale.json").read_text(encoding="utf-8"))
    figures.pop("name", None)
    subset = corpus[::every]
    x1 = run_load(subset, 2, tmp, "subset-x1-jobs2")
    x4 = run_load(times_four(subset, tmp / "x4"), 2, tmp, "subset-x4-jobs2")
    figures.update({"x4_every": every, "x1": x1, "x4": x4, **x4_ratios(x1, x4)})
    record("scale", figures)
    return 0


def x4_ratios(x1: dict[str, Any], x4: dict[str, Any]) -> dict[str, Any]:
    return {"memory_ratio_x4": round(x4["parent_peak_mb"] / x1["parent_peak_mb"], 2),
            "worker_memory_ratio_x4": round(max(x4["worker_peak_mb"]) / max(x1["worker_peak_mb"]), 2),
            "time_ratio_x4": round(x4["wall_s"] / x1["wall_s"], 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--store", help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--every", type=int, default=1, help="×1 jobs 1 vs 2: every K-th corpus file")
    parser.add_argument("--x4-every", type=int, default=4, help="×1 vs ×4 and Dask: every K-th corpus file")
    parser.add_argument("--jobs-only", action="store_true", help="rerun only --jobs 1 vs 2 and update the last "
                        "figures (bench/out/scale.json) with them")
    parser.add_argument("--x4-only", action="store_true", help="rerun only ×1 vs ×4 and update the last figures")
    parser.add_argument("--link-pairs", type=int, default=40, help="linking N vs 2N: the first K local-dev pairs")
    parser.add_argument("--link-repeats", type=int, default=3, help="linking N vs 2N: timings of each (median)")
    parser.add_argument("--link-only", action="store_true", help="run only linking N vs 2N and print it")
    parser.add_argument("--link-one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(Path(args.one).read_text(encoding="utf-8").splitlines(), args.store, args.jobs)
        return 0
    if args.link_one:
        link_one(Path(args.link_one).read_text(encoding="utf-8").splitlines(), args.store, args.link_repeats)
        return 0
    corpus = corpus_files()
    if not corpus:
        print("skipped: ../shared/corpus/lawrefbook is absent")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="pg-scale-"))
    if args.link_only:
        try:
            print(json.dumps(link_growth(args.link_pairs, args.link_repeats, tmp), ensure_ascii=False))
            return 0
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    if args.jobs_only or args.x4_only:
        try:
            return rerun_jobs(corpus, args.every, tmp) if args.jobs_only else rerun_x4(corpus, args.x4_every, tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    try:
        full = corpus[:: args.every]
        one_job = run_load(full, 1, tmp, "x1-jobs1")
        two_jobs = run_load(full, 2, tmp, "x1-jobs2")
        subset = corpus[:: args.x4_every]
        x1 = run_load(subset, 2, tmp, "subset-x1-jobs2")
        x4 = run_load(times_four(subset, tmp / "x4"), 2, tmp, "subset-x4-jobs2")
        dask = dask_vs_pool(subset, tmp)
        linking = link_growth(args.link_pairs, args.link_repeats, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    record("scale", {
        "corpus_files": len(corpus), "every": args.every, "x4_every": args.x4_every, "jobs1": one_job,
        "jobs2": two_jobs, "speedup": round(one_job["wall_s"] / two_jobs["wall_s"], 2), "target_speedup": 1.7,
        "same_quads": one_job["quads_sha256"] == two_jobs["quads_sha256"], "x1": x1, "x4": x4,
        **x4_ratios(x1, x4), "target_memory_ratio": 1.25, "dask": dask, "linking": linking,
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
