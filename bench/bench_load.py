"""Loading the lawrefbook corpus: each phase timed, the store-writing phase against a plain pyoxigraph bulk load,
and the reasoning (materialising inferences) against loading the same graph without it.

    .venv/bin/python bench/bench_load.py [--limit N] [--repeats R]

Phases: read+parse+extract+build (the pipeline), validate (pyshacl), write, reason (SPARQL rules to a
fixpoint). Write is measured both ways `policygraph load` writes: a first load of many files bulk-loads
beside the store and swaps it in; a load into a store that has documents uses one transaction per
document. The baselines, in the same run: `pyoxigraph.Store.bulk_extend` of exactly the quads we write
(no transactions), and the load of those quads without reasoning. Target: write <= 1.5x bulk load.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import corpus_files, median_time, peak_rss_mb, record


def du_mb(path: Path) -> float:
    out = subprocess.run(["du", "-sm", str(path)], capture_output=True, text=True, check=True).stdout
    return float(out.split()[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--no-validate", action="store_true", help="skip the pyshacl phase")
    args = parser.parse_args()
    files = corpus_files(args.limit)
    if not files:
        print("skipped: ../shared/corpus/lawrefbook is absent")
        return 0
    import pyoxigraph as ox

    from policygraph.loader import Loader, validate
    from policygraph.reason import STALE, materialize
    from policygraph.store import LocalStore, open_store

    tmp = Path(tempfile.mkdtemp(prefix="pg-load-"))
    scratch = open_store(tmp / "scratch")
    assert isinstance(scratch, LocalStore)
    loader = Loader(scratch)
    started = time.perf_counter()
    built = []
    for f in files:
        try:
            built.append(loader.build(f))
        except Exception as exc:  # a bad file is reported and skipped, as the loader does
            print(f"skipped {f.name}: {exc}")
    pipeline_s = time.perf_counter() - started
    quads = [q for b in built for q in (*b.quads, *b.actor_quads)]

    validate_s = 0.0
    if not args.no_validate:
        started = time.perf_counter()
        for b in built:
            validate(b.quads, name=b.title)
        validate_s = time.perf_counter() - started

    def ours() -> float:
        path = tmp / f"ours-{time.monotonic_ns()}"
        store = open_store(path)
        assert isinstance(store, LocalStore)
        Loader(store).ensure_ontology()
        began = time.perf_counter()
        for b in built:
            store.replace_graphs(b.iri, b.quads, [*b.actor_quads, STALE])
        store.store.flush()
        took = time.perf_counter() - began
        store.close()
        return took

    def bulk() -> float:
        path = tmp / f"bulk-{time.monotonic_ns()}"
        store = ox.Store(str(path))
        began = time.perf_counter()
        store.bulk_extend(quads)
        store.flush()
        took = time.perf_counter() - began
        del store
        return took

    def ours_bulk() -> float:
        """What `policygraph load` does for a first load of many files: bulk-load beside, then swap in."""
        path = tmp / f"swap-{time.monotonic_ns()}"
        store = open_store(path)
        assert isinstance(store, LocalStore)
        ontology = Loader(store).ontology_quads()
        began = time.perf_counter()
        store.bulk_add([*ontology, *quads, STALE])
        took = time.perf_counter() - began
        store.close()
        return took

    write_s = sorted(ours() for _ in range(args.repeats))[args.repeats // 2]
    swap_s = sorted(ours_bulk() for _ in range(args.repeats))[args.repeats // 2]
    bulk_s = sorted(bulk() for _ in range(args.repeats))[args.repeats // 2]

    final = open_store(tmp / "final")
    assert isinstance(final, LocalStore)
    Loader(final).ensure_ontology()
    for b in built:
        final.replace_graphs(b.iri, b.quads, [*b.actor_quads, STALE])
    reason_s, inferred = median_time(lambda: materialize(final), 1)
    total_quads = final.quad_count()
    final.close()
    record("load", {
        "files": len(files), "documents": len(built), "articles": sum(b.articles for b in built),
        "duties": sum(b.duties for b in built), "document_quads": len(quads), "quads_with_inferences": total_quads,
        "inferred_quads": inferred, "pipeline_s": round(pipeline_s, 1), "validate_s": round(validate_s, 1),
        "write_s": round(write_s, 2), "write_bulk_swap_s": round(swap_s, 2), "bulk_load_s": round(bulk_s, 2),
        "ratio_write_to_bulk": round(write_s / bulk_s, 2), "ratio_bulk_swap_to_bulk": round(swap_s / bulk_s, 2),
        "target_ratio": 1.5, "reason_s": round(reason_s, 1),
        "ratio_reason_to_load_without_reasoning": round(reason_s / write_s, 2),
        "store_mb_on_disk": du_mb(tmp / "final"), "peak_rss_mb": round(peak_rss_mb()),
        "repeats": args.repeats,
    })
    scratch.close()
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
