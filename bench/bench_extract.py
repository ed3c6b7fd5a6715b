"""Extraction over the lawrefbook corpus, against jieba segmentation of the same text (the floor).

    .venv/bin/python bench/bench_extract.py [--limit N] [--repeats R]

Both sides see the same article texts; parsing happens before the clock starts. Times are the process's
CPU time (both sides are single-threaded), so other work on the machine does not tilt the ratio. Each
repeat of extraction starts cold: a new grammar (its parse caches empty) and the word cache cleared, so
the figure is what one pass over the corpus costs, not a pass over names already parsed.
Target: extraction within 3x of segmentation alone.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

from common import corpus_files, median_time, record

from policygraph import words
from policygraph.bearers import BearerGrammar
from policygraph.extract import Extractor
from policygraph.lexicon import default_lexicon
from policygraph.pipeline import parse_file


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=None, help="only the first N files")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    files = corpus_files(args.limit)
    if not files:
        print("skipped: ../shared/corpus/lawrefbook is absent")
        return 0
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    documents = [parse_file(f) for f in files]
    texts = [a.text for d in documents for a in d.provisions]  # what extraction reads
    extractor = Extractor()
    extractor.extract(documents[0])  # load the pipeline before timing

    def segment() -> int:
        return sum(len(jieba.lcut(t)) for t in texts)

    named = list(default_lexicon().actors)

    def extract() -> int:
        words.clear_caches()  # (the module's segmentations: a cold start each repeat)
        cold = Extractor(nlp=extractor.nlp, grammar=BearerGrammar.load(named=named))
        return sum(1 for _ in cold.iter_duties(documents))

    # Both sides run in this one process on one core: CPU time compares them fairly on a shared machine.
    floor, tokens = median_time(segment, args.repeats, clock=time.process_time)
    full, duties = median_time(extract, args.repeats, clock=time.process_time)
    record("extract", {
        "files": len(files), "articles": len(texts), "characters": sum(map(len, texts)), "duties": duties,
        "jieba_tokens": tokens, "segmentation_s": round(floor, 2), "extraction_s": round(full, 2),
        "articles_per_s": round(len(texts) / full), "ratio_to_segmentation": round(full / floor, 2),
        "target_ratio": 3.0, "repeats": args.repeats, "clock": "process CPU time", "caches": "cold each repeat",
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
