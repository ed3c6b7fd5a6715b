"""How well article linking generalises: the development gold, plain and with each pair left out in turn.

    .venv/bin/python bench/bench_link_cv.py [--prior order|position] [--with-shape] [--with-duties]

The linker's weights (``link.Weights``: hubs, penalty kind, shared duties, and the order prior's shape,
``link.order.Order``) and its new-content threshold were chosen on the development pairs of
``tests/gold/align/dev``, so their plain figure flatters them. Here every choice is made again without the
pair it is scored on: for each held-out pair, the weights on a small grid and the threshold
(``novelty.calibrate``) that give the best top-1 agreement on the other pairs are taken, and the held-out pair
is aligned with them. The sum over pairs is the leave-one-pair-out estimate; the character-bigram TF-IDF
argmax baseline is scored in the same run. Only development gold is read.

``--prior order`` (the default, the linker's): the grid is hub × kind × the chain's sharpness and step
(``--with-shape`` adds its ``back`` and ``jump`` too: 9 times as many weightings). ``--prior position``: the
soft position prior of stop 21–27 instead of the chain, on its own grid (hub × position × kind; with
``--with-shape`` its anchor bounds and decay too), for comparison. ``--with-duties`` adds a weight of shared
duties (0.1) to either grid; ``--bigrams`` scores on the TF-IDF cosine of bigrams alone (as until stop 27)
instead of single characters and bigrams.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from policygraph.link import Alignment, NewContent, Weights, align, scoring  # noqa: E402
from policygraph.link.novelty import calibrate  # noqa: E402
from policygraph.link.order import Order  # noqa: E402
from tests.test_link_gold import GOLD, Pair, Score, baseline, pair, read_gold  # noqa: E402

HUB, POSITION, KIND = (0.0, 0.25, 0.5, 0.75), (0.0, 0.1, 0.15, 0.2), (0.0, 0.03, 0.06)
ANCHORS, DECAY = ((0.2, 0.15), (0.15, 0.1), (0.25, 0.2)), (4.0, 8.0, 16.0)  # (anchor, lead), decay
SHARPNESS, STEP = (20.0, 30.0, 40.0), (3.0, 5.0, 8.0)  # the order prior's (``Order``)
BACK, JUMP = (0.25, 0.5, 1.0), (0.02, 0.05, 0.1)
NEVER = NewContent(-1.0)
_text_matrices = scoring.text_matrices
_texts: dict[tuple[int, int, tuple[int, ...]], tuple[scoring.Matrix, scoring.Matrix]] = {}


def _cached_text_matrices(rule: list[object], central: list[object], sizes: tuple[int, ...] = (1, 2)
                          ) -> tuple[scoring.Matrix, scoring.Matrix]:
    """The text matrices do not depend on the weights: computed once per pair for the whole grid."""
    key = (id(rule), id(central), sizes)
    if key not in _texts:
        _texts[key] = _text_matrices(rule, central, sizes)  # type: ignore[arg-type]
    return _texts[key]


scoring.text_matrices = _cached_text_matrices  # type: ignore[assignment]


@dataclass
class Judged:
    pair: Pair
    gold: dict[str, list[str]]


def judged() -> list[Judged]:
    out = []
    for path in sorted((GOLD / "dev").glob("*.tsv")):
        _, gold = read_gold(path)
        out.append(Judged(pair(path.stem + ".md"), gold))
    return out


def run(j: Judged, weights: Weights, new_content: NewContent) -> list[Alignment]:
    p = j.pair
    return align(p.rule, p.law, measure_title=p.law_title, numbering_known=p.numbering_known,
                 weights=weights, new_content=new_content)


def decided(alignments: list[Alignment], new_content: NewContent) -> dict[str, str | None]:
    """The links once "new" is decided (alignments computed with no article new)."""
    return {a.article: None if a.evidence == "similarity" and a.text is not None and new_content.is_new(a.text)
            else a.central_article for a in alignments}


def choose(cache: dict[Weights, list[list[Alignment]]], pairs: list[Judged], keep: Iterable[int]
           ) -> tuple[Weights, NewContent, int]:
    """The weights and threshold with the best top-1 agreement on the pairs ``keep``."""
    best: tuple[Weights, NewContent, int] | None = None
    keep = list(keep)
    for weights, runs in cache.items():
        texts, gold_new, right = [], [], []
        for i in keep:
            for a in runs[i]:
                if a.evidence == "similarity" and a.text is not None:
                    expected = pairs[i].gold[a.article]
                    texts.append(a.text)
                    gold_new.append(not expected)
                    right.append(bool(expected) and a.central_article == expected[0])
        new_content = calibrate(texts, gold_new, right)
        top1 = sum(Score().add(decided(runs[i], new_content), pairs[i].gold).top1 for i in keep)
        if best is None or top1 > best[2]:
            best = (weights, new_content, top1)
    assert best is not None
    return best


def grid_of(prior: str, with_shape: bool, with_duties: bool, grams: tuple[int, ...]) -> list[Weights]:
    duties = (0.0, 0.1) if with_duties else (0.0,)
    if prior == "position":
        shapes = [Weights(order=None, position=0.15, grams=grams)] if not with_shape else [
            Weights(order=None, position=0.15, anchor=a, lead=b, decay=d, grams=grams)
            for (a, b), d in itertools.product(ANCHORS, DECAY)]
        grid = {replace(s, hub=h, position=p, kind=k, duties=d)
                if p else Weights(order=None, hub=h, position=p, kind=k, duties=d, grams=grams)  # no position, no shape
                for s, h, p, k, d in itertools.product(shapes, HUB, POSITION, KIND, duties)}
    else:
        orders = [Order(sharpness=a, step=b, back=c, jump=e) for a, b, c, e in
                  itertools.product(SHARPNESS, STEP, BACK if with_shape else (Order().back,),
                                    JUMP if with_shape else (Order().jump,))]
        grid = {Weights(hub=h, kind=k, duties=d, order=o, grams=grams)
                for h, k, d, o in itertools.product(HUB[1:], KIND, duties, orders)}
    return sorted(grid, key=str)


def describe(w: Weights) -> str:
    if w.order is None:
        return (f"hub {w.hub} position {w.position} kind {w.kind} duties {w.duties}"
                f"{f' anchors ({w.anchor}, {w.lead}) decay {w.decay}' if w.position else ''}")
    o = w.order
    return (f"hub {w.hub} kind {w.kind} duties {w.duties} order (sharpness {o.sharpness}, step {o.step}, "
            f"back {o.back}, jump {o.jump})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--prior", choices=("order", "position"), default="order")
    parser.add_argument("--with-shape", action="store_true")
    parser.add_argument("--with-duties", action="store_true")
    parser.add_argument("--bigrams", action="store_true", help="score on bigrams alone, not characters and bigrams")
    args = parser.parse_args()
    started = time.monotonic()
    grid = grid_of(args.prior, args.with_shape, args.with_duties, (2,) if args.bigrams else (1, 2))
    pairs = judged()
    cache = {w: [run(j, w, NEVER) for j in pairs] for w in grid}
    weights, new_content, _ = choose(cache, pairs, range(len(pairs)))
    plain, held_out, base = Score(), Score(), Score()
    print(f"plain choice on all {len(pairs)} pairs: {describe(weights)}, threshold {new_content.threshold}")
    chosen: Counter[str] = Counter()
    for i, j in enumerate(pairs):
        plain += Score().add(decided(cache[weights][i], new_content), j.gold)
        w, nc, _ = choose(cache, pairs, (k for k in range(len(pairs)) if k != i))
        s = Score().add({a.article: a.central_article for a in run(j, w, nc)}, j.gold)
        b = Score().add(baseline(j.pair), j.gold)
        held_out += s
        base += b
        chosen[f"{describe(w)}, threshold {nc.threshold}"] += 1
        print(f"  {j.pair.name}: held out {s.top1}/{s.n} (new {s.new_tp}/{s.new_tp + s.new_fn}, +{s.new_fp} wrong); "
              f"baseline {b.top1}/{b.n}")
    print("chosen without the pair scored (folds):")
    for choice, folds in chosen.most_common():
        print(f"  {folds:2d}  {choice}")
    print(f"plain (chosen on all pairs): {plain.line()}")
    print(f"leave-one-pair-out:          {held_out.line()}")
    print(f"TF-IDF baseline:             {base.line()}")
    print(f"{len(grid)} weightings, {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
