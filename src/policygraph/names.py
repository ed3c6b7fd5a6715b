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
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Self

from .words import first_word_tagged, tagged, words_of

_CLAUSE_PUNCT = "，。；：！？,;:!?“”《》\n"
# Words that open a prepositional or modal phrase, or send a matter up (报请上级…): never inside a name
# without 的.
_NOT_IN_NAME = frozenset(("对", "向", "在", "从", "由", "把", "将", "被", "应", "应当", "可", "可以", "须", "必须",
                          "不得", "按照", "依照", "根据", "依据", "经", "于", "是", "为", "并", "会同",
                          "依法", "及时", "立即", "给", "未", "对于", "关于", "报", "报请", "报经", "报送", "提请",
                          "上报"))
MAX_NAME = 40
_APPOSITION = re.compile(r"(?P<last>.+?)等(?P<category>[^等]{0,6}(?:组织|单位|机构|部门|机关))")
MAX_CONDITION = 8
_QUANTITY = re.compile(r"^有(?!关)|分之|[0-9０-９]+(?:名|人)|[一二三四五六七八九十]+(?:名|人)以上")
_ORGAN_HEADS = ("委员会", "领导小组", "工作领导小组", "小组", "工作组", "指挥部")
# Verbs of state policy (国家鼓励…, 支持…): a 的-clause opening with one names whom a policy addresses.
_POLICY_VERBS = ("鼓励", "支持", "提倡", "引导", "国家鼓励", "国家支持", "国家提倡", "国家引导")
# A body under another, named after it: X的派出机构, X省一级派出机构, X的上级机关.
_SUB_BODY = re.compile(r"(?P<body>.+?(?:部门|机关|机构|单位|政府))的?(?P<mod>[^的，。；、]{0,6}?)"
                       r"(?P<sub>派出机构|分支机构|内设机构|下属单位|上级机关|上级单位|上一级机关|上一级单位)")
# Prepositions that open a phrase around a name (对…的单位), never a name.
_PREPOSITIONS = "对向从把将经与同"
_JOINT_SYSTEMS = ("党委和政府", "党委、政府")
# A relative clause may open with 依法 when a verb of standing follows (依法负有…职责的部门, 依法设立的…),
# or with 有权 (有权处理的机关).
_LAWFUL_STANDING = ("依法负有", "依法设立", "依法成立", "依法取得", "依法登记", "依法承担", "依法履行")
_COMPETENT = re.compile(r"有权[^对向在从由于依按根，。；]{1,4}")  # 有权处理(的机关): a verb, no phrase
# 被 + a verb + a person or body: the one the act is done to (被询问人, 被检查单位).
_PASSIVE_PARTY = re.compile(r"被[^的，。；、]{1,3}(?:人|单位|者)")
RESPONSIBLE = re.compile(r"是[^，。；]{0,8}(?:责任人|责任主体)")
_SHORT_AND = re.compile(r"[^和]{1,3}和[^和]{1,4}")
# One-character adverbials (对, 在, 应…) count only as whole words: 应急 is not 应.
_NOUN_TAGS = ("n", "nt", "nz", "nr", "j")
SINGLE = 1


@dataclass(frozen=True)
class Parsed:
    """One bearer: its name, the shared prefix (level and system) and head it was built from."""

    name: str
    prefix: str = ""
    head: str = ""
    rel: str = ""  # a 的-clause before the name (接到报告的)


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first (so the longest of overlapping words wins)."""
    return "|".join(map(re.escape, sorted(set(words), key=len, reverse=True)))


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
    policy_subjects: frozenset[str]
    non_heads: frozenset[str] = frozenset()
    named: frozenset[str] = frozenset()
    agent_suffixes: frozenset[str] = frozenset()
    local: frozenset[str] = frozenset()  # the nouns the document at hand shows to be agents (heads.agents)
    is_verb: Callable[[str], bool] = lambda text: False
    is_noun: Callable[[str], bool] = lambda text: False
    is_adverb: Callable[[str], bool] = lambda text: False
    is_verbal_noun: Callable[[str], bool] = lambda text: False
    is_idiom: Callable[[str], bool] = lambda text: False
    words: Callable[[str], list[str]] = list

    @classmethod
    def load(cls, *, named: Collection[str] = ()) -> Self:
        """The grammar in ``resources/bearers.toml``; ``named`` adds whole names (from the lexicon)."""
        raw = tomllib.loads(resources.files("policygraph").joinpath("resources/bearers.toml").read_text("utf-8"))
        mined = tomllib.loads(resources.files("policygraph").joinpath("resources/heads.toml").read_text("utf-8"))
        return cls(
            agent_suffixes=frozenset(mined["agent_suffixes"]),
            jurisdictions=tuple(raw["jurisdictions"]), places=tuple(raw["places"]), levels=tuple(raw["levels"]),
            systems=tuple(raw["systems"]),
            functions=tuple(raw["functions"]), department_heads=tuple(raw["department_heads"]),
            party_heads=tuple(raw["party_heads"]), posts=tuple(raw["posts"]), regions=frozenset(raw["regions"]),
            universal=frozenset(raw["universal"]), adverbials=tuple(raw["adverbials"]),
            descriptive_verbs=tuple(raw["descriptive_verbs"]), legal_verbs=tuple(raw["legal_verbs"]),
            coordinators=tuple(raw["coordinators"]), composition_verbs=tuple(raw["composition_verbs"]),
            policy_subjects=frozenset(raw["policy_subjects"]), non_heads=frozenset(raw["non_heads"]),
            named=frozenset(named),
            is_verb=first_word_tagged(("v", "vd")),
            is_noun=first_word_tagged(("n", "vn", "an", "nt", "nz", "ns", "s")),
            is_adverb=first_word_tagged(("d", "ad")), is_verbal_noun=first_word_tagged(("vn",)),
            is_idiom=first_word_tagged(("i",)), words=words_of(),
        )

    def __post_init__(self) -> None:
        j, lv, s = alternation(self.jurisdictions), alternation(self.levels), alternation(self.systems)
        j = rf"{j}|[^{_CLAUSE_PUNCT}的、]{{1,6}}?(?:{alternation(self.places)})"
        heads = alternation(self.department_heads)
        lv = rf"(?:{lv})(?:[、和](?:{lv}))*"  # 县、乡镇; 中央和国家: coordinated levels share what follows
        self._body = re.compile(rf"(?P<rel>[^{_CLAUSE_PUNCT}]{{1,24}}的)?(?P<prefix>(?:{j})?(?:{lv})*(?:{s})?)"
                                rf"(?P<func>[^{_CLAUSE_PUNCT}的]{{0,14}}?)(?P<head>{heads})(?:（[^）]{{1,6}}）)?")
        self._gov = re.compile(rf"(?P<rel>[^{_CLAUSE_PUNCT}]{{1,24}}的)?(?P<prefix>(?:{j})?(?:{lv})*)(?P<head>{s})")
        # 县级以上地方各级人民政府 + 负有安全生产监督管理职责的 + 部门: a government's department named by a relative
        self._gov_rel = re.compile(rf"(?P<prefix>(?:{j})?(?:{lv})*(?:{s}))(?P<rel>[^{_CLAUSE_PUNCT}]{{1,24}}的)"
                                   rf"(?P<head>{heads})")
        self._party = re.compile(rf"(?P<mod>[^{_CLAUSE_PUNCT}]{{0,30}}?)(?P<head>{alternation(self.party_heads)})")
        self._post = re.compile(rf"(?P<body>.+?)的?(?P<post>{alternation(self.posts)})")
        self._coord = re.compile(alternation(self.coordinators))
        # 人力资源和社会保障, 党委和政府 (convention 3a): a coordinator inside a part does not split a name
        unsplit = [w for w in (*self.jurisdictions, *self.levels, *self.functions, *self.systems)
                   if any(c in w for c in ("和", "及", "、"))]
        self._unsplit = re.compile(alternation(unsplit)) if unsplit else None
        # The same names recur across a corpus: parse each span once per process (and per set of the
        # document's own agents, which may change how it reads).
        one, parse = self.one, self.parse
        one_cached = lru_cache(maxsize=1 << 17)(lambda name, local: one(name))
        parse_cached = lru_cache(maxsize=1 << 17)(lambda span, local: parse(span))
        self.one = lambda name: one_cached(name, self.local)  # type: ignore[method-assign]
        self.parse = lambda span: parse_cached(span, self.local)  # type: ignore[method-assign]
        self._institutions = frozenset((*self.department_heads, "单位", "组织"))
        item = "[^、，。；的和及与或]{1,6}"
        self._owned = re.compile(rf"(?P<owner>[^、，。；的]{{2,12}})的(?P<items>{item}(?:、{item})+)"
                                 r"(?P<head>单位|企业|组织|机构|部门)(?=$|、|和|及|以及|与|或者)")
        self._organisations = ("单位", "企业", "公司", "组织", "合作社", "机构")
        self._people = frozenset(("人员", "成员", "负责人", "董事", "监事", "理事", "经理", "职工", "会员", "股东",
                                  *self.posts))

    # -- one name -------------------------------------------------------------------

    def one(self, name: str) -> Parsed | None:
        """``name`` read as a single bearer, or None."""
        name = _clean(name)
        if not name or len(name) > MAX_NAME:
            return None
        if name in self.named or name in self.universal or name in self.regions \
                or name.removeprefix("其他") in self.regions or _PASSIVE_PARTY.fullmatch(name):
            return Parsed(name)
        if (m := self._gov.fullmatch(name)) and self._rel_ok(m):
            return Parsed(name, m.group("prefix"), m.group("head"), m.group("rel") or "")
        if (m := self._gov_rel.fullmatch(name)) and self._rel_ok(m):
            return Parsed(name, m.group("prefix"), m.group("head"))
        if (m := self._body.fullmatch(name)) and self._rel_ok(m) and self._head_ok(name, m.group("head")) \
                and self._function_ok(m.group("func"), m.group("prefix"), m.group("head")):
            return Parsed(name, m.group("prefix"), m.group("head"), m.group("rel") or "")
        if (m := self._party.fullmatch(name)) and self._modifier_ok(m.group("mod")) \
                and (m.group("mod") or len(name) > 2 or not self.is_verb(name)) and not self._verb_head(m):
            return Parsed(name, m.group("mod"), m.group("head"))
        if (m := self._post.fullmatch(name)) and self.one(m.group("body")):
            return Parsed(name, "", m.group("post"))
        if (m := _SUB_BODY.fullmatch(name)) and self.one(m.group("body")):
            return Parsed(name, "", m.group("sub"))  # 国务院反洗钱行政主管部门省一级派出机构
        if self._agent(name):
            return Parsed(name, "", "人")
        if head := self._mined_head(name):
            return Parsed(name, name[:-len(head)], head)  # 电子签名人, 收件人: who does what the word before 人 names
        return None

    def _agent(self, name: str) -> bool:
        """A person named by what they do, ending in 人: a dictionary word (收件人, 投资人) or a noun or verb
        and 人 (电子签名人); not 他人, 本人."""
        if not name.endswith("人") or not 3 <= len(name) <= 8 or self.has_function_word(name):
            return False
        words = tagged(name)
        if len(words) == 1:
            return words[0][1] in ("n", "l")
        # 电子签名 + 人; 注册商标 + 专用权 + 人: nouns before the word that 人 makes an agent of
        return words[-1][0] == "人" and 2 <= len(words) <= 3 and words[-2][1] in ("n", "v", "vn") \
            and all(tag == "n" for _, tag in words[:-2])

    def _mined_head(self, name: str) -> str | None:
        """The last word of ``name`` when it names an agent: a noun the document shows to be one (``local``),
        or a noun made of a word and a character that the nouns bearing rights and duties in the national
        corpus end in (resources/heads.toml: 监察 + 官, like 法官 and 检察官); the words before it a modifier."""
        if name.endswith((*self.department_heads, *self.party_heads, *self.systems, *self.posts)):
            return None  # a head of the grammar: its own rules have judged the name
        word, tag = tagged(name)[-1]
        if word in self.local:
            return word if self._modifier_ok(name[:-len(word)]) else None
        if word[-1] not in self.agent_suffixes or tag not in _NOUN_TAGS or word in self.non_heads:
            return None
        if len(word) < 3 or len((stem := tagged(word[:-1])[-1])[0]) < 2 or stem[1] == "x":
            return None  # a word and the suffix (监察 + 官, 研究 + 所), not 社会, 集会, 器官
        return word if self._modifier_ok(name[:-len(word)]) else None

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
        if func.startswith(_POLICY_VERBS):
            return False  # 国家 | 鼓励…金融机构: a policy and whom it addresses
        bare = func.replace("其他", "").replace("其它", "")
        if self.has_function_word(func) or any(w in bare for w in ("其", "、", "及", "与", "或")):
            return False
        if "和" in func and not _SHORT_AND.fullmatch(func):
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
        if head in _ORGAN_HEADS and len(self.words(func)) == 1:
            return True  # 选举委员会, 审判委员会: an organ named for what it does (not 破坏村民 | 委员会)
        return not self.acts(func)

    def acts(self, text: str) -> bool:
        """Whether ``text`` opens with an action: a verb, an adverb, a legal verb (责令改正) or a set
        phrase of four characters (贯彻落实, 因地制宜), which jieba tags as idioms."""
        return self.is_verb(text) or self.is_adverb(text) or text.startswith(self.legal_verbs) or self.is_idiom(text)

    def has_function_word(self, text: str) -> bool:
        """Whether a preposition or a modal word stands in ``text`` as a word of its own."""
        return any(w in _NOT_IN_NAME for w in self.words(text))

    def _verb_head(self, m: re.Match[str]) -> bool:
        """责任单位 | 组织…: a head that is also a verb, after a name that is complete without it."""
        return self.is_verb(m.group("head")) and bool(m.group("mod")) and self.one(m.group("mod")) is not None

    def _rel_ok(self, m: re.Match[str]) -> bool:
        return not m.group("rel") or self._relative_ok(m.group("rel")[:-1])

    def _relative_ok(self, relative: str) -> bool:
        """A 的-clause that can modify a bearer: not opening with a preposition or an adverb (及时动员…的)."""
        if relative.startswith(_POLICY_VERBS):
            return False  # 国家鼓励取得…资格的人员: whom a policy addresses, not a bearer
        if relative.startswith(_LAWFUL_STANDING) or _COMPETENT.fullmatch(relative):
            return "是" not in self.words(relative)
        if not relative or _QUANTITY.search(relative):
            return False
        words = self.words(relative)
        return words[0] not in _NOT_IN_NAME and not self.is_adverb(relative) and "是" not in words \
            and not relative.startswith(("依法", "及时", "立即", "应当", "必须", "可以", "不得"))

    def _modifier_ok(self, mod: str) -> bool:
        if not mod:
            return True
        if "的" in mod:
            relative, _, rest = mod.rpartition("的")
            return self._relative_ok(relative) and len(rest) <= 8 and not self.has_function_word(rest)
        if len(mod) > 12 or self.has_function_word(mod) or any(c in mod for c in "、和及或"):
            return False
        if _QUANTITY.search(mod) or tagged(mod)[0][1] == "m":
            return False  # 有五分之一以上村民代表: a number of people, not a bearer
        if mod.endswith(self.systems):
            return False  # 县级以上人民政府 | 组织编制…: 组织 is the verb
        opening = mod.startswith((*self.functions, *self.levels, *self.jurisdictions, "其他", "有关", "相关"))
        return (opening or not self.acts(mod)) and not mod.startswith(tuple(self.policy_subjects))

    # -- coordinated names ----------------------------------------------------------

    def parse(self, span: str) -> list[str] | None:
        """``span`` read as one or more coordinated bearers (conventions 2, 3, 13, 17), or None."""
        span = span.strip()
        if not span or len(span) > 3 * MAX_NAME:
            return None
        name = _clean(span)
        if name in self.regions and "、" in name and "（" not in name:
            return name.split("、")  # 省、自治区、直辖市 as a subject: three bearers (convention 3)
        if name in self.named or name in self.universal or name in self.regions:
            return [name]
        if (self.words(name)[0] in _NOT_IN_NAME and not _PASSIVE_PARTY.match(name)) or \
                (name[0] in _PREPOSITIONS and self._opens_with_preposition(name)):
            return None  # 对…的生产经营单位: a prepositional phrase, not a name
        if (gov := self._gov.fullmatch(name)) and not gov.group("rel") and not self._body_first(name):
            return [name]  # 县级党委和政府, 省、自治区、直辖市人民政府: one body
        if (post := self._post.fullmatch(name)) and (gov := self._gov.fullmatch(post.group("body"))) \
                and not gov.group("rel"):
            return [name]  # 省级党委和政府主要负责人: a post of a joint body
        if names := self._closed_lists(span) or self._owned_list(span):
            return names
        parts = self._conjuncts(span)
        if len(parts) >= 2 and (names := self._coordinated(parts)):
            return names
        whole = self.one(span)
        return [whole.name] if whole else None

    def _owned_list(self, span: str) -> list[str] | None:
        """Activities listed after an owner and 的, sharing a head: 危险物品的生产、经营、储存单位 → 危险物品的生产单位,
        危险物品的经营单位, 危险物品的储存单位 (convention 23, the owner repeated); a list may follow
        (以及矿山、…单位)."""
        m = self._owned.match(span)
        if m is None:
            return None
        names = [f"{m['owner']}的{item}{m['head']}" for item in m["items"].split("、")]
        if not all(self.one(n) for n in names):
            return None
        if m.end() == len(span):
            return names
        rest = self.parse(span[m.end():].lstrip("、和及以与或者"))
        return [*names, *rest] if rest else None

    def _closed_lists(self, span: str) -> list[str] | None:
        """等 closes a list at its head, which then coordinates as one item: 应急管理、财政等部门和有关社会组织 →
        应急管理部门, 财政部门, 有关社会组织 (the head is not shared with what follows 和)."""
        m = _CLOSED_LIST.search(span)
        if m is None or m.end() >= len(span):
            return None
        left, right = span[:m.end("head")], span[m.end():]
        first, rest = self.parse(left), self.parse(right)
        return [*first, *rest] if first and rest else None

    def _opens_with_preposition(self, name: str) -> bool:
        """对 + a name is a prepositional phrase (对…的生产经营单位), even where the dictionary joins 对 with
        the next character (对位); a set phrase (从业人员, 对外贸易) is not."""
        first = tagged(name)[0]
        if first[0] == name[0]:
            return True
        return first[1] not in ("l", "i") and len(self.words(name[1:])[0]) > 1 and bool(self.parse(name[1:]))

    def _body_first(self, name: str) -> bool:
        """A coordination that opens with a level which is itself a body (国务院和县级以上地方各级人民政府):
        two bodies, not one joint body."""
        first = self._coord.split(name, maxsplit=1)[0]
        return first != name and first in self.named and first in self.levels

    def _joint(self, name: str) -> bool:
        """One body by convention 3(a): a party committee and government named together (各级党委和政府),
        or a department of both (各级党委和政府信访部门)."""
        if self._gov.fullmatch(name) and not self._body_first(name):
            return True
        body = self._body.fullmatch(name)
        return body is not None and not body.group("rel") and body.group("prefix").endswith(_JOINT_SYSTEMS) \
            and "、" not in body.group("func")

    def _conjuncts(self, span: str) -> list[str]:
        """The coordinated pieces of a span; a coordinator inside a relative clause (发现险情或者灾情的单位)
        or inside a name does not split it."""
        starts, at = set(), 0
        for word in self.words(span):  # a coordinator inside a word (参与, 给予) does not split
            starts.add(at)
            at += len(word)
        pieces = _split_top(span, self._coord, self._unsplit, starts)
        groups: list[str] = []
        current = pieces[0][1]
        listed = len(pieces) > 2 or "、" in span or "等" in span
        for sep, piece in pieces[1:]:
            joint = self._joint(current + sep + piece)
            levels = sep == "和" and current.removeprefix("有关") in self.levels  # 有关中央和国家机关 in a list (3b)
            shares_head = (not listed or levels) and self._modifier_only(current) and not self.one(current)
            if joint or shares_head:
                current = current + sep + piece  # 各级党委和政府 (3a); 有关中央和国家机关 (3b)
            elif current and (current not in self.levels or current in self.named) \
                    and (self.one(current) or self._modifier_only(current)):
                groups.append(current)
                current = piece
            else:
                current = current + sep + piece
        groups.append(current)
        return [g for g in groups if g]

    def _modifier_only(self, text: str) -> bool:
        """A function or modifier that takes the head of the last conjunct (发展改革、财政…部门)."""
        if (gov := self._gov.match(text)) and not gov.group("rel"):
            text = text[gov.end():]  # 县级以上各级人民政府 | 财政、公安…等部门
        if text in self.functions:
            return True
        if not text or len(text) > 8 or "的" in text:
            return False
        return len(text) <= 4 or not any(self.is_verb(w) for w in self.words(text))  # 证券监管、保险监管等部门

    def _coordinated(self, parts: list[str]) -> list[str] | None:
        its = parts[-1]
        if len(parts) >= 3 and its.startswith("其") and not its.startswith(("其他", "其它")):
            # 各级机关、单位及其工作人员: 其 points back to every body listed before it
            heads = self._coordinated(parts[:-1])
            if heads and all(self.one(h + its[1:]) for h in heads):
                return [*heads, *(h + its[1:] for h in heads)]
        if (post := self._post.fullmatch(parts[-1])) and post.group("body") in self._institutions:
            # 各级机关、单位工作人员: the post of every body listed
            bodies = self._coordinated([*parts[:-1], post.group("body")])
            if bodies:
                return [b + post.group("post") for b in bodies]
        if (m := _APPOSITION.fullmatch(parts[-1])) and self.one(m.group("last")):
            parts = [*parts[:-1], m.group("last")]  # 红十字会、慈善会和公募基金会等社会组织
        if "的" in parts[-1] and "的" not in parts[0] and self.one(parts[0]) is None:
            return None  # 生产、经营、储存、使用危险物品的单位: verbs coordinated inside one relative
        last_part = self._resolve_its(parts[-1], parts[-2])
        last = self.one(last_part)
        if last is None:
            return None
        readings: list[Parsed] = []
        distributed = False
        for part in parts[:-1]:
            if readings:
                part = self._resolve_its(part, readings[-1].name)
            reading = self.one(part) or self._kind_of_other(part, parts[-1], last)
            if reading is None and last.head and "的" not in part and not last.head.endswith(("人", "者")):
                reading, distributed = self.one(_clean(part) + last.head), True  # not 法律、…或者当事人
                if reading is None and len(self.words(_clean(part))) == 1 and not self.has_function_word(part) \
                        and last.head in self._institutions:
                    # 新闻、出版、广播…等单位: one word in a list sharing a head names a unit, verb or not
                    reading = Parsed(_clean(part) + last.head, "", last.head)
            if reading is None:
                return None
            readings.append(reading)
        if last_part != parts[-1] and readings:
            last = self.one(self._resolve_its(parts[-1], readings[-1].name)) or last
        readings.append(last)
        readings = self._share_owner(self._share_modifier(readings))
        first = readings[0]
        if first.prefix and first.head in self.party_heads and first.name == first.prefix + first.head:
            # 境内的组织、个人 → 境内的组织, 境内的个人
            readings = [first, *(Parsed(first.prefix + r.name, first.prefix, r.head)
                                 if r.name in self.party_heads else r for r in readings[1:])]
        if (rel := readings[0].rel) and all(not r.rel and "的" not in r.name for r in readings[1:]):
            # 接到险情报告的当地人民政府、基层群众自治组织 → both received the report
            readings = [readings[0], *(Parsed(rel + r.name, r.prefix, r.head, rel) for r in readings[1:])]
        prefix = readings[0].prefix
        if len(prefix) > 1 and (distributed or readings[0].head in self.department_heads):
            # 国务院文化行政主管部门、体育行政主管部门 → both under 国务院 (convention 17)
            readings = [r if r.prefix or "的" in r.name or r.name.startswith(("其他", "其它", prefix))
                        or (r.head not in self.department_heads and r.name not in self.party_heads)
                        else Parsed(prefix + r.name, prefix, r.head) for r in readings]
        return [r.name for r in readings]

    def _kind_of_other(self, part: str, text: str, last: Parsed) -> Parsed | None:
        """A noun listed before 其他X, X an organisation or a person, names a kind of X in full (机关、团体、
        企业事业单位和其他组织: 团体 is an organisation, not 团体组织); before 其他有关部门 it is a function
        (公安、交通和其他有关部门 → 公安部门, convention 17)."""
        if not text.startswith(("其他", "其它")) or last.head in self.department_heads:
            return None
        words = tagged(_clean(part))
        return Parsed(words[0][0], "", words[0][0]) if len(words) == 1 and words[0][1] in _NOUN_TAGS else None

    def _share_owner(self, readings: list[Parsed]) -> list[Parsed]:
        """Staff after a post of an organisation belong to it too: 生产经营单位的主要负责人和安全生产管理人员 →
        …的主要负责人, 生产经营单位的安全生产管理人员."""
        first = readings[0]
        if first.head not in self.posts or "的" not in first.name:
            return readings
        owner = first.name.rsplit("的", 1)[0]
        return [first, *(Parsed(f"{owner}的{r.name}", r.prefix, r.head)
                         if r.head.endswith(("人员", "负责人")) and "的" not in r.name
                         and not any(w in r.name for w in self._institutions) else r for r in readings[1:])]

    def _share_modifier(self, readings: list[Parsed]) -> list[Parsed]:
        """A bare institutional head after a name takes that name's modifier (convention 23):
        其他依法负有…职责的部门、机构 → …的部门, …的机构; people after an organisation's people belong to it
        too (公司董事、监事、高级管理人员 → 公司董事, 公司监事, 公司高级管理人员)."""
        shared = [readings[0]]
        owner = self._owner(readings[0])
        for r in readings[1:]:
            before = shared[-1]
            modifier = before.name[:-len(before.head)] if before.head and before.name.endswith(before.head) else ""
            if r.name == r.head and r.name in self._institutions and modifier:
                r = Parsed(modifier + r.name, before.prefix, r.head, before.rel)
            elif owner and r.head in self._people and not r.name.startswith(owner) \
                    and not any(w in r.name for w in (*self._organisations, *self.department_heads)) \
                    and not self._gov.match(r.name) and not r.name.startswith(("其他", "其它")):
                r = Parsed(owner + r.name, owner, r.head)
            shared.append(r)
        return shared

    def _owner(self, first: Parsed) -> str:
        """The organisation whose people a name lists (公司 in 公司董事; 农村集体经济组织 in 农村集体经济组织理事会
        成员), or "" where the name is no organisation's person (or says 的, which _share_owner reads)."""
        if first.head not in self._people or "的" in first.name:
            return ""
        for end in range(len(first.name) - len(first.head), 1, -1):
            if (p := self.one(first.name[:end])) is not None and p.head.endswith(self._organisations):
                return first.name[:end]
        return ""

    @staticmethod
    def _resolve_its(part: str, previous: str) -> str:
        """其 points back to the bearer before it: 县级以上人民政府及其有关部门."""
        if part.startswith("其") and not part.startswith(("其他", "其它")):
            return _clean(previous) + part[1:]
        return part


# 交通运输、水利等有关部门: the departments named, one each (convention 17), without 等 and 有关.
_CLOSED_LIST = re.compile(r"、[^、，。；]{1,12}等(?:有关|相关)?(?P<head>部门|机关|单位|机构|组织)(?:和|以及|及|、)")
_ETC = re.compile(r"等(?:有关|相关)?(?=[^等]{0,6}(?:部门|机关|单位|机构|组织)$)")


def _clean(name: str) -> str:
    name = name.strip(" 　")
    if name.startswith("各") and not name.startswith("各级"):
        name = name[1:]
    return _ETC.sub("", name.removesuffix("等"))


def _split_top(span: str, coord: re.Pattern[str], whole: re.Pattern[str] | None = None,
               starts: Collection[int] | None = None) -> list[tuple[str, str]]:
    """(coordinator before, piece) pairs, split outside brackets and names: 省（自治区、直辖市）, 中华人民共和国
    stay whole; a coordinator of one character splits only where a word starts (``starts``)."""
    parts: list[tuple[str, str]] = []
    depth, begin, i, sep = 0, 0, 0, ""
    while i < len(span):
        ch = span[i]
        if whole is not None and (m := whole.match(span, i)):
            i = m.end()
            continue
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        elif depth == 0 and (m := coord.match(span, i)) and \
                (starts is None or i in starts or m.end() - i > 1 or ch == "、"):
            parts.append((sep, span[begin:i]))
            sep, begin, i = m.group(0), m.end(), m.end()
            continue
        i += 1
    parts.append((sep, span[begin:]))
    return parts
