"""Who must act: the bearers a clause names, found by the shape of their names (``names.py``).

``BearerGrammar`` finds the subject of a clause: the longest name at the start of a clause followed by a
cue or an adverbial (生产经营单位 | 对重大危险源 | 应当), the name after 由 before a verb, or the shortest
name followed by a verb (县级以上人民政府 | 组织编制…).

>>> g = BearerGrammar.load()
>>> g.parse("县级以上人民政府发展改革、财政、审计等部门")
['县级以上人民政府发展改革部门', '县级以上人民政府财政部门', '县级以上人民政府审计部门']
>>> g.parse("县级以上人民政府及其有关部门")
['县级以上人民政府', '县级以上人民政府有关部门']
>>> g.parse("建立生产经营单位") is None
True
>>> text = "生产经营单位的安全生产管理人员应当根据本单位的生产经营特点"
>>> g.before_cue(text, 0, text.index("应当"))
(['生产经营单位的安全生产管理人员'], 15)
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from functools import cache, lru_cache

from .alternation import alternation
from .lists import ListGrammar
from .name_words import (
    HOW_MANY,
    IN_RELATIVE,
    MAX_CONDITION,
    MAX_NAME,
    NAMED_FOR_WHAT_IT_DOES,
    NOT_IN_NAME,
    QUANTITY,
    RESPONSIBLE,
    SINGLE,
    clean_name,
)
from .words import added_words, dictionary_words, is_word, opening, tagged

# An occasion between a bearer and its cue (就职时, 离任后): a condition, not part of the name.
OCCASION_ENDS = ("时", "后", "前", "期间", "以前", "以后", "之前", "之后")
OCCASION = re.compile(r"[^，。；、：\s]{1,8}(?:" + "|".join(OCCASION_ENDS) + ")")


_COORDINATED = re.compile("或者|以及|、|和|及")
# Words that point at a list or a provision, never part of a name of what someone does (下列单位, 上述人员).
_POINTING = ("下列", "上述", "前款", "本条", "以下")
# Adverbs that may stand between a name and its verb or cue and say nothing of who acts.
# A provision cited (第四十一条): a clause about a law, never a name's modifier.
CITED = re.compile(r"第[一二三四五六七八九十百零〇0-9]+条")
_PLAIN_ADVERBS = ("共同", "分别", "单独", "依法", "也", "都", "均", "还")
# Tags of words that end a noun phrase.
NOUNISH = ("n", "vn", "r", "j", "nr", "ns", "nt", "nz", "an", "ng")


class BearerGrammar(ListGrammar):
    """The name grammar, and where its names stand in a clause."""

    def __post_init__(self) -> None:
        super().__post_init__()
        enders = [*self.department_heads, *self.systems, *self.party_heads, *self.posts, *self.named,
                  *self.regions, *self.universal, *self.levels,
                  *(n for n in self.agent_nouns if n[-1] not in self.agent_suffixes)]  # 中国人民银行, 用户 (heads.toml)
        suffixes = "".join(sorted(self.agent_suffixes - {"人"}))
        # A lookahead finds the ends of overlapping heads (管理人 | 人员 in 管理人员); a character that ends
        # agents' nouns (heads.toml: 监察官 like 法官) may end one too, which names.py checks.
        # 人 ends a name, not 人民…; 者 too. A class of the characters the heads open with comes first: most
        # positions fail it at once (the same matches).
        opens = f"(?=[{re.escape(''.join(sorted({w[0] for w in enders} | {'人', '者'})))}])" if all(enders) else ""
        self._ender = re.compile(f"(?={opens}({alternation(enders)}|人(?!民)|(?<!或)者))")
        self._suffix = re.compile(f"(?<=[{suffixes}])") if suffixes else None
        # the dictionary's words that such a character ends and that could name an agent (a cheap first test)
        self._suffixed_words = frozenset(w for w in dictionary_words(3, 6) if w[-1] in suffixes)
        heads_in = lru_cache(maxsize=1 << 12)(lambda text, local: self._scan(text))
        self._heads_in = lambda text: heads_in(text, self.local)  # type: ignore[method-assign]
        self._adverbial = tuple(sorted((a for a in self.adverbials if len(a) > SINGLE), key=len, reverse=True))
        self._single = frozenset(a for a in self.adverbials if len(a) == SINGLE)
        self._levels_with_de = tuple(level for level in self.levels if "的" in level)
        # A span read in part recurs (the same subject opens many clauses of a law): read once per document's agents.
        modified_name = lru_cache(maxsize=1 << 14)(lambda span, local: self._read_in_part(span))
        self._modified_name = lambda span: modified_name(span, self.local)  # type: ignore[method-assign]

    def ends(self, text: str, start: int, stop: int) -> list[int]:
        """Candidate ends of a bearer that starts at ``start``, longest first."""
        limit = min(stop, start + 3 * MAX_NAME)
        starts, ends = self._heads_in(text)
        found = set()
        for i in range(bisect_left(starts, start), len(starts)):
            if starts[i] >= limit:
                break
            if ends[i] <= limit:
                found.add(ends[i])
        return sorted(found, reverse=True)

    def _heads_in(self, text: str) -> tuple[list[int], list[int]]:
        """Where the heads of names start and end in ``text`` (one scan per text, however many starts)."""
        return self._scan(text)

    def _scan(self, text: str) -> tuple[list[int], list[int]]:
        # a head that a longer word goes on with is no end there (理事 | 会 is 理事会, 委员 | 会 is 委员会)
        matches = []
        for m in self._ender.finditer(text):
            head, end = m.group(1), m.end(1)
            if not (is_word(head + text[end:end + 1]) or is_word(head + text[end:end + 2])):
                matches.append((m.start(), end))
        known = {e for _, e in matches}
        if self._suffix is not None:
            suffixed = self._suffixed_words
            for m in self._suffix.finditer(text):
                end = m.start()
                if end not in known and any(text[end - k:end] in suffixed for k in (3, 4, 5, 6)) \
                        and self._word_ends(text, end):
                    matches.append((end - 1, end))
        for word in self.local:  # the document's own agents (档案馆)
            at = text.find(word)
            while at >= 0:
                if at + len(word) not in known:
                    matches.append((at, at + len(word)))
                at = text.find(word, at + 1)
        inside = {i for word in added_words() for m in re.finditer(word, text) for i in range(m.start() + 1, m.end())}
        matches = sorted(m for m in matches if m[1] not in inside)  # (not 非法人 | 组织: 非法人组织 is one term)
        return [s for s, _ in matches], [e for _, e in matches]

    def _word_ends(self, text: str, end: int) -> bool:
        """Whether a word that names an agent by its last character ends at ``end`` (监察官; not 村民委员 | 会,
        inside 委员会)."""
        word = self.words(text[max(0, end - 6):end])[-1]
        return self._mined_head(word) is not None and len(opening(word + text[end:end + 4], 1)[0][0]) == len(word)

    @staticmethod
    def after_aside(text: str, pos: int) -> int:
        """The position after an aside that follows a name: （以下统称农业技术推广部门）, or the 等 that closes a
        list of names (国务院公安部门等会同…; not 等级, 等于)."""
        if text.startswith(("（以下", "(以下"), pos) and (close := text.find("）", pos)) > 0:
            return close + 1
        if text.startswith("等", pos) and not is_word(text[pos:pos + 2]):
            return pos + 1
        return pos

    @staticmethod
    def after_adverbs(text: str, pos: int) -> int:
        """The position after plain adverbs between a name and its verb (合作作者 | 共同 | 享有, 当事人 | 也 | 应当)."""
        while (found := next((a for a in _PLAIN_ADVERBS if text.startswith(a, pos)), None)) is not None:
            pos += len(found)
        return pos

    def adverbial_at(self, text: str, pos: int) -> bool:
        """Whether an adverbial or a preposition opens ``text`` at ``pos`` (对本单位…, 依法…)."""
        pos = self.after_aside(text, pos)
        if text.startswith(self._adverbial, pos):
            return True
        return pos < len(text) and text[pos] in self._single and not self.is_noun(text[pos:pos + 8])

    def verb_and_object(self, names: list[str]) -> bool:
        """A verb and a name (委托 | 社会审计机构), or a verb and people (教育 | 职工), read with no cue while a bearer
        is in force: the bearer's act and whom it is done to, not a bearer (管理人员, one word, is one)."""
        if (first := tagged(names[0])) and first[0][1] == "v" and len(first[0][0]) > 1 and len(first) > 2 \
                and all(tagged(name)[0][0] == first[0][0] for name in names):
            return True  # 组织 | 防洪区内的单位和居民 (积极参加…): one verb before every name read
        words = tagged(names[0]) if len(names) == 1 else []
        if len(words) >= 2 and words[0][1] == "v" and self.one(names[0][len(words[0][0]):]) is not None:
            return True  # 委托 | 社会审计机构 (依法进行审计)
        return len(words) == 2 and words[0][1] in ("v", "vn") \
            and words[1][0] in self.members | self.persons

    def topic_noun_phrase(self, clause: str) -> bool:
        """A clause that is one noun phrase, its cue inside the relative clause before the noun (依法应当编制水土
        保持方案的生产建设项目): no predicate of its own."""
        relative, _, noun = clause.rpartition("的")
        words = tagged(noun) if relative and 1 < len(noun) <= 8 else []
        return bool(words) and all(tag in NOUNISH for _, tag in words) and self.parse(noun) is None

    def before_cue(self, text: str, start: int, cue: int) -> tuple[list[str], int] | None:
        """The longest bearer at ``start`` followed by the cue or by an adverbial (…对…应当)."""
        for end in self.ends(text, start, cue):
            if self._post_follows(text, end):
                continue
            between = text[end:cue]
            if self.after_aside(text, end) == cue or self.adverbial_at(text, end) or self._adverb(between) or \
                    between == "等" or \
                    (between.endswith("的") and len(between) <= MAX_CONDITION) or \
                    OCCASION.fullmatch(between) or self.occasion_verb_phrase(between) or \
                    (self.occasion_clause(between) and not self.acts(text[start:end])):
                # 军队有条件的应当…; 监察官就职时应当… (convention 27); 评估机构开展业务应当… (convention 22)
                names = self.parse(text[start:end]) or self._named_by_function(text[start:end], before_cue=True)
                if names:
                    return names, end
        return self._state_before_cue(text, start, cue) or self._modified_before_cue(text, start, cue)

    def _modified_before_cue(self, text: str, start: int, cue: int) -> tuple[list[str], int] | None:
        """Nothing but a name between the clause's opening and its cue, read by ``modified``: before a cue a verb
        and its object cannot be the subject, so what precedes a head modifies it."""
        names = self.modified(text[start:cue])
        return (names, cue) if names else None

    def modified(self, span: str) -> list[str] | None:
        """``span`` read as names the grammar reads only in part: a modifier it has no rule for before a head it
        reads (公开募集基金的 | 基金管理人, 沿海 | 地方各级人民政府, 特种设备生产、经营、使用 | 单位), for a span that
        can be nothing but names (right before a cue, or a whole clause before one); a list of such names gives one
        bearer each, a bare head after the first taking its modifier (进口医疗器械 | 注册人、备案人: convention 23)."""
        if whole := self._modified_name(span):
            return [whole[0]]
        parts = _COORDINATED.split(span)
        names: list[str] = []
        modified = ""  # the first modified name, whose modifier a bare head after it shares
        for part in parts if len(parts) > 1 else ():
            if names and part.startswith("其") and not part.startswith(("其他", "其它")):
                part = clean_name(names[-1]) + part[1:]  # 及其有关部门: 其 points back (convention 2)
            if self.parse(part) == [part] and (p := self.one(part)) is not None \
                    and (p.head or part in self.named or not self._level.fullmatch(part)):
                shared = self._shared_modifier(modified) if modified else ""
                # a bare head, or people after a possessive owner (…的董事、监事和高级管理人员: convention 23)
                if shared and (not (p.prefix or p.rel) or (shared.endswith("的") and p.head.endswith("人员"))):
                    part = shared + part
                names.append(part)
            elif (found := self._modified_name(part)) is not None:
                names.append(found[0])
                modified = modified or found[0]
            else:
                return None  # (设区的市 | 或者相当于同级的…: a place, a modifier of what follows, not a bearer)
        if not modified:
            return None
        return names if len(names) == len(set(names)) else None

    def _modified_name(self, span: str) -> tuple[str, str] | None:
        """``span`` read as a modifier and a head the grammar reads as one name: (the name, the modifier)."""
        return self._read_in_part(span)

    def _read_in_part(self, span: str) -> tuple[str, str] | None:
        if not 2 < len(span) <= MAX_NAME or any(c in span for c in "，,；;：:。（）()") or span.startswith(_POINTING) \
                or CITED.search(span) or tagged(span)[-1][1] not in NOUNISH:
            return None  # (a name ends in a noun: a cheap first test, before any reading of its parts)
        plain = span
        for level in self._levels_with_de:
            plain = plain.replace(level, "")
        if span.startswith(tuple(NOT_IN_NAME)) and "的" not in plain:
            return None  # 经 | 国务院…批准: a preposition and its object (the dictionary cuts 经国), not 经批准设立的
        words = self.words(span)
        if self._sets_up(words):
            return None
        for i in range(1, len(words)):
            head, mod = "".join(words[i:]), "".join(words[:i])
            if self.parse(head) == [head] and self._loose_modifier(mod, words[:i]):
                return span, mod
        return None

    def _shared_modifier(self, name: str) -> str:
        """What a bare head coordinated after ``name`` shares of it: all before its last word that is a name of its
        own (无障碍设施 | 所有权人或者管理人 → 无障碍设施管理人)."""
        words = self.words(name)
        return next(("".join(words[:i]) for i in range(len(words) - 1, 0, -1)
                     if self.parse("".join(words[i:])) == ["".join(words[i:])]), "")

    def _loose_modifier(self, mod: str, words: list[str]) -> bool:
        """What may modify a head right before a cue: no preposition, modal or adverb of the clause (outside a
        的-phrase), no occasion (必要时), no coordination with a name of its own (国务院和沿海…: a list), no 其, and
        not whom a policy addresses (国家鼓励…)."""
        relative, _, rest = mod.rpartition("的")
        if relative and any(level in mod and mod.index(level) <= len(relative) < mod.index(level) + len(level)
                            for level in self._levels_with_de):
            relative, rest = "", mod  # 设区的市: a level, not a relative clause
        if mod.endswith(("、", "和", "及", "与", "或者", "或", "以及")) or mod.startswith(tuple(self.policy_subjects)) \
                or re.search("其(?![他它])", mod) or OCCASION.fullmatch(mod) or mod.endswith(OCCASION_ENDS):
            return False
        own = self.words(rest) if relative else words
        if "是" in self.words(mod) or self._subject_and_verb(mod, verbs=not relative):
            return False  # X是…的工作机构, X为…的机关, X共同成立 | Y: a clause with its own subject, not a modifier
        if relative and any(self.one(piece) for piece in _COORDINATED.split(relative)[:-1] if piece):
            return False  # 托管组、…、行政清理组以及被责令…的 | 证券公司: names listed, not one relative clause
        if any(w in NOT_IN_NAME for w in own) or (relative and self.words(relative)[0] in NOT_IN_NAME - IN_RELATIVE):
            return False
        if (not relative and (self.is_adverb(mod) or self.is_verb(mod))) \
                or tagged(mod)[0][1] in ("p", "c", "m", "r") or QUANTITY.search(mod):
            return False  # 担任 | 法官, 辞退 | 法官: an activity (convention 21); 有专门的 | 机构: what there is; but a
            # 的-phrase may open with a verb or an adverb of its own (公开募集基金的 | 基金管理人)
        return self._verbs_coordinated(rest if relative else mod)

    def _sets_up(self, words: list[str]) -> bool:
        """A verb that sets up a body, its object a name of its own making (设置 | 医疗机构, 利用财政性资金设立 |
        科学技术研究开发机构): an activity as subject (convention 21), not a bearer."""
        for i, word in enumerate(words):
            if word in self.founding_verbs and len(word) > 1:
                obj = "".join(words[i + 1:])
                if self.parse(obj) == [obj] and (parsed := self.one(obj)) is not None and parsed.name != parsed.head:
                    return True
        return False

    def _subject_and_verb(self, mod: str, *, verbs: bool) -> bool:
        """Whether a name ends the words before 为 (or, with ``verbs``, before a verb) inside ``mod``:
        中央人民政府劳动部 | 为…, 驻地有关军事机关 | 共同成立: a subject and its predicate. (Inside a relative clause
        a subject and its verb are the relative's own: 上级人民法院 | 遴选的 | 法官.)"""
        at = 0
        for word, tag in tagged(mod):
            before = mod[:at].rstrip("".join(_PLAIN_ADVERBS))
            at += len(word)
            if ((verbs and tag == "v") or word == "为") and len(before) > 1 \
                    and any(self.one(before[k:]) is not None for k in range(len(before) - 1)):
                return True
        return False

    def _verbs_coordinated(self, mod: str) -> bool:
        """A coordination inside a modifier joins verbs that share the head (特种设备生产、经营、使用 | 单位): every
        item but the first is one verb. Items of any other kind are names of their own (副院长、审判委员会 | 委员)."""
        items = _COORDINATED.split(mod)
        return all(len(words := tagged(item)) == 1 and words[0][1] in ("v", "vn") for item in items[1:]) \
            and (len(items) == 1 or tagged(items[0])[-1][1] in ("v", "vn"))

    def _state_before_cue(self, text: str, start: int, cue: int) -> tuple[list[str], int] | None:
        """国家 with a cue of its own (国家应当…, 国家在必要时可以…) is a bearer (conventions, "Not records"); 国家 and
        a declarative verb states a policy (``assigns``), and 国家 before a noun opens a name (国家机关)."""
        if text.startswith(("禁止", "严禁"), cue):
            return None  # 国家禁止…: binds everyone (convention 9), not the state
        for state in self.policy_subjects:
            end = start + len(state)
            if not text.startswith(state, start) or end > cue or is_word(text[start:end + 1]) \
                    or is_word(text[start:end + 2]):
                continue
            between = text[end:cue]
            if not between or self._adverb(between) or OCCASION.fullmatch(between) \
                    or (text.startswith(self._adverbial, end) and not _COORDINATED.search(between)
                        and "的" not in between):  # (国家对…给予的抚恤优待: a thing the state gives, the subject)
                return [state], end
        return None

    def _named_by_function(self, span: str, *, before_cue: bool = False) -> list[str] | None:
        """Bodies named for what they do, right before a cue or after 由 (审批机关应当…, 由任免机关或者监察机关
        给予处分): a verb and its object can neither be the subject of a modal nor follow 由, so the verb is the
        body's function there. Coordinated with bodies the grammar reads, each is a bearer."""
        names: list[str] = []
        for part in _COORDINATED.split(span):
            found = self.parse(part) or ([part] if self._function_body(part) or (before_cue and (
                self._verb_headed(part) or self._named_by_activity(part))) else None)
            if not found:
                return None
            names += found
        return names if len(names) == len(set(names)) else None

    def _verb_headed(self, span: str) -> bool:
        """A name whose head is also a verb (消费者 + 组织), which names.py reads as a name and a verb elsewhere
        (责任单位 | 组织…, 由X | 组织…); right before a cue the head has no object, so it is a head."""
        m = self._party.fullmatch(span)
        return m is not None and bool(m.group("mod")) and self.is_verb(m.group("head")) \
            and self.one(m.group("mod")) is not None and self._modifier_ok(m.group("mod"))

    def _named_by_activity(self, span: str) -> bool:
        """An organisation or person named by what it does, a verb in the name (检查人员, 参保人员, 受托生产企业,
        演出举办单位): names.py reads a verb there as a clause (建立 | 生产经营单位), but right before a cue a verb
        and its object cannot be the subject."""
        m = self._party.fullmatch(span)
        if m is None or not m.group("mod") or len(m.group("mod")) > 6 or self.has_function_word(span) \
                or len(m.group("head")) > 2:  # 告知 | 从业人员: a verb and a whole noun, its object
            return False
        words = tagged(m.group("mod"))
        if m.group("mod").startswith(_POINTING) or (len(words) == 1 and m.group("head") not in ("人员", "单位")):
            return False  # 下列单位 (下列 tagged a verb); 设立公司, 辞退职工: a verb and its object
        return len(words) <= 2 and all(tag in ("v", "vn", "n", "j") for _, tag in words)

    def _function_body(self, span: str) -> bool:
        m = self._body_plain.fullmatch(span)
        if m is None or m.group("prefix") or m.group("head") not in self.function_heads:
            return False
        words = tagged(m.group("func"))
        return 1 <= len(words) <= 2 and all(tag in ("v", "vn") for _, tag in words)

    def occasion_verb_phrase(self, between: str) -> bool:
        """A verb and its object between a name and its cue (开展业务, 招用劳动者): the occasion of the duty
        (convention 22), its subject the bearer."""
        if not 3 <= len(between) <= 8 or any(c in between for c in "的、，和及或与其"):
            return False
        verb, rest = tagged(between[:2]), tagged(between[2:])  # (jieba keeps 开展业务 as one noun)
        return len(verb) == 1 and verb[0][1] in ("v", "vn") and 1 <= len(rest) <= 2 \
            and all(tag in ("n", "vn", "nz") for _, tag in rest) and self.parse(between) is None

    def occasion_clause(self, between: str) -> bool:
        """A longer verb phrase between a name and its cue (行政执法委员会 | 调查收集证据 | 可以…, 公安机关交通管理
        部门 | 处理道路交通事故 | 应当…): the occasion of the duty (convention 22), its subject the bearer; not a
        phrase with 的, a preposition, a modal word or a name of its own."""
        if not 4 <= len(between) <= 24 or any(c in between for c in "，；：。") or self.has_function_word(between) \
                or any(w.startswith("所") for w in self.words(between)):
            return False  # (机关、单位 | 开展保密工作所需经费: 所 + a verb names a thing, the subject)
        words = tagged(between)
        first = words[0]
        verb = first[1] == "v" or (first[1] == "vn" and any(tag == "v" for _, tag in words[1:3]))  # 调查 | 收集证据
        if not verb or len(first[0]) < 2 or between.startswith(self.descriptive_verbs) or self._scan(between)[0]:
            return False  # (法官 | 惩戒委员会作出的…: a name inside is the subject of a clause of its own)
        # 的 in it names a thing more often than not (医疗卫生机构 | 配备护士的数量 | 应当…, 税务机关采取…措施的期限:
        # no bearer), though it may end the verb's object (处理 | 侵犯…专有权的纠纷)
        return "的" not in between and self.parse(between) is None

    def _adverb(self, between: str) -> bool:
        """An adverb between a name and its cue (一般应当, 均应当)."""
        words = tagged(between)
        return len(words) == 1 and words[0][1] in ("d", "ad", "a")

    def before_verb(self, text: str, start: int, stop: int, *, longest: bool = False) -> tuple[list[str], int] | None:
        """The shortest bearer at ``start`` followed by an action (县级以上人民政府 | 组织编制…), or the longest
        (由村民选举委员会 | 主持…). A verbal noun (建设, 管理) counts as the action only where no reading
        with a plain verb exists, since it also opens names (县级以上人民政府 | 应急管理部门)."""
        ends = self.ends(text, start, stop)
        ordered = ends if longest else ends[::-1]
        found = self._before(text, start, stop, ordered, self.acts, by=longest) or \
            self._before(text, start, stop, ordered, self.is_verbal_noun, by=longest)
        if found and longest and (pivot := self._before_body_verb(text, start, ends, found[1])):
            return pivot  # 由城市人民政府 | 组织水行政主管部门、…编制: a verb whose object is a body ends the name
        if found and not longest:
            # 国务院 | 反洗钱行政主管部门…: a body named after another is that body's, not its act
            longer = [e for e in ends if e > found[1] and self._continues_name(text[found[1]:e])]
            found = (self._before(text, start, stop, longer, self._acts_or_counted)
                     or self._before(text, start, stop, longer, self.is_verbal_noun) if longer else None) or found
        return found

    def _acts_or_counted(self, rest: str) -> bool:
        """An action, or how many of the name act together (常务委员会组成人员 | 十人以上联名，可以…)."""
        return self.acts(rest) or HOW_MANY.match(rest) is not None

    def _before_body_verb(self, text: str, start: int, ends: list[int], longest: int) -> tuple[list[str], int] | None:
        """The shortest name before a verb that takes a body as its object (组织, 委托, 指定…), inside a longer
        reading that swallowed the verb and its object."""
        for end in ends:
            # (a verb of one character as a word of its own: 交 | 各该选区的选民…, not 交通运输主管部门)
            verb = next((v for v in self.body_verbs if text.startswith(v, end)
                         and (len(v) > 1 or opening(text[end:end + 4], 1)[0][0] == v)), None)
            if end < longest and verb and not text.startswith("的", end + len(verb)) \
                    and (names := self.parse(text[start:end])):  # (not X指定的部门: a relative clause)
                return names, end
        return None

    def _continues_name(self, stretch: str) -> bool:
        """Whether ``stretch`` after a name goes on naming (反洗钱行政主管部门, 省一级派出机构) rather than
        acting (组织有关部门): no 的, no function word, not opening with a verb of two characters."""
        if "的" in stretch or self.has_function_word(stretch):
            return False
        if stretch in self.members:
            return True  # 常务委员会 | 组成人员: the body's members, though jieba tags 组成 a verb
        if stretch.endswith(NAMED_FOR_WHAT_IT_DOES) and not stretch.startswith(self.body_verbs) \
                and self.one(stretch) is not None:
            return True  # 企业 | 登记机关: a body named for what it does, after what it does it to
        first = tagged(stretch)[0]
        if first[0] == "有":
            return False  # 用人单位 | 有会员二十五人以上的: what it has, no name
        return stretch.endswith("主管部门") or not (len(first[0]) == 2 and first[1] in ("v", "vd"))

    def _before(self, text: str, start: int, stop: int, ends: list[int],
                action: Callable[[str], bool], *, by: bool = False) -> tuple[list[str], int] | None:
        for end in ends:
            rest = text[self.after_aside(text, end):stop]
            if not rest or self._post_follows(text, end) or rest.startswith("所"):
                continue  # (被羁押的人员 | 所涉及的案件: 所 + a verb names a thing of the name's, no act)
            if rest.startswith(self.descriptive_verbs) and not RESPONSIBLE.match(rest) \
                    and not (rest[0] in "为以" and self.is_verb(rest[1:])):
                continue  # 是/为/指…: a description; but 是第一责任人 assigns, 为履行… is a purpose
            if self.adverbial_at(text, end) or action(rest):
                names = self.parse(text[start:end]) or (self._named_by_function(text[start:end]) if by else None)
                if names:
                    return names, end
        return None

    def described(self, text: str, start: int, stop: int) -> list[str] | None:
        """The subject of a description (村民委员会是…组织): the topic of what follows, not a duty."""
        for end in sorted(self.ends(text, start, stop)):
            if text.startswith(self.descriptive_verbs, end) and (names := self.parse(text[start:end])):
                return names
        return None

    def _post_follows(self, text: str, end: int) -> bool:
        """A post follows the name (县级党委和政府 | 主要负责人): the bearer is the post."""
        at = end + 1 if text.startswith("的", end) else end
        return text.startswith(self.posts, at)

    def assigns(self, names: list[str]) -> bool:
        """Whether a declarative with these subjects assigns a duty (国家鼓励… does not)."""
        return not any(n in self.policy_subjects for n in names)


@cache
def default_grammar() -> BearerGrammar:
    from .lexicon import default_lexicon

    return BearerGrammar.load(named=list(default_lexicon().actors))
