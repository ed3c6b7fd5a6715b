"""Align each article of an implementing rule to the measure's article(s) it implements, or to none.

**Evidence first.** An explicit citation of the measure's numbered article (按照《矿山安全法》第四十条…)
decides; the numbers are those of the version in force at the rule's date (the version aligned to). A
penalty article that names the rule's own articles (违反本办法第十二条规定的…) goes to the measure's penalty
article for the same provisions (违反本法第M条, M being where Art. 12 went). An article saying who
interprets the rule goes to the measure's interpretation article, or is new when it has none.

**Then similarity in the measure's order** (``scoring``, ``order``): the TF-IDF cosine of single characters
and bigrams, lowered for central articles close to many rule articles (hubs), with a bonus where both are
penalty articles or neither is; then the order prior, a chain over the measure's articles in which the
articles decided by evidence are fixed, gives each rule article's probability of each central article (the
link's score). Each rule article takes its most probable central article; it is **new** instead when that
article's bigram cosine is under a threshold calibrated on the development gold (``novelty``; see the
README). Other central articles scoring within ``SECONDARY`` of it are kept as secondary.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..extract import Duty as ExtractedDuty
from ..lexicon import Lexicon, default_lexicon
from ..structure import Document, to_int
from .citations import cited_articles, measure_names
from .novelty import NEW_CONTENT, NewContent
from .order import most_probable, posterior
from .scoring import WEIGHTS, Weights, score_matrix
from .similarity import Duty

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
    "scope": (re.compile(rf"适用{_OWN_NAME}|{_OWN_NAME}适用于"), re.compile(rf"适用{_LAW_NAME}|{_LAW_NAME}适用于")),
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
    text: float | None = None  # the best candidate's text cosine, which decides "new" (similarity only)

    def to_json(self) -> dict[str, Any]:
        return {"article": self.article, "central_article": self.central_article, "score": round(self.score, 3),
                "candidates": self.candidates, "why": self.why, "secondary": self.secondary,
                "evidence": self.evidence}


def align(rule: Sequence[LinkArticle], central: Sequence[LinkArticle], *, measure_title: str = "",
          numbering_known: bool = True, new_content: NewContent = NEW_CONTENT, weights: Weights = WEIGHTS,
          lexicon: Lexicon | None = None) -> list[Alignment]:
    """Align each rule article to its central article(s), or to none (new content).

    ``measure_title`` lets citations of the measure's articles be read; ``numbering_known`` says whether
    ``central`` is the version in force at the rule's date (False when every stored version is later: then
    a citation may use an older numbering and decides only if its article is among the three most similar).
    """
    if not rule or not central:
        return [Alignment(a.number, None, 0.0, [], "new: the measure has no articles") for a in rule]
    text, scores = score_matrix(rule, central, lexicon or default_lexicon(), weights)
    names = measure_names(measure_title, " ".join(a.text for a in rule)) if measure_title else set()
    numbers = [c.number for c in central]
    decided = [_by_evidence(r, row, numbers, names, central, numbering_known) for r, row in zip(rule, scores,
                                                                                                   strict=True)]
    at = {n: j for j, n in enumerate(numbers)}
    fixed = {i: at[a.central_article] for i, a in enumerate(decided) if a and a.central_article in at}
    chain = posterior(scores, fixed, weights.order) if weights.order else scores
    out = [a or _by_similarity(r, crow, row, trow, numbers, new_content, weights.order is not None)
           for a, r, crow, row, trow in zip(decided, rule, chain, scores, text, strict=True)]
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
    first = rule.text.split("。", 1)[0]  # the kind is said in the article's first sentence
    for kind, (in_rule, in_law) in _KINDS.items():
        if in_rule.search(first) and len(first) < 200:
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


def _by_similarity(rule: LinkArticle, chain: list[float], row: list[float], text: list[float], numbers: list[str],
                   new_content: NewContent, ordered: bool) -> Alignment:
    """``chain``: the probabilities of the order prior (or the scores themselves without one); ``row``: the
    scores; ``text``: the text cosines."""
    best = most_probable(chain)
    candidates = _candidates(chain, numbers)
    if new_content.is_new(text[best]):
        return Alignment(rule.number, None, chain[best], candidates,
                         f"new: the best candidate, Art. {numbers[best]}, shares little text ({text[best]:.2f}, "
                         f"under {new_content.threshold})", text=text[best])
    ranked = sorted((j for j in range(len(row)) if j != best), key=lambda j: -row[j])
    secondary = [numbers[j] for j in ranked[:3] if row[j] >= SECONDARY * row[best] and text[j] >= 0.15]
    why = f"text {text[best]:.2f}; with hubs and kind {row[best]:.2f}"
    if ordered:
        why += f"; in the measure's order, probability {chain[best]:.2f}"
    return Alignment(rule.number, numbers[best], chain[best], candidates, why, secondary, text=text[best])


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
