"""How well each central article answers each rule article: text, corrected for hubs, and kind.

The parts, each measured on the development gold by leave-one-pair-out (see the README):

- **text**: the TF-IDF cosine of single characters and character bigrams together, fitted on both texts'
  articles (the baseline's measure is bigrams alone; with the order prior, characters and bigrams gain
  held out, where without it they did not; word, corpus-IDF, BM25 and sentence-level variants did no better
  on the development pairs). New content is still decided on the bigram cosine (``novelty``);
- **hubs**: a central article that is close to many rule articles (a long article listing duties, a
  general article of the supplementary provisions) attracts links it does not deserve. Its score is
  lowered by ``hub`` × the mean of its ``HUB_K`` best cosines with the rule's articles (the local scaling
  used to match the nearest neighbours of two sets);
- **position** (weight 0 since the order prior of ``order`` replaced it): articles aligned with confidence
  (anchors) bound where the others are expected; outside the bounds the prior decays.

- **kind**: a penalty article (罚款, 处分, 追究刑事责任…) answers a penalty article, and any other article
  another: a small bonus where the two agree.

Shared duties (``similarity.duty_overlap``) may be added; their weight is 0 by default because they did
not help when each development pair was left out of the choice in turn.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..lexicon import Lexicon
from .order import ORDER, Order
from .similarity import BearerMap, TfIdf, duty_overlap

if TYPE_CHECKING:
    from .align import LinkArticle

Matrix = list[list[float]]
HUB_K = 5  # a central article's hub score: the mean of its five best cosines with the rule's articles
_PENALTY = re.compile(r"罚款|处分|追究刑事责任|吊销|没收|责令(?:限期)?改正|给予.{0,6}处罚")


@dataclass(frozen=True)
class Weights:
    """Weights of the parts of a score (text counts 1). Chosen on the development gold: see the README."""

    hub: float = 0.25
    position: float = 0.0
    duties: float = 0.0
    kind: float = 0.06
    # The position prior's shape: an anchor's text cosine is at least ``anchor`` and leads its runner-up by
    # ``lead``; outside the anchors' bounds the prior falls by e^(-d/decay), d articles away.
    anchor: float = 0.2
    lead: float = 0.15
    decay: float = 8.0
    # The character n-grams whose TF-IDF cosine the score starts from (new content is decided on bigrams).
    grams: tuple[int, ...] = (1, 2)
    # The order prior over the scores (``order.posterior``); None: each rule article takes its best score.
    order: Order | None = ORDER


WEIGHTS = Weights()


def text_matrix(rule: Sequence[LinkArticle], central: Sequence[LinkArticle]) -> Matrix:
    """The TF-IDF cosine of character bigrams of every pair of articles."""
    return text_matrices(rule, central, (2,))[0]


def text_matrices(rule: Sequence[LinkArticle], central: Sequence[LinkArticle], sizes: tuple[int, ...] = (1, 2)
                  ) -> tuple[Matrix, Matrix]:
    """(the TF-IDF cosine of character bigrams, that of the n-grams of ``sizes`` together) of every pair of
    articles, in one pass: the n-grams of each size are weighted alike in both, so the second is the first's
    dot products plus the other sizes', over the norms of all of them."""
    every = tuple(sorted({2, *sizes}))
    model = TfIdf([a.text for a in [*rule, *central]], every)

    def parts(text: str) -> list[tuple[dict[str, float], float]]:
        vector = model.vector(text)
        by_size: dict[int, dict[str, float]] = {n: {} for n in every}
        for k, x in vector.items():
            by_size[len(k)][k] = x
        return [(v, sum(x * x for x in v.values())) for v in (by_size[n] for n in every)]

    two, chosen = every.index(2), [every.index(n) for n in sizes]
    targets = [parts(c.text) for c in central]
    bigram: Matrix = []
    combined: Matrix = []
    for r in rule:
        mine = parts(r.text)
        brow, crow = [], []
        for theirs in targets:
            dots = {i: _dot(mine[i][0], theirs[i][0]) for i in {two, *chosen}}
            norm = math.sqrt(mine[two][1] * theirs[two][1])
            brow.append(dots[two] / norm if norm else 0.0)
            norm = math.sqrt(sum(mine[i][1] for i in chosen) * sum(theirs[i][1] for i in chosen))
            crow.append(sum(dots[i] for i in chosen) / norm if norm else 0.0)
        bigram.append(brow)
        combined.append(crow)
    return bigram, combined


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b[k] for k, x in a.items() if k in b)


def hubness(text: Matrix) -> list[float]:
    """For each central article, the mean of its ``HUB_K`` best cosines with the rule's articles."""
    if not text:
        return []
    k = min(HUB_K, len(text))
    return [sum(sorted((row[j] for row in text), reverse=True)[:k]) / k for j in range(len(text[0]))]


def position_prior(scores: Matrix, n_central: int, weights: Weights = WEIGHTS) -> Matrix:
    """For each rule article, 1 for central articles between the anchors around it, decaying outside."""
    anchors: dict[int, int] = {}
    for i, row in enumerate(scores):
        ranked = [*sorted(row, reverse=True), 0.0, 0.0]
        if ranked[0] >= weights.anchor and ranked[0] - ranked[1] >= weights.lead:
            anchors[i] = row.index(ranked[0])
    order = sorted(anchors)
    out = []
    for i in range(len(scores)):
        before = [anchors[k] for k in order if k < i]
        after = [anchors[k] for k in order if k > i]
        lo = before[-1] if before else 0
        hi = after[0] if after else n_central - 1
        lo, hi = min(lo, hi), max(lo, hi)
        out.append([math.exp(-(0 if lo <= j <= hi else min(abs(j - lo), abs(j - hi))) / weights.decay)
                    for j in range(n_central)])
    return out


def score_matrix(rule: Sequence[LinkArticle], central: Sequence[LinkArticle], lexicon: Lexicon,
                 weights: Weights = WEIGHTS) -> tuple[Matrix, Matrix]:
    """(text cosine of bigrams, full score) for every pair of articles. The full score starts from the cosine of
    ``weights.grams`` (single characters and bigrams), the text cosine decides new content (``novelty``)."""
    text, linking = text_matrices(rule, central, weights.grams)
    hubs = hubness(linking)
    scores = [[s - weights.hub * h for s, h in zip(row, hubs, strict=True)] for row in linking]
    if weights.duties:
        mapper = BearerMap([d for c in central for d in c.duties], lexicon)
        scores = [[s + weights.duties * duty_overlap(r.duties, c.duties, mapper) for s, c in zip(row, central,
                                                                                                  strict=True)]
                  for row, r in zip(scores, rule, strict=True)]
    if weights.kind:
        penalty = [bool(_PENALTY.search(c.text)) for c in central]
        scores = [[s + weights.kind * (bool(_PENALTY.search(r.text)) == p) for s, p in zip(row, penalty, strict=True)]
                  for row, r in zip(scores, rule, strict=True)]
    if weights.position:
        prior = position_prior(text, len(central), weights)
        scores = [[s + weights.position * p for s, p in zip(row, prow, strict=True)]
                  for row, prow in zip(scores, prior, strict=True)]
    return text, scores
