"""Article linking on silver links mined from the national corpus, and what fitting on them does to development.

    .venv/bin/python tools/mine_silver_links.py     # bench/silver_links.tsv (deterministic, about 15 s)
    .venv/bin/python bench/bench_link_silver.py [--pairs]

The silver set: articles of national implementing regulations (X法实施条例, 实施细则, …) that cite exactly
one article of the law they implement, in the version in force at the regulation's date; the citation is
masked from the text (``mine_silver_links.masked``), so a linker must find the link by what the article
says. It holds no local rule, so the development gold (``tests/gold/align/dev``) is held out from it.

Printed: (1) top-1 of the linker as shipped and of the character-bigram TF-IDF argmax on the silver links,
all and for the regulations titled 实施…; (2) the weights (hub, kind, the order prior's shape) with the best
silver top-1 over the grid of ``bench_link_cv`` (no article new: silver has no "new" labels), and the development top-1
with them, the new-content threshold calibrated on development (plain, and chosen without each pair);
(3) how often a cited article is among the three best scores (the test the linker applies to a citation
when every stored version of the law is later than the rule), and how often a number off by one or two is.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "tools")]

from bench_link_cv import NEVER, choose, decided, describe, grid_of, judged, run  # noqa: E402
from mine_silver_links import CORPUS, masked  # noqa: E402

from policygraph.lexicon import default_lexicon  # noqa: E402
from policygraph.link import WEIGHTS, LinkArticle, Weights, align, measure_names, tfidf_argmax  # noqa: E402
from policygraph.link.scoring import Matrix, score_matrix  # noqa: E402
from policygraph.pipeline import parse_file  # noqa: E402
from tests.test_link_gold import Score  # noqa: E402

SILVER = ROOT / "bench" / "silver_links.tsv"


@dataclass
class SilverPair:
    name: str
    rule: list[LinkArticle]
    law: list[LinkArticle]
    law_title: str
    gold: dict[str, str]  # regulation article → the law article it cited

    def rows(self) -> list[tuple[int, int]]:
        at = {a.number: i for i, a in enumerate(self.rule)}
        central = {c.number: j for j, c in enumerate(self.law)}
        return [(at[a], central[c]) for a, c in self.gold.items()]


def silver_pairs(path: Path = SILVER) -> list[SilverPair]:
    links: dict[tuple[str, str], dict[str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines()[2:]:
        regulation, law, article, cited = line.split("\t")
        links.setdefault((regulation, law), {})[article] = cited
    out = []
    for (regulation, law), gold in links.items():
        rule_doc, law_doc = parse_file(CORPUS / regulation), parse_file(CORPUS / law)
        names = measure_names(law_doc.title, " ".join(a.text for a in rule_doc.provisions))
        rule = [LinkArticle(a.key, "", masked(a.text, names)) for a in rule_doc.provisions]
        central = [LinkArticle(a.key, "", a.text) for a in law_doc.provisions]
        out.append(SilverPair(Path(regulation).stem, rule, central, law_doc.title, gold))
    return out


def scores(p: SilverPair, w: Weights) -> Matrix:
    """The linker's scores before the order prior (``scoring.score_matrix``)."""
    return score_matrix(p.rule, p.law, default_lexicon(), w)[1]


def silver_top1(pairs: list[SilverPair], w: Weights) -> int:
    """Silver links the linker finds with weights ``w``, no article new (silver has no "new" labels)."""
    found = 0
    for p in pairs:
        got = {a.article: a.central_article for a in align(p.rule, p.law, measure_title=p.law_title, weights=w,
                                                           new_content=NEVER)}
        found += sum(got[a] == c for a, c in p.gold.items())
    return found


def shipped(pairs: list[SilverPair], show: bool) -> None:
    n = linker = never = base = called_new = 0
    by_kind = {True: [0, 0, 0], False: [0, 0, 0]}
    for p in pairs:
        got = {a.article: a.central_article for a in align(p.rule, p.law, measure_title=p.law_title)}
        kept = {a.article: a.central_article for a in align(p.rule, p.law, measure_title=p.law_title,
                                                           new_content=NEVER)}
        best = tfidf_argmax([a.text for a in p.rule], [a.text for a in p.law])
        tfidf = {a.number: p.law[j].number for a, j in zip(p.rule, best, strict=True)}
        counts = [sum(m[a] == c for a, c in p.gold.items()) for m in (got, kept, tfidf)]
        called_new += sum(got[a] is None for a in p.gold)
        n, linker, never, base = n + len(p.gold), linker + counts[0], never + counts[1], base + counts[2]
        tally = by_kind["实施" in p.name]
        tally[0], tally[1], tally[2] = tally[0] + len(p.gold), tally[1] + counts[0], tally[2] + counts[2]
        if show:
            print(f"  {p.name}: {len(p.gold)} links, linker {counts[0]}, TF-IDF {counts[2]} "
                  f"({len(p.rule)} articles against {len(p.law)})")
    print(f"silver, {len(pairs)} regulations, {n} links: linker {linker}/{n} = {linker / n:.3f} (never new "
          f"{never}), TF-IDF argmax {base}/{n} = {base / n:.3f}")
    for titled, (k, a, b) in sorted(by_kind.items(), reverse=True):
        print(f"  {'titled 实施…' if titled else 'other regulations'}: {k} links, linker {a}, TF-IDF {b}")
    print(f"  silver links the linker calls new (each wrong: they cite the law): {called_new}")


def fitted(pairs: list[SilverPair]) -> Weights:
    grid = grid_of("order", False, False, WEIGHTS.grams)
    found = {w: silver_top1(pairs, w) for w in grid}
    best = max(grid, key=lambda w: found[w])
    n = sum(len(p.gold) for p in pairs)
    print(f"silver grid ({len(grid)} weightings): best {found[best]}/{n} with {describe(best)}; the shipped weights "
          f"{silver_top1(pairs, WEIGHTS)}")
    return best


def on_development(weights: list[Weights]) -> None:
    dev = judged()
    cache = {w: [run(j, w, NEVER) for j in dev] for w in weights}
    for w in weights:
        one = {w: cache[w]}
        _, new_content, _ = choose(one, dev, range(len(dev)))
        plain, held = Score(), Score()
        for i, j in enumerate(dev):
            plain += Score().add(decided(cache[w][i], new_content), j.gold)
            _, own, _ = choose(one, dev, (k for k in range(len(dev)) if k != i))
            held += Score().add(decided(cache[w][i], own), j.gold)
        print(f"development with {describe(w)}: {plain.line()} "
              f"({new_content}); threshold chosen without each pair: {held.line()}")


def citation_guard(pairs: list[SilverPair]) -> None:
    w = WEIGHTS
    for shift in (0, 1, -1, 2, -2):
        hit = n = 0
        for p in pairs:
            s = scores(p, w)
            for i, j in p.rows():
                if 0 <= j + shift < len(p.law):
                    n += 1
                    hit += j + shift in sorted(range(len(p.law)), key=lambda c, row=s[i]: -row[c])[:3]
        label = "the cited article" if not shift else f"the article {shift:+d} from it"
        print(f"  {label} among the three most similar: {hit}/{n} = {hit / n:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", action="store_true", help="a line per regulation")
    args = parser.parse_args()
    started = time.monotonic()
    pairs = silver_pairs()
    shipped(pairs, args.pairs)
    best = fitted(pairs)
    on_development(list(dict.fromkeys([WEIGHTS, best])))
    print("citations, when every stored version is later than the rule (the linker's test: among the three most "
          "similar):")
    citation_guard(pairs)
    print(f"{time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
