"""Explicit citations of the measure's numbered articles in a rule's text.

按照《中华人民共和国矿山安全法》第四十条的规定处理 cites Art. 40 of that law; 依照《献血法》第十八条、
第十九条 cites two; 第二十条至第二十二条 a range. A citation counts when its title is the measure's
(with or without 中华人民共和国) or an abbreviation the rule declares (以下简称《监督法》) or that the
measure's title ends with. Numbers are those of the version in force at the rule's date, which is
the version the rule is aligned to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..structure import to_int
from .basis import short_title

_NUM = r"[零〇一二三四五六七八九十百千\d]+"
_REF = rf"第{_NUM}条(?:之{_NUM})?(?:第{_NUM}款)?(?:第[（(]?{_NUM}[)）]?项)?"
_REFS = rf"(?P<refs>{_REF}(?:(?:、|和|及|或者|至|，|,){_REF})*)"
_ONE = re.compile(rf"第(?P<n>{_NUM})条(?:之(?P<sub>{_NUM}))?")
_RANGE = re.compile(rf"第(?P<a>{_NUM})条(?:第{_NUM}款)?(?:第[（(]?{_NUM}[)）]?项)?至第(?P<b>{_NUM})条")
_ABBREVIATION = re.compile(r"[《〈](?P<full>[^《》〈〉]+)[》〉][（(]以下简称"
                           r"[《〈]?(?P<short>[^《》〈〉)）]+)[》〉]?[)）]")


def measure_names(title: str, text: str = "") -> set[str]:
    """The names a rule may cite the measure by: its title, the short title, declared abbreviations.

    >>> sorted(measure_names("中华人民共和国监督法", "《中华人民共和国监督法》（以下简称《监督法》）"))
    ['中华人民共和国监督法', '监督法']
    """
    names = {title, short_title(title)}
    for m in _ABBREVIATION.finditer(text):
        if m.group("full") in names:
            names.add(m.group("short"))
    return names


def cited_articles(text: str, names: Iterable[str]) -> list[str]:
    """Article numbers (keys, "17_1" for 第十七条之一) of the measure that ``text`` cites, in order.

    >>> cited_articles("按照《中华人民共和国矿山安全法》第四十条的规定处理。", {"中华人民共和国矿山安全法"})
    ['40']
    >>> cited_articles("依照《献血法》第十八条、第十九条和《刑法》第五条处罚", {"献血法"})
    ['18', '19']
    >>> cited_articles("依照《水法》第二十条至第二十二条", {"水法"})
    ['20', '21', '22']
    >>> cited_articles("依照药品管理法第八十条的规定给予处罚", {"药品管理法"})
    ['80']
    >>> cited_articles("依照《中华人民共和国水污染防治法》第八十条", {"水法", "中华人民共和国水法"})
    []
    """
    alternatives = "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True) if n)
    if not alternatives:
        return []
    # 《X》第N条, or X第N条 written without the title marks (依照药品管理法第八十条).
    citation = re.compile(rf"(?:[《〈](?:{alternatives})[》〉]|(?<![《〈])(?:{alternatives}))(?:的?规定)?{_REFS}")
    out: list[str] = []
    for m in citation.finditer(text):
        refs = m.group("refs")
        spans = []
        for r in _RANGE.finditer(refs):
            a, b = to_int(r.group("a")), to_int(r.group("b"))
            if 0 < b - a < 50:
                out += [str(n) for n in range(a, b + 1)]
                spans.append((r.start(), r.end()))
        for one in _ONE.finditer(refs):
            if any(s <= one.start() < e for s, e in spans):
                continue
            key = str(to_int(one.group("n")))
            out.append(f"{key}_{to_int(one.group('sub'))}" if one.group("sub") else key)
    return list(dict.fromkeys(out))
