"""The modal cues of a regulation: a spaCy pipeline (Chinese, jieba) with one registered component.

``policygraph_cues`` marks modal cues (应当, 可以, 不得, 有权…) as whole jieba words, so that 负责人, 主要 and
要求 are never mistaken for 负责, 要 and 要. The words, responsibility kinds and clause shapes are reviewed
data in ``resources/cues.toml``.

>>> doc = default_nlp()("生产经营单位的主要负责人应当组织制定并实施本单位安全生产教育和培训计划")
>>> [(s.text, s.label_) for s in doc.spans["cues"]]
[('应当', 'obligation')]
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc, Span

Cue = tuple[int, int, str]  # start, end, modality


@dataclass(frozen=True)
class Cues:
    """Cue words and clause patterns from ``resources/cues.toml``."""

    modal: dict[str, str]
    fused: dict[str, str]  # a word jieba fuses from a modal and what follows (应由) -> its modal (应)
    unmodal: tuple[str, ...]  # a modal's character and the word jieba cuts after it, an adjective (可 再生)
    kinds: tuple[tuple[str, re.Pattern[str]], ...]
    prepositions: tuple[str, ...]
    light_verbs: tuple[str, ...]
    sanctions: frozenset[str]
    violation: re.Pattern[str]
    predicates: tuple[str, ...]
    basis_nouns: tuple[str, ...]
    leading: tuple[str, ...]
    founding: frozenset[str]
    circumstance: re.Pattern[str]
    describes: re.Pattern[str]
    principles: re.Pattern[str]
    exception: re.Pattern[str]
    condition_items: re.Pattern[str]
    circumstance_items: re.Pattern[str]
    recipient: re.Pattern[str]
    duty_phrase: re.Pattern[str]

    @classmethod
    def load(cls) -> Cues:
        raw = tomllib.loads(resources.files("policygraph").joinpath("resources/cues.toml").read_text("utf-8"))
        c = raw["clauses"]
        return cls(
            modal={w: mod for mod, words in raw["modal"].items() if isinstance(words, list) for w in words},
            fused=dict(raw["fused"]), unmodal=tuple(raw["unmodal"]["words"]),
            kinds=tuple((k["kind"], re.compile(k["pattern"])) for k in raw["kinds"]),
            prepositions=tuple(c["prepositions"]), light_verbs=tuple(c["light_verbs"]),
            sanctions=frozenset(c["sanctions"]),
            violation=re.compile(c["violation"]),
            predicates=tuple(c["predicates"]),
            basis_nouns=tuple(c["basis_nouns"]), leading=tuple(c["leading"]), founding=frozenset(c["founding"]),
            circumstance=re.compile(c["circumstance"]), describes=re.compile(c["describes"]),
            principles=re.compile(c["principles"]),
            exception=re.compile(c["exception"]),
            condition_items=re.compile(c["condition_items"]),
            circumstance_items=re.compile(c["circumstance_items"]), recipient=re.compile(c["recipient"]),
            duty_phrase=re.compile(c["duty_phrase"]),
        )


@cache
def default_cues() -> Cues:
    return Cues.load()


@Language.factory("policygraph_cues", default_config={"modal": {}, "fused": {}, "unmodal": []})
def _make_cues(nlp: Language, name: str, modal: dict[str, str], fused: dict[str, str],
               unmodal: list[str]) -> CueMatcher:
    return CueMatcher(nlp, modal, fused, unmodal)


class CueMatcher:
    """Marks modal cue tokens in ``doc.spans["cues"]``, labelled by modality; a cue of two words
    (不 应当) wins over the one word inside it. Cues are whole jieba words, so 负责人 is never 负责; a word jieba
    fuses from a modal and the verb after it (应由, 须经) is first split in two (``split``).

    >>> CueMatcher(None, {"应": "obligation"}, {"应由": "应"}).split(["费用", "应由", "国家", "承担"])
    [None, ('应', '由'), None, None]
    """

    def __init__(self, nlp: Language | None, modal: dict[str, str], fused: dict[str, str] | None = None,
                 unmodal: Sequence[str] = ()) -> None:
        self.single = {w: m for w, m in modal.items() if " " not in w}
        self.double = {tuple(w.split()): m for w, m in modal.items() if " " in w}
        self.fused = dict(fused or {})
        # 可 再生: a modal's character and how the word jieba cuts after it opens (再生能源): an adjective, no cue
        self.unmodal = tuple((w.split()[0], w.split()[1]) for w in unmodal)

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        words = [strings[orth] for orth in doc.to_array("ORTH").tolist()]
        if any(splits := self.split(words)):
            with doc.retokenize() as retokenizer:
                for token, cut in zip(list(doc), splits, strict=True):
                    if cut is not None:
                        retokenizer.split(token, list(cut), heads=[(token, 1), token.head])
            words = [strings[orth] for orth in doc.to_array("ORTH").tolist()]
        doc.spans["cues"] = [Span(doc, i, j, label=modality) for i, j, modality in self.match(words)]
        return doc

    def split(self, words: Sequence[str]) -> list[tuple[str, str] | None]:
        """For each word, None, or how a fused modal word is cut: (the modal, the rest). Not before 的, where
        the word modifies a noun (应有的注意)."""
        return [(modal, word[len(modal):])
                if (modal := self.fused.get(word)) and (i + 1 == len(words) or words[i + 1] != "的") else None
                for i, word in enumerate(words)]

    def match(self, words: Sequence[str]) -> list[tuple[int, int, str]]:
        """(first token, token after, modality) of each cue among ``words``, left to right."""
        found, i = [], 0
        while i < len(words):
            following = (words[i], words[i + 1]) if i + 1 < len(words) else ("", "")
            if (pair := self.double.get(following)):
                found.append((i, i + 2, pair))
                i += 2
                continue
            if any(following[0] == w and following[1].startswith(rest) for w, rest in self.unmodal):
                i += 2  # 可再生能源: jieba cuts 可 | 再生能源, an adjective of the corpus, no permission
                continue
            if (modality := self.single.get(words[i])) is not None:
                found.append((i, i + 1, modality))
            i += 1
        return found


def build_nlp(cues: Cues | None = None) -> Language:
    """Chinese spaCy with jieba, then the cue matcher configured with ``cues``."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    from spacy.lang.zh import Chinese

    nlp = Chinese.from_config({"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    cues = cues or default_cues()
    nlp.add_pipe("policygraph_cues", config={"modal": cues.modal, "fused": cues.fused, "unmodal": list(cues.unmodal)})
    return nlp


@cache
def default_nlp() -> Language:
    return build_nlp()
