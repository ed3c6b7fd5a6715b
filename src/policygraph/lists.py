"""Coordinated names of bearers: lists, shared heads and owners (conventions 2, 3, 13, 17, 23).

``ListGrammar`` reads a span as one or more bearers on top of ``NameGrammar``, which reads one name:
国务院和县级以上地方各级人民政府 → two bodies; 各级党委和政府 → one joint body (3a); 发展改革、财政等部门 →
one department each (17); 各级机关、单位及其工作人员 → four bearers (23).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache

from .name_words import (
    DEPUTIES,
    LAWFUL_STANDING,
    MAX_NAME,
    NOT_IN_NAME,
    NOUN_TAGS,
    PASSIVE_OPENING,
    PASSIVE_PARTY,
    clean_name,
)
from .names import NameGrammar, Parsed
from .words import opening, tagged

_APPOSITION = re.compile(r"(?P<last>.+?)等(?P<category>[^等]{0,6}(?:组织|单位|机构|部门|机关))")
# 等 closing a list at its head, before another coordinated item (应急管理、财政等部门和有关社会组织).
_CLOSED_LIST = re.compile(r"、[^、，。；]{1,12}等(?:有关|相关)?(?P<head>部门|机关|单位|机构|组织)(?:和|以及|及|、)")
# 等 closing the list at the head its items share (…、市场监督管理等部门)
_SHARED_HEAD = re.compile(r".+?等(?:有关|相关)?(?P<head>[^等、]{0,6}?(?:部门|机关|单位|机构|组织|企业))")
_JOINT_SYSTEMS = ("党委和政府", "党委、政府")
# 任何其他单位和个人, 一切组织或者个人: one universal bearer however it is worded (convention 13)
_UNIVERSAL = re.compile(r"(?:任何|一切)(?:其他)?(?:单位|组织|个人|人)(?:[、和或与]|或者)(?:其他)?(?:单位|组织|个人)")
_DATE = re.compile(r"[0-9０-９一二三四五六七八九〇零]{2,4}年")
# Prepositions that open a phrase around a name (对…的单位), never a name.
_PREPOSITIONS = "对向从把将经与同"


class ListGrammar(NameGrammar):
    """The name grammar, reading coordinated bearers."""

    def __post_init__(self) -> None:
        super().__post_init__()
        # The same spans recur across a corpus: parse each once per process (and per set of the document's
        # own agents, which may change how it reads).
        parse = self.parse
        parse_cached = lru_cache(maxsize=1 << 17)(lambda span, local: parse(span))
        self.parse = lambda span: parse_cached(span, self.local)  # type: ignore[method-assign]

    def parse(self, span: str) -> list[str] | None:
        """``span`` read as one or more coordinated bearers (conventions 2, 3, 13, 17), or None."""
        span = span.strip()
        if not span or len(span) > 3 * MAX_NAME:
            return None
        name = clean_name(span)
        if not name:
            return None  # (等, 的: nothing left once what ends a name is dropped)
        if _DATE.search(name):
            return None  # 1985年2月8日国务院(发布…): a date opens a record of enactment, not a name
        if name in self.regions and "、" in name and "（" not in name:
            return name.split("、")  # 省、自治区、直辖市 as a subject: three bearers (convention 3)
        if name in self.named or name in self.universal or name in self.regions or _UNIVERSAL.fullmatch(name):
            return [name]
        if opening(name, 1)[0][0] in self.fused_modals:
            return None  # 须经 | 人民代表大会过半数的代表通过: a modal and its verb, no name
        if (opening(name, 1)[0][0] in NOT_IN_NAME and not PASSIVE_PARTY.match(name) and not PASSIVE_OPENING.match(name)
                and not name.startswith(LAWFUL_STANDING)) or \
                (name[0] in _PREPOSITIONS and self._opens_with_preposition(name)):
            return None  # 对…的生产经营单位: a prepositional phrase, not a name
        if (gov := self._gov.fullmatch(name)) and not gov.group("rel") and not self._body_first(name):
            return [name]  # 县级党委和政府, 省、自治区、直辖市人民政府: one body
        if (post := self._post.fullmatch(name)) and (gov := self._gov.fullmatch(post.group("body"))) \
                and not gov.group("rel"):
            return [name]  # 省级党委和政府主要负责人: a post of a joint body
        if names := self._closed_lists(span) or self._owned_list(span):
            return names
        if (m := self._party.fullmatch(name)) and m.group("head") in DEPUTIES and self._assemblies(m.group("mod")):
            return [name]  # 全国人民代表大会和地方各级人民代表大会代表: deputies of assemblies of one kind (3b)
        parts = self._conjuncts(span)
        if len(parts) >= 2 and (names := self._coordinated(parts)):
            return names
        whole = self.one(span)
        return [whole.name] if whole else None

    def _assemblies(self, mod: str) -> bool:
        """Two or more bodies of one system coordinated (全国人民代表大会和地方各级人民代表大会)."""
        parts = [p for p in re.split("和|、|及", mod) if p]
        bodies = [self._gov.fullmatch(p) for p in parts]
        return len(parts) >= 2 and all(b is not None and not b.group("rel") for b in bodies) \
            and len({b.group("head") for b in bodies if b is not None}) == 1

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
        if not self._coord.search(span):
            return [span] if span else []  # nothing to split: no coordinator, no words to read
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
            elif current and (not self._levels_run(current) or current in self.named) \
                    and (self.one(current) or self._modifier_only(current)):
                groups.append(current)
                current = piece
            else:
                current = current + sep + piece
        groups.append(current)
        return [g for g in groups if g]

    def _levels_run(self, text: str) -> bool:
        """Levels listed with 、 (县、市、旗 | 公安局): one place word for the name that follows (3b)."""
        return all(part in self.levels for part in text.split("、"))

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
        if parts[-1][:1] in _PREPOSITIONS and "的" not in parts[-1] and self._opens_with_preposition(parts[-1]):
            return None  # …高等院校规定或者 | 与科技人员约定…: a prepositional phrase, not a conjunct
        if "的" in parts[-1] and "的" not in parts[0] and self.one(parts[0]) is None:
            return None  # 生产、经营、储存、使用危险物品的单位: verbs coordinated inside one relative
        last_part = self._resolve_its(parts[-1], parts[-2])
        last = self.one(last_part)
        if last is None and clean_name(last_part) in self.party_heads and len(parts) > 1 and self.one(parts[0]):
            last = Parsed(clean_name(last_part), "", clean_name(last_part))  # 有关机关、组织: a head, though a verb
        if last is None:
            return None
        closing = m.group("head") if (m := _SHARED_HEAD.fullmatch(parts[-1])) else None  # …等部门
        if m and last.head != (head := m.group("head")) \
                and (last.head.endswith(head) or head.endswith(last.head)) and last.name.endswith(head):
            # 公安、…、市场监督管理等部门: what follows 等 is what the items share (部门), though the last item
            # alone reads with a longer head (市场 + 监督管理部门); 宾馆、餐饮、娱乐等服务性企业: 服务性企业
            last = Parsed(last.name, last.prefix, head, last.rel)
        readings: list[Parsed] = []
        distributed = False
        if any(len(n := clean_name(p)) == 1 and n not in self.levels and n not in self.department_heads
               and n not in self.party_heads for p in parts[:-1]):
            return None  # 低、中水平…处置单位: a character is no name (省、市 are levels, read before)
        for part in parts[:-1]:
            if readings:
                part = self._resolve_its(part, readings[-1].name)
            reading = self.one(part) or self._kind_of_other(part, parts[-1], last)
            if reading and closing in self.department_heads and reading.head not in self.department_heads \
                    and not reading.name.endswith(self.systems) \
                    and (department := self.one(clean_name(part) + closing)):
                reading, distributed = department, True  # 财政、…、人民银行…等部门: each a department (17)
            if reading is None and last.name in self.persons and (words := tagged(clean_name(part))) and \
                    len(words) == 1 and words[0][1] in (*NOUN_TAGS, "l") and len(words[0][0]) > 1:
                reading = Parsed(words[0][0], "", words[0][0])  # 政党、团体…和公民: kinds listed, no head shared
            if reading is None and len(last.head) > 1 and "的" not in part + last.head \
                    and not last.head.endswith(("人", "者", "银行")) \
                    and not self.has_function_word(part) \
                    and not clean_name(part).endswith((*self._people, last.head[-1])):
                # (主席、副主席或者委员: heads of their own; 广播电台、电视台: 台 ends a name of that kind already)
                reading, distributed = self.one(clean_name(part) + last.head), True  # not 法律、…或者当事人
                if reading is None and len(self.words(clean_name(part))) == 1 and not self.has_function_word(part) \
                        and last.head in self._institutions:
                    # 新闻、出版、广播…等单位: one word in a list sharing a head names a unit, verb or not
                    reading = Parsed(clean_name(part) + last.head, "", last.head)
            if reading is None and len(last.head) > 1 and len(name := clean_name(part)) > 2 \
                    and name.endswith(last.head[-1]) and not self.has_function_word(name) and not self.acts(name):
                reading = Parsed(name, "", last.head[-1])  # 中国贸促会、行业协会: a name of the head's kind
            if reading is None:
                return None
            readings.append(reading)
        if last_part != parts[-1] and readings:
            last = self.one(self._resolve_its(parts[-1], readings[-1].name)) or last
        readings.append(last)
        readings = self._share_owner(self._share_modifier(readings))
        first = readings[0]
        short_or_relative = first.prefix.endswith("的") or len(first.prefix) <= 3  # (not 共产主义青年 | 团)
        if short_or_relative and first.head in self.party_heads and first.name == first.prefix + first.head \
                and self.one(first.prefix) is None:  # (not 村民委员会成员、村民委员会: the prefix is a name)
            # 境内的组织、个人 → 境内的组织, 境内的个人; a person's (未成年人的父母…、学校) only to people
            possessive = self._kind(first.prefix.removesuffix("的")) == "person"
            readings = [first, *(Parsed(first.prefix + r.name, first.prefix, r.head)
                                 if r.name in self.party_heads and not (possessive and self._kind(r.head) != "person")
                                 else r for r in readings[1:])]
        if (rel := readings[0].rel) and not self._level.fullmatch(rel[:-1]) \
                and all(not r.rel and "的" not in r.name for r in readings[1:]):
            # 接到险情报告的当地人民政府、基层群众自治组织 → both received the report (not 县级以上的: a level)
            readings = [readings[0], *(Parsed(rel + r.name, r.prefix, r.head, rel) for r in readings[1:])]
        prefix = readings[0].prefix
        # (a government's level goes to other systems only: 乡、镇人民政府和村民委员会 are two)
        shared_heads = self.department_heads if readings[0].head not in self.systems or distributed else self.systems
        if len(prefix) > 1 and (distributed or readings[0].head in shared_heads) \
                and not prefix.removeprefix("其").startswith(_RELATIVE_LEVELS):  # (上级机关或者监察机关: two bodies)
            # 国务院文化行政主管部门、体育行政主管部门 → both under 国务院 (convention 17); 各级人民法院、人民检察院
            # → both at every level
            # (国家机关、军队、…、村民委员会: the prefix goes along a run of bodies, not past an item it does not fit)
            shared = [readings[0]]
            for r in readings[1:]:
                if r.prefix or "的" in r.name or r.name.startswith(prefix) \
                        or (r.head not in shared_heads and r.name not in shared_heads):
                    shared.extend(readings[len(shared):])
                    break
                shared.append(Parsed(prefix + r.name, prefix, r.head))
            readings = shared
        return [r.name for r in readings]

    def _kind_of_other(self, part: str, text: str, last: Parsed) -> Parsed | None:
        """A noun listed before 其他X, X an organisation or a person, names a kind of X in full (机关、团体、
        企业事业单位和其他组织: 团体 is an organisation, not 团体组织); before 其他有关部门 it is a function
        (公安、交通和其他有关部门 → 公安部门, convention 17)."""
        if not text.startswith(("其他", "其它")) or last.head in self.department_heads:
            return None
        words = tagged(clean_name(part))
        return Parsed(words[0][0], "", words[0][0]) if len(words) == 1 and words[0][1] in NOUN_TAGS else None

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
            if not before.head and (passive := PASSIVE_PARTY.fullmatch(before.name)):
                modifier = passive.group(0)[:-1 if passive.group(0).endswith(("人", "者")) else -2]  # 被检查 | 单位
            bare = r.name == r.head or (r.name == "其他" + r.head and self._kind(r.head) == self._kind(before.head))
            possessive = self._kind(modifier.removesuffix("的")) == "person"  # 未成年人的: only to people
            if bare and modifier and (r.name in self._institutions or (modifier.endswith("的") and (
                    not possessive or self._kind(r.head) in (self._kind(before.head), ""))) or (
                    r.name in self.persons and modifier.startswith(("被", "有关", "相关")))):
                # (未成年人的父母或者其他监护人 → …的其他监护人; a person's modifier is no school's: 学校 stays)
                r = Parsed(modifier + r.name, before.prefix, r.head, before.rel)
            elif owner and (r.head in self._people or r.head == "委员会") and owner.rstrip("的") not in r.name \
                    and not any(w in r.name.removesuffix(r.head)
                                for w in (*self.organisations, *self.department_heads)) \
                    and not self._gov.match(r.name) and not r.name.startswith(("其他", "其它")):
                r = Parsed(owner + r.name, owner, r.head)
            shared.append(r)
        return shared

    def _kind(self, head: str) -> str:
        """"person" for a head naming people (父母, 监护人, 个人), "body" for one naming bodies or organisations
        (部门, 单位, 学校), "" where the head says neither."""
        if head in self.kin or head in self.persons or head in self._people or head.endswith(("人", "者")):
            return "person"
        if head in self._institutions or head.endswith(self.organisations) or head in self.party_heads:
            return "body"
        return ""

    def _owner(self, first: Parsed) -> str:
        """The organisation whose people a name lists (公司 in 公司董事; 农村集体经济组织 in 农村集体经济组织理事会
        成员; 中外合作办学机构的 in 中外合作办学机构的理事会), or "" where the name is no organisation's person."""
        if first.head not in self._people:
            return ""
        if "的" in first.name:  # 中外合作办学机构的理事会、董事会…: the organisation before 的, if one
            owner = first.name.rsplit("的", 1)[0]
            p = self.one(owner)
            organisation = p is not None and (p.head.endswith(self.organisations) or first.head in self.corporate)
            return owner + "的" if organisation and first.head not in ("人员", "负责人") else ""  # (staff: below)
        for end in range(len(first.name) - len(first.head), 1, -1):
            if (p := self.one(first.name[:end])) is not None and p.head.endswith(self.organisations):
                return first.name[:end]
        return ""

    @staticmethod
    def _resolve_its(part: str, previous: str) -> str:
        """其 points back to the bearer before it: 县级以上人民政府及其有关部门."""
        if part.startswith("其") and not part.startswith(("其他", "其它")):
            return clean_name(previous) + part[1:]
        return part


_RELATIVE_LEVELS = ("上级", "上一级", "本级", "同级", "下级")


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
