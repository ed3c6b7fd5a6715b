"""Who stands before 应当/可以/不得/负责 in the national corpus, and how many of those clauses get a bearer.

    .venv/bin/python bench/bench_coverage.py [--limit N] [--src DIR] [--name NAME]

A cue-bearing clause is a clause (split at ，；。：) of a provision that holds a modal cue word as a jieba
word (the cue words of resources/cues.toml, the same list for every run). It "gets a bearer" when the
extractor writes a record with a named bearer whose clause overlaps it. ``--src`` imports policygraph
from another source tree (an earlier commit checked out with ``git worktree``), so the same measure is
taken before and after a change in one run of this script each.

It also mines the subjects themselves: the text before the cue of every cue-bearing clause, when it is
short and holds no preposition, counted over the corpus. The most frequent ones are the bearers the
corpus really uses; the report gives the share of them that the bearer grammar reads as bearers.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import re
import sys
from collections import Counter
from pathlib import Path

from common import ROOT, corpus_files, record

_CLAUSE = re.compile(r"[^，；。：,;:！？]+")
_CUES = ("应当", "应", "必须", "须", "负责", "负有", "可以", "可", "不得", "严禁", "禁止", "不准", "不许", "有权",
         "享有")
_NOT_A_SUBJECT = re.compile(r"[对向在从由按依根经于为“《（]|的$")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the source tree to import policygraph from")
    parser.add_argument("--name", default="coverage")
    parser.add_argument("--top", type=int, default=200, help="how many mined subjects to check the grammar on")
    args = parser.parse_args()
    files = corpus_files(args.limit)
    if not files:
        print("skipped: ../shared/corpus/lawrefbook is absent")
        return 0
    sys.path.insert(0, str(args.src))
    import jieba

    jieba.setLogLevel(logging.WARNING)
    extract = importlib.import_module("policygraph.extract")
    pipeline = importlib.import_module("policygraph.pipeline")
    extractor = extract.Extractor()

    clauses = with_bearer = 0
    subjects: Counter[str] = Counter()
    for path in files:
        document = pipeline.parse_file(path)
        spans = [(d.norm_start, d.norm_end) for d in extractor.iter_duties([document]) if d.actor]
        text = document.norm.text
        for provision in document.provisions:
            for m in _CLAUSE.finditer(text, provision.start, provision.end):
                words = jieba.lcut(m.group(0), HMM=False)
                cue = next((i for i, w in enumerate(words) if w in _CUES), None)
                if cue is None:
                    continue
                clauses += 1
                if any(s < m.end() and m.start() < e for s, e in spans):
                    with_bearer += 1
                subject = "".join(words[:cue]).strip()
                if 1 < len(subject) <= 20 and not _NOT_A_SUBJECT.search(subject):
                    subjects[subject] += 1
    figures: dict[str, object] = {
        "src": str(args.src), "files": len(files), "cue_clauses": clauses, "with_bearer": with_bearer,
        "share_with_bearer": round(with_bearer / clauses, 3) if clauses else None,
    }
    grammar_module = _grammar(args.src)
    if grammar_module is not None:
        top = subjects.most_common(args.top)
        grammar = grammar_module.default_grammar()
        read = [(s, n) for s, n in top if grammar.parse(s)]
        figures.update({
            "mined_subjects": len(subjects), "top": args.top,
            "top_read_as_bearers": len(read), "top_share_read": round(len(read) / len(top), 3) if top else None,
            "top_occurrences_read": round(sum(n for _, n in read) / sum(n for _, n in top), 3) if top else None,
            "top_20": [f"{s} ({n})" for s, n in top[:20]],
            "top_not_read": [f"{s} ({n})" for s, n in top if not grammar.parse(s)][:30],
        })
    record(args.name, figures)
    return 0


def _grammar(src: Path) -> object | None:
    """The bearer grammar of the tree measured, where it has one (trees before it do not)."""
    try:
        return importlib.import_module("policygraph.bearers")
    except ImportError:
        return None


if __name__ == "__main__":
    sys.exit(main())
