"""How well each central article answers each rule article: text, corrected for hubs, plus position.

Three parts, each measured on the development gold by leave-one-pair-out (see the README):

- **text**: the TF-IDF cosine of character bigrams, fitted on both texts' articles (the baseline's
  measure; word, corpus-IDF, BM25 and sentence-level variants all did no better on the development pairs);
- **hubs**: a central article that is close to many rule articles (a long article listing duties, a
  general article of the supplementary provisions) attracts links it does not deserve. Its score is
  lowered by ``hub`` × the mean of its ``HUB_K`` best cosines with the rule's articles (the local scaling
  used to match the nearest neighbours of two sets);
- **position**: rules follow their measure's order. Articles aligned with confidence (anchors) bound where
  the others are expected; outside the bounds the prior decays. A soft prior, not a monotone alignment:
  a rule may take up the measure's articles in another order.

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
from .similarity import BearerMap, TfIdf, cosine, duty_overlap

if TYPE_CHECKING:
    from .align import LinkArticle

Matrix = list[list[float]]
HUB_K = 5  # a central article's hub score: the mean of its five best cosines with the rule's articles
_PENALTY = re.compile(r"罚款|处分|追究刑事责任|吊销|没收|责令(?:限期)?改正|给予.{0,6}处罚")


@dataclass(frozen=True)
class Weights:
    """Weights of the parts of a score (text counts 1). Chosen on the development gold: see the README."""

    hub: float = 0.5
    position: float = 0.15
    duties: float = 0.0
    kind: float = 0.06
    # The position prior's shape: an anchor's text cosine is at least ``anchor`` and leads its runner-up by
    # ``lead``; outside the anchors' bounds the prior falls by e^(-d/decay), d articles away.
    anchor: float = 0.2
    lead: float = 0.15
    decay: float = 8.0


WEIGHTS = Weights()


def text_matrix(rule: Sequence[LinkArticle], central: Sequence[LinkArticle]) -> Matrix:
    """The TF-IDF cosine of character bigrams of every pair of articles."""
    model = TfIdf([a.text for a in [*rule, *central]])
    targets = [model.vector(c.text) for c in central]
    return [[cosine(v, t) for t in targets] for v in (model.vector(r.text) for r in rule)]


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
    """(text cosine, full score) for every pair of articles."""
    text = text_matrix(rule, central)
    hubs = hubness(text)
    scores = [[s - weights.hub * h for s, h in zip(row, hubs, strict=True)] for row in text]
    if weights.duties:
        mapper = BearerMap([d for c in central for d in c.duties], lexicon)
        scores = [[s + weights.duties * duty_overlap(r.duties, c.duties, mapper) for s, c in zip(row, central,
                                                                                                  strict=True)]
                  for row, r in zip(scores, rule, strict=True)]
    if weights.kind:
        penalty = [bool(_PENALTY.search(c.text)) for c in central]
        scores = [[s + weights.kind * (bool(_PENALTY.search(r.text)) == p) for s, p in zip(row, penalty, strict=True)]
                  for row, r in zip(scores, rule, strict=True)]
    prior = position_prior(text, len(central), weights)
    return text, [[s + weights.position * p for s, p in zip(row, prow, strict=True)]
                  for row, prow in zip(scores, prior, strict=True)]
