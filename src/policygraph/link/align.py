"""Align each article of an implementing rule to the measure's article(s) it implements, or to none.

**Evidence first.** An explicit citation of the measure's numbered article (按照《矿山安全法》第四十条…)
decides; the numbers are those of the version in force at the rule's date (the version aligned to). A
penalty article that names the rule's own articles (违反本办法第十二条规定的…) goes to the measure's penalty
article for the same provisions (违反本法第M条, M being where Art. 12 went). An article saying who
interprets the rule goes to the measure's interpretation article, or is new when it has none.

**Then similarity.** Each pair of articles scores the TF-IDF cosine of character bigrams, plus shared
duties (counted only where the actions share words; see ``similarity.duty_overlap``), plus a position
prior: rules follow their measure's order, so articles aligned with confidence (anchors) bound where
the others are expected. Each rule article takes its best central article; it is **new** when that
score is under ``NEW_THRESHOLD``, calibrated on the development gold (see the README). Central articles
within ``SECONDARY`` of the best are kept as secondary.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..extract import Duty as ExtractedDuty
from ..lexicon import Lexicon, default_lexicon
from ..structure import Document, to_int
from .citations import cited_articles, measure_names
from .similarity import BearerMap, Duty, TfIdf, cosine, duty_overlap

WEIGHTS = {"duties": 0.2, "position": 0.08}
ANCHOR = (0.2, 0.08)  # an anchor scores at least 0.2 and leads the runner-up by 0.08
POSITION_DECAY = 4.0  # articles outside the anchors' bounds: the prior halves every ~3 articles
# Calibrated on the development gold (tests/test_link_gold.py recomputes it): the threshold on the best
# score that maximises the F1 of "new" over the twelve development pairs (stop 20, with its final extractor).
NEW_THRESHOLD = 0.18
SECONDARY = 0.8  # a central article scoring within 80% of the best is a secondary candidate

_NUM = r"[零〇一二三四五六七八九十百千\d]+"
_OWN = re.compile(rf"(?:违反|依照|按照|根据)本(?:办法|规定|细则|条例|实施办法|若干规定|实施细则)"
                  rf"(?P<refs>(?:第{_NUM}条(?:第{_NUM}款)?(?:第[（(]?{_NUM}[)）]?项)?[、和及或者，,]*)+)")
_LAW_OWN = re.compile(rf"违反本(?:法|条例|办法|规定)(?P<refs>(?:第{_NUM}条(?:第{_NUM}款)?(?:第[（(]?{_NUM}[)）]?项)?"
                      rf"[、和及或者，,至]*)+)")
_ONE = re.compile(rf"第(?P<n>{_NUM})条")
_SANCTION = re.compile(r"处以?|罚款|责令|追究|处分|没收|吊销")
_INTERPRETATION = re.compile(r"负责解释|解释权|具体应用(?:中的)?问题")
# Articles every regulation has, matched to the measure's article of the same kind: purpose and basis,
# scope, entry into force.
_OWN_NAME = r"本(?:办法|规定|细则|条例|实施办法|若干规定|实施细则|决定|意见)"
_LAW_NAME = r"本(?:法|条例|办法|规定|细则|决定)"
_KINDS = {
    "purpose": (re.compile(rf"制定{_OWN_NAME}"), re.compile(rf"制定{_LAW_NAME}")),
    "scope": (re.compile(rf"适用{_OWN_NAME}"), re.compile(rf"适用{_LAW_NAME}")),
    "entry into force": (re.compile(rf"{_OWN_NAME}自.{{0,20}}(?:施行|实施|生效)"),
                         re.compile(rf"{_LAW_NAME}自.{{0,20}}(?:施行|实施|生效)")),
}


@dataclass
class LinkArticle:
    """What alignment needs of an article."""

    number: str
    chapter: str
    text: str
    duties: list[Duty] = field(default_factory=list)  # (bearer, modality, action)


def articles_of(document: Document, duties: list[ExtractedDuty]) -> list[LinkArticle]:
    headings = {c.number: c.heading for c in document.chapters}
    by_article: dict[str, list[Duty]] = {}
    for d in duties:
        by_article.setdefault(d.article, []).append((d.actor, d.modality, d.action))
    return [LinkArticle(a.key, headings.get(a.chapter or 0, ""), a.text, by_article.get(a.key, []))
            for a in document.provisions]


@dataclass
class Alignment:
    article: str
    central_article: str | None
    score: float
    candidates: list[dict[str, Any]]
    why: str
    secondary: list[str] = field(default_factory=list)
    evidence: str = "similarity"  # or "citation", "penalty", "interpretation", "purpose", "scope", …

    def to_json(self) -> dict[str, Any]:
        return {"article": self.article, "central_article": self.central_article, "score": round(self.score, 3),
                "candidates": self.candidates, "why": self.why, "secondary": self.secondary,
                "evidence": self.evidence}


def similarity_matrix(rule: Sequence[LinkArticle], central: Sequence[LinkArticle],
                      lexicon: Lexicon) -> tuple[list[list[float]], list[list[float]]]:
    """(text cosine, text + shared duties) for every pair of articles."""
    model = TfIdf([a.text for a in [*rule, *central]])
    targets = [model.vector(c.text) for c in central]
    mapper = BearerMap([d for c in central for d in c.duties], lexicon)
    text = [[cosine(model.vector(r.text), t) for t in targets] for r in rule]
    combined = [[s + WEIGHTS["duties"] * duty_overlap(r.duties, c.duties, mapper)
                 for s, c in zip(row, central, strict=True)] for row, r in zip(text, rule, strict=True)]
    return text, combined


def position_prior(scores: list[list[float]], n_central: int) -> list[list[float]]:
    """For each rule article, 1 for central articles between the anchors around it, decaying outside."""
    anchors: dict[int, int] = {}
    for i, row in enumerate(scores):
        ranked = [*sorted(row, reverse=True), 0.0, 0.0]
        if ranked[0] >= ANCHOR[0] and ranked[0] - ranked[1] >= ANCHOR[1]:
            anchors[i] = row.index(ranked[0])
    out = []
    for i in range(len(scores)):
        before = [anchors[k] for k in sorted(anchors) if k < i]
        after = [anchors[k] for k in sorted(anchors) if k > i]
        lo = before[-1] if before else 0
        hi = after[0] if after else n_central - 1
        lo, hi = min(lo, hi), max(lo, hi)
        out.append([math.exp(-(0 if lo <= j <= hi else min(abs(j - lo), abs(j - hi))) / POSITION_DECAY)
                    for j in range(n_central)])
    return out


def align(rule: Sequence[LinkArticle], central: Sequence[LinkArticle], *, measure_title: str = "",
          numbering_known: bool = True, new_threshold: float | None = None,
          lexicon: Lexicon | None = None) -> list[Alignment]:
    """Align each rule article to its central article(s), or to none (new content).

    ``measure_title`` lets citations of the measure's articles be read; ``numbering_known`` says whether
    ``central`` is the version in force at the rule's date (False when every stored version is later: then
    a citation may use an older numbering and decides only if its article is among the three most similar).
    """
    threshold = NEW_THRESHOLD if new_threshold is None else new_threshold
    if not rule or not central:
        return [Alignment(a.number, None, 0.0, [], "new: the measure has no articles") for a in rule]
    text, combined = similarity_matrix(rule, central, lexicon or default_lexicon())
    prior = position_prior(combined, len(central))
    scores = [[s + WEIGHTS["position"] * p for s, p in zip(row, prow, strict=True)]
              for row, prow in zip(combined, prior, strict=True)]
    names = measure_names(measure_title, " ".join(a.text for a in rule)) if measure_title else set()
    numbers = [c.number for c in central]
    out = [_by_evidence(r, row, numbers, names, central, numbering_known)
           or _by_similarity(r, row, trow, numbers, threshold)
           for r, row, trow in zip(rule, scores, text, strict=True)]
    _penalties(rule, out, scores, central)
    return out


def _candidates(row: list[float], numbers: list[str]) -> list[dict[str, Any]]:
    ranked = sorted(range(len(row)), key=lambda j: -row[j])[:3]
    return [{"central_article": numbers[j], "score": round(row[j], 3)} for j in ranked]


def _by_evidence(rule: LinkArticle, row: list[float], numbers: list[str], names: set[str],
                 central: Sequence[LinkArticle], numbering_known: bool) -> Alignment | None:
    cited = [n for n in cited_articles(rule.text, names) if n in numbers] if names else []
    top = {c["central_article"] for c in _candidates(row, numbers)}
    if cited and (numbering_known or cited[0] in top):
        return Alignment(rule.number, cited[0], 1.0, _candidates(row, numbers),
                         f"cites Art. {', '.join(cited)} of the measure", cited[1:4], "citation")
    for kind, (in_rule, in_law) in _KINDS.items():
        if in_rule.search(rule.text) and len(rule.text) < 200:
            same = [c.number for c in central if in_law.search(c.text)]
            if same:
                return Alignment(rule.number, same[0], 1.0, _candidates(row, numbers),
                                 f"{kind}: the measure's article of the same kind", [], kind)
    if _INTERPRETATION.search(rule.text) and len(rule.text) < 100:
        interprets = [c.number for c in central if _INTERPRETATION.search(c.text) and len(c.text) < 100]
        if interprets:
            return Alignment(rule.number, interprets[0], 1.0, _candidates(row, numbers),
                             "who interprets: the measure's interpretation article", [], "interpretation")
        return Alignment(rule.number, None, 0.0, _candidates(row, numbers),
                         "new: says who interprets the rule; the measure has no such article", [], "interpretation")
    return None


def _by_similarity(rule: LinkArticle, row: list[float], text: list[float], numbers: list[str],
                   threshold: float) -> Alignment:
    ranked = sorted(range(len(row)), key=lambda j: -row[j])
    best = ranked[0]
    candidates = _candidates(row, numbers)
    if row[best] < threshold:
        return Alignment(rule.number, None, row[best], candidates,
                         f"new: the best candidate, Art. {numbers[best]}, scores only {row[best]:.2f} "
                         f"(under {threshold})")
    secondary = [numbers[j] for j in ranked[1:4] if row[j] >= SECONDARY * row[best] and text[j] >= 0.15]
    why = f"text {text[best]:.2f}, with shared duties and position {row[best]:.2f}"
    return Alignment(rule.number, numbers[best], row[best], candidates, why, secondary)


def _refs(text: str) -> list[str]:
    return [str(to_int(m.group("n"))) for m in _ONE.finditer(text)]


def _penalties(rule: Sequence[LinkArticle], out: list[Alignment], scores: list[list[float]],
               central: Sequence[LinkArticle]) -> None:
    """A penalty for breaking the rule's own articles goes to the measure's penalty for where they went."""
    went = {a.article: a.central_article for a in out}
    punishes = {c.number: set(_refs(m.group("refs"))) for c in central if (m := _LAW_OWN.search(c.text))}
    numbers = [c.number for c in central]
    for i, r in enumerate(rule):
        m = _OWN.search(r.text)
        if out[i].evidence != "similarity" or not m or not _SANCTION.search(r.text):
            continue
        targets = {t for n in _refs(m.group("refs")) if (t := went.get(n))}
        options = [n for n, refs in punishes.items() if refs & targets]
        if targets and not options and punishes:
            # The measure punishes by article number, and none of its penalties covers these: new.
            out[i] = Alignment(r.number, None, 0.0, _candidates(scores[i], numbers),
                               f"new: a penalty for the rule's Art. {', '.join(_refs(m.group('refs')))}, which went "
                               f"to Art. {', '.join(sorted(targets))}; no penalty of the measure covers those",
                               [], "penalty")
        elif options:
            best = max(options, key=lambda n: scores[i][numbers.index(n)])
            out[i] = Alignment(r.number, best, scores[i][numbers.index(best)], _candidates(scores[i], numbers),
                               f"penalty for the rule's Art. {', '.join(_refs(m.group('refs')))}, which went to "
                               f"Art. {', '.join(sorted(targets))}; the measure punishes those in Art. {best}",
                               [], "penalty")
