"""Names of duty bearers, read by their shape: one name, and names coordinated in one span.

Names in Chinese legislation are built from parts (``resources/bearers.toml``): a jurisdiction, a level,
a system, a function and a head for public bodies (县级以上地方各级 + 人民政府 + 应急管理 + 部门), a modifier
and a head from a closed class for organisations and persons (生产经营 + 单位, 从事数据处理活动的 + 组织),
and a post after either (…的主要负责人). ``NameGrammar`` holds the parts and parses a span as one or more
coordinated names (conventions 2, 3, 13, 17, 23); ``bearers.BearerGrammar`` adds finding them in a clause.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Self

from .alternation import alternation
from .name_words import (
    CLAUSE_PUNCT,
    COMPETENT,
    CONJUNCTIONS,
    CUE_WORDS,
    DEPUTIES,
    DETERMINERS,
    IN_RELATIVE,
    LAWFUL_STANDING,
    LIGHT_VERBS,
    MAX_NAME,
    MODAL,
    NAMED_FOR_WHAT_IT_DOES,
    NEGATIONS,
    NOT_DETERMINERS,
    NOT_IN_NAME,
    NOUN_TAGS,
    ONE_CHARACTER_PREPOSITIONS,
    ORGAN_HEADS,
    PASSIVE_PARTY,
    PASSIVE_RELATIVE,
    PLACE_ENDS,
    POLICY_VERBS,
    QUANTITY,
    SHARE_OF,
    SHORT_AND,
    SUB_BODY,
    clean_name,
    missegmented_verb,
)
from .words import added_words, first_word_tagged, is_word, opening, tagged, words_of


@dataclass(frozen=True)
class Parsed:
    """One bearer: its name, the shared prefix (level and system) and head it was built from."""

    name: str
    prefix: str = ""
    head: str = ""
    rel: str = ""  # a 的-clause before the name (接到报告的)


@dataclass
class NameGrammar:
    """The parts of bearer names and the rules that compose them."""

    jurisdictions: tuple[str, ...]
    places: tuple[str, ...]
    levels: tuple[str, ...]
    systems: tuple[str, ...]
    functions: tuple[str, ...]
    department_heads: tuple[str, ...]
    party_heads: tuple[str, ...]
    posts: tuple[str, ...]
    regions: frozenset[str]
    universal: frozenset[str]
    adverbials: tuple[str, ...]
    descriptive_verbs: tuple[str, ...]
    legal_verbs: tuple[str, ...]
    coordinators: tuple[str, ...]
    composition_verbs: tuple[str, ...]
    body_verbs: tuple[str, ...]
    policy_subjects: frozenset[str]
    non_heads: frozenset[str] = frozenset()
    named: frozenset[str] = frozenset()
    agent_suffixes: frozenset[str] = frozenset()
    agent_nouns: frozenset[str] = frozenset()  # nouns the corpus shows to be agents (resources/heads.toml)
    kin: frozenset[str] = frozenset()
    organisations: tuple[str, ...] = ()
    members: frozenset[str] = frozenset()
    corporate: frozenset[str] = frozenset()  # members only an organisation has (董事): their owner is one
    persons: frozenset[str] = frozenset()
    function_heads: frozenset[str] = frozenset()
    local: frozenset[str] = frozenset()  # the nouns the document at hand shows to be agents (heads.agents)
    is_verb: Callable[[str], bool] = lambda text: False
    is_noun: Callable[[str], bool] = lambda text: False
    is_adverb: Callable[[str], bool] = lambda text: False
    is_verbal_noun: Callable[[str], bool] = lambda text: False
    is_idiom: Callable[[str], bool] = lambda text: False
    words: Callable[[str], list[str]] = list
    fused_modals: frozenset[str] = frozenset()  # 须经, 应由…: a modal and a verb as one word (cues.toml's [fused])
    founding_verbs: frozenset[str] = frozenset()  # verbs that set up a body (cues.toml's [clauses] founding)

    @classmethod
    def load(cls, *, named: Collection[str] = ()) -> Self:
        """The grammar in ``resources/bearers.toml``; ``named`` adds whole names (from the lexicon)."""
        raw = tomllib.loads(resources.files("policygraph").joinpath("resources/bearers.toml").read_text("utf-8"))
        mined = tomllib.loads(resources.files("policygraph").joinpath("resources/heads.toml").read_text("utf-8"))
        cues = tomllib.loads(resources.files("policygraph").joinpath("resources/cues.toml").read_text("utf-8"))
        return cls(
            agent_suffixes=frozenset(mined["agent_suffixes"]),
            agent_nouns=frozenset((*mined["agent_nouns"], *mined["agent_words"])),
            organisations=tuple(raw["organisations"]),
            members=frozenset(raw["members"]), corporate=frozenset(raw["corporate"]), persons=frozenset(raw["persons"]),
            function_heads=frozenset(raw["function_heads"]),
            jurisdictions=tuple(raw["jurisdictions"]), places=tuple(raw["places"]), levels=tuple(raw["levels"]),
            systems=tuple(raw["systems"]),
            functions=tuple(raw["functions"]), department_heads=tuple(raw["department_heads"]),
            party_heads=(*raw["party_heads"], *raw["kin"]), kin=frozenset(raw["kin"]), posts=tuple(raw["posts"]),
            regions=frozenset(raw["regions"]),
            universal=frozenset(raw["universal"]), adverbials=tuple(raw["adverbials"]),
            descriptive_verbs=tuple(raw["descriptive_verbs"]), legal_verbs=tuple(raw["legal_verbs"]),
            coordinators=tuple(raw["coordinators"]), composition_verbs=tuple(raw["composition_verbs"]),
            body_verbs=tuple(raw["body_verbs"]),
            policy_subjects=frozenset(raw["policy_subjects"]), non_heads=frozenset(raw["non_heads"]),
            named=frozenset(named),
            is_verb=first_word_tagged(("v", "vd")),
            is_noun=first_word_tagged(("n", "vn", "an", "nt", "nz", "ns", "s")),
            is_adverb=first_word_tagged(("d", "ad")), is_verbal_noun=first_word_tagged(("vn",)),
            is_idiom=first_word_tagged(("i",)), words=words_of(), fused_modals=frozenset(cues["fused"]),
            founding_verbs=frozenset(cues["clauses"]["founding"]),
        )

    def __post_init__(self) -> None:
        j, lv, s = alternation(self.jurisdictions), alternation(self.levels), alternation(self.systems)
        j = rf"{j}|[^{CLAUSE_PUNCT}的、]{{0,6}}?(?:{alternation(self.places)})"
        heads = alternation(self.department_heads)
        lv = rf"(?:{lv})(?:[、和](?:{lv}))*"  # 县、乡镇; 中央和国家: coordinated levels share what follows
        body = (rf"(?P<prefix>(?:{j})?(?:{lv})*(?:{s})?)(?P<func>[^{CLAUSE_PUNCT}的]{{0,14}}?)(?P<head>{heads})"
                r"(?:（[^）]{1,6}）)?")
        self._body = re.compile(rf"(?P<rel>[^{CLAUSE_PUNCT}]{{1,24}}的)?" + body)  # a relative clause may open it
        self._body_plain = re.compile("(?P<rel>)" + body)  # the body alone (_body_reading tries each 的)
        self._gov = re.compile(rf"(?P<rel>[^{CLAUSE_PUNCT}]{{1,24}}的)?(?P<prefix>(?:{j})?(?:{lv})*)(?P<head>{s})")
        # 县级以上地方各级人民政府 + 负有安全生产监督管理职责的 + 部门: a government's department named by a relative
        self._gov_rel = re.compile(rf"(?P<prefix>(?:{j})?(?:{lv})*(?:{s}))(?P<rel>[^{CLAUSE_PUNCT}]{{1,24}}的)"
                                   rf"(?P<head>{heads})")
        # A suffix whose mined nouns (three or more) all end in one word (位: 单位; 门: 部门) names agents only in it:
        # 学士学位 and 岗位 end in 位 too, and are things.
        tails: dict[str, list[str]] = {}
        for noun in self.agent_nouns:
            tails.setdefault(noun[-1], []).append(noun[-2:])
        self._only_tail = {suffix: t[0] for suffix, t in tails.items() if len(t) > 2 and len(set(t)) == 1}
        # the mined nouns of no listed ending (heads.toml), longest first: a noun ending in one is an agent (市场主体)
        self._agent_word_ends = tuple(sorted(
            (n for n in self.agent_nouns if len(n) > 1 and n[-1] not in self.agent_suffixes), key=len, reverse=True))
        self._level = re.compile(rf"(?:{lv})+")  # 县级以上, 乡、民族乡、镇: a level, not a relative clause, before 的
        self._party = re.compile(rf"(?P<mod>[^{CLAUSE_PUNCT}]{{0,30}}?)(?P<head>{alternation(self.party_heads)})")
        self._post = re.compile(rf"(?P<body>.+?)的?(?P<post>{alternation(self.posts)})")
        self._coord = re.compile(alternation(self.coordinators))
        # 人力资源和社会保障, 党委和政府 (convention 3a): a coordinator inside a part does not split a name
        unsplit = [w for w in (*self.jurisdictions, *self.levels, *self.functions, *self.systems)
                   if any(c in w for c in ("和", "及", "、"))]
        self._unsplit = re.compile(alternation(unsplit)) if unsplit else None
        # The same names recur across a corpus: parse each span once per process (and per set of the
        # document's own agents, which may change how it reads).
        one = self.one
        one_cached = lru_cache(maxsize=1 << 17)(lambda name, local: one(name))
        self.one = lambda name: one_cached(name, self.local)  # type: ignore[method-assign]
        self._institutions = frozenset((*self.department_heads, "单位", "组织", "团体"))
        item = "[^、，。；的和及与或]{1,6}"
        self._owned = re.compile(rf"(?P<owner>[^、，。；的]{{2,12}})的(?P<items>{item}(?:、{item})+)"
                                 r"(?P<head>单位|企业|组织|机构|部门)(?=$|、|和|及|以及|与|或者)")
        self._people = self.members | frozenset(self.posts)
        self._grammar_heads = (*self.department_heads, *self.party_heads, *self.systems, *self.posts)  # _mined_head
        self._agent_noun_ends = frozenset(w[-1] for w in self.agent_nouns if w)

    # -- one name -------------------------------------------------------------------

    def one(self, name: str) -> Parsed | None:
        """``name`` read as a single bearer, or None."""
        name = clean_name(name)
        if not name or len(name) > MAX_NAME or name.startswith(CONJUNCTIONS):
            return None  # (或者其…的老年人, 由于承运人…: a conjunction opens no name)
        if name in self.named or name in self.universal or name in self.regions \
                or name.removeprefix("其他") in self.regions or PASSIVE_PARTY.fullmatch(name):
            return Parsed(name)
        if name.startswith("报") and len(name) > 3 and name[1:].startswith((*self.levels, *self.jurisdictions)) \
                and self.one(name[1:]) is not None:  # (not 报刊…)
            return None  # 报 | 国务院水行政主管部门 (批准): filing with a body, though the dictionary joins 报国
        if (cut := name.rfind("的")) > 0 and name[cut + 1:] in ("地方", "地区") and self._relative_ok(name[:cut]):
            return Parsed(name, name[:cut + 1], name[cut + 1:], name[:cut + 1])  # 有条件的地方 (convention 26)
        if name.startswith("其") and not name.startswith(("其他", "其它", "其中")) and len(name) > 2 \
                and (inner := self.one(name[1:])) is not None:
            return Parsed(name, "其" + inner.prefix, inner.head, inner.rel)  # 其上级机关: its, resolved by the reader
        if name.startswith(DETERMINERS) and not name.startswith(NOT_DETERMINERS) \
                and (inner := self.one(name.removeprefix("原").removeprefix("另一方").removeprefix("对方"))) \
                and inner.name != name:
            return Parsed(name, name[:len(name) - len(inner.name)] + inner.prefix, inner.head, inner.rel)
        if share := self._share_of(name):
            return share
        if name.startswith("原") and name.endswith("部门") and len(name) == 5 and self.is_verb(name[1:3]):
            return Parsed(name, name[:3], "部门")  # 原发证部门, 原注册部门: the department that did it before
        if (m := self._gov.fullmatch(name)) and self._rel_ok(m):
            return Parsed(name, m.group("prefix"), m.group("head"), m.group("rel") or "")
        if (m := self._gov_rel.fullmatch(name)) and self._rel_ok(m):
            return Parsed(name, m.group("prefix"), m.group("head"))
        if reading := self._body_reading(name):
            return reading
        if name.startswith(("其他", "其它")) and len(name) > 4 and (other := self.one(name[2:])):
            return Parsed(name, other.prefix, other.head, other.rel)  # 其他 + a name (其他有关行政部门)
        if (m := self._party.fullmatch(name)) and m.group("head") in self.members and m.group("mod") \
                and (not m.group("mod").endswith(self.systems) or m.group("head") in DEPUTIES) \
                and self.one(m.group("mod")):
            return Parsed(name, m.group("mod"), m.group("head"))  # 评标委员会 + 成员: the members of a body
        if m and self._modifier_ok(m.group("mod")) \
                and not m.group("mod").endswith(CUE_WORDS) \
                and (m.group("mod") or len(name) > 2 or not self.is_verb(name)) and not self._verb_head(m):
            return Parsed(name, m.group("mod"), m.group("head"))
        if (m := self._post.fullmatch(name)) and self.one(m.group("body")):
            return Parsed(name, "", m.group("post"))
        if (m := SUB_BODY.fullmatch(name)) and self.one(m.group("body")):
            return Parsed(name, "", m.group("sub"))  # 国务院反洗钱行政主管部门省一级派出机构
        if self._agent(name):
            return Parsed(name, "", "人")
        if agent := self._modified_agent(name):
            return agent
        if (head := self._word_with_head(name)) is not None:
            return Parsed(name, name[:-len(head)], head)  # 会计人员, 检查人员: one word of the dictionary
        if name.endswith("的人") and len(name) > 4 and "、" not in name and self._relative_ok(name[:-2]):
            return Parsed(name, "", "人", name[:-1])  # 接受分包的人: whoever the clause describes
        if head := self._mined_head(name):
            return Parsed(name, name[:-len(head)], head)  # 电子签名人, 收件人: who does what the word before 人 names
        return None

    def _share_of(self, name: str) -> Parsed | None:
        """A share of a body's people acting together (三分之一以上的村民代表, 常务委员会五分之一以上组成人员)."""
        if not (share := SHARE_OF.fullmatch(name)):
            return None
        people, whole = share.group("people"), share.group("whole")
        inner = self.one(people) or (Parsed(people, "", people) if people in self.members else None)
        if inner is None or (whole and not whole.startswith("本") and self.one(whole) is None):
            return None
        return Parsed(name, name[:len(name) - len(inner.name)] + inner.prefix, inner.head, inner.rel)

    def _body_reading(self, name: str) -> Parsed | None:
        """A public body, its relative clause ending at any 的 (…授权的 | 设区的市一级以上派出机构: 设区的 is
        part of a level, not a relative clause) or at none."""
        cuts = [0, *(i + 1 for i, c in enumerate(name) if c == "的")] if "的" in name else [0]
        for cut in cuts:
            rel, rest = name[:cut], name[cut:]
            m = self._body_plain.fullmatch(rest)
            if m is None:
                continue
            prefix, func = self._word_prefix(rest, m)
            if (not rel or self._relative_ok(rel[:-1])) and self._head_ok(name, m.group("head")) \
                    and self._function_ok(func, prefix, m.group("head")):
                return Parsed(name, prefix, m.group("head"), rel)
        return None

    def _word_prefix(self, rest: str, m: re.Match[str]) -> tuple[str, str]:
        """The prefix and function of a body's name, the prefix ending where a word does: a word it cuts is the
        function's (直辖市 | 市场监督管理部门, not 直辖市市 | 场…) or, a place's name, the prefix's (市辖区 |
        人民武装部)."""
        prefix, func = m.group("prefix"), m.group("func")
        if not prefix or not func:
            return prefix, func
        at, end = m.end("prefix"), 0
        for word in self.words(rest):
            start, end = end, end + len(word)
            if end >= at:
                break
        if end == at or end > m.start("head"):
            return prefix, func  # (国务院办公厅: one word of the dictionary, the whole name)
        cut = end if rest[end - 1] in PLACE_ENDS else start
        return rest[:cut], rest[cut:m.start("head")]

    def _boundary(self, text: str, at: int) -> bool:
        """Whether a word of the dictionary's segmentation of ``text`` ends at ``at``."""
        end = 0
        for word in self.words(text):
            end += len(word)
            if end >= at:
                return end == at
        return False

    def _agent(self, name: str) -> bool:
        """A person named by what they do, ending in 人 or 者: a dictionary word (收件人, 投资人) or a noun or
        verb and 人/者 (电子签名人, 中外合作办学者); not 他人, 本人."""
        if not name.endswith(("人", "者")) or not 3 <= len(name) <= 8 or self.has_function_word(name):
            return False
        words = tagged(name)
        if len(words) == 1:
            return words[0][1] in ("n", "l")
        # 电子签名 + 人; 注册商标 + 专用权 + 人; 中外合作 + 办学 + 者; 赔偿 + 请求 + 人: what comes before the
        # word 人/者 (nouns, or a verb and its object) makes an agent of
        return words[-1][0] in ("人", "者") and 2 <= len(words) <= 3 and words[-2][1] in ("n", "v", "vn") \
            and all(tag in ("n", "l", "v", "vn") for _, tag in words[:-2])

    def _modified_agent(self, name: str) -> Parsed | None:
        """A person named by what they do (出票人, 付款人: ``_agent``) after nouns or a 的-phrase that say of what
        (票据出票人, 汇票的出票人, 收到挂失止付通知的付款人)."""
        if not name.endswith(("人", "者")) or len(name) < 5:
            return None
        for cut in range(1, len(name) - 2):
            mod, agent = name[:cut], name[cut:]
            if not self._agent(agent):
                continue
            owner = mod.removesuffix("的")
            nouns = bool(owner) and all(tag in NOUN_TAGS for _, tag in tagged(owner)) \
                and not owner.startswith(self.legal_verbs)  # (指导 | 劳动者: a verb jieba tags a noun)
            passive = owner.startswith(("受", "被", "由", "经"))  # (受前款规定的实际控制人 | 支配: 受 awaits its verb)
            if any(c in owner for c in "的或、"):
                return None  # (前款规定的股东或者受…的实际控制人: a name and a coordinator inside, not one modifier)
            if mod.endswith("的") and (nouns or self._relative_ok(owner)) and not passive:
                return Parsed(name, mod, agent, mod)
            # without 的, an agent made of what they do (出 | 票 | 人) or a noun (付款人), not a set phrase naming a
            # category (全国 | 退役军人, jieba's l)
            if not mod.endswith("的") and nouns and self._boundary(name, cut) \
                    and (len(words := tagged(agent)) > 1 or words[0][1] == "n"):
                return Parsed(name, mod, agent)
        return None

    def _word_with_head(self, name: str) -> str | None:
        """The head a dictionary noun ends in, where the whole name is that one noun (会计人员, though 会计 is a
        verb as well: the dictionary has the word, so it is no verb and its object)."""
        if len(name) < 3 or not name.endswith(self.party_heads) \
                or (name.startswith("非") and name not in added_words()):
            return None  # (非银行: what it is not, a modifier of the name after it; 非法人组织 a term)
        words = tagged(name)
        if len(words) != 1 or words[0][1] not in NOUN_TAGS:
            return None
        return next((h for h in self.party_heads if name.endswith(h) and len(h) < len(name)), None)

    def _mined_head(self, name: str) -> str | None:
        """The last word of ``name`` when it names an agent: a noun the document shows to be one (``local``),
        or a noun made of a word and a character that the nouns bearing rights and duties in the national
        corpus end in (resources/heads.toml: 监察 + 官, like 法官 and 检察官); the words before it a modifier."""
        if name.endswith(self._grammar_heads):
            return None  # a head of the grammar: its own rules have judged the name
        # The last word ends the name, and every reading below needs it in local or agent_nouns or ending in an
        # agent suffix: where the last character ends none of them, none applies (a rule accepting another
        # ending must widen this test).
        if (end := name[-1]) not in self.agent_suffixes and end not in self._agent_noun_ends \
                and not any(w.endswith(end) for w in self.local):
            return None
        word, tag = tagged(name)[-1]
        mod = name[:-len(word)]
        if mod and opening(mod, 1)[0][1] in ("v", "vn", "p", "d", "c", "m"):
            return None  # 动员 | 残疾人, 以 | 妇女: a verb or a preposition before the noun, not a modifier
        if word in self.local or word in self.agent_nouns:
            return word if self._modifier_ok(mod) else None
        if tag in NOUN_TAGS and word.endswith(self._agent_word_ends):  # 市场主体: a word ending in a mined 主体
            end = next(n for n in self._agent_word_ends if word.endswith(n))
            return word if self._modifier_ok(mod + word[:-len(end)]) else None
        if word[-1] not in self.agent_suffixes or tag not in NOUN_TAGS or word in self.non_heads \
                or word[-2:] in self.non_heads:  # 国家有关 (a dictionary word): 有关 is no 机关
            return None
        if (tail := self._only_tail.get(word[-1])) is not None and not word.endswith(tail):
            return None
        stems = [word[:-1], *([word[:-2]] if is_word(word[-2:]) else [])]  # 监察 + 官; 代表 + 大会
        if len(word) < 3 or not any(len((stem := tagged(s)[-1])[0]) >= 2 and stem[1] != "x" for s in stems if s):
            return None  # a word and the suffix (监察 + 官, 研究 + 所), not 社会, 集会, 器官
        return word if self._modifier_ok(mod) else None

    def _head_ok(self, name: str, head: str) -> bool:
        """A head of one character (部, 局, 署, 办) ends a name only where it is not the end of a common
        word (部署, 大局, 举办): the name's last word is the head, a body's name, or not a verb."""
        if len(head) > 1:
            return True
        last = tagged(name)[-1]
        return last[0] == head or (last[0] not in self.non_heads and last[1] not in ("v", "vn", "a", "d"))

    def _function_ok(self, func: str, prefix: str, head: str = "") -> bool:
        if func in self.functions:
            return True  # 人力资源和社会保障: a function named with 和
        if func.startswith(POLICY_VERBS):
            return False  # 国家 | 鼓励…金融机构: a policy and whom it addresses
        if prefix in self.policy_subjects and not func.startswith(self.functions) and len(self.words(func)) > 1 \
                and self.acts(func):
            return False  # 国家 | 推动保险机构开展…: the state's act and whom it addresses (not 国家统计局)
        bare = func.replace("其他", "").replace("其它", "")
        if self.has_function_word(func) or any(w in bare for w in ("其", "、", "及", "与", "或")):
            return False
        if any((at := func.find(p)) > 0 and self.one(func[:at]) for p in "对向"):
            return False  # 当事人 | 对公安机关…: a name and a preposition, however the dictionary cuts 对公
        if "和" in func and not SHORT_AND.fullmatch(func):
            return False  # 发展和改革 is a function; 应急管理部门和其他有关 is a coordination
        if any(h in func for h in ("部门", "机关", "机构", "单位", "政府")):
            return False
        words = tagged(func) if func else []
        if words and (words[0][1] == "m" or any(w in ("有关", "相关") for w, _ in words[1:])):
            return False  # 一份交…机构, 建议有关…机构: a clause, not a function
        if func and head.startswith(("有关", "相关")) and self.acts(func):
            return False  # 县级以上人民政府 | 组织有关部门: a verb and its object
        if prefix or not func or func.startswith(self.functions):
            return True
        if head.endswith("主管部门") and not (len(words[0][0]) == 2 and self.acts(func)):
            return True  # 反洗钱行政主管部门 (not 履行…主管部门, whose first word is a verb of two characters)
        if head in ORGAN_HEADS and len(self.words(func)) == 1:
            return True  # 选举委员会, 审判委员会: an organ named for what it does (not 破坏村民 | 委员会)
        if head in NAMED_FOR_WHAT_IT_DOES and (len(func) == 2 or (head == "委员会" and len(func) <= 4 and all(
                tag in ("v", "vn") for _, tag in words))):
            return True  # 侦查机关, 评标委员会, 联合管理委员会: a body named by what it does (not 破坏村民 | 委员会)
        return not self.acts(func)

    def acts(self, text: str) -> bool:
        """Whether ``text`` opens with an action: a verb, an adverb, a legal verb (责令改正) or a set
        phrase of four characters (贯彻落实, 因地制宜), which jieba tags as idioms; or a negation (未按照…, 不履行…)."""
        return self.is_verb(text) or self.is_adverb(text) or text.startswith(self.legal_verbs) \
            or (self.is_idiom(text) and not self.is_noun(text[:2])) or missegmented_verb(text) \
            or self._negated(text)  # (not 土壤污染)

    def _negated(self, text: str) -> bool:
        """A negated predicate ending a condition (买受人 | 未按照约定受领拍卖标的的), not a relative clause that
        opens with a negation (档案馆 | 未开放的档案: 的 and the noun it modifies); 未成年人 is a word of its own."""
        if (opening(text, 1) or [("", "")])[0][0] not in NEGATIONS:
            return False
        words = self.words(re.split(f"[{CLAUSE_PUNCT}]", text, maxsplit=1)[0])
        return words[-1] == "的" and "的" not in words[:-1]  # (…不承担责任: an exemption, no condition)

    def has_function_word(self, text: str) -> bool:
        """Whether a preposition or a modal word stands in ``text`` as a word of its own."""
        return any(w in NOT_IN_NAME for w in self.words(text))

    def _verb_head(self, m: re.Match[str]) -> bool:
        """责任单位 | 组织…: a head that is also a verb, after a name that is complete without it."""
        return self.is_verb(m.group("head")) and m.group("head") not in self.kin and bool(m.group("mod")) \
            and self.one(m.group("mod")) is not None

    def _rel_ok(self, m: re.Match[str]) -> bool:
        return not m.group("rel") or self._relative_ok(m.group("rel")[:-1])

    def _relative_ok(self, relative: str) -> bool:
        """A 的-clause that can modify a bearer: not opening with a preposition or an adverb (及时动员…的)."""
        if PASSIVE_RELATIVE.fullmatch(relative) and all(tag in ("v", "vn") for _, tag in tagged(relative[1:])):
            return True  # 被检查的 | 用人单位, 被调查的 | 单位: the party a verb is done to, named by it
        if PASSIVE_PARTY.fullmatch(relative):
            return True  # 被盘问人的 | 家属: the kin or unit of a party named by a passive
        if relative.startswith(POLICY_VERBS):
            return False  # 国家鼓励取得…资格的人员: whom a policy addresses, not a bearer
        if relative.startswith(LAWFUL_STANDING) or COMPETENT.fullmatch(relative):
            return "是" not in self.words(relative)
        if not relative or QUANTITY.search(relative):
            return False
        words = self.words(relative)
        return words[0] not in NOT_IN_NAME and words[0] not in self.fused_modals and not self.is_adverb(relative) \
            and "是" not in words \
            and not relative.startswith(("依法", "及时", "立即", "应当", "必须", "可以", "不得")) \
            and not self._subject_then(words)

    def _subject_then(self, words: list[str]) -> bool:
        """A name and then a preposition or a modal word (监察机关 | 对…负责, X | 不得担任…): a clause with a
        subject of its own, not a relative clause that modifies a name."""
        # (a modal after a basis is the relative's own: 本法规定必须经…检验的…收货人)
        return any(w in NOT_IN_NAME and w not in IN_RELATIVE and (
            (w in MODAL and not "".join(words[:i]).endswith(("规定", "依法")))
            or self._names("".join(words[:i])) or "".join(words[:i]) in self.policy_subjects)
            for i, w in enumerate(words[1:], 1))  # (国家 | 对…有显著成绩的个人: the state's act, not a name)

    def _names(self, text: str) -> bool:
        """Whether ``text`` is one name or names coordinated by 和/、/及/或者 (电力企业和用户 | 对…)."""
        parts = re.split("、|和|及|或者", text)
        return self.one(text) is not None or (len(parts) > 1 and all(p and self.one(p) for p in parts))

    def _modifier_ok(self, mod: str) -> bool:
        if not mod:
            return True
        if mod in ONE_CHARACTER_PREPOSITIONS or mod == "非":
            return False  # 自 | 当事人知道…之日起: a preposition, however the dictionary cuts 自当; 非 | 银行…
        if "的" in mod:  # (a relative clause may point back: 承受其权利的 | 法人)
            relative, _, rest = mod.rpartition("的")
            return self._relative_ok(relative) and len(rest) <= 8 and not self.has_function_word(rest)
        if re.search("其(?![他它])", mod[1:]):
            return False  # 书面通知其 | 开户银行: 其 points back from inside a clause, not from a name's modifier
        if len(mod) > 12 or self.has_function_word(mod) or any(c in mod for c in "、和及或"):
            return False
        if QUANTITY.search(mod) or tagged(mod)[0][1] == "m":
            return False  # 有五分之一以上村民代表: a number of people, not a bearer
        if len(first := tagged(mod)[0][0]) >= 4 and tagged(first[:2])[0][1] == "ad":
            return False  # 充分发挥 | 代表作用, 密切联系 | 职工: a phrase of the dictionary that opens with an adverb
        if mod.endswith(self.systems):
            return False  # 县级以上人民政府 | 组织编制…: 组织 is the verb
        if mod.endswith(LIGHT_VERBS):
            return False  # 利用野生动物进行 | 公众展示展演: a verb that takes an object ends no modifier
        if mod.startswith("报") and mod[1:].startswith((*self.levels, *self.jurisdictions)):
            return False  # 报国务院批准后 | 组织实施: filing with a body (the dictionary joins 报国)
        if self._name_then_verb(mod):
            return False  # 所在单位 | 给予 | 直接责任人员: a subject, its verb and its object, not a modifier
        if (words := self.words(mod))[-1] in self.adverbials and len(words) > 1 and self.one("".join(words[:-1])):
            return False  # 县级以上人民政府 | 定期 | 组织…: a name, an adverb and the verb, not a modifier
        opening = mod.startswith((*self.functions, *self.levels, *self.jurisdictions, "其他", "有关", "相关"))
        # 拍卖 | 企业, 拍卖行业 | 协会 where the document names an agent 拍卖人: the trade it is about, not a verb
        trade = any(mod.startswith(agent[:-1]) for agent in self.local
                    if agent.endswith(("人", "者")) and len(agent) > 2)
        return (opening or trade or not self.acts(mod)) and not mod.startswith(tuple(self.policy_subjects))


    def _name_then_verb(self, mod: str) -> bool:
        """Whether ``mod`` opens with a name and then a verb (所在单位 | 给予…)."""
        words = tagged(mod)
        return any(tag == "v" and len(word) > 1 and i < len(words) - 1  # (基层群众 | 自治 | 组织: no object)
                   and len(prefix := "".join(w for w, _ in words[:i])) > 1 and self.one(prefix) is not None
                   for i, (word, tag) in enumerate(words[1:], 1))
