"""Reading one clause: the bearers it names, its cue, and where its action starts.

``ClauseReader.read`` tries, in order: 由X + verb (convention 16), X + cue, a cue inside a name's relative
clause, 禁止X…, a duty phrase (有…的义务), X + verb, a clause that is only names, a description's subject.

>>> from policygraph.bearers import default_grammar
>>> from policygraph.cues import default_cues, default_nlp
>>> text = "县级以上人民政府应当加强领导。"
>>> doc = default_nlp()(text)
>>> cues = [(s.start_char, s.end_char, s.label_) for s in doc.spans["cues"]]
>>> r = ClauseReader(default_grammar(), default_cues()).read(text, 0, len(text) - 1, cues)
>>> r.bearers, r.cue[2], text[r.action_start:len(text) - 1]
(['县级以上人民政府'], 'obligation', '加强领导')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .bearers import BearerGrammar
from .cues import Cue, Cues

# 由X + verb (convention 16), also after the document's own name: 本办法由X负责解释.
BY = re.compile(r"(?<![交经理缘自转])由(?![于此])")  # (转由: transferred to, inside an object)


@dataclass(frozen=True)
class Reading:
    """What one clause says of itself: bearers it names, its cue, where its action starts."""

    bearers: list[str] | None
    cue: Cue | None
    action_start: int
    with_: str | None = None
    action_end: int | None = None  # where a cue around the action ends it (有…的义务)


class ClauseReader:
    """Reads clauses with a bearer grammar and the cues."""

    def __init__(self, grammar: BearerGrammar, cues: Cues) -> None:
        self.grammar, self.cues = grammar, cues
        self._leading = re.compile("|".join(map(re.escape, sorted(cues.leading, key=len, reverse=True))))
        self._modals = tuple(m for m in cues.modal if m not in ("禁止", "严禁"))  # (X，禁止…: X is what it bans)
        self._universal = sorted(grammar.universal, key=len, reverse=True)

    def read(self, text: str, start: int, end: int, cues: list[Cue], *, in_item: bool = False) -> Reading:
        """The bearers a clause names and its cue: 由X…, then X + cue, then X + verb (not in an item, whose
        bearers are the lead-in's), then a clause that is only a bearer or a description's subject."""
        pos = self.skip_leading(text, start)
        # a cue right before 的 is inside a relative clause (对其直接负责的主管人员…): not the clause's
        own = [c for c in cues if pos <= c[0] < end and not text.startswith("的", c[1])]
        named = [c for c in own if self._in_name(text, pos, c, end)]  # (the longer name then reads first)
        own = [c for c in own if c not in named]
        by = BY.search(text, pos, end)
        # a cue before 由X inside a 的-phrase (前款应当通报的金额标准由X规定) is not the clause's
        before = [c for c in own if c[0] < by.start() and "的" not in text[c[1]:by.start()]] if by else []
        found = self.grammar.before_verb(text, by.end(), end, longest=True) \
            if by and (not before or before[-1][1] == by.start()) else None
        if found and by and text[pos:by.start()].endswith(tuple(self.cues.founding)) and \
                text.startswith(self.grammar.composition_verbs, self.grammar.after_aside(text, found[1])):
            found = None  # X设立由Y等组成的Z: what Z is made of, inside X's act
        if found:
            names, after = found  # 由X确定 / 可以由X补选 (convention 16)
            if text.startswith(self.grammar.composition_verbs, self.grammar.after_aside(text, after)):
                return Reading(None, None, end)  # 由主任和委员组成: what it is made of
            at = self.grammar.after_adverbs(text, after)  # 由合作作者共同享有: an adverb before the verb
            cue = next((c for c in own if c[0] in (after, at)), None)
            if cue is not None and text[cue[0]:cue[1]] in self.cues.predicates:
                if by and before and before[-1][1] == by.start() and text[cue[0]:cue[1]] == "负责":
                    cue = (cue[0], cue[1], before[-1][2])  # 也可以由其上级机关负责: the modal's force, 负责 kept
                return self._with(text, names, cue, after, end)  # 由制作者享有: a right, the action keeps 享有
            if cue is None and before:
                return self._with(text, names, before[-1], after, end)
            return self._with(text, names, cue, cue[1] if cue else after, end)
        for cue in own:
            if found := self.grammar.before_cue(text, pos, cue[0]):
                return self._with(text, found[0], cue, self.action_start(text, cue, found[1]), end)
        if own and (inside := self._name_around_cue(text, pos, end, own)):
            return inside
        if own and own[0][0] == pos and text.startswith(("禁止", "严禁"), pos) and \
                (found := self.grammar.before_verb(text, own[0][1], end) or self._everyone(text, own[0][1])):
            return Reading(found[0], own[0], found[1])  # 禁止X单位超越…: X must not
        if not own and (phrase := self._duty_phrase(text, pos, end)):
            return Reading(None, *phrase)  # (…单位有…的义务，)有…的权利
        if not own and not in_item:
            if (found := self.grammar.before_verb(text, pos, end, longest=bool(named))) \
                    and self.grammar.assigns(found[0]):
                if phrase := self._duty_phrase(text, found[1], end):
                    return Reading(found[0], *phrase)  # 新闻、出版…等单位有进行…的义务 (convention 5)
                return self._with(text, found[0], None, found[1], end)
            if whole := self.grammar.parse(text[pos:end]) or self._names_before_cue(text, pos, end):
                return Reading(whole, None, end)  # 村民委员会、居民委员会以及…等社会组织，依法协助…
            if topic := self.grammar.described(text, pos, end):
                return Reading(topic, None, end)  # 村民委员会是…自治组织，实行…: the topic goes on
        cue = self.first_cue(text, own)
        return Reading(None, cue, self.action_start(text, cue, pos) if cue else pos)

    def _everyone(self, text: str, pos: int) -> tuple[list[str], int] | None:
        """A universal bearer after 禁止 (禁止任何单位或者个人以任何形式挪用…, convention 13): whatever follows it, and
        after a comma too, it is whom the prohibition binds."""
        name = next((u for u in self._universal if text.startswith(u, pos)), None)
        return ([name], pos + len(name)) if name else None

    def _names_before_cue(self, text: str, pos: int, end: int) -> list[str] | None:
        """A clause that is only names the grammar reads in part, a cue opening the next (公开募集基金的基金管理人的
        董事、监事和高级管理人员，应当…): the names are its subject, as right before a cue."""
        k = pos
        while k > 0 and text[k - 1] in " 　":
            k -= 1  # (not text[:pos].rstrip(): no copy of the text before it, on a path every clause takes)
        opens = k == 0 or text[k - 1] in "。；：\n"  # (a subject opens its sentence)
        after = text[end + 1:end + 4]
        return self.grammar.modified(text[pos:end]) if opens and text[end:end + 1] == "，" and after.startswith(
            self._modals) else None

    def _in_name(self, text: str, pos: int, cue: Cue, end: int) -> bool:
        """A predicate cue inside the relative clause of a name that opens the clause (国务院负责报废机动车回收
        管理的部门 | 应当…, 县级以上地方人民政府负责…的部门 | 对…实施监督管理): the name's, not the clause's."""
        if cue[0] <= pos or text[cue[0]:cue[1]] not in self.cues.predicates or "的" not in text[cue[1]:end]:
            return False  # (…，负责收留…的未成年人: a cue opening the clause names no one before it)
        return any("的" in (relative := text[cue[1]:e]) and not self.grammar.has_function_word(relative)
                   and self.grammar.parse(text[pos:e]) for e in self.grammar.ends(text, cue[1], end))

    def action_start(self, text: str, cue: Cue, after_bearer: int) -> int:
        """The action runs from after the cue, or, where the cue is the predicate itself (X负责Y,
        X对…负责), from after the bearer, keeping it (convention 20)."""
        return after_bearer if text[cue[0]:cue[1]] in self.cues.predicates else cue[1]

    def _duty_phrase(self, text: str, at: int, end: int) -> tuple[Cue, int, None, int] | None:
        """有…的义务 / 有…的权利 (convention 5): a cue around its action, from 有 to the noun."""
        if (m := self.cues.duty_phrase.fullmatch(text, at, end)) is None:
            return None
        if m.group("right"):  # 有选举权和被选举权, 有管辖权: a right named by its noun, kept in the action
            return (m.start(), m.start() + 1, "right"), m.start("action"), None, m.end("right")
        cue = (m.start(), m.start() + 1, "right" if m.group("noun") == "权利" else "obligation")
        return cue, m.start("action"), None, m.end("action")

    def _name_around_cue(self, text: str, pos: int, end: int, own: list[Cue]) -> Reading | None:
        """A cue inside the relative clause of a name (负有…职责的部门依法开展…, 应当履行…义务的机构应当…):
        the name is the bearer; the clause's cue is the first one after it, if any. Not a prohibition that opens
        the clause (严禁不具有…身份的人员从事…: the cue, then whom it binds)."""
        if own[0][0] == pos and text.startswith(("禁止", "严禁"), pos) and text[:pos].rstrip(" 　")[-1:] in "。；：\n":
            return None  # (…应自行立法禁止…，禁止外国的…组织…: after a comma 禁止 goes on with the bearer's act)
        if "的" in text[own[0][1]:end] and (whole := self.grammar.parse(text[pos:end])):
            return Reading(whole, None, end)  # …和其他负有…职责的部门、机构，有权…: the clause is the names
        found = self.grammar.before_verb(text, pos, end, longest=True)
        if found is None or found[1] <= own[0][0] or "的" not in text[own[0][1]:found[1]]:
            return None
        after = [c for c in own if c[0] >= found[1]]
        if after and (self.grammar.after_aside(text, found[1]) == after[0][0]
                      or self.grammar.adverbial_at(text, found[1])):
            return self._with(text, found[0], after[0], after[0][1], end)
        return None if after else self._with(text, found[0], None, found[1], end)

    def _with(self, text: str, names: list[str], cue: Cue | None, action_start: int, end: int) -> Reading:
        """X会同Y… : Y goes in ``with`` and the action starts after it (convention 17)."""
        at = self.grammar.after_aside(text, self.skip_leading(text, action_start))  # …部门等会同…
        if text.startswith("会同", at):
            if partner := self.grammar.before_verb(text, at + 2, end):
                return Reading(names, cue, partner[1], text[at + 2:partner[1]])
            if self.grammar.parse(text[at + 2:end]):
                return Reading(names, cue, end, text[at + 2:end])  # X会同Y，依据…，编制…
        return Reading(names, cue, action_start)

    def skip_leading(self, text: str, pos: int) -> int:
        """The position after a conjunction that opens a clause (并, 同时, 但…), not 但是 (an exception or a limit
        follows it, read by the clause shapes)."""
        m = self._leading.match(text, pos)
        return m.end() if m and (m.end() - pos > 1 or not text.startswith("但是", pos)) else pos

    @staticmethod
    def first_cue(text: str, own: list[Cue]) -> Cue | None:
        """The clause's cue when no bearer is named: not one inside a 的-phrase (负有…职责的部门应当)."""
        for i, cue in enumerate(own):
            later = own[i + 1] if i + 1 < len(own) else None
            if later is None or "的" not in text[cue[1]:later[0]]:
                return cue
        return None
