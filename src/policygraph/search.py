"""Answer staff questions — 谁负责扶贫资金管理监督？ — by ranking duties with BM25.

Questions and duties are both converted to simplified characters and split into
jieba search-mode words plus character bigrams (so 资金管理监督 matches
扶贫资金管理监督 whichever way jieba cut either). A question that names an actor
(县级党委和政府有哪些职责？) is answered with that actor's duties, direct and
inherited, each with the reason it applies; other questions rank every duty by
its action, clause, article text and its bearer's names.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from .lookups import REASON_ORDER
from .store import Store, plain

# Question words and modal cues carry no topic: 谁负责…？, …由谁…, 哪些…应当….
_QUESTION = re.compile(
    r"谁|由谁|哪些|哪个|什么|怎么|如何|是否|有哪些|职责|责任是|应该|应当|必须|需要|要求|做什么|负责|[？?。！!，,、\s]"
)
_STOP = {"的", "和", "及", "与", "对", "在", "了", "是", "为", "把", "向", "等", "并", "或", "中", "上"}
_CJK = re.compile(r"[\u3400-\u9fff]")

DUTIES = """
SELECT DISTINCT ?duty ?actor ?actor_name ?modality ?action ?kind ?article ?artno ?document ?doc ?text ?article_text
WHERE {
  ?duty a pg:Duty ; pg:action ?action ; pg:text ?text ; pg:inDocument ?doc .
  ?doc eli:title ?document .
  ?duty prov:wasDerivedFrom/eli:is_part_of* ?art .
  ?art a pg:Article ; eli:number ?article ; pg:ordinal ?artno ; pg:text ?article_text .
  VALUES (?class ?modality) { (pg:Obligation "obligation") (pg:Permission "permission")
                              (pg:Prohibition "prohibition") (pg:Right "right") }
  ?duty a ?class .
  OPTIONAL { ?duty pg:bearer ?actor . ?actor skos:prefLabel ?actor_name
             FILTER(langMatches(lang(?actor_name), "zh-Hans")) }
  OPTIONAL { ?duty pg:responsibilityKind/skos:prefLabel ?kind FILTER(langMatches(lang(?kind), "zh-Hans")) }
}
"""

ATTRIBUTIONS = """
SELECT DISTINCT ?actor ?actor_name ?duty ?reason ?via_name
WHERE {
  ?attribution a pg:Attribution ; pg:attributedTo ?actor ; pg:duty ?duty ; pg:reason ?reason ; pg:via ?via .
  ?actor skos:prefLabel ?actor_name FILTER(langMatches(lang(?actor_name), "zh-Hans"))
  ?via skos:prefLabel ?via_name FILTER(langMatches(lang(?via_name), "zh-Hans"))
}
"""

ACTOR_NAMES = """
SELECT DISTINCT ?actor ?name WHERE {
  ?actor a pg:Actor ; skos:prefLabel|skos:altLabel ?name FILTER(langMatches(lang(?name), "zh-Hans"))
}
"""

WHY = {
    "direct": "直接规定",
    "joint": "作为联合主体“{via}”的成员",
    "kind": "属于“{via}”",
    "all_levels": "作为“{via}”（各级）之一",
}


@cache
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def simplify(text: str) -> str:
    """Traditional to simplified, so 誰負責 and 谁负责 are one question."""
    return str(_t2s().convert(text))


def tokens(text: str) -> list[str]:
    """jieba search-mode words and character bigrams of the CJK runs.

    >>> tokens("扶贫资金管理监督")[:4]
    ['扶贫', '资金', '管理', '监督']
    """
    import jieba

    jieba.setLogLevel(logging.WARNING)
    words = [w for w in jieba.lcut_for_search(text) if w.strip() and w not in _STOP and _CJK.search(w)]
    grams: list[str] = []
    for run in re.findall(r"[\u3400-\u9fff]+", text):
        grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return words + grams


@dataclass
class Hit:
    actor: str | None
    actor_id: str | None
    modality: str
    action: str
    kind: str | None
    article: str
    document: str
    document_id: str
    text: str
    score: float
    why: str
    reason: str
    duty: str

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}


class SearchIndex:
    """BM25 over the duties in a store, rebuilt when the store changes."""

    def __init__(self, store: Store) -> None:
        from rank_bm25 import BM25Okapi

        self.duties = plain(store.select(DUTIES))
        self.by_duty = {r["duty"]: r for r in self.duties}
        self.names: dict[str, str] = {}
        aliases: dict[str, list[str]] = {}
        for row in plain(store.select(ACTOR_NAMES)):
            self.names.setdefault(row["name"], row["actor"])
            aliases.setdefault(row["actor"], []).append(row["name"])
        docs = []
        for r in self.duties:
            names = " ".join(aliases.get(r["actor"], [])) if r["actor"] else ""
            body = f"{r['action']} {r['text']} {names} {r['kind'] or ''}"
            # The article's other words count once each: context, without drowning the clause.
            context = sorted(set(tokens(r["article_text"])) - set(tokens(body)))
            docs.append(tokens(body) + context or ["_"])
        self.bm25 = BM25Okapi(docs) if docs else None
        self.attributions: dict[str, list[tuple[str, str, str, str]]] = {}
        for a in plain(store.select(ATTRIBUTIONS)):
            self.attributions.setdefault(a["actor"], []).append(
                (a["duty"], a["reason"], a["via_name"], a["actor_name"]))
        self._names_longest = sorted(self.names, key=len, reverse=True)

    def named_actor(self, question: str) -> tuple[str, str] | None:
        """The longest actor name in the question: (name, IRI)."""
        for name in self._names_longest:
            if len(name) >= 2 and name in question:
                return name, self.names[name]
        return None

    def search(self, question: str, *, limit: int = 20) -> list[Hit]:
        q = simplify(question)
        named = self.named_actor(q)
        topic = _QUESTION.sub("", q.replace(named[0], "") if named else q)
        scores = self.bm25.get_scores(tokens(topic)) if self.bm25 is not None and topic else None
        if named:
            return self._actor_duties(named[1], scores, limit)
        if scores is None:
            return []
        ranked = sorted(range(len(self.duties)), key=lambda i: -scores[i])
        hits = [self._hit(self.duties[i], float(scores[i]), "direct", None) for i in ranked[:limit] if scores[i] > 0]
        return hits

    def _actor_duties(self, actor: str, scores: Any, limit: int) -> list[Hit]:
        rows = self.attributions.get(actor, [])
        index = {r["duty"]: i for i, r in enumerate(self.duties)}
        best: dict[str, tuple[str, str, str]] = {}
        for duty, reason, via, name in rows:
            if duty not in best or REASON_ORDER[reason] < REASON_ORDER[best[duty][0]]:
                best[duty] = (reason, via, name)
        hits = []
        for duty, (reason, via, name) in best.items():
            row = self.by_duty.get(duty)
            if row is None:
                continue
            score = float(scores[index[duty]]) if scores is not None else 0.0
            # Without a topic, direct duties come first, then by how far they were inherited.
            score += 1.0 / (1 + REASON_ORDER[reason])
            hits.append(self._hit(row, score, reason, via, actor=(name, actor)))
        hits.sort(key=lambda h: (-h.score, h.document, int(re.sub(r"\D", "", h.article) or 0)))
        return hits[:limit]

    @staticmethod
    def _hit(row: dict[str, Any], score: float, reason: str, via: str | None,
             actor: tuple[str, str] | None = None) -> Hit:
        name, actor_id = actor if actor else (row["actor_name"], row["actor"])
        why = WHY[reason].format(via=via) if reason != "direct" else (
            WHY["direct"] if name else "无主语的禁止：约束本文件的所有适用对象")
        return Hit(
            actor=name, actor_id=actor_id, modality=row["modality"], action=row["action"], kind=row["kind"],
            article=row["article"], document=row["document"], document_id=row["doc"], text=row["text"],
            score=round(score, 3), why=why, reason=reason, duty=row["duty"],
        )
