"""Text similarity between a rule's articles and the measure's: character n-grams weighted by TF-IDF.

The baseline (``tfidf_argmax``) is plain: bigrams of the CJK characters, TF-IDF fitted on the two
texts' articles, cosine, argmax. The linker scores single characters and bigrams together (``scoring``), and
may add shared duties, counted only where their actions share words, with a bearer map that rewrites the
rule's bearers into the measure's names for the same kind of body.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from ..lexicon import Lexicon

_CJK = re.compile(r"[\u3400-\u9fff]")
_SHARED_KINDS = ("party_committee", "government", "joint_leadership")
Duty = tuple[str | None, str, str]  # (bearer, modality, action)
Vector = dict[str, float]


def bigrams(text: str) -> Counter[str]:
    chars = "".join(_CJK.findall(text))
    return Counter(chars[i : i + 2] for i in range(len(chars) - 1))


def grams(text: str, sizes: tuple[int, ...] = (2,)) -> Counter[str]:
    """Character n-grams of the CJK characters, of each size in ``sizes`` (one bag: sizes never collide)."""
    if sizes == (2,):
        return bigrams(text)
    chars = "".join(_CJK.findall(text))
    out: Counter[str] = Counter()
    for n in sizes:
        out.update(chars[i : i + n] for i in range(len(chars) - n + 1))
    return out


@lru_cache(maxsize=1 << 16)
def _bag(text: str) -> tuple[Counter[str], int]:
    bag = bigrams(text)
    return bag, sum(bag.values())


def dice(a: str, b: str) -> float:
    """Dice coefficient of two texts' character bigrams."""
    (x, nx), (y, ny) = _bag(a), _bag(b)
    if not nx or not ny:
        return 0.0
    if len(x) > len(y):
        x, y = y, x
    return 2 * sum(min(v, y[k]) for k, v in x.items() if k in y) / (nx + ny)


class TfIdf:
    """TF-IDF over character n-grams (bigrams unless ``sizes`` says otherwise), fitted on a list of texts (both
    documents' articles)."""

    def __init__(self, texts: Sequence[str], sizes: tuple[int, ...] = (2,)) -> None:
        self.sizes = sizes
        df: Counter[str] = Counter()
        for text in texts:
            df.update(set(grams(text, sizes)))
        self.n = max(1, len(texts))
        self.idf = {k: math.log(1 + self.n / v) for k, v in df.items()}

    def vector(self, text: str) -> Vector:
        return {k: v * self.idf.get(k, math.log(1 + self.n)) for k, v in grams(text, self.sizes).items()}


def cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def tfidf_argmax(rule: Sequence[str], central: Sequence[str]) -> list[int]:
    """The baseline: for each rule article, the index of the central article with the highest cosine."""
    model = TfIdf([*rule, *central])
    targets = [model.vector(t) for t in central]
    out = []
    for text in rule:
        v = model.vector(text)
        scores = [cosine(v, t) for t in targets]
        out.append(max(range(len(scores)), key=scores.__getitem__) if scores else -1)
    return out


class BearerMap:
    """Rewrites a rule's bearers into the central text's names for the same kind of body."""

    def __init__(self, central_duties: Sequence[Duty], lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._names: dict[str | None, str | None] = {}
        self.by_signature: dict[tuple[str, str | None], str] = {}
        self.by_kind: dict[str, str] = {}
        for bearer, _, _ in central_duties:
            actor = lexicon.resolve(bearer) if bearer else None
            if actor and bearer:
                self.by_signature.setdefault((actor.kind, actor.level), bearer)
                self.by_kind.setdefault(actor.kind, bearer)

    def name(self, bearer: str | None) -> str | None:
        if bearer not in self._names:
            self._names[bearer] = self._name(bearer)
        return self._names[bearer]

    def _name(self, bearer: str | None) -> str | None:
        actor = self.lexicon.resolve(bearer) if bearer else None
        if actor is None:
            return bearer
        if actor.kind in _SHARED_KINDS or actor.kind == "post":
            return self.by_signature.get((actor.kind, actor.level), bearer)
        # A province's leading group, commission or audit office answers to the central one: one level up.
        return self.by_signature.get((actor.kind, actor.level)) or self.by_kind.get(actor.kind, bearer)

    def rewrite(self, text: str) -> str:
        return self.lexicon.pattern.sub(lambda m: self.name(m.group(0).lstrip("各")) or m.group(0), text)


def duty_overlap(rule: Sequence[Duty], central: Sequence[Duty], mapper: BearerMap, *,
                 min_action: float = 0.2) -> float:
    """How far the rule article's duties are the central article's: for each rule duty, the best central
    duty whose action shares words (Dice ≥ ``min_action``), scored by the action's overlap, and more when
    bearer and modality agree too. Bearer or modality alone count for nothing."""
    if not rule or not central:
        return 0.0
    total = 0.0
    for bearer, modality, action in rule:
        mapped = mapper.name(bearer)
        best = 0.0
        for b, m, a in central:
            overlap = dice(action, a)
            if overlap >= min_action:
                best = max(best, overlap * (0.6 + 0.25 * (mapped == b) + 0.15 * (modality == m)))
        total += best
    return total / len(rule)
