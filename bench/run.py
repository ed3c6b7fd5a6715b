"""Run every benchmark and write bench/REPORT.md: the figures, the machine and the date.

    make bench                          # the full corpus
    .venv/bin/python bench/run.py --quick   # a sample, for trying the harness
"""

from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from common import OUT, machine

HERE = Path(__file__).resolve().parent


def run(script: str, *args: str) -> None:
    print(f"== {script} {' '.join(args)}", flush=True)
    subprocess.run([sys.executable, str(HERE / script), *args], cwd=HERE, check=False)


def load(name: str) -> dict[str, Any] | None:
    path = OUT / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="samples instead of the whole corpus")
    parser.add_argument("--report-only", action="store_true", help="rewrite REPORT.md from the saved figures")
    parser.add_argument("--only", help="rerun one benchmark (extract, coverage, coverage_before, load, sparql, "
                                       "http_load, fuzz, crash) and "
                                       "keep the others' last figures")
    parser.add_argument("--merge", action="store_true", help="with --only: replace only that benchmark's section "
                        "of REPORT.md, keeping the others as written (their figures need not be in bench/out)")
    args = parser.parse_args()
    benches = {
        "extract": ("bench_extract.py", *(["--limit", "150"] if args.quick else []), "--repeats",
                    "1" if args.quick else "3"),
        "coverage": ("bench_coverage.py", *(["--limit", "150"] if args.quick else [])),
        "coverage_before": ("bench_coverage.py", "--name", "coverage_before", "--src", str(before_tree()),
                            *(["--limit", "150"] if args.quick else [])),
        "load": ("bench_load.py", *(["--limit", "100"] if args.quick else [])),
        "sparql": ("bench_sparql.py", "--seconds", "4" if args.quick else "8", "--repeats",
                   "1" if args.quick else "3", "--turns", "1" if args.quick else "5"),
        "http_load": ("bench_http_load.py", "--seconds", "3" if args.quick else "8"),
        "fuzz": ("bench_fuzz.py", "--examples", "60" if args.quick else "300"),
        "crash": ("bench_crash.py", *(["--articles", "300", "--files", "20", "--at", "0.3,0.6,0.9"]
                                      if args.quick else [])),
        "scale": ("bench_scale.py", "--every", "8" if args.quick else "1", "--x4-every", "16" if args.quick else "4"),
    }
    if not args.only and not args.report_only:
        for stale in OUT.glob("*.json") if OUT.exists() else []:
            stale.unlink()
    for name, (script, *options) in benches.items():
        if not args.report_only and (not args.only or args.only == name):
            run(script, *options)
    if args.merge and args.only:  # keep the other sections as written; replace (or add) this one
        merge_section(args.only, report(args.quick))
        print(f"merged the {args.only} section into {HERE / 'REPORT.md'}")
        return 0
    (HERE / "REPORT.md").write_text(report(args.quick), encoding="utf-8")
    print(f"wrote {HERE / 'REPORT.md'}")
    return 0


# Every benchmark the report can show, in its order.
ALL = ("extract", "coverage", "coverage_before", "load", "sparql", "http_load", "fuzz", "crash", "scale")

# The extractor before the bearer grammar (issue #12): the coverage benchmark measures it beside the current one.
BEFORE_GRAMMAR = "fa45c10"


def before_tree() -> Path:
    """A checkout of BEFORE_GRAMMAR under bench/out (made once, with ``git worktree``)."""
    tree = OUT / "before-grammar"
    if not (tree / "src").exists():
        OUT.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "worktree", "add", "--force", "--detach", str(tree), BEFORE_GRAMMAR],
                       cwd=HERE.parent, check=True, capture_output=True)
    return tree / "src"


def coverage_section(after: dict[str, Any], before: dict[str, Any] | None) -> list[str]:
    lines = [COVERAGE_HEADING, "",
             f"Clauses of {after['files']} lawrefbook files that hold a modal cue word ({after['cue_clauses']:,}), "
             "and the share that the extractor gives a named bearer:", "",
             "| extractor | cue-bearing clauses | with a bearer | share |", "|---|---|---|---|"]
    if before:
        lines.append(f"| before the bearer grammar ({BEFORE_GRAMMAR}) | {before['cue_clauses']:,} | "
                     f"{before['with_bearer']:,} | {before['share_with_bearer']:.1%} |")
    lines += [f"| now | {after['cue_clauses']:,} | {after['with_bearer']:,} | "
              f"**{after['share_with_bearer']:.1%}** |", "",
              f"The subjects standing before a cue, mined over the corpus ({after['mined_subjects']:,} distinct): of "
              f"the {after['top']} most frequent, the bearer grammar reads {after['top_read_as_bearers']} as bearers "
              f"({after['top_share_read']:.0%} of them, {after['top_occurrences_read']:.0%} of their occurrences). "
              "Most frequent: " + ", ".join(after["top_20"][:12]) + ". Most frequent not read: "
              + ", ".join(after["top_not_read"][:12]) + ".", ""]
    return lines


def report(quick: bool) -> str:
    m = machine()
    lines = [
        "# policygraph benchmark report",
        "",
        f"Written by `bench/run.py`{' --quick (samples)' if quick else ''} on "
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; machine: {m['cpus']} cores, "
        f"{m['processor']}, Python {m['python']}, {m['platform']}. Every ratio compares two things measured in "
        "the same run; times are medians over the repeats stated.",
        "",
    ]
    ran = [name for name in ALL if load(name)]
    missing = [name for name in ALL if name not in ran]
    lines += [f"Benchmarks in this report: {', '.join(ran) or 'none'}."
              + (f" Not run for it (no figures of theirs are shown): {', '.join(missing)}." if missing else ""), ""]
    if e := load("extract"):
        lines += [EXTRACT_HEADING, "",
                  f"{e['files']} lawrefbook files, {e['articles']:,} articles, {e['characters']:,} characters, "
                  f"{e['duties']:,} duties found; median of {e['repeats']}, {e.get('clock', 'wall time')}"
                  + (f", caches {e['caches']}" if e.get("caches") else "") + ".", "",
                  "| jieba alone | extraction | ratio | target | articles/s |", "|---|---|---|---|---|",
                  f"| {e['segmentation_s']} s | {e['extraction_s']} s | **{e['ratio_to_segmentation']}×** | "
                  f"≤ {e['target_ratio']}× | {e['articles_per_s']:,} |", ""]
    if cov := load("coverage"):
        lines += coverage_section(cov, load("coverage_before"))
    if ld := load("load"):
        lines += load_section(ld)
    if s := load("sparql"):
        lines += sparql_section(s)
    if h := load("http_load"):
        lines += [HTTP_HEADING, "",
                  f"{h['client']}; {h['seconds_per_level']} s per level. Every SPARQL query and staff question is a "
                  f"new request (numbered), evaluated by the server; the lookups go through the measure's "
                  f"{h.get('actors', '?')} actors and {h.get('articles', '?')} articles in turn, so some repeat an "
                  f"earlier request and may be answered from the cache: the share of such repeats is the most the "
                  f"cache can have answered. The server: `policygraph serve` with its defaults (its query workers, "
                  f"and Oxigraph's server beside it for SPARQL). Server memory (the server and every process under "
                  f"it): "
                  f"{h['rss_start_mb']} MB before, {h['rss_end_mb']} MB after; errors: {h['errors']}.", "",
                  "| clients | requests/s | p50 | p99 | errors | repeats (cacheable) | server RSS | machine load | "
                  "others' cores |", "|---|---|---|---|---|---|---|---|---|"]
        lines += [f"| {lv['concurrency']} | {lv['rps']} | {lv['p50_ms']} ms | {lv['p99_ms']} ms | {lv['errors']} | "
                  f"{lv.get('repeated_pct', '?')} % | {lv['server_rss_mb']} MB | "
                  f"{'–'.join(map(str, lv.get('load_average', []))) or '?'} | {lv.get('others_cores', '?')} |"
                  for lv in h["levels"]]
        lines += ["", MACHINE_LOAD, ""]
    if f := load("fuzz"):
        lines += ["## Fuzzing (schemathesis, longer profile)", "",
                  f"{f['examples_per_operation']} examples per operation: {f['tests_passed']} passed, "
                  f"{f['tests_failed']} failed, {f['seconds']} s (`{f['summary']}`).", ""]
    if c := load("crash"):
        lines += crash_section(c)
    if sc := load("scale"):
        lines += scale_section(sc)
    return "\n".join(lines)


SCALE_HEADING = "## Scaling: every core, ×4 the corpus, Dask"
LOAD_HEADING = "## Loading the corpus vs a plain pyoxigraph bulk load; reasoning"
HTTP_HEADING = "## Mixed lookups and SPARQL at rising concurrency"
CRASH_HEADING = "## Crash safety"
MACHINE_LOAD = ("Machine load: the 1-minute load average at the start and end (it counts the benchmark's own "
                "processes too; 2 cores), and others' cores: the CPU that processes outside the benchmark used "
                "meanwhile (the machine's busy time from /proc/stat less the benchmark's process tree), in cores.")
EXTRACT_HEADING = "## Extraction vs jieba segmentation (the floor)"
COVERAGE_HEADING = "## Who bears the duties of the national corpus (bearer coverage)"


def merge_section(name: str, fresh: str) -> None:
    """Put ``name``'s section of a freshly written report into REPORT.md in place of its old one."""
    heading = {"scale": SCALE_HEADING, "sparql": SPARQL_HEADING, "extract": EXTRACT_HEADING,
               "coverage": COVERAGE_HEADING, "load": LOAD_HEADING, "http_load": HTTP_HEADING,
               "crash": CRASH_HEADING}[name]
    start = fresh.index(heading)
    end = fresh.find("\n## ", start + len(heading))
    section = fresh[start:end + 1 if end >= 0 else len(fresh)].rstrip("\n") + "\n"
    path = HERE / "REPORT.md"
    old = path.read_text(encoding="utf-8")
    if heading in old:  # in its place
        start = old.index(heading)
        end = old.find("\n## ", start + len(heading))
        path.write_text(old[:start] + section + (old[end:] if end >= 0 else ""), encoding="utf-8")
        return
    path.write_text(old.rstrip("\n") + "\n\n" + section, encoding="utf-8")


def _machine(r: dict[str, Any]) -> str:
    return f"{'–'.join(map(str, r.get('load_average', []))) or '?'} | {r.get('others_cores', '?')}"


def load_section(ld: dict[str, Any]) -> list[str]:
    """bench_load.py: `policygraph load FILES` as users run it; its writing, from shards, against a bulk load."""
    st = ld["steps"]
    f, sh, tx, b, base = st["files"], st["shards"], st["transactions"], st["build"], st["baseline"]
    target = ld["target_ratio"]
    return [LOAD_HEADING, "",
            f"`bench/bench_load.py`: the {ld['files']} lawrefbook files, each step in a fresh process, one after "
            f"the other, with `policygraph load`'s default `--jobs` ({f['jobs']} worker processes here). "
            f"{f['documents']} documents loaded ({f['failed']} files refused: case reports, index pages and "
            f"unnumbered notes have no provisions), {f['articles']:,} articles, {f['duties']:,} duties; "
            f"{f['store_quads']:,} quads in the store ({f['inferred_quads']:,} of them inferred by the parent, "
            f"besides each document's own inferences from its worker), {f['store_mb']} MB on disk, "
            f"{f['bytes_per_quad']} bytes per quad. Every step that loads links every stored rule to its measure, "
            f"as the command does (link: its own column; {f['linked_rules']} documents linked to a stored measure "
            "in the first).", "",
            "`policygraph load FILES` into a new store (`policygraph.scale.load_files`, as the command runs it): "
            "build, SHACL and infer are summed over the workers (each document's wall seconds in its worker); write "
            "is the parent's time in the stream and after it (a thread of the parent bulk-loads the chunks beside "
            "the store while the workers build; then the swap), then link, reason and compact, the parent's:", "",
            "| wall | docs/s | build | SHACL | infer | write | link | reason | compact | CPU parent | CPU workers "
            "| parent peak | worker peaks | machine load | others' cores |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
            f"| **{f['wall_s']} s** | {round(f['loaded'] / f['wall_s'], 2)} | {f['build_s']} s | {f['validate_s']} s | "
            f"{f['infer_s']} s | {f['write_s']} s | {f['link_s']} s | {f['reason_s']} s | {f.get('compact_s', '—')} s "
            f"| {f['parent_cpu_s']} s | {' + '.join(f'{c} s' for c in f['worker_cpu_s']) or '—'} | "
            f"{f['parent_peak_mb']} MB | {', '.join(f'{w} MB' for w in f['worker_peak_mb']) or '—'} | "
            f"{_machine(f)} |", "",
            "The writing alone, against a plain bulk load of the same quads: `policygraph build FILES --out DIR` "
            f"({b['wall_s']} s, {b['shard_quads']:,} quads in the shards), then `policygraph load DIR`:", "",
            "| step | time | / bulk load | machine load | others' cores |", "|---|---|---|---|---|",
            f"| first load (new store): write, the shards bulk-loaded beside the store, swapped in | {sh['write_s']} s "
            f"| **{ld['ratio_bulk_write_to_bulk']}×** (target ≤ {target}×: "
            f"{'met' if ld['ratio_bulk_write_to_bulk'] <= target else 'not met'}) | {_machine(sh)} |",
            f"| then linking: {sh['linked_rules']} documents to a stored measure | {sh['link_s']} s | | | |",
            f"| then reasoning: every inference, by the parent ({sh['inferred_quads']:,} quads) | {sh['reason_s']} s "
            f"| {round(sh['reason_s'] / base['wall_s'], 2)}× | | |",
            f"| then compaction | {sh.get('compact_s', '—')} s | | | |",
            f"| into a store holding the bundled measure: a transaction per document, without reasoning | "
            f"{tx['write_s']} s | {ld['ratio_transactions_to_bulk']}× | {_machine(tx)} |",
            f"| then linking: {tx['linked_rules']} documents to a stored measure | {tx['link_s']} s | | | |",
            f"| baseline: `pyoxigraph.Store.bulk_load` of the shards as one N-Quads file, into a new store "
            f"({base['quads']:,} quads) | {base['wall_s']} s | 1× | {_machine(base)} |", "",
            f"Quads in the store: {f['store_quads']:,} after the first load from files, {sh['store_quads']:,} "
            f"after the one from shards. Peak "
            f"memory: the shards' first load {sh['parent_peak_mb']} MB, the transactions {tx['parent_peak_mb']} MB, "
            f"the baseline {base['peak_rss_mb']} MB. {MACHINE_LOAD}", ""]


def scale_section(s: dict[str, Any]) -> list[str]:
    """load --jobs 1 vs 2, ×1 vs ×4 (memory and time), Dask vs the local pool."""
    runs = [("jobs1", "corpus ×1, `--jobs 1`"), ("jobs2", "corpus ×1, `--jobs 2`"),
            ("x1", "subset ×1, `--jobs 2`"), ("x4", "subset ×4, `--jobs 2`")]
    lines = [SCALE_HEADING, "",
             f"`bench/bench_scale.py --every {s['every']} --x4-every {s['x4_every']}`: \"corpus\" is "
             + (f"all {s['corpus_files']} lawrefbook files" if s['every'] == 1 else
                f"one file in {s['every']} of the {s['corpus_files']} lawrefbook files")
             + f", the subset one in {s['x4_every']}; ×4 is the "
             "subset and three copies of each file retitled 副本2…副本4 (distinct documents, the same text). Each "
             "load runs `policygraph.scale.load_files` in a fresh process into a new store. Build and SHACL are "
             "summed over the workers (the wall seconds of each task, so a worker without a core of its own "
             "counts more), and so are a document's own inferences (infer); write is the parent's time in the "
             "stream and after it (the bulk load itself runs in a thread of the parent while the workers build), "
             "link and reason (the inferences that cross documents) are the parent's, after the stream. CPU: "
             "the parent's (its threads' too) and each worker's, in seconds; at `--jobs 1` the workers' work "
             "is the parent's. Machine load: the 1-minute load average at the run's start and end (2 cores, "
             "shared: above 2, the workers did not have a core each).", "",
             "| run | loaded | wall | docs/s | build | SHACL | infer | write | link | reason | CPU parent | "
             "CPU workers | parent peak | worker peaks | store | bytes/quad | machine load |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for key, label in runs:
        r = s[key]
        workers = ", ".join(f"{w} MB" for w in r["worker_peak_mb"]) or "— (in the parent)"
        load = "–".join(map(str, r.get("load_average", []))) or "?"
        cpu = " + ".join(f"{c} s" for c in r.get("worker_cpu_s", [])) or "—"
        lines.append(f"| {label} | {r['loaded']} | {r['wall_s']} s | {r['docs_per_s']} | {r['build_s']} s | "
                     f"{r['validate_s']} s | {r.get('infer_s', '—')} s | {r['write_s']} s | {r['link_s']} s | "
                     f"{r['reason_s']} s | {r.get('parent_cpu_s', '?')} s | {cpu} | {r['parent_peak_mb']} MB | "
                     f"{workers} | "
                     f"{round(r['store_bytes'] / 1e6, 1)} MB, {r['store_quads']:,} quads | {r['bytes_per_quad']} | "
                     f"{load} |")
    speedup, memory, worker_memory = s["speedup"], s["memory_ratio_x4"], s["worker_memory_ratio_x4"]
    slowest = {key: max(("build", "SHACL", "write", "reason"), key=lambda k, r=s[key]: r[
        {"build": "build_s", "SHACL": "validate_s", "write": "write_s", "reason": "reason_s"}[k]]) for key, _ in runs}
    d = s["dask"]
    lines += ["",
              f"- **`--jobs 2` vs `--jobs 1`: {speedup}×** (target ≥ {s['target_speedup']}×: "
              f"{'met' if speedup >= s['target_speedup'] else 'not met'}); the same quads: "
              f"{'yes' if s['same_quads'] else 'NO'} (sorted N-Quads less load times, SHA-256).",
              f"- **Peak memory ×4 / ×1 (parent): {memory}×** (target ≤ {s['target_memory_ratio']}×: "
              f"{'met' if memory <= s['target_memory_ratio'] else 'not met'}); workers {worker_memory}×; "
              f"time ×4 / ×1: {s['time_ratio_x4']}× (linear would be ≤ 4×).",
              "- Slowest phase (of build, SHACL, write, reason): "
              + "; ".join(f"{label}: {slowest[key]}" for key, label in runs) + ".",
              f"- Dask, 2 local worker processes of 1 thread, vs the local pool of 2, building the subset's "
              f"{d['files']} files into shards: pool {d['pool_s']} s, Dask {d['dask_s']} s "
              f"({d['dask_with_cluster_start_s']} s with the cluster's start); the same shards: "
              f"{'yes' if d['same_shards'] else 'NO'}.", ""]
    for key, label in runs:
        if peaks := s[key].get("parent_peak_after_mb"):
            lines.insert(-1, f"- Parent peak RSS after each phase, {label}: "
                         + ", ".join(f"{phase} {mb} MB" for phase, mb in peaks.items()) + ".")
    if lk := s.get("linking"):
        lines[-1:-1] = linking_lines(lk)
    if note := s.get("note"):
        lines += [note, ""]
    return lines


def linking_lines(lk: dict[str, Any]) -> list[str]:
    """Linking on N documents against 2N: linear is about 2×, a lookup walking the store about 4× or more."""
    n, n2 = lk["n"], lk["2n"]
    return [f"- **Linking, 2N documents / N: {lk['cpu_ratio']}× in CPU time** ({lk['ratio']}× in wall time; linear "
            "is about 2×, twice the rules to align; a lookup that walks the whole store for each document, as until "
            "55d7ced, about 4× or more): the first "
            f"{lk['pairs']} local-dev rules of `PAIRS.tsv` and the national laws they implement, N = "
            f"{n['documents']} documents ({n['store_quads']:,} quads; {n['aligned']} rules aligned), against those "
            f"and a retitled copy of each ({n2['documents']}, {n2['store_quads']:,} quads; {n2['aligned']} aligned); "
            f"`link_documents` on each loaded store, median of {lk['repeats']}: {n['median_link_cpu_s']} CPU-s "
            f"({n['median_link_s']} s) against {n2['median_link_cpu_s']} CPU-s ({n2['median_link_s']} s); in the load "
            f"itself, before compaction: {n['load_link_s']} s and {n2['load_link_s']} s; 1-minute load average "
            f"{_span(n)} and {_span(n2)}, others' cores {n['others_cores']} and {n2['others_cores']}."]


def _span(r: dict[str, Any]) -> str:
    return "–".join(map(str, r.get("load_average", []))) or "?"


SPARQL_HEADING = "## `/sparql` and lookups vs an Oxigraph server and rdflib-endpoint"


def sparql_section(s: dict[str, Any]) -> list[str]:
    """/sparql: the headline is queries never seen (a distinct literal each request), each evaluated, on both
    servers taking turns; then the heavier analytical query; the repeated query is the answer cache."""
    lit, ox_lit = s["policygraph_sparql_literal"], s["oxigraph_literal"]
    lines = [SPARQL_HEADING, "",
             f"Same quads, wrk (2 threads) with {s['connections']} connections for {s['seconds']} s a measurement, "
             f"median of {s['repeats']}; where two servers are compared they were both up and took turns: each "
             f"warmed by an uncounted turn first, the order swapped every repeat, each turn begun once both servers "
             f"were idle (Oxigraph's server evaluates on the queries of wrk's departed clients), median of "
             f"{s.get('turns', s['repeats'])}. policygraph runs "
             f"`policygraph serve --workers 2` with its defaults: GET /sparql goes through Oxigraph's own server "
             f"(read-only on the store, behind policygraph's checks; README, \"The API and the web page\"). "
             f"In-process pyoxigraph (the floor): {s['in_process_ms']} ms per query "
             f"({s['in_process_rps_one_core']:,}/s on one core).", "",
             "| server | requests/s | p50 | p90 | p99 | errors | load (1 min) | others' cores |",
             "|---|---|---|---|---|---|---|---|"]
    rows = [("oxigraph_literal", "Oxigraph server, a distinct literal each request"),
            ("policygraph_sparql_literal", "**policygraph /sparql, a distinct literal each request**"),
            ("oxigraph_distinct", "Oxigraph server, a distinct comment each request"),
            ("policygraph_sparql_distinct", "policygraph /sparql, a distinct comment each request"),
            ("policygraph_responsibilities_distinct",
             "policygraph /api/responsibilities, every question distinct (evaluated)"),
            ("oxigraph", "Oxigraph server, one query repeated"),
            ("policygraph_sparql", "policygraph /sparql, one query repeated: **its answer cache**"),
            ("rdflib_endpoint", "rdflib-endpoint (in-memory rdflib), one query repeated")]
    for key, label in rows:
        if r := s.get(key):
            lines.append(f"| {label} | {r['rps']:,} | {r['p50_ms']} ms | {r.get('p90_ms', '—')} ms | {r['p99_ms']} ms "
                         f"| {r['errors']} | {r.get('load_1min', '—')} | {r.get('others_cores', '—')} |")
    ratio, p99, target = s["ratio_ours_to_oxigraph_literal"], s["p99_ratio_ours_to_oxigraph_literal"], s["target_ratio"]
    lines += ["", f"**Queries never seen (a distinct literal each request), light lookup: {ratio}× Oxigraph's "
              f"throughput, p99 {lit['p99_ms']} ms against {ox_lit['p99_ms']} ms ({p99}×)** (targets ≥ {target}× "
              f"and ≤ 2×: {'met' if ratio >= target else 'not met'}, {'met' if p99 <= 2 else 'not met'}). "
              f"A distinct comment each request: {s['ratio_ours_to_oxigraph']}×."]
    loads = [r["load_1min"] for key, _ in rows if (r := s.get(key)) and "load_1min" in r]
    loads += [r["load_1min"] for r in (s.get("analytical") or {}).values() if isinstance(r, dict) and "load_1min" in r]
    others = [r["others_cores"] for key, _ in rows if (r := s.get(key)) and "others_cores" in r]
    others += [r["others_cores"] for r in (s.get("analytical") or {}).values()
               if isinstance(r, dict) and "others_cores" in r]
    if loads:
        lines += ["", f"The machine's 1-minute load average during these measurements: {min(loads)} to {max(loads)} "
                  "(medians over the repeats, each read just after its wrk run; it counts the benchmark's own "
                  "threads, wrk's and the servers', so it is high even on an idle machine; the machine has 2 cores "
                  "and is shared with other engineers' work)."]
    if others:
        lines += ["", f"CPU used by processes outside the benchmark during the measurements (others' cores: the "
                  f"machine's busy time less the benchmark's, over the run; 2 cores in all): {min(others)} to "
                  f"{max(others)} (medians over the repeats)."]
    if a := s.get("analytical"):
        lines += analytical_lines(a, s)
    if (cached := s.get("ratio_ours_to_oxigraph_repeated_cache")) is not None:
        lines += ["", f"Cache figure, not query evaluation: one query repeated, which policygraph answers from its "
                  f"cache and Oxigraph evaluates every time, {cached}× Oxigraph."]
    lines += ["", f"rdflib-endpoint, one query repeated: {s['ratio_rdflib_endpoint_to_oxigraph']}× Oxigraph "
              "(repeated query).", ""]
    if f := load("front"):
        lines += front_lines(f)
    return lines


FRONTS = {"oxigraph": "Oxigraph server",
          "bare": "a bare Python front evaluating in its own two processes (uvloop, httptools, pyoxigraph; no checks, "
                  "no cache, no timeout, no way to stop a query)",
          "bare_no_query": "the same front answering a fixed body (no evaluation)",
          "bare_relay": "the same front handing each query to one Oxigraph server behind both processes",
          "bare_relay_each": "a bare Python front (two processes of uvloop and httptools, no checks, no cache) "
                             "handing each query to an Oxigraph server of its own (one a process, as `--workers 2` "
                             "runs) over keep-alive connections",
          "policygraph": "**policygraph serve --workers 2** (this tree: GET /sparql relayed at the connection, "
                         "web/relay.py)",
          "policygraph_before": "policygraph serve --workers 2, {before}"}


def front_lines(f: dict[str, Any]) -> list[str]:
    """bench_front.py: where the light lookup's time goes, the servers taking turns in one run."""
    lines = [f"Where the light lookup's time goes (`bench/bench_front.py`, {f.get('began', '?')} to "
             f"{f.get('ended', '?')}; the same store, query, wrk and script as the headline, the servers all up and "
             f"taking turns as above, medians of {f['turns']} turns of {f['seconds']} s; the servers' CPU time a "
             "request read from `/proc` around each wrk run, an Oxigraph server behind a front counted with it):", "",
             "| server | requests/s | × Oxigraph | p99 | × Oxigraph | server CPU a request | wrk CPU a request | "
             "load (1 min) | others' cores |", "|---|---|---|---|---|---|---|---|---|"]
    for key, label in FRONTS.items():
        if r := f.get(key):
            lines.append(f"| {label.format(before=f.get('before') or 'the code before')} | {round(r['rps']):,} | "
                         f"{r['ratio']} | {r['p99_ms']} ms | {r['p99_ratio']} | {r['server_us']} µs | "
                         f"{r['wrk_us']} µs | {r.get('load_1min', '—')} | {r.get('others_cores', '—')} |")
    return [*lines, ""]


def analytical_lines(a: dict[str, Any], s: dict[str, Any]) -> list[str]:
    """The heavier analytical query of bench_sparql.py, on a part of the national corpus."""
    ours, oxi = a["policygraph_sparql_literal"], a["oxigraph_literal"]
    ratio, target = a["ratio_ours_to_oxigraph_literal"], a["target_ratio"]
    return ["", f"Heavier analytical query (duties joined to their bearers' levels and labels, the articles they "
            f"come from and their documents, grouped and counted: {a['rows']} rows) over every {a['every']}th law "
            f"of the national corpus ({a['laws']} files, {a['quads']:,} quads), {a['in_process_ms']} ms in-process "
            f"({round(a['in_process_ms'] / s['in_process_ms']):,}× the light lookup"
            + (f"; {a['in_process_ms_ours']} ms on policygraph's store as its load left it"
               if "in_process_ms_ours" in a else "") + "), "
            "a distinct literal each request, the two servers taking turns:", "",
            "| server | requests/s | p50 | p99 | errors | load (1 min) | others' cores |",
            "|---|---|---|---|---|---|---|",
            f"| Oxigraph server | {oxi['rps']:,} | {oxi['p50_ms']} ms | {oxi['p99_ms']} ms | {oxi['errors']} | "
            f"{oxi['load_1min']} | {oxi.get('others_cores', '—')} |",
            f"| **policygraph /sparql** | {ours['rps']:,} | {ours['p50_ms']} ms | {ours['p99_ms']} ms | "
            f"{ours['errors']} | {ours['load_1min']} | {ours.get('others_cores', '—')} |", "",
            f"**Analytical query: {ratio}× Oxigraph's throughput** (target ≥ {target}×: "
            f"{'met' if ratio >= target else 'not met'}), p99 {a['p99_ratio_ours_to_oxigraph_literal']}×."]


def crash_section(c: dict[str, Any]) -> list[str]:
    """The SIGKILL runs bench_crash.py made in this run, and what each left."""
    def runs(path: dict[str, Any]) -> str:
        killed = [r for r in path["runs"] if r["killed"] and "delay_s" in r]
        outcomes: dict[str, int] = {}
        for r in killed:
            outcomes[r["outcome"]] = outcomes.get(r["outcome"], 0) + 1
        finished = sum(not r["killed"] for r in path["runs"] if "delay_s" in r)
        text = (f"killed {len(killed)} times (after {', '.join(str(r['delay_s']) for r in killed)} s): "
                + ", ".join(f"{n} {k}" for k, n in sorted(outcomes.items())))
        return text + (f"; {finished} finished before its kill" if finished else "")

    def at_swap(path: dict[str, Any]) -> str:
        swaps = [r for r in path["runs"] if "at_swap_s" in r]
        return "; ".join(f"{r['at_swap_s']} s after: {r['outcome'] if r['killed'] else 'finished first'}"
                         for r in swaps)

    t, b = c["transactional"], c["bulk"]
    return ["## Crash safety", "",
            f"`bench/bench_crash.py` killed real `policygraph load` processes with SIGKILL {c['kills']} times in "
            f"this run. A {t['articles']:,}-article regulation loaded by transaction into a store holding the "
            f"measure ({t['unkilled_load_s']} s unkilled): {runs(t)}. A bulk first load of {b['files']} files "
            f"({b['unkilled_load_s']} s unkilled): {runs(b)}"
            + (f"; killed again at its swap (the new store renamed into place) and after it: {at_swap(b)}"
               if any("at_swap_s" in r for r in b["runs"]) else "")
            + ". *untouched*: the store held exactly its old quads; "
            "*complete*: exactly the finished load's; *stale*: the documents whole and the inferences marked "
            "stale, recomputed by the next load to exactly the finished load's. "
            f"Stores left partial: **{c['partial']}**."
            + (f" Processes of a killed load (workers, the fork server) still alive 2.5 s after its kill: "
               f"{c['left_processes']} in all." if "left_processes" in c else "")
            + (f" Machine load over the run: 1-minute load average {'–'.join(map(str, c['load_average']))}, "
               f"others' cores {c['others_cores']} (processes outside the benchmark; 2 cores)."
               if "load_average" in c else ""), ""]


if __name__ == "__main__":
    sys.exit(main())
