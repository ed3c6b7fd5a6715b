"""The closed word lists and patterns the name grammar (``names.py``) reads with, and how a name is written
(conventions 2 and 24: ``clean_name``). Each is a fact of legal Chinese, with an example of what it rules in or out."""

from __future__ import annotations

import re

from .words import is_word, opening, tagged

CLAUSE_PUNCT = "，。；：！？,;:!?“”《》\n"
# Words that open a prepositional or modal phrase, or send a matter up (报请上级…): never inside a name
# without 的.
NOT_IN_NAME = frozenset(("对", "向", "在", "从", "由", "把", "将", "被", "应", "应当", "可", "可以", "须", "必须",
                          "不得", "按照", "依照", "根据", "依据", "经", "于", "是", "为", "并", "会同",
                          "依法", "及时", "立即", "给", "未", "未经", "因", "对于", "关于", "通过", "其中", "报",
                          "报请", "报经", "报送", "提请", "上报", "以"))
MAX_NAME = 40
# Words that a relative clause may have after its own agent (国务院依法设立的, 经…批准的, 未…的).
IN_RELATIVE = frozenset(("在", "经", "未", "未经", "依法", "被", "由"))
MODAL = frozenset(("应", "应当", "可", "可以", "须", "必须", "不得"))
# Negations that open a predicate in a condition (买受人 | 未按照约定受领…的, 用人单位 | 不支付…的): a word of one
# character, which the tags of jieba's dictionary alone would not count as an action.
NEGATIONS = ("未", "尚未", "不")
OPENING_CONJUNCTIONS = ("但是", "但", "以及", "并且", "而且", "同时")
# Conjunctions that open no name (或者其…的老年人, 由于承运人…), whatever jieba tags them.
CONJUNCTIONS = ("或者", "或", "由于", "因为", "因此", "如果", "而且", "并且", "虽然")
# Characters that end a place's name (市辖区, 自治县): a body's prefix may end with one inside a word.
PLACE_ENDS = "区县市州盟旗乡镇省"
# Verbs that take an object and end no modifier (利用野生动物进行 | 公众展示展演).
LIGHT_VERBS = ("进行", "予以", "加以", "给予", "作出")
ONE_CHARACTER_PREPOSITIONS = frozenset("自从对向由与同在将把给于")
# A modal cue before a head that is also a verb (建设单位负责 | 组织…): the clause's cue and verb, not a name.
CUE_WORDS = ("负责", "应当", "可以", "必须", "不得", "有权")
MAX_CONDITION = 8
# How many of a name act together (常务委员会组成人员 | 十人以上联名): a number, not part of the name.
HOW_MANY = re.compile("[一二三四五六七八九十百0-9０-９]+(?:名|人)以上")
QUANTITY = re.compile(r"^有(?!关|条件|限)|分之|[0-9０-９]+(?:名|人)|[一二三四五六七八九十]+(?:名|人)以上|若干")
# A share of a body's people (三分之一以上的村民代表, 常务委员会五分之一以上组成人员): the share is part of the name.
SHARE_OF = re.compile(r"(?P<whole>[^的]*?)[一二三四五六七八九十]+分之[一二三四五六七八九十]+以上的?(?P<people>.+)")
# Members of an assembly, named by it (全国人民代表大会代表, 人民代表大会常务委员会组成人员).
DEPUTIES = ("代表", "委员", "组成人员", "主席团")
# Words before a name that say which one it is (原发证机关: the one that issued it; 另一方当事人): the name is a bearer.
DETERMINERS = ("原", "另一方", "对方")
NOT_DETERMINERS = ("原则", "原因", "原来", "原有", "原始", "原先", "原料", "原告")  # words that open with 原
ORGAN_HEADS = ("委员会", "领导小组", "工作领导小组", "小组", "工作组", "指挥部")
NAMED_FOR_WHAT_IT_DOES = ("机关", "机构", "委员会")
# Verbs of state policy (国家鼓励…, 支持…): a 的-clause opening with one names whom a policy addresses.
POLICY_VERBS = ("鼓励", "支持", "提倡", "引导", "国家鼓励", "国家支持", "国家提倡", "国家引导")
# A body under another, named after it: X的派出机构, X省一级派出机构, X的上级机关.
SUB_BODY = re.compile(r"(?P<body>.+?(?:部门|机关|机构|单位|政府))的?(?P<mod>[^的，。；、]{0,6}?)"
                       r"(?P<sub>派出机构|分支机构|内设机构|下属单位|上级机关|上级单位|上一级机关|上一级单位)")
# A relative clause may open with 依法 when a verb of standing follows (依法负有…职责的部门, 依法设立的…),
# or with 有权 (有权处理的机关).
LAWFUL_STANDING = ("依法负有", "依法设立", "依法成立", "依法取得", "依法登记", "依法承担", "依法履行")
COMPETENT = re.compile(r"有权[^对向在从由于依按根，。；]{1,4}")  # 有权处理(的机关): a verb, no phrase
# 被 + a verb + a person or body: the one the act is done to (被询问人, 被检查单位).
PASSIVE_PARTY = re.compile(r"被[^的，。；、]{1,3}(?:人|单位|者)")
PASSIVE_RELATIVE = re.compile(r"被[^的，。；、]{1,4}")  # 被检查(的单位): names.py reads such a relative
PASSIVE_OPENING = re.compile(PASSIVE_RELATIVE.pattern + "的")  # a span opening with one is a name's, not 被 + a verb
RESPONSIBLE = re.compile(r"是[^，。；]{0,8}(?:责任人|责任主体)")
SHORT_AND = re.compile(r"[^和]{1,3}和[^和]{1,4}")
NOUN_TAGS = ("n", "nt", "nz", "nr", "j")
# One-character adverbials (对, 在, 应…) count only as whole words: 应急 is not 应.
SINGLE = 1


def missegmented_verb(text: str) -> bool:
    """A verb the dictionary's longest match hides in a noun of three characters (提供商 | 品: 提供 | 商品)."""
    first = opening(text[:6], 1)[0]
    if len(first[0]) != 3 or first[1] not in NOUN_TAGS:
        return False
    verb, rest = tagged(text[:2]), tagged(text[2:6])
    return len(verb) == 1 and verb[0][1] == "v" and len(rest[0][0]) >= 2 and rest[0][1] == "n"


# 交通运输、水利等有关部门: the departments named, one each (convention 17), without 等 and 有关.
_ETC = re.compile(r"等(?:有关|相关)?(?=[^等的]{0,6}(?:部门|机关|单位|机构|组织|企业)$)")


def clean_name(name: str) -> str:
    """A name as conventions 2 and 24 write it: without a leading 各 (not 各级) or 一切, a trailing 等, and
    等 before 有关部门."""
    name = name.strip(" 　")
    for conjunction in OPENING_CONJUNCTIONS if name.startswith(OPENING_CONJUNCTIONS) else ():
        if name.startswith(conjunction) and len(name) > len(conjunction) + 1:  # 但消费者…, 以及提供…的经营者:
            name = name[len(conjunction):]  # the clause's conjunction, not the name's
            break
    if name.startswith("各") and not name.startswith(("各级", "各类", "各种", "各项")):
        name = name[1:]
    elif name.startswith("一切") and not name.startswith(("一切单位和", "一切组织和")):
        name = name[2:]  # 一切国家机关和武装力量 (the generic pair is one universal bearer, convention 13)
    if "等" not in name:
        return name  # (nothing for the two rules on 等 below to remove)
    name = name.removesuffix("等") if not is_word(name[-2:]) else name
    # 等 closing a list, not the end of a word (高等院校, 同等学力)
    return _ETC.sub(lambda m: m.group(0) if is_word(name[max(0, m.start() - 1):m.start() + 1]) else "", name)
