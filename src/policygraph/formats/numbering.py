"""Word's automatic numbering, rendered as a reader sees it: a paragraph numbered by a list whose level
text is 第%1条 and format chineseCounting shows 第一条, though its text holds none. Drafts and official
documents number articles, chapters and items (（一）) this way; without it they would have no 第…条.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import cn2an
from docx.oxml.ns import qn

_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    suffix: str = "tab"


@dataclass
class Numbering:
    """The list definitions of a .docx and the counters of the lists read so far."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId -> ilvl -> level
    abstract_of: dict[str, str] = field(default_factory=dict)  # numId -> abstractNumId
    counters: dict[str, list[int]] = field(default_factory=dict)  # abstractNumId -> one counter per level

    @classmethod
    def of(cls, document: Any) -> Numbering:
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return cls()
        abstract = {a.get(qn("w:abstractNumId")): _levels(a) for a in root.findall(qn("w:abstractNum"))}
        numbering = cls()
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None and (aid := ref.get(qn("w:val"))) in abstract:
                numbering.levels[num.get(qn("w:numId"))] = abstract[aid]
                numbering.abstract_of[num.get(qn("w:numId"))] = aid
        return numbering

    def label(self, paragraph: Any) -> str:
        """The number Word shows before ``paragraph`` ("" when it is not in a list)."""
        num_id, ilvl = _num_pr(paragraph)
        levels = self.levels.get(num_id or "")
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(self.abstract_of[num_id or ""], [0] * 9)
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else levels[ilvl].start
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        level = levels[ilvl]
        text = level.text
        for k in range(ilvl + 1):
            shown = levels.get(k, _Level())
            text = text.replace(f"%{k + 1}", _format(counters[k] or shown.start, shown.fmt))
        return text + ("" if level.suffix == "nothing" else "　")


def _levels(abstract: Any) -> dict[int, _Level]:
    levels: dict[int, _Level] = {}
    for lvl in abstract.findall(qn("w:lvl")):
        def val(tag: str, default: str, lvl: Any = lvl) -> str:
            el = lvl.find(qn(tag))
            return el.get(qn("w:val"), default) if el is not None else default

        levels[int(lvl.get(qn("w:ilvl"), "0"))] = _Level(
            val("w:numFmt", "decimal"), val("w:lvlText", ""), int(val("w:start", "1")), val("w:suff", "tab"))
    return levels


def _num_pr(paragraph: Any) -> tuple[str | None, int]:
    """The list and level of a paragraph: its own numPr, or its style's."""
    for ppr in (paragraph._p.pPr, getattr(paragraph.style.element, "pPr", None) if paragraph.style else None):
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if num_pr is not None and (num := num_pr.find(qn("w:numId"))) is not None:
            ilvl = num_pr.find(qn("w:ilvl"))
            return num.get(qn("w:val")), int(ilvl.get(qn("w:val"))) if ilvl is not None else 0
    return None, 0


def _format(n: int, fmt: str) -> str:
    """A counter in a numbering format.

    >>> _format(12, "chineseCounting"), _format(3, "ideographTraditional"), _format(4, "decimal")
    ('十二', '丙', '4')
    """
    if fmt.startswith(("chineseCounting", "chineseLegalSimplified", "taiwaneseCounting", "ideographDigital")):
        return str(cn2an.an2cn(n))
    if fmt == "ideographTraditional":
        return _HEAVENLY_STEMS[(n - 1) % 10]
    if fmt == "ideographZodiac":
        return _EARTHLY_BRANCHES[(n - 1) % 12]
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "none":
        return ""
    return str(n)
