"""Scoring extracted duties against hand-written gold files."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

GOLD = Path(__file__).parent / "gold"


@dataclass(frozen=True)
class GoldDuty:
    article: str
    actor: str | None
    modality: str
    action: str
    kind: str | None
    condition: str | None
    recipient: str | None


def load_gold(name: str) -> list[GoldDuty]:
    rows = []
    for line in (GOLD / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = [*line.split("\t"), "", "", ""][:7]
        rows.append(GoldDuty(cells[0], None if cells[1] == "-" else cells[1], cells[2], cells[3],
                             cells[4] or None, cells[5] or None, cells[6] or None))
    return rows


def bigrams(text: str) -> Counter[str]:
    text = "".join(ch for ch in text if ch not in "，。；、：（）《》〈〉 ")
    return Counter(text[i : i + 2] for i in range(len(text) - 1)) if len(text) > 1 else Counter([text])


def overlap(a: str, b: str) -> float:
    """Character-bigram Dice overlap of two actions (1.0 = same bigrams)."""
    x, y = bigrams(a), bigrams(b)
    total = sum(x.values()) + sum(y.values())
    return 2 * sum((x & y).values()) / total if total else 1.0


@dataclass(frozen=True)
class Score:
    tp: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __str__(self) -> str:
        return f"P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f} ({self.tp}/{self.predicted}/{self.gold})"


def score_bearers(predicted: list[tuple[str, str | None, str]], gold: list[GoldDuty]) -> Score:
    """(article, bearer, modality) as multisets."""
    p = Counter(predicted)
    g = Counter((d.article, d.actor, d.modality) for d in gold)
    return Score(sum((p & g).values()), sum(p.values()), sum(g.values()))


def score_actions(predicted: list[tuple[str, str | None, str]], gold: list[GoldDuty],
                  threshold: float = 0.6) -> Score:
    """(article, bearer, action) matched one to one, actions by bigram overlap >= threshold."""
    free = list(gold)
    tp = 0
    for article, actor, action in predicted:
        best = max(
            (g for g in free if g.article == article and g.actor == actor),
            key=lambda g: overlap(action, g.action),
            default=None,
        )
        if best is not None and overlap(action, best.action) >= threshold:
            free.remove(best)
            tp += 1
    return Score(tp, len(predicted), len(gold))
