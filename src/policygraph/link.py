"""Link an implementing rule to the measure it implements: basis, article alignment, comparison.

**Basis.** The titles a rule names as its basis or cites are reduced to the
measure's own title (《…关于印发〈X〉的通知》 → X, …印发的《X》 → X, a trailing
document number dropped) and matched against the titles of known documents.

**Alignment.** Every pair (rule article, central article) gets a score mixing
four features: TF-IDF cosine of character bigrams, after each bearer in the rule
is rewritten to the central text's name for the same kind of body
(省委、省政府 → 省级党委和政府; a provincial 扶贫开发领导小组 → 国务院扶贫开发领导小组,
one level up; 市（州）→ 市级); the overlap of duties (mapped bearer, modality,
action bigrams); whether the chapters have the same heading; and closeness of
relative position. Each rule article takes its best central article, or none
when the best score is under a threshold (new content); other central articles
close to the best are kept as secondary candidates.

**Comparison.** For each aligned pair, duties are matched by action similarity:
unmatched rule duties are added, unmatched central duties dropped, and matched
duties whose modality or (mapped) bearer differs are changes.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .extract import Duty
from .lexicon import Lexicon, default_lexicon
from .structure import Document

_NOTICE = re.compile(r"^.*?关于印发[〈《](?P<title>.+?)[〉》]的通知$")
_ISSUED = re.compile(r"印发的?[〈《](?P<title>.+?)[〉》]")
_DOCNO = re.compile(r"[（(][^（）()]*〔\d{4}〕\d+号[)）]$")
_CJK = re.compile(r"[\u3400-\u9fff]")
_SHARED_KINDS = ("party_committee", "government", "joint_leadership")
# Central articles whose bearers are all central bodies have no provincial counterpart by nature.
_CENTRAL_LEVELS = {"central"}

WEIGHTS = {"text": 0.55, "duties": 0.25, "chapter": 0.12, "position": 0.08}
NEW_THRESHOLD = 0.17
NEW_LEVEL_FACTOR = 0.5
SECONDARY = 0.8  # a central article scoring within 80% of the best is a secondary candidate


def measure_title(title: str) -> str:
    """The measure a title names, whichever way it is written.

    >>> measure_title("中共中央办公厅、国务院办公厅关于印发〈脱贫攻坚责任制实施办法〉的通知")
    '脱贫攻坚责任制实施办法'
    >>> measure_title("脱贫攻坚责任制实施办法（厅字〔2016〕33号）")
    '脱贫攻坚责任制实施办法'
    """
    title = _DOCNO.sub("", title.strip().strip("《》"))
    if m := _NOTICE.match(title):
        return m.group("title")
    return title


def basis_titles(document: Document) -> list[str]:
    """Titles the document names as basis or cites, reduced to measure titles, basis first."""
    titles = [*document.basis, *document.cites]
    text = " ".join(a.text for a in document.provisions[:3])
    titles += [m.group("title") for m in _ISSUED.finditer(text)]
    return list(dict.fromkeys(measure_title(t) for t in titles))


def find_basis(document: Document, known: dict[str, str]) -> list[str]:
    """The ids of known documents (title → id) that a rule is based on."""
    found = []
    for title in basis_titles(document):
        if title in known and title != document.title:
            found.append(known[title])
    return list(dict.fromkeys(found))


@dataclass
class LinkArticle:
    """What alignment needs of an article."""

    number: str
    chapter: str
    text: str
    duties: list[tuple[str | None, str, str]] = field(default_factory=list)  # (bearer, modality, action)


def articles_of(document: Document, duties: list[Duty]) -> list[LinkArticle]:
    headings = {c.number: c.heading for c in document.chapters}
    by_article: dict[str, list[tuple[str | None, str, str]]] = {}
    for d in duties:
        by_article.setdefault(d.article, []).append((d.actor, d.modality, d.action))
    return [LinkArticle(a.key, headings.get(a.chapter or 0, ""), a.text, by_article.get(a.key, []))
            for a in document.provisions]


def _bigrams(text: str) -> Counter[str]:
    chars = "".join(_CJK.findall(text))
    return Counter(chars[i : i + 2] for i in range(len(chars) - 1))


def _dice(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    total = sum(x.values()) + sum(y.values())
    return 2 * sum((x & y).values()) / total if total else 0.0


class BearerMap:
    """Rewrites a rule's bearers into the central text's names for the same kind of body."""

    def __init__(self, central: list[LinkArticle], lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.by_signature: dict[tuple[str, str | None], str] = {}
        self.by_kind: dict[str, str] = {}
        for art in central:
            for bearer, _, _ in art.duties:
                actor = lexicon.resolve(bearer) if bearer else None
                if actor:
                    self.by_signature.setdefault((actor.kind, actor.level), bearer)  # type: ignore[arg-type]
                    self.by_kind.setdefault(actor.kind, bearer)  # type: ignore[arg-type]

    def name(self, bearer: str | None) -> str | None:
        actor = self.lexicon.resolve(bearer) if bearer else None
        if actor is None:
            return bearer
        if actor.kind in _SHARED_KINDS or actor.kind == "post":
            return self.by_signature.get((actor.kind, actor.level), bearer)
        # A province's leading group, commission or audit office answers to the central one: one level up.
        return self.by_signature.get((actor.kind, actor.level)) or self.by_kind.get(actor.kind, bearer)

    def rewrite(self, text: str) -> str:
        return self.lexicon.pattern.sub(lambda m: self.name(m.group(0).lstrip("各")) or m.group(0), text)


@dataclass
class Alignment:
    article: str
    central_article: str | None
    score: float
    candidates: list[dict[str, Any]]
    why: str
    secondary: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"article": self.article, "central_article": self.central_article, "score": round(self.score, 3),
                "candidates": self.candidates, "why": self.why, "secondary": self.secondary}


def align(rule: list[LinkArticle], central: list[LinkArticle], *,
          lexicon: Lexicon | None = None) -> list[Alignment]:
    """Align each rule article to its central article(s), or to none."""
    mapper = BearerMap(central, lexicon or default_lexicon())
    rule_texts = [mapper.rewrite(a.text) for a in rule]
    vectors, central_vectors = _tfidf(rule_texts, [a.text for a in central])
    out = []
    central_bearers = {b for c in central for b, _, _ in c.duties}
    for i, art in enumerate(rule):
        bearers = {b for b, _, _ in art.duties if b}
        # Bearers the measure has no counterpart for (townships, villages): likely new content.
        unmapped = bool(bearers) and not any(mapper.name(b) in central_bearers for b in bearers)
        scored = []
        for j, c in enumerate(central):
            features = {
                "text": _cosine(vectors[i], central_vectors[j]),
                "duties": _duty_overlap(art, c, mapper),
                "chapter": 1.0 if art.chapter and art.chapter == c.chapter else 0.0,
                "position": 1.0 - abs(i / max(1, len(rule) - 1) - j / max(1, len(central) - 1)),
            }
            score = sum(WEIGHTS[k] * v for k, v in features.items())
            if unmapped:
                score *= NEW_LEVEL_FACTOR
            scored.append((score, c.number, features))
        scored.sort(key=lambda s: -s[0])
        best_score, best, features = scored[0]
        candidates = [{"central_article": n, "score": round(s, 3)} for s, n, _ in scored[:3]]
        if best_score < NEW_THRESHOLD or features["text"] + features["duties"] < 0.12:
            reason = "its bearers have no counterpart in the measure; " if unmapped else ""
            out.append(Alignment(art.number, None, best_score, candidates,
                                 f"new: {reason}the best candidate, Art. {best}, scores only {best_score:.2f}"))
            continue
        secondary = [n for s, n, f in scored[1:4] if s >= SECONDARY * best_score and f["text"] >= 0.15]
        why = (f"text {features['text']:.2f}, shared duties {features['duties']:.2f}, "
               f"{'same chapter heading' if features['chapter'] else 'other chapter'}, "
               f"position {features['position']:.2f}")
        out.append(Alignment(art.number, best, best_score, candidates, why, secondary))
    return out


def _tfidf(rule: list[str], central: list[str]) -> tuple[list[dict[str, float]], list[dict[str, float]]]:
    bags = [_bigrams(t) for t in [*rule, *central]]
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(set(bag))
    n = len(bags)
    vectors = [{k: v * math.log(1 + n / df[k]) for k, v in bag.items()} for bag in bags]
    return vectors[: len(rule)], vectors[len(rule) :]


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def _duty_overlap(rule: LinkArticle, central: LinkArticle, mapper: BearerMap) -> float:
    if not rule.duties or not central.duties:
        return 0.0
    total = 0.0
    for bearer, modality, action in rule.duties:
        mapped = mapper.name(bearer)
        total += max((0.5 * (mapped == b) + 0.2 * (modality == m) + 0.3 * _dice(action, a)
                      for b, m, a in central.duties), default=0.0)
    return total / len(rule.duties)


# ---------------------------------------------------------------- comparison


def compare(rule: list[LinkArticle], central: list[LinkArticle], alignments: list[Alignment], *,
            lexicon: Lexicon | None = None) -> dict[str, Any]:
    """Gaps and changes between a rule and its measure."""
    lexicon = lexicon or default_lexicon()
    mapper = BearerMap(central, lexicon)
    by_number = {a.number: a for a in central}
    covered = {n for a in alignments if a.central_article for n in [a.central_article, *a.secondary]}
    not_carried = []
    for c in central:
        if c.number in covered or not c.duties:
            continue
        levels = {lexicon.resolve(b).level for b, _, _ in c.duties if b and lexicon.resolve(b)}  # type: ignore[union-attr]
        not_carried.append({"central_article": c.number, "chapter": c.chapter,
                            "central_only": bool(levels) and levels <= _CENTRAL_LEVELS, "text": c.text})
    new = [{"article": a.article, "text": next(r.text for r in rule if r.number == a.article)}
           for a in alignments if a.central_article is None]
    pairs = []
    for a in alignments:
        if a.central_article is None:
            continue
        r = next(x for x in rule if x.number == a.article)
        centrals = [by_number[n] for n in [a.central_article, *a.secondary]]
        pairs.append({"article": a.article, "central_articles": [c.number for c in centrals],
                      **_duty_changes(r, [d for c in centrals for d in c.duties], mapper)})
    return {"not_carried_over": not_carried, "new_articles": new, "pairs": pairs}


def _duty_changes(rule: LinkArticle, central: list[tuple[str | None, str, str]], mapper: BearerMap) -> dict[str, Any]:
    """Rule duties matched to central duties by action: added, dropped, modality or bearer changed."""
    added, modality, bearer = [], [], []
    matched: set[int] = set()
    for b, m, action in rule.duties:
        # Obligation and permission can swap over one action; a prohibition forbids a different one.
        scores = [(_dice(action, d[2]) - (0.25 if (m == "prohibition") != (d[1] == "prohibition") else 0.0), k)
                  for k, d in enumerate(central)]
        similarity, k = max(scores, default=(0.0, -1))
        if similarity < 0.3:
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


# ---------------------------------------------------------------- in the graph

_IMPLEMENTING = re.compile(r"实施细则|实施办法|具体办法|实施意见|实施方案")


def is_implementing_rule(title: str) -> bool:
    """Rules whose articles are worth aligning (a law 根据宪法 is based on it, but does not implement it)."""
    return bool(_IMPLEMENTING.search(title))


def link_quads(rule_iri: str, central_iri: str, alignments: list[Alignment]) -> list[Any]:
    """eli:based_on, eli:applies and scored pg:ArticleLink nodes, in the rule's links graph."""
    from pyoxigraph import Literal, NamedNode, Quad

    from .ontology import ELI, PG, RDF, XSD

    graph = NamedNode(rule_iri + "/links")
    quads = [Quad(NamedNode(rule_iri), NamedNode(ELI + "based_on"), NamedNode(central_iri), graph)]
    for a in alignments:
        for rank, target in enumerate([a.central_article, *a.secondary] if a.central_article else []):
            source, dest = NamedNode(f"{rule_iri}/art_{a.article}"), NamedNode(f"{central_iri}/art_{target}")
            node = NamedNode(f"{rule_iri}/links/art_{a.article}/{target}")
            quads += [
                Quad(source, NamedNode(ELI + "applies"), dest, graph),
                Quad(node, NamedNode(RDF + "type"), NamedNode(PG + "ArticleLink"), graph),
                Quad(node, NamedNode(PG + "linkFrom"), source, graph),
                Quad(node, NamedNode(PG + "linkTo"), dest, graph),
                Quad(node, NamedNode(PG + "score"), Literal(f"{a.score:.3f}", datatype=NamedNode(XSD + "decimal")),
                     graph),
                Quad(node, NamedNode(PG + "explanation"), Literal(a.why, language="en"), graph),
                Quad(node, NamedNode(PG + "primary"), Literal("true" if rank == 0 else "false",
                                                             datatype=NamedNode(XSD + "boolean")), graph),
            ]
    return quads
