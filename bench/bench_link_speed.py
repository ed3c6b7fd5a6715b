"""Article alignment time, this tree against an earlier one in the same run.

    .venv/bin/python bench/bench_link_speed.py --before /tmp/wt/src [--repeats 3]

Each of the 40 local-dev rules is aligned with the version in force of the law it implements (as the load
does for every stored rule; parsing and extraction are done first and not timed). Each tree runs in its
own process, the two alternating ``--repeats`` times; the median seconds of each and their ratio are
printed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCAL = ROOT.parent / "shared" / "corpus" / "local-dev"


def worker(src: Path) -> float:
    sys.path[:0] = [str(src)]
    import re

    from policygraph.extract import Extractor
    from policygraph.link import align, articles_of, version_in_force
    from policygraph.pipeline import parse_file

    extractor = Extractor()
    dated = re.compile(r"\((\d{4}-\d{2}-\d{2})\)")
    jobs = []
    for row in (LOCAL / "PAIRS.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        rule_file, laws = row.split("\t")
        rule_doc = parse_file(LOCAL / rule_file)
        m = dated.search(rule_file)
        versions = [(d.group(1), f) for f in laws.split(";") if (d := dated.search(f))]
        law_doc = parse_file(LOCAL.parent / version_in_force(m.group(1) if m else rule_doc.published, versions))
        jobs.append((articles_of(rule_doc, extractor.extract(rule_doc)),
                     articles_of(law_doc, extractor.extract(law_doc)), law_doc.title))
    started = time.perf_counter()
    for rule, law, title in jobs:
        align(rule, law, measure_title=title)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", type=Path, help="the src directory of the earlier tree")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker)))
        return 0
    trees = {"before": args.before, "after": ROOT / "src"}
    times: dict[str, list[float]] = {k: [] for k in trees}
    for _ in range(args.repeats):
        for name, src in trees.items():
            out = subprocess.run([sys.executable, __file__, "--worker", str(src)], capture_output=True, text=True,
                                 check=True).stdout
            times[name].append(json.loads(out.strip().splitlines()[-1]))
    before, after = (statistics.median(times[k]) for k in trees)
    print(f"align, 40 local-dev rules: before {before:.2f} s, after {after:.2f} s (medians of {args.repeats}; "
          f"all: {times}); after/before {after / before:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
