"""Find who must do what: a spaCy pipeline over the articles of a parsed regulation.

The pipeline is ``spacy.blank("zh")`` with the jieba segmenter and two rule
components registered here:

* ``policygraph_cues`` — a token Matcher for modal cues (应当, 可以, 不得, 负责…),
  so that 负责人, 主要 and 要求 are never mistaken for 负责, 要 and 要;
* ``policygraph_actors`` — a character-offset ruler over the actor lexicon
  (jieba splits names differently in context, so token patterns would miss them).

``Extractor`` walks each paragraph and item sentence by sentence and clause by
clause, applying the conventions written in the README: one record per bearer per
action, joint bearers kept whole, a clause without its own cue taking the nearest
one before it in the sentence, lead-ins with items giving one record per item.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from .lexicon import DATA_DIR, Actor, Lexicon, default_lexicon
from .structure import Article, Document

_SENTENCE_END = "。！？!?"
_CLAUSE_END = "，；：,;:"
_OPEN, _CLOSE = "《（(“〈【", "》）)”〉】"
# 由X负责Y, also after the document's own name: 本办法由X负责解释.
_BY = re.compile(r"(?:本[^\s，。；由]{1,4})?由")
_NOUNISH = ("n", "vn", "r", "j", "nr", "ns", "nt", "nz", "an", "ng")


@dataclass
class Duty:
    """One duty: a bearer (or none), a modality and an action, with where it was read."""

    document: str
    article: str
    paragraph: int
    item: int | None
    actor: str | None
    members: list[str]
    modality: str
    action: str
    kind: str | None
    condition: str | None
    recipient: str | None
    text: str
    original: str
    start: int
    end: int
    level: str | None = None
    actor_kind: str | None = None
    post_of: str | None = None
    norm_start: int = field(default=0, repr=False)
    norm_end: int = field(default=0, repr=False)

    def to_json(self) -> dict[str, Any]:
        """The public record (see the README's extraction contract)."""
        data = asdict(self)
        for private in ("norm_start", "norm_end", "level", "actor_kind", "post_of"):
            data.pop(private)
        return data


@dataclass(frozen=True)
class Cues:
    """Cue words and clause patterns from ``data/cues.toml``."""

    modal: dict[str, str]
    max_cue_offset: int
    kinds: tuple[tuple[str, re.Pattern[str]], ...]
    prepositions: tuple[str, ...]
    light_verbs: tuple[str, ...]
    basis_nouns: tuple[str, ...]
    leading: tuple[str, ...]
    coordinators: re.Pattern[str]
    recipient: re.Pattern[str]

    @classmethod
    def load(cls) -> Cues:
        with (DATA_DIR / "cues.toml").open("rb") as f:
            raw = tomllib.load(f)
        clauses = raw["clauses"]
        return cls(
            modal={w: mod for mod, words in raw["modal"].items() if isinstance(words, list) for w in words},
            max_cue_offset=raw["modal"]["max_cue_offset"],
            kinds=tuple((k["kind"], re.compile(k["pattern"])) for k in raw["kinds"]),
            prepositions=tuple(clauses["prepositions"]),
            light_verbs=tuple(clauses["light_verbs"]),
            basis_nouns=tuple(clauses["basis_nouns"]),
            leading=tuple(clauses["leading"]),
            coordinators=re.compile("|".join(map(re.escape, clauses["coordinators"]))),
            recipient=re.compile(clauses["recipient"]),
        )


@cache
def default_cues() -> Cues:
    return Cues.load()


@Language.factory("policygraph_cues")
def _make_cues(nlp: Language, name: str) -> CueMatcher:
    return CueMatcher(nlp, default_cues())


@Language.factory("policygraph_actors")
def _make_actors(nlp: Language, name: str) -> ActorRuler:
    return ActorRuler(default_lexicon())


class CueMatcher:
    """Marks modal cue tokens in ``doc.spans["cues"]``, labelled by modality."""

    def __init__(self, nlp: Language, cues: Cues) -> None:
        self.matcher = Matcher(nlp.vocab)
        for word, modality in cues.modal.items():
            self.matcher.add(modality, [[{"ORTH": word}]])

    def __call__(self, doc: Doc) -> Doc:
        doc.spans["cues"] = [Span(doc, s, e, label=mid) for mid, s, e in self.matcher(doc)]
        return doc


class ActorRuler:
    """Marks lexicon actors in ``doc.spans["actors"]`` by character offsets."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for m in self.lexicon.pattern.finditer(doc.text):
            span = doc.char_span(m.start(), m.end(), label="ACTOR", alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans["actors"] = spans
        return doc


def build_nlp() -> Language:
    """The spaCy pipeline: blank Chinese with jieba, then cues and actors."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    from spacy.lang.zh import Chinese

    nlp = Chinese.from_config({"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("policygraph_cues")
    nlp.add_pipe("policygraph_actors")
    return nlp


@cache
def default_nlp() -> Language:
    return build_nlp()


@dataclass
class _Unit:
    """A paragraph's own line or one item: the text the pipeline runs on."""

    article: Article
    paragraph: int
    item: int | None
    start: int  # offset in the normalised text
    text: str
    lead_in: bool = False  # a paragraph ending "：" whose items follow


@dataclass
class _State:
    bearers: list[Actor | None] = field(default_factory=list)
    modality: str | None = None


class Extractor:
    """Extract duties from parsed documents.

    >>> from policygraph.pipeline import parse_file
    >>> duties = Extractor().extract(parse_file("data/脱贫攻坚责任制实施办法.txt"))
    >>> d = next(d for d in duties if d.article == "19")
    >>> d.actor, d.modality, d.action
    ('县级政府', 'obligation', '建立扶贫项目库')
    """

    def __init__(self, nlp: Language | None = None, lexicon: Lexicon | None = None,
                 cues: Cues | None = None) -> None:
        self.nlp = nlp or default_nlp()
        self.lexicon = lexicon or default_lexicon()
        self.cues = cues or default_cues()

    def extract(self, document: Document) -> list[Duty]:
        return list(self.iter_duties([document]))

    def iter_duties(self, documents: Iterable[Document], *, batch_size: int = 256) -> Iterator[Duty]:
        for document in documents:
            units = list(_units(document))
            docs = self.nlp.pipe((u.text for u in units), batch_size=batch_size)
            lead: dict[tuple[str, int], _State] = {}
            for unit, doc in zip(units, docs, strict=True):
                inherited = lead.get((unit.article.key, unit.paragraph)) if unit.item else None
                state = _State(list(inherited.bearers), inherited.modality) if inherited else _State()
                yield from self._unit(document, unit, doc, state)
                if unit.lead_in:
                    lead[(unit.article.key, unit.paragraph)] = state

    # -- one paragraph line or item -------------------------------------------------

    def _unit(self, document: Document, unit: _Unit, doc: Doc, state: _State) -> Iterator[Duty]:
        text = unit.text
        cues = [(s.start_char, s.end_char, s.label_) for s in doc.spans["cues"]]
        for s_start, s_end in _split(text, _SENTENCE_END, 0, len(text)):
            if unit.item is None:
                state.bearers, state.modality = [], None
            clauses = list(_split(text, _CLAUSE_END, s_start, s_end))
            pending: tuple[int, int] | None = None  # (clause, action) start of a lead-in joined to the next
            condition: str | None = None
            for index, (c_start, c_end) in enumerate(clauses):
                last = index == len(clauses) - 1
                pos = self._skip_leading(text, c_start)
                action_start = pos
                by = _BY.match(text, pos)
                you = by and self._bearers(text, by.end(), c_end)
                if you and text.startswith("负责", you[1]):
                    # 由X负责Y: X bears 负责Y (the cue stays in the action).
                    state.bearers, action_start = you[0], you[1]
                    state.modality = "obligation"
                    cue = None
                else:
                    bearer_start = pos
                    found = self._bearers(text, pos, c_end)
                    if found:
                        state.bearers, pos = found
                        action_start = pos
                    cue = next(
                        (c for c in cues if pos <= c[0] < min(c_end, pos + self.cues.max_cue_offset + 1)),
                        None,
                    )
                    if not found and cue and not state.bearers and cue[2] != "prohibition":
                        guessed = self._guess(text, pos, cue[0])
                        if guessed:
                            state.bearers = guessed
                    if cue and found and pos < cue[0] and (longer := self._guess(text, bearer_start, cue[0])):
                        # 国务院有关部门: the lexicon's 国务院 is only the start of the bearer.
                        state.bearers, pos = longer, cue[0]
                    if cue:
                        pre = text[pos : cue[0]]
                        if pre.endswith("的"):
                            condition = pre
                        elif len(pre) > 2 and not self._guess(text, pos, cue[0]):
                            cue = (pos, pos, cue[2])  # keep the words before the cue
                        action_start = cue[1]
                        state.modality = cue[2]
                        if cue[2] == "prohibition" and not state.bearers:
                            state.bearers = [None]
                if not state.bearers:
                    continue
                if state.modality is None:
                    state.modality = "obligation"  # a declarative that assigns an action
                action_start = self._skip_leading(text, action_start)
                action = text[action_start:c_end].strip(" 　")
                if not action or (unit.lead_in and last and text[c_end : c_end + 1] in "：:"):
                    continue
                if action.endswith("的") and not last and cue is None:
                    condition = action
                    continue
                if pending is None and not last and self._leads_in(action):
                    pending = (c_start, action_start)
                    continue
                if pending is not None:
                    (c_start, action_start), pending = pending, None
                    action = text[action_start:c_end].strip(" 　")
                yield from self._records(document, unit, state, action, condition,
                                         c_start, c_end)
                condition = None

    def _records(self, document: Document, unit: _Unit, state: _State, action: str,
                 condition: str | None, c_start: int, c_end: int) -> Iterator[Duty]:
        norm = document.norm
        n_start, n_end = unit.start + c_start, unit.start + c_end
        src_start, src_end = norm.to_source(n_start, n_end)
        kind = next((k for k, p in self.cues.kinds if p.search(action)), None)
        recipient = self.cues.recipient.search(action)
        for bearer in state.bearers:
            yield Duty(
                document=document.title,
                article=unit.article.key,
                paragraph=unit.paragraph,
                item=unit.item,
                actor=bearer.name if bearer else None,
                members=list(bearer.members) if bearer else [],
                modality=state.modality or "obligation",
                action=action,
                kind=kind,
                condition=condition,
                recipient=recipient.group("recipient") if recipient else None,
                text=norm.text[n_start:n_end],
                original=norm.source_text[src_start:src_end],
                start=src_start,
                end=src_end,
                level=bearer.level if bearer else None,
                actor_kind=bearer.kind if bearer else None,
                post_of=bearer.post_of if bearer else None,
                norm_start=n_start,
                norm_end=n_end,
            )

    # -- pieces ---------------------------------------------------------------------

    def _bearers(self, text: str, pos: int, end: int) -> tuple[list[Actor | None], int] | None:
        """Coordinated actors named at ``pos``: 民营企业、社会组织和公民个人 → three."""
        found = self.lexicon.match(text, pos)
        if not found or found[2] > end:
            return None
        actors: list[Actor | None] = [found[0]]
        pos = found[2]
        while (c := self.cues.coordinators.match(text, pos)) and (
            nxt := self.lexicon.match(text, c.end())
        ) and nxt[2] <= end:
            actors.append(nxt[0])
            pos = nxt[2]
        return actors, pos

    def _guess(self, text: str, pos: int, cue_at: int) -> list[Actor | None]:
        """Bearers the lexicon does not list: 国务院有关部门应当… (a noun phrase before the cue)."""
        phrase = text[pos:cue_at]
        if not phrase or re.search(r"[，。；：“”《》]|对|向|在|按照|根据", phrase):
            return []
        parts = self.cues.coordinators.split(phrase)
        guessed = [self.lexicon.guess(p) for p in parts]
        return list(guessed) if all(guessed) else []

    def _skip_leading(self, text: str, pos: int) -> int:
        for word in self.cues.leading:
            if text.startswith(word, pos):
                return pos + len(word)
        return pos

    def _leads_in(self, clause: str) -> bool:
        """按照工作职责 / 对…的部门和个人: a prepositional phrase with no predicate of its own."""
        if not clause.startswith(self.cues.prepositions):
            return False
        tail = clause.rsplit("的", 1)[-1]
        if any(v in tail for v in self.cues.light_verbs) or any(w in clause for w in self.cues.modal):
            return False
        if any(p.search(clause) for k, p in self.cues.kinds if k != "supervisory"):
            return False
        import jieba.posseg

        tokens = jieba.posseg.lcut(tail)
        if not tokens or not tokens[-1].flag.startswith(_NOUNISH):
            return False
        # The object runs to the end: a 的-phrase, a noun like 情况 that takes a clause
        # (根据财力增长情况), or a run of nouns with no verb inside (按照工作职责).
        middle = [t.flag for t in tokens[1:-1]]
        return "的" in clause or tokens[-1].word in self.cues.basis_nouns or "v" not in middle


def _units(document: Document) -> Iterator[_Unit]:
    text = document.norm.text
    for art in document.provisions:
        for para in art.paragraphs:
            own_end = para.items[0].start if para.items else para.end
            own = text[para.start : own_end].rstrip("\n 　")
            yield _Unit(art, para.number, None, para.start, own, lead_in=bool(para.items))
            for item in para.items:
                body = item.end - len(item.text)
                yield _Unit(art, para.number, item.number, body, item.text)


def _split(text: str, ends: str, start: int, stop: int) -> Iterator[tuple[int, int]]:
    """Spans between separators, ignoring separators inside 《》, （）, “” and 〈〉."""
    depth = 0
    begin = start
    for i in range(start, stop):
        ch = text[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in ends and depth == 0:
            if i > begin:
                yield begin, i
            begin = i + 1
    if stop > begin and text[begin:stop].strip():
        yield begin, stop
