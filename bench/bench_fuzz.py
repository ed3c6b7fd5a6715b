"""The longer fuzzing profile: the same schemathesis suite as `make test`, with many more examples.

    .venv/bin/python bench/bench_fuzz.py [--examples N]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time

from common import ROOT, record


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=300)
    args = parser.parse_args()
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_fuzz.py"],
                          cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "POLICYGRAPH_FUZZ_EXAMPLES": str(args.examples)})
    summary = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr[-300:]
    passed = int(m.group(1)) if (m := re.search(r"(\d+) passed", summary)) else 0
    failed = int(m.group(1)) if (m := re.search(r"(\d+) failed", summary)) else 0
    record("fuzz", {"examples_per_operation": args.examples, "tests_passed": passed, "tests_failed": failed,
                    "seconds": round(time.perf_counter() - started, 1), "summary": summary})
    return 0 if proc.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
