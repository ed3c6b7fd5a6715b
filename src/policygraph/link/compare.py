"""What a rule did with its measure: for each aligned pair, duties added, dropped, and changed in modality
or bearer (a prohibition never pairs with a weaker norm); central articles not carried over; new articles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..lexicon import Lexicon, default_lexicon
from .align import Alignment, LinkArticle
from .similarity import BearerMap, Duty, dice

# Central articles whose bearers are all central bodies have no provincial counterpart by nature.
_CENTRAL_LEVELS = {"central"}
_SAME_ACTION = 0.3


def compare(rule: Sequence[LinkArticle], central: Sequence[LinkArticle], alignments: Sequence[Alignment], *,
            lexicon: Lexicon | None = None) -> dict[str, Any]:
    """Gaps and changes between a rule and its measure."""
    lexicon = lexicon or default_lexicon()
    mapper = BearerMap([d for c in central for d in c.duties], lexicon)
    by_number = {a.number: a for a in central}
    texts = {r.number: r for r in rule}
    covered = {n for a in alignments if a.central_article for n in [a.central_article, *a.secondary]}
    not_carried = []
    for c in central:
        if c.number in covered or not c.duties:
            continue
        levels = {actor.level for b, _, _ in c.duties if b and (actor := lexicon.resolve(b))}
        not_carried.append({"central_article": c.number, "chapter": c.chapter,
                            "central_only": bool(levels) and levels <= _CENTRAL_LEVELS, "text": c.text})
    new = [{"article": a.article, "text": texts[a.article].text} for a in alignments if a.central_article is None]
    pairs = []
    for a in alignments:
        if a.central_article is None:
            continue
        centrals = [by_number[n] for n in [a.central_article, *a.secondary] if n in by_number]
        pairs.append({"article": a.article, "central_articles": [c.number for c in centrals],
                      **duty_changes(texts[a.article], [d for c in centrals for d in c.duties], mapper)})
    return {"not_carried_over": not_carried, "new_articles": new, "pairs": pairs}


def duty_changes(rule: LinkArticle, central: Sequence[Duty], mapper: BearerMap) -> dict[str, Any]:
    """Rule duties matched to central duties by action: added, dropped, modality or bearer changed."""
    added, modality, bearer = [], [], []
    matched: set[int] = set()
    for b, m, action in rule.duties:
        # Obligation and permission can swap over one action; a prohibition forbids a different one.
        scores = [(dice(action, d[2]) - (0.25 if (m == "prohibition") != (d[1] == "prohibition") else 0.0), k)
                  for k, d in enumerate(central)]
        similarity, k = max(scores, default=(0.0, -1))
        if similarity < _SAME_ACTION:
            added.append({"bearer": b, "modality": m, "action": action})
            continue
        matched.add(k)
        c_bearer, c_modality, c_action = central[k]
        if m != c_modality:
            modality.append({"bearer": b, "action": action, "from": c_modality, "to": m, "central_action": c_action})
        if mapper.name(b) != c_bearer:
            bearer.append({"action": action, "from": c_bearer, "to": b, "central_action": c_action})
    dropped = [{"bearer": b, "modality": m, "action": a} for k, (b, m, a) in enumerate(central) if k not in matched]
    return {"added": added, "dropped": dropped, "modality_changed": modality, "bearer_changed": bearer}
