"""Find who must do what: a clause reader over a parsed regulation.

Modal cues are marked by the spaCy pipeline of ``cues.py`` (whole jieba words: 负责人 is never 负责);
bearers are read by the grammar of ``bearers.py`` and ``names.py`` (the shape of their names), not from
a list.

``Extractor`` works in named steps, each a method: units (a paragraph's own line or an item) →
sentences (which bearer a sentence goes on with, convention 11) → clauses (``clauses.py``; lead-ins joined,
conditions, topics and occasions set aside) → reading a clause (its bearers and cue: ``reading.py``) →
records. The conventions are in ``tests/gold/CONVENTIONS.md`` and the README.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property
from typing import Any

from spacy.language import Language

from .alternation import alternation
from .bearers import BearerGrammar, default_grammar
from .clauses import ITS, resolve_its, sentences
from .clauses import clauses as split_clauses
from .cue_spans import CueFinder
from .cues import Cue, Cues, build_nlp, default_cues, default_nlp
from .heads import agents
from .lexicon import Actor, Lexicon, default_lexicon
from .reading import BY, ClauseReader, Reading
from .roles import ACTED_ON, ClauseRoles
from .structure import Document
from .units import Unit, condition_item, units, unquoted
from .words import opening

_PROSECUTION = re.compile(r"(?:并|应当)?(?:依法)?追究(?:其|有关人员的|直接责任人员的)?(?:刑事|法律)责任")
_EXEMPTION = re.compile(r"不(?:承担|负)[^，。；]*责任")  # …对后手的被背书人不承担保证责任: exempt, no duty
# …其权益受本法保护: protected by law, no duty either (an item of 享有下列权利 is a right: not read so there)
_PROTECTED = re.compile(r"受(?:法律|本法|国家)[^，。；的]{0,6}保护$")
_LIABILITY = re.compile(r"(?:还应当|应当|并)?(?:依法)?承担(?:民事|赔偿|连带|相应的?|法律)?(?:赔偿)?责任")
# Conjunctions and prepositions that open a condition or a cause (如果适逢…，应当…), not a clause going on with an act.
_SUBORDINATORS = ("如果", "如", "若", "假如", "因", "因为", "由于", "但", "除", "对", "在", "当", "经")
_OPENS_NEW_SUBJECT = ("严禁", "禁止")  # a sentence opening so binds everyone (convention 9)
# A declarative whose "action" opens with a word and 的 is a noun phrase (用户 | 使用的电力电量, 用户 | 自身的过错).
_RELATIVE_ACTION = re.compile(r"[^，。；的]{1,2}的")

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
    with_: str | None = None
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
        data["with"] = data.pop("with_")
        return data


@dataclass
class _State:
    """Who the clauses being read speak of, and with what force."""

    bearers: list[str | None] = field(default_factory=list)
    modality: str | None = None
    conditional: bool = False  # the bearers were named inside a condition (…的，)
    carried: bool = False  # the bearers come from the sentence before (convention 11)
    topic: bool = False  # the bearers were a clause of their own (矿山…单位，应当…)
    items: tuple[list[str | None], str | None] | None = None  # who, with what force, the clause naming 下列… speaks of


@dataclass(frozen=True)
class _Clause:
    """One clause of a sentence, where it stands among the others."""

    text: str
    clauses: list[tuple[int, int]]
    index: int
    cues: list[Cue]
    body: str  # the clause without its opening conjunction (并, 同时…)

    @property
    def span(self) -> tuple[int, int]:
        return self.clauses[self.index]

    @property
    def last(self) -> bool:
        return self.index == len(self.clauses) - 1

    @property
    def following(self) -> tuple[int, int]:
        """The next clause's span (the clause itself where it is the last)."""
        return self.clauses[min(self.index + 1, len(self.clauses) - 1)]

    @cached_property
    def cue_clause(self) -> tuple[int, int]:
        """The first later clause with a cue, where every clause between runs on (a comma, no cue, no …的): the
        clause an occasion's subject bears (国家机关委托他人建设…，存储、加工政务数据，| 应当…); else the next."""
        for k in range(self.index + 1, len(self.clauses)):
            start, end = self.clauses[k]
            if any(start <= c[0] < end for c in self.cues) or k == len(self.clauses) - 1 \
                    or self.text[end] not in "，," or self.text[start:end].rstrip(" 　").endswith("的"):
                return start, end
        return self.following

    @property
    def comma(self) -> bool:
        """Whether a comma follows (a clause before ； is a statement of its own, not a topic)."""
        return not self.last and self.text[self.span[1]] in "，,"


class Extractor:
    """Extract duties from parsed documents.

    >>> from policygraph.pipeline import parse_file
    >>> duties = Extractor().extract(parse_file("data/脱贫攻坚责任制实施办法.txt"))
    >>> d = next(d for d in duties if d.article == "19")
    >>> d.actor, d.modality, d.action
    ('县级政府', 'obligation', '建立扶贫项目库')
    """

    def __init__(self, nlp: Language | None = None, lexicon: Lexicon | None = None,
                 cues: Cues | None = None, grammar: BearerGrammar | None = None) -> None:
        self.cues = cues or default_cues()
        self.nlp = nlp or (default_nlp() if cues is None else build_nlp(self.cues))
        self.lexicon = lexicon or default_lexicon()
        self.grammar = grammar or default_grammar()
        self._actors: dict[str, Actor | None] = {}
        self.reader = ClauseReader(self.grammar, self.cues)
        self.roles = ClauseRoles(self.reader)
        # A unit holding none of the cue words as a string has no cue token: it skips the pipeline.
        self._adverbs = frozenset(self.grammar.adverbials)
        self._may_cue = re.compile(alternation(w.replace(" ", "") for w in self.cues.modal))
        self._finder = CueFinder.of(self.nlp)  # the pipeline's cues without its Docs, where it is the plain one

    def extract(self, document: Document) -> list[Duty]:
        return list(self.iter_duties([document]))

    def iter_duties(self, documents: Iterable[Document], *, batch_size: int = 256) -> Iterator[Duty]:
        for document in documents:
            local = agents(document.norm.text, adverbs=self._adverbs)  # the document's own agents
            parts = list(units(document))
            cued = [self._may_cue.search(u.text) is not None for u in parts]
            found = self._cues((u.text for u, c in zip(parts, cued, strict=True) if c), batch_size)
            lead: dict[tuple[str, int], _State | None] = {}
            lead_text: dict[tuple[str, int], str] = {}
            for unit, has_cue in zip(parts, cued, strict=True):
                cues = unquoted(unit.text, next(found)) if has_cue else []
                key = (unit.article.key, unit.paragraph)
                if unit.item is not None and key in lead and (lead[key] is None or (
                        condition_item(unit.text) and self.cues.circumstance_items.search(lead_text[key]))):
                    continue  # items that are conditions (有下列情形之一的：; 有下列…情形，…：（一）克扣…工资的；)
                inherited = lead.get(key) if unit.item is not None else None
                bearers, modality = (inherited.items or (inherited.bearers, inherited.modality)) if inherited \
                    else ([], None)
                state = _State(list(bearers), modality)
                self.grammar.local = local  # set again for each unit: another generator may have run meanwhile
                yield from self._unit(document, unit, cues, state)
                if unit.lead_in:
                    lead[key] = None if self.cues.condition_items.search(unit.text) else state
                    lead_text[key] = unit.text

    # -- step 1: sentences ---------------------------------------------------------

    def _cues(self, texts: Iterable[str], batch_size: int) -> Iterator[list[Cue]]:
        """The cues of each text: the pipeline's, read off its Docs or, for the plain pipeline, found without
        them (``cue_spans.py``: the same spans)."""
        if self._finder is not None:
            return map(self._finder, texts)
        return ([(s.start_char, s.end_char, s.label_) for s in doc.spans["cues"]]
                for doc in self.nlp.pipe(texts, batch_size=batch_size))

    def _unit(self, document: Document, unit: Unit, cues: list[Cue], state: _State) -> Iterator[Duty]:
        text = unit.text
        for s_start, s_end in sentences(text, 0, len(text)):
            if self.cues.describes.match(text, s_start) and not self._bearers_principles(text, s_start, s_end, cues):
                state.bearers, state.modality, state.conditional = [], None, False
                continue
            if unit.item is None:  # the state is the caller's: a lead-in hands it on to its items
                carried: list[str | None] = [b for b in state.bearers if b] \
                    if self._continues(text, s_start) and not state.conditional else []  # (a condition's subject
                # that bore nothing, X未…的，责令改正。对…给予警告: the sanctioned party, convention 28)
                state.bearers, state.modality, state.conditional, state.topic = carried, None, False, False
                state.carried = bool(carried)
            yield from self._sentence(document, unit, text, cues, s_start, s_end, state)

    def _bearers_principles(self, text: str, start: int, end: int, cues: list[Cue]) -> bool:
        """A sentence naming principles that opens with a bearer and its cue, not 坚持: the bearer's duties (工会
        必须遵守和维护宪法，…，坚持…), not a description (农村集体经济组织应当坚持以下原则; 爱国主义教育应当…)."""
        if not self.cues.principles.match(text, start) or \
                self.cues.describes.match(text[start:end].replace("坚持", "")):
            return False  # (purpose, scope and the like describe whatever follows)
        first = split_clauses(text, start, end)[0]
        reading = self.reader.read(text, *first, cues)
        return bool(reading.bearers) and reading.cue is not None and not text.startswith("坚持", reading.cue[1])

    def _continues(self, text: str, start: int) -> bool:
        """Convention 11: a sentence opening with a verb, an adverbial or a lead-in goes on."""
        pos = self.reader.skip_leading(text, start)
        if text.startswith(_OPENS_NEW_SUBJECT, pos):
            return False
        words = [w for w, _ in opening(text[pos:pos + 12], 3)]  # (the first two, and whether a third follows)
        verbal_noun_and_people = len(words) > 2 and self.grammar.is_verbal_noun(text[pos:]) \
            and self.grammar.verb_and_object(["".join(words[:2])])  # 教育职工…
        return text.startswith((*self.grammar.adverbials, *self.cues.prepositions), pos) \
            or self.grammar.is_verb(text[pos:]) or verbal_noun_and_people

    # -- step 2: clauses -----------------------------------------------------------

    def _sentence(self, document: Document, unit: Unit, text: str, cues: list[Cue],
                  s_start: int, s_end: int, state: _State) -> Iterator[Duty]:
        """A sentence clause by clause: what a clause reads (step 3), whether it is set aside as a condition, a
        topic or an occasion of what follows, and otherwise its records, lead-ins joined to the action after them."""
        clauses, skip = split_clauses(text, s_start, s_end), self.reader.skip_leading
        pending: tuple[int, int, int] | None = None  # a lead-in joined to the next clause: clause start, its span
        condition: str | None = None
        founded: str | None = None  # a body the clause before set up (X设立Y，负责…: Y bears what follows)
        restore: list[str | None] | None = None  # the bearers in force before a clause whose subject is a thing
        named: set[int] = set()  # the clauses that are a name of their own (国务院，中央军事委员会，…)
        for index, (c_start, c_end) in enumerate(clauses):
            if restore is not None:
                state.bearers, restore = restore, None  # (a thing's clause is its own: 其范围应当…，并凭…调配)
            clause = _Clause(text, clauses, index, cues, text[skip(text, c_start):c_end].strip(" 　"))
            reading = self._reread(clause, self.reader.read(text, c_start, c_end, cues,
                                                      in_item=unit.item is not None and bool(state.bearers)), state)
            if founded and reading.bearers is None and clause.body.startswith(("负责", "履行", "承担")):
                # (not 设立专门机构，配备专职人员…: the founder goes on, convention 11)
                reading = replace(reading, bearers=[founded])
            founded = None
            if reading.bearers is None and reading.cue and unit.item is None \
                    and self.roles.thing_subject(text[c_start:reading.cue[0]]):
                # …，审计结果应当…: the thing's clause is its own, the bearer before it goes on after it (if any)
                restore, state.bearers, state.conditional = list(state.bearers) or None, [None], False
            aside, condition = self._aside(clause, reading, state, condition)
            if aside:
                continue
            if reading.bearers is None and reading.cue is None and \
                    _LIABILITY.fullmatch(liable := text[skip(text, reading.action_start):c_end].strip()):
                # …，依法承担赔偿责任: who is liable is not named (convention 28): a null bearer, whoever the sentence's
                # unless the condition before it has a subject (X违反…，给…造成损失的，承担赔偿责任: X, convention 22)
                liable_party: list[str | None] = list(state.bearers) if state.conditional and state.bearers \
                    and all(state.bearers) and condition else [None]
                yield from self._records(document, unit, _State(liable_party, "obligation"), liable, condition, None,
                                         c_start, c_end)
                condition = None
                continue
            if reading.bearers and reading.cue is None and clause.comma and not BY.search(text, c_start, c_end) and \
                    self.roles.new_subject(text, reading, clauses[index + 1], cues):
                condition = clause.body  # 赔偿义务机关…未作出决定，赔偿请求人可以…: what another's duty follows from
                continue
            if reading.bearers and reading.cue is None and state.modality and \
                    BY.match(text, self.grammar.after_adverbs(text, skip(text, c_start))) and \
                    not (state.modality == "permission" and not any(state.bearers) and pending is not None):
                # …可以提出议案，由常务委员会会议审议: 由X's own force (convention 16); but a 可以 with no bearer
                # before it reaches over the lead-in to 由X (可以根据当事人的请求，由X调解处理)
                state.modality = "obligation"
            # names listed before (each clause a name, from the sentence's first)
            listed = list(state.bearers) if index and named == set(range(index)) and reading.cue is None else []
            if not self._bear(state, reading):
                continue
            if unit.lead_in and reading.cue and "下列" in text[c_start:c_end]:
                state.items = (list(state.bearers), state.modality)  # who the items speak of, with what force
                if not clause.last:
                    continue  # 应当具备下列条件，…，方可…：the items are 应当's actions, 方可… a record of its own
            action_start = self.grammar.after_aside(text, skip(text, reading.action_start))
            action = text[action_start:reading.action_end or c_end].strip(" 　")
            state.topic = not action and reading.bearers is not None
            if state.topic:
                named.add(index)
            if state.topic and listed and text[c_start - 1:c_start] in "，,":
                state.bearers = [*listed, *state.bearers]  # 国务院，中央军事委员会，…，可以…: names listed with commas
            if reading.bearers is None and reading.cue is None and _PROSECUTION.fullmatch(action):
                continue  # …；构成犯罪的，依法追究刑事责任: for the courts, not the sentence's bearer (convention 28)
            if reading.cue is None and (self.grammar.words(action[:4])[:1] in (["受"], ["不受"], ["被"])
                                        or _EXEMPTION.search(action)
                                        or (unit.item is None and _PROTECTED.search(action))):
                # 法官…受法律保护，不受…干涉: the subject is acted upon (convention 28), no duty of its own; …不承担
                # 保证责任: an exemption, no duty either
                continue
            if reading.cue is None and reading.bearers and not BY.search(text, c_start, c_end) \
                    and _RELATIVE_ACTION.match(action):
                state.bearers = []  # 用户使用的电力电量，以…为准: a thing the bearer's relative clause names, no act
                continue
            if reading.cue is None and self.grammar.words(action[:4])[:1] in (["是"], ["系"], ["即"]) \
                    and not any(p.search(action) for k, p in self.cues.kinds if k != "supervisory"):
                continue  # X是…的自律性组织: a description (not X是第一责任人, a duty of its own kind)
            if not action or (unit.lead_in and clause.last and text[c_end : c_end + 1] in "：:"
                              and not self.cues.condition_items.search(text)
                              and (state.items is None or "下列" in text[c_start:c_end])):
                continue  # the lead-in's own verb: its items are the actions (unless they are conditions)
            if not clause.last and (self.roles.leads_in(action) or self.cues.circumstance.match(action)):
                # 根据本法，结合本行政区域实际情况，对…作出规定: lead-ins chain into the action that follows them
                pending = (c_start, action_start, c_end) if pending is None else (*pending[:2], c_end)
                continue
            if pending is not None:  # 结合实际，组织开展… / 根据…的要求，慈善组织应当…: one action
                before_cue = reading.cue is not None and reading.cue[0] == skip(text, c_start)
                (c_start, lead_start, lead_end), pending = pending, None
                lead = text[lead_start:lead_end].strip(" 　")
                if not before_cue:  # (X对…等，应当予以保密: a lead-in before the cue is not the action, convention 27)
                    action = action if action.startswith(lead) else f"{lead}，{action}"
            if reading.cue and reading.bearers and all(reading.bearers):  # 有条件的应当…, 就职时应当…, 开展业务应当…
                condition = condition or self.roles.condition_before_cue(text, reading)
            yield from self._records(document, unit, state, action, condition, reading.with_, c_start, c_end)
            condition, founded = None, self.roles.founded(action)



    def _reread(self, clause: _Clause, reading: Reading, state: _State) -> Reading:
        """A reading in the light of the bearer in force: 其 points back to it (convention 2), a verb and its
        object read as a name (教育职工…) is that bearer's act; and 禁止 opening a clause after everyone's
        prohibition binds everyone again (convention 9: null), so no bearer stays in force."""
        text, (start, end) = clause.text, clause.span
        if reading.bearers and len(state.bearers) == 1 and state.bearers[0] and \
                any(ITS.match(n) for n in reading.bearers):
            reading = replace(reading, bearers=resolve_its(reading.bearers, state.bearers))
        if state.bearers and reading.bearers and reading.cue is None and not BY.search(text, start, end) \
                and not (clause.index == 0 and "的" in reading.bearers[0]) \
                and self.grammar.verb_and_object(reading.bearers):
            reading = Reading(None, reading.cue, self.reader.skip_leading(text, start))  # 工会…，教育职工…
        if reading.bearers is None and reading.cue and reading.cue[0] == self.reader.skip_leading(text, start) \
                and text.startswith(_OPENS_NEW_SUBJECT, reading.cue[0]) and state.bearers \
                and all(b in self.grammar.universal for b in state.bearers):
            state.bearers = []  # 禁止任何单位…，禁止拼装的机动车交易: none in force, so convention 9's null
        return reading

    def _aside(self, clause: _Clause, reading: Reading, state: _State,
               condition: str | None) -> tuple[bool, str | None]:
        """Whether a clause gives no record of its own (an exception, a condition, a topic, an occasion, a subject
        that is not the bearer's), and the condition that follows from it."""
        text, (start, end), body, cues = clause.text, clause.span, clause.body, clause.cues
        if self.cues.exception.match(body):
            return True, condition  # 国家另有规定的除外
        action = text[reading.action_start:end].strip(" 　")
        if not clause.last and (body.endswith("的") or (reading.cue is None and (
                self.cues.circumstance.match(body) or self.cues.circumstance.match(action)))):
            self._condition(clause, reading, state)  # …的， / 在…时， : the condition of what follows
            return True, f"{condition}，{body}" if condition and body.endswith("的") and clause.index and \
                clause.clauses[clause.index - 1][1] == start - 1 and text[start - 1] in "，," else body
        if reading.cue is None and clause.index == 0 and not BY.search(text, start, end) \
                and self._opens_condition(clause):
            names = reading.bearers or (None if ACTED_ON.search(text, end, clause.clauses[-1][1])
                                        else self.roles.opening_name(text, start, end))
            if names:  # 法官涉嫌违纪违法，已经被立案调查，不宜继续履行职责的，…: one condition, X its subject
                state.bearers, state.conditional = list(names), True
            return True, f"{condition}，{body}" if condition else body
        following = clause.following
        if clause.index == 0 and clause.comma and reading.bearers is None and reading.cue and \
                reading.cue[2] != "right" and text[start:reading.cue[0]].strip(" 　") in ("", "依法") and \
                self.grammar.topic_noun_phrase(body):
            return True, condition  # 依法必须进行招标的项目，…: a thing described by a duty, the sentence's topic
        if reading.cue is None and clause.comma and self.roles.is_topic(text, reading, following, cues):
            state.bearers = []  # 各级人民政府举办的…资金，应当…: a topic, not the one who acts
            return True, condition
        if reading.bearers and reading.cue is None and not clause.last and not state.carried and \
                text[end] in "，," and not BY.search(text, start, reading.action_start) and \
                text[following[0]:following[1]].rstrip(" 　").endswith("的"):
            state.bearers, state.conditional = list(reading.bearers), True
            return True, body  # X不依照本法规定…，致使…的，责令…: X is in the condition, who broke the rule
        if reading.bearers and reading.cue is None and clause.comma and self.roles.occasion(text, reading, end) \
                and not BY.search(text, start, reading.action_start) \
                and self._occasion_before(clause):
            state.bearers, state.conditional, state.topic = list(reading.bearers), True, False
            return True, body  # 生产经营单位采用新工艺…，必须…: the occasion (convention 22); X bears the cue
        if reading.bearers is None and reading.cue is None and clause.index == 0 and clause.comma \
                and "的" not in body and self._occasion_before(clause) \
                and self.roles.acted_on_after(text, *clause.cue_clause, cues) \
                and (names := self.roles.opening_name(text, start, end)):
            state.bearers, state.conditional, state.topic = list(names), True, False
            return True, body  # 付款人承兑汇票，不得…: the same, where jieba tags the verb a noun (承兑汇票)
        if reading.bearers is None and reading.cue is None and state.carried and not self.roles.acts(text, start):
            return True, condition  # 原租船合同约定的权利和义务不受影响: a subject of its own, not the bearer's action
        if state.conditional and reading.bearers is None and condition and \
                self.cues.violation.search(condition) and self.roles.sanction_at(text, reading.action_start):
            if reading.cue is None:
                return True, condition  # X违反…的，责令改正: X is who is sanctioned, not who acts
            state.bearers = []  # …的，可以处…罚款: by an authority not named (convention 12)
        return False, condition

    def _occasion_before(self, clause: _Clause) -> bool:
        """Whether the clause is an occasion whose cue opens a later clause (convention 22): the next clause, or
        one after clauses that go on with its act (…建设…，存储、加工政务数据，应当…, …，或者…，有权…), not past a
        condition (如果…) or a clause naming someone (…，检疫医师首先登车，列车长…，应当…), its cue not a predicate
        (…参加…保险，缴纳…，享受… is three acts: 享受 is no occasion's cue)."""
        text, cues = clause.text, clause.cues
        start = clause.cue_clause[0]
        at = self.reader.skip_leading(text, start)
        cue = next((c for c in cues if c[0] == at), None)
        if not self.roles.opens_with_cue(text, start, cues) or cue is None:
            return False
        between = clause.clauses[clause.index + 1:clause.clauses.index(clause.cue_clause)]
        return not between or (text[cue[0]:cue[1]] not in self.cues.predicates
                               and not any(text.startswith(_SUBORDINATORS, s) or self.roles.opening_name(text, s, e)
                                           or self.grammar.parse(text[s:e]) for s, e in between))

    @staticmethod
    def _opens_condition(clause: _Clause) -> bool:
        """Clauses without a cue running, comma after comma, into a …的 clause that is not the last: all one
        condition (…，…，…的，then what follows from it)."""
        text = clause.text
        for k in range(clause.index, len(clause.clauses) - 1):
            start, end = clause.clauses[k]
            if any(start <= c[0] < end and not text.startswith("的", c[1]) for c in clause.cues) \
                    or text[end] not in "，,":  # (a cue before 的 is a relative clause's: 依法享有的…自主权)
                return False
            if k > clause.index and text[start:end].rstrip(" 　").endswith("的"):
                return True
        return False

    def _condition(self, clause: _Clause, reading: Reading, state: _State) -> None:
        """A condition (…的, 在…时) sets the bearer in force to its subject, where it names one."""
        text, (start, end) = clause.text, clause.span
        if reading.bearers is None and clause.body.endswith("的") and not state.topic and not state.bearers \
                and not clause.last and (self.roles.acted_on_after(text, *clause.following, clause.cues)
                                         or self.roles.its_subject_after(text, *clause.following, clause.cues)):
            reading = Reading(self.roles.opening_name(text, start, end), None, reading.action_start)
        if reading.bearers and (not state.topic or not clause.body.endswith("的")) \
                and not (state.topic and clause.body.startswith(("除", "在", "当"))):  # (…的债权人，除人民法院…外)
            # (…的企业集团，母公司除…外，还应当…: a circumstance's own subject takes over from the topic)
            state.bearers, state.conditional = list(reading.bearers), not state.topic or clause.body.endswith("的")
        elif state.topic and not reading.bearers:
            state.conditional = True  # X及其工作人员，不依法履行职责的，…: X is the condition's subject
        # (X单位，从业人员超过一百人的，应当…: the condition has its own subject, X stays)

    # -- step 3: who bears a clause (its reading is reading.py's, its role roles.py's) --

    @staticmethod
    def _bear(state: _State, reading: Reading) -> bool:
        """Update who bears the clause (conventions 5, 9, 11, 12); False when it assigns nothing."""
        if reading.bearers is not None:
            state.bearers, state.conditional, state.carried = list(reading.bearers), False, False
            state.modality = reading.cue[2] if reading.cue else state.modality
            return True
        if reading.cue is not None:
            state.modality = reading.cue[2]
            state.conditional = False
            if not state.bearers:
                state.bearers = [None]
            return True
        return bool(state.bearers) and not state.conditional

    # -- step 4: records -----------------------------------------------------------

    def _records(self, document: Document, unit: Unit, state: _State, action: str, condition: str | None,
                 with_: str | None, c_start: int, c_end: int) -> Iterator[Duty]:
        norm = document.norm
        n_start, n_end = unit.start + c_start, unit.start + c_end
        src_start, src_end = norm.to_source(n_start, n_end)
        kind = next((k for k, p in self.cues.kinds if p.search(action)), None)
        recipient = self.cues.recipient.search(action)
        if condition and len(state.bearers) == 1 and (name := state.bearers[0]) and condition.startswith(name) \
                and not condition.startswith(_CONJUNCTIONS, len(name)) and len(condition) > len(name) + 1 \
                and self.grammar.parse(condition[:len(name)]) and not self.grammar.parse(condition[:len(name) + 1]):
            condition = condition[len(name):]  # 赔偿请求人书写申请书确有困难的: the bearer is not its own condition
        for name in state.bearers:
            actor = self._actor(name)
            yield Duty(
                document=document.title, article=unit.article.key, paragraph=unit.paragraph, item=unit.item,
                actor=name, members=list(actor.members) if actor else [],
                modality=state.modality or "obligation", action=action, kind=kind, condition=condition,
                recipient=recipient.group("recipient") if recipient else None,
                text=norm.text[n_start:n_end], original=norm.source_text[src_start:src_end],
                start=src_start, end=src_end, with_=with_,
                level=actor.level if actor else None, actor_kind=actor.kind if actor else None,
                post_of=actor.post_of if actor else None, norm_start=n_start, norm_end=n_end,
            )

    def _actor(self, name: str | None) -> Actor | None:
        if name is None:
            return None
        if name not in self._actors:
            self._actors[name] = self.lexicon.resolve(name) or self.lexicon.guess(name)
        return self._actors[name]


_CONJUNCTIONS = ("和", "及", "与", "或", "、", "以及", "或者")
