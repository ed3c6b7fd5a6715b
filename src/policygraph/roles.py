"""What a clause is to its sentence: a lead-in, the occasion or the topic of a duty, a condition's subject, a
thing that is the subject, a body set up for what follows (conventions 6, 18, 21, 22, 27, 28).

``ClauseRoles`` answers these questions for ``extract.Extractor``, on top of a clause's reading (``reading.py``):
which bearer and cue a clause names is the reading's; what the clause does for the clauses around it is here.
"""

from __future__ import annotations

import re

from .bearers import NOUNISH, OCCASION
from .clauses import CLAUSE_END, ITS
from .cues import Cue
from .reading import BY, ClauseReader, Reading
from .words import opening, tagged

# 由X, 责令 or 其 after a condition: its subject is acted upon there (公务员违纪违法的，应当由…决定…).
ACTED_ON = re.compile("由|责令|其|对其")
# A span of time opening a clause: 自…之日起(…日内), 从…起.
_COORDINATORS = ("和", "及", "与", "以及")
# Characters that end a noun naming people or bodies (经营者, 当事人, 社员, 农户, 甲方, 承运商…): such a noun
# alone before a cue, though no head of the grammar names it, is more likely a bearer than a thing.
AGENT_ENDS = tuple("人者员户方商家师长手所庭院局会部委办队站社席组")
_TIME_SPAN = re.compile(r"(?:自|从)[^，。；]{1,40}?起(?:[^，。；]{0,12}?(?:内|以内|前))?")


class ClauseRoles:
    """Questions about a clause's place in its sentence, asked with a reader's grammar and cues."""

    def __init__(self, reader: ClauseReader) -> None:
        self.reader, self.grammar, self.cues = reader, reader.grammar, reader.cues
        self._basis = re.compile("的(?:" + "|".join(map(re.escape, self.cues.basis_nouns)) + ")")  # …的规定

    def founded(self, action: str) -> str | None:
        """The body an action sets up (设立法官遴选委员会 → 法官遴选委员会), or None."""
        words = [w for w, _ in opening(action, 2)]  # (the first word, and whether another follows)
        if len(words) < 2 or words[0] not in self.cues.founding:
            return None
        body = self.grammar.one(action[len(words[0]):])
        heads = self.grammar.department_heads
        if body is None or body.head.endswith(("机制", "会议")):
            return None  # 建立…协调机制，指导…: a mechanism is how its founder acts, not who acts
        return body.name if body.head in heads or body.head.endswith(self.grammar.organisations) else None

    def thing_subject(self, before_cue: str) -> bool:
        """A noun phrase before a cue that names no bearer (审计结果, 组成人员的人数, 相关信息): a thing or an
        activity is the subject (convention 21), not the bearer in force."""
        pre = self.reader.skip_leading(before_cue, 0)
        phrase = before_cue[pre:].strip(" 　").removeprefix("但是").removeprefix("其中")
        if len(phrase) < 2 or phrase.startswith((*self.grammar.adverbials, *self.cues.prepositions)) \
                or OCCASION.fullmatch(phrase) or self.grammar.parse(phrase):
            return False
        words = tagged(phrase)  # (nouns that no head makes a name and no agent's character ends: 财产, 审计结果)
        return not phrase.endswith(AGENT_ENDS) \
            and all(tag in (*NOUNISH, "uj") for _, tag in words) \
            and words[-1][1] in ("n", "vn", "nz") \
            and not self.grammar.adverbial_at(phrase, 0)

    def condition_before_cue(self, text: str, reading: Reading) -> str | None:
        """军队有条件的应当…: the 的-phrase between the bearer and its cue is the duty's condition."""
        assert reading.cue is not None
        start = reading.cue[0]
        names = tuple(reading.bearers or ())
        while start > 0 and text[start - 1] not in CLAUSE_END and not text[:start].endswith(names):
            start -= 1
        phrase = text[start:reading.cue[0]]
        return phrase if phrase.endswith("的") or OCCASION.fullmatch(phrase) \
            or self.grammar.occasion_verb_phrase(phrase) else None  # 就职时 (convention 27); 开展业务 (22)

    def acts(self, text: str, start: int) -> bool:
        """A clause that opens with an action: a verb, an adverbial or a preposition."""
        pos = self.reader.skip_leading(text, start)
        return self.grammar.acts(text[pos:]) or self.grammar.adverbial_at(text, pos) \
            or text.startswith(self.cues.prepositions, pos)

    def is_topic(self, text: str, reading: Reading, following: tuple[int, int], cues: list[Cue]) -> bool:
        """A clause that is a noun phrase (…的建设资金) and is followed by a clause opening with a cue."""
        at = self.reader.skip_leading(text, following[0])
        if not any(c[0] == at for c in cues) and not BY.match(text, at):
            return False  # the next clause opens with a cue or with 由X: this one is its topic
        tail = text[reading.action_start:following[0] - 1]
        if "的" not in tail or self.grammar.adverbial_at(text, reading.action_start) \
                or tail.startswith(("（", *self.cues.prepositions)):
            return False  # 按照各自的职责，负责…: a lead-in, the bearer stays
        if reading.bearers and len(self.grammar.words(tail.split("的", 1)[0])) > 2 and not BY.match(text, at):
            return False  # 生产经营单位进行爆破…规定的其他危险作业，应当…: X's occasion (convention 22), not a topic
        return not any(self.grammar.is_verb(w) for w in self.grammar.words(tail.rsplit("的", 1)[1]))

    def opening_name(self, text: str, start: int, end: int) -> list[str] | None:
        """The bearers a condition opens with, whatever follows them (赔偿请求人 | 书写申请书确有困难的: jieba tags
        书写 a noun)."""
        pos = self.reader.skip_leading(text, start)
        for stop in reversed(self.grammar.ends(text, pos, end)):  # the shortest: 行政机关 | 发现公民…的
            if stop < end and text[stop] not in "的、和及与或其" and (names := self.grammar.parse(text[pos:stop])):
                return names
        return None

    def acted_on_after(self, text: str, start: int, end: int, cues: list[Cue]) -> bool:
        """What follows a condition opens with a cue and names no other actor (…的，可以委托他人代书), not 由X, 责令 or
        其 (公务员违纪违法的，应当由处分决定机关…: the condition's subject is acted upon there)."""
        return self.opens_with_cue(text, start, cues) and not ACTED_ON.search(text, start, end)

    def its_subject_after(self, text: str, start: int, end: int, cues: list[Cue]) -> bool:
        """What follows a condition is done by someone of the condition's subject (…病故的，其亲属享受…)."""
        if not ITS.match(text, self.reader.skip_leading(text, start)):
            return False
        then = self.reader.read(text, start, end, cues)
        return bool(then.bearers) and then.cue is not None and all(ITS.match(n) for n in then.bearers or [])

    def new_subject(self, text: str, reading: Reading, following: tuple[int, int], cues: list[Cue]) -> bool:
        """The next clause names a bearer of its own, other than this clause's, and a cue."""
        then = self.reader.read(text, *following, cues)
        if not then.bearers or then.cue is None or then.bearers == reading.bearers:
            return False
        opening = text[following[0]:then.cue[0]]  # 成员较少的可以…, 由X…: no subject of its own
        return "的" not in opening and not BY.search(opening)

    def occasion(self, text: str, reading: Reading, end: int) -> bool:
        """A clause with a predicate of its own that is not a lead-in (生产经营单位采用新工艺…), before a cue."""
        own = text[self.reader.skip_leading(text, reading.action_start):end].strip(" 　")
        return bool(own) and not self.leads_in(own) \
            and (not own.startswith(self.cues.prepositions) or self._acts_after_object(own))

    def sanction_at(self, text: str, pos: int) -> bool:
        """A verb of sanction as a whole word (处 | 罚款, not 处理) opens the action."""
        words = tagged(text[self.reader.skip_leading(text, pos):pos + 12])
        return bool(words) and words[0][0] in self.cues.sanctions

    def opens_with_cue(self, text: str, start: int, cues: list[Cue]) -> bool:
        at = self.reader.skip_leading(text, start)  # a modal cue or a right, not 负责 (…，负责制定… goes on)
        return any(c[0] == at and (text[c[0]:c[1]] not in self.cues.predicates or c[2] == "right") for c in cues)

    def _acts_after_basis(self, clause: str) -> bool:
        """Whether a verb follows a basis noun after 的 (…的规定 | 确定…, …的要求 | 制定…): the lead-in ends there."""
        for m in self._basis.finditer(clause):
            rest = clause[m.end():]
            if rest and not rest.startswith(("和", "及", "、", "等", "的", "以及", "或者")) and self.grammar.acts(rest):
                return True
        return False

    def _acts_after_object(self, clause: str) -> bool:
        """对/向 + an object and then a predicate of the clause's own (对经营者 | 实施监督检查)."""
        if not clause.startswith(("对", "向")) or "，" in clause or "的" in clause:
            return False
        words = tagged(clause)
        return len(words) >= 4 and words[-1][1] in ("v", "vn") and any(
            t == "v" and len(w) > 1 for w, t in words[2:])

    def _noun_phrase(self, tail: str) -> bool:
        """Nouns and adjectives, listed with 、/和/及, ending in a noun; a verb only between an adjective or a
        coordinator and a noun it modifies (紧急 | 信访 | 事项): the object of a preposition after its relative
        clause, with no predicate of its own."""
        tokens = [(w, t) for w, t in tagged(tail) if t != "x" or w == "、"]
        return bool(tokens) and tokens[-1][1] == "n" and all(
            t in ("n", "a", "b", "c", "nz", "j") or w == "、"
            or (t == "v" and i + 1 < len(tokens) and tokens[i + 1][1] == "n" and w not in self.cues.light_verbs
                and (i == 0 or tokens[i - 1][1] in ("a", "b", "c") or tokens[i - 1][0] == "、"))
            for i, (w, t) in enumerate(tokens))  # (问题 | 提出 | 解决方案: after a noun a verb is the predicate)

    def leads_in(self, clause: str) -> bool:
        """按照工作职责 / 对…的部门和个人: a prepositional phrase with no predicate of its own."""
        clause = clause.removeprefix("分别").removeprefix("各自")  # 分别依照各自职责: an adverb before the preposition
        if _TIME_SPAN.fullmatch(clause):
            return True  # 自确定中标人之日起十五日内，提交…: when, not what
        if not clause.startswith(self.cues.prepositions):
            return False
        tail = clause.rsplit("的", 1)[-1]  # 对负有责任的主管人员…: a cue inside the relative is not the clause's
        if any(v in tail for v in self.cues.light_verbs) or any(w in tail for w in self.cues.modal if len(w) > 1):
            return False
        if any(p.search(clause) for k, p in self.cues.kinds if k != "supervisory"):
            return False
        if self._acts_after_basis(clause):
            return False  # 按照保密事项范围的规定 | 确定具体的保密期限: the basis, then the clause's own act
        if clause.endswith(self.cues.basis_nouns):
            return True  # 根据志愿者的要求 / 结合实际: jieba tags 要求 v and 结合实际 l
        head = [w for w, t in tagged(tail) if t != "x"]
        if clause.startswith(("对", "对于", "针对", "就")) and "的" in clause and 1 <= len(head) <= 2 \
                and not any(v in clause for v in self.cues.light_verbs):
            return True  # 对违反本法规定的行为，…: a head noun after 的, however jieba tags it (行为 v)
        if clause.startswith(("对", "对于", "针对", "就")) and "的" in clause and self._noun_phrase(tail):
            return True  # 对可能造成…的重大、紧急信访事项和信访信息，…: the object a noun phrase (信访 | 事项)
        # The preposition's object runs to the end of the clause (依据地质灾害防治规划): no predicate of its own,
        # no verb after the object's first word (结合本地区实际 | 制定政策措施 has one).
        tokens = tagged(tail.removesuffix("等"))  # 通过平等协商和集体合同制度等，…
        # (a "verb" between a noun and 和 is a noun jieba mistags: 公民基本文化需求 | 和 | 经济社会发展水平; verbs
        # listed with 、 stay verbs: 为…目的制造、使用…)
        return bool(tokens) and tokens[-1][1].startswith(NOUNISH) and not any(
            t == "v" and not (0 < i < len(tokens) - 1 and tokens[i + 1][0] in _COORDINATORS and len(w) > 1
                              and tokens[i - 1][1].startswith("n"))  # (not 本条 | 例 | 和…: a word cut in two)
            for i, (w, t) in enumerate(tokens) if i >= 2)
