"""Nouns that name agents, read from how a text uses them.

A noun that is the subject of 有权, 负责, 负有, 享有, 会同 or 履行 names someone who can act: a thing
(规划, 合同, 档案) has no rights and bears no responsibility, though it may well be the subject of 应当
(规划应当包括…). ``tools/mine_heads.py`` counts such subjects over the national corpus to find the
characters agents' nouns end in (``resources/heads.toml``); the extractor reads them in each document
too, so that a body a law introduces (档案馆负责接收…) is known as one throughout that law.

>>> sorted(agents("第十条　档案馆负责接收、收集档案。档案应当按照规定整理。"))
['档案馆']
"""

from __future__ import annotations

import re

from .words import opening, tagged

AGENT_CUES = ("有权", "负责", "负有", "享有", "会同", "履行")
# Within one document, the cues whose subject is an agent however the clause goes on (无法履行…, 依法负有…
# are not): what ``agents`` reads.
STRONG_CUES = ("有权", "负责", "享有", "会同")
CUES = (*AGENT_CUES, "应当", "可以", "不得", "必须", "应", "可", "禁止", "严禁")
# Words that end a subject's run: prepositions, adverbs and the like between it and its cue.
BREAKS = frozenset(("对", "向", "在", "依照", "按照", "根据", "依据", "依法", "于", "从", "自", "经", "为", "因", "与",
                    "同", "通过", "及时", "也", "都", "均", "还", "应该", "不", "并", "已", "另", "就", "由", "将",
                    "把"))
NOUN_TAGS = ("n", "nt", "nz", "nr", "j")
MAX_SUBJECT_WORDS = 8
_CLAUSE = re.compile(r"[，,。；;：:！？\n]")
_SENTENCE = re.compile(r"[。；;：:！？\n]")
_OPENING = re.compile(r"^(?:第[一二三四五六七八九十百零〇]+条|[（(][一二三四五六七八九十]+[）)])\s*")


def subjects(text: str, *, sentence_initial: bool = False, adverbs: frozenset[str] = frozenset(),
             wanted: tuple[str, ...] = CUES) -> list[tuple[str, str]]:
    """(the last word of the subject, the cue) for each clause of ``text`` that opens with its subject
    and then a cue; with ``sentence_initial``, only clauses that open a sentence (not …，全面负责…, where
    a word before the cue is an adverb and the bearer goes on from before); only cues among ``wanted``
    are looked for."""
    out = []
    clauses = (s.split("，")[0] for s in _SENTENCE.split(text)) if sentence_initial else _CLAUSE.split(text)
    for clause in clauses:
        if not any(cue in clause for cue in wanted):
            continue  # no cue as a string: no cue as a word (and no segmentation to pay for)
        clause = _OPENING.sub("", clause.strip(" *　#>"))
        # (a cue past the first MAX_SUBJECT_WORDS + 1 words is too far: the words after them are never read)
        words = [w for w, _ in opening(clause, MAX_SUBJECT_WORDS + 1)] if clause else []
        at = next((i for i, w in enumerate(words) if w in CUES), None)
        if not at or any(w in BREAKS for w in words[:at]) or at > MAX_SUBJECT_WORDS:
            continue
        last = at - 1
        while last > 0 and words[last] in adverbs:
            last -= 1  # 校长 | 全面 | 负责: the subject is before the adverb
        if words[last] not in adverbs:
            out.append((words[last], words[at]))
    return out


def is_noun(word: str) -> bool:
    """A dictionary noun of two characters or more."""
    tags = tagged(word)
    return len(word) >= 2 and len(tags) == 1 and tags[0][1] in NOUN_TAGS


def agents(text: str, *, adverbs: frozenset[str] = frozenset()) -> frozenset[str]:
    """The nouns that open a sentence of ``text`` as the subject of 有权, 负责, 享有 or 会同 (``adverbs``
    may stand between them and the cue)."""
    found = subjects(text, sentence_initial=True, adverbs=adverbs, wanted=STRONG_CUES)
    return frozenset(w for w, cue in found if cue in STRONG_CUES and is_noun(w))
