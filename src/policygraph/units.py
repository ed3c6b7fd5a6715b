"""A document's units — each paragraph's own line and each item — the text the extractor runs on, and what it
reads of a unit before its clauses: which of its cues are the text's own (not a word it quotes) and whether an item
is a condition.

>>> unquoted("背书人记载“不得转让”字样", [(6, 8, "prohibition")])
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .cues import Cue
from .structure import Article, Document


@dataclass
class Unit:
    """A paragraph's own line or one item: the text the pipeline runs on."""

    article: Article
    paragraph: int
    item: int | None
    start: int  # offset in the normalised text
    text: str
    lead_in: bool = False  # a paragraph ending "：" whose items follow


# A word or phrase the text names in quotation marks (记载“不得转让”字样); not a provision quoted whole, as an amendment
# quotes its new text (修改为：“……可以从轻或者减轻处罚”), whose cues are its own.
_QUOTED = re.compile(r"“[^”]{1,12}”|「[^」]{1,12}」|『[^』]{1,12}』")


def unquoted(text: str, cues: list[Cue]) -> list[Cue]:
    """The cues outside quotation marks: a cue quoted (记载“不得转让”字样, “应当知道”) is a word the text names."""
    if "“" not in text and "「" not in text and "『" not in text:
        return cues
    quoted = [m.span() for m in _QUOTED.finditer(text)]
    return [c for c in cues if not any(s < c[0] < e for s, e in quoted)]


def condition_item(text: str) -> bool:
    """An item that is a condition of its own: …的 with nothing after it (convention 8)."""
    return text.rstrip("；;。.，, 　\n").endswith("的")


def units(document: Document) -> Iterator[Unit]:
    text = document.norm.text
    for art in document.provisions:
        for para in art.paragraphs:
            own_end = para.items[0].start if para.items else para.end
            own = text[para.start : own_end].rstrip("\n 　")
            yield Unit(art, para.number, None, para.start, own, lead_in=bool(para.items))
            for item in para.items:
                body = item.end - len(item.text)
                yield Unit(art, para.number, item.number, body, item.text)
