"""The sentences and clauses of a unit's text, as spans, and the pronoun that points back to a bearer.

Separators inside 《》, （）, “”, 〈〉 and 【】 do not split (《中华人民共和国…法》第三条，…). A clause opening with
以及 after a comma goes on with the clause before it (convention 18).

>>> text = "县级人民政府应当组织实施，以及其他有关事项；乡镇人民政府协助。"
>>> [text[a:b] for s, e in sentences(text, 0, len(text)) for a, b in clauses(text, s, e)]
['县级人民政府应当组织实施，以及其他有关事项', '乡镇人民政府协助']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

SENTENCE_END = "。！？!?"
CLAUSE_END = "，；：,;:"
_OPEN, _CLOSE = "《（(“〈【", "》）)”〉】"
_OWN_CUE = re.compile("应当|可以|不得|必须|负责|有权")
ITS = re.compile("其(?!他|它|中|余|次|实)")


def sentences(text: str, start: int, stop: int) -> Iterator[tuple[int, int]]:
    """The sentences of ``text[start:stop]``."""
    return split(text, SENTENCE_END, start, stop)


def clauses(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """The clauses of one sentence, a clause opening with 以及 after a comma joined to the one before it (…的处理
    程序，以及其他…相关事项: one object, one action), unless it has a cue of its own."""
    out: list[tuple[int, int]] = []
    for begin, end in split(text, CLAUSE_END, start, stop):
        if out and text.startswith("以及", begin) and text[begin - 1] in "，," \
                and not _OWN_CUE.search(text, begin, end):
            out[-1] = (out[-1][0], end)
        else:
            out.append((begin, end))
    return out


def resolve_its(names: list[str], before: list[str | None]) -> list[str]:
    """其 points back to the bearer before it (convention 2): 由其所在单位给予处分 after a condition whose subject is
    国家机关工作人员 → 国家机关工作人员所在单位.

    >>> resolve_its(["其所在单位"], ["国家机关工作人员"])
    ['国家机关工作人员所在单位']
    """
    out: list[str] = []
    for name in names:
        out += [f"{b}{name[1:]}" for b in before if b] if ITS.match(name) else [name]
    return out


@cache
def _separators(ends: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(ends)}]")


def split(text: str, ends: str, start: int, stop: int) -> Iterator[tuple[int, int]]:
    """Spans between separators, ignoring separators inside 《》, （）, “” and 〈〉."""
    if not any(ch in text[start:stop] for ch in _OPEN):  # the common case: no brackets to step over
        begin = start
        for m in _separators(ends).finditer(text, start, stop):
            if m.start() > begin:
                yield begin, m.start()
            begin = m.end()
        if stop > begin and text[begin:stop].strip():
            yield begin, stop
        return
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
