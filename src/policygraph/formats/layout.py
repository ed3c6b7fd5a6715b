"""Paragraphs from positioned lines (PDF, OFD): which visual line begins a paragraph, which goes on.

Where paragraphs are set apart by extra space, that space decides (on one page). Otherwise a line begins a
paragraph when it is indented (official documents indent each paragraph's first line by two characters,
GB/T 9704) or centred, or follows a line that stops short of the right margin; else it goes on the line
before, except, in a document that does not indent, after a line ending a sentence.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

_SENTENCE_END = ("。", "：", "；", "！", "？", ":", ";")
_UNIFY = {c: ord(u) for c in [*range(0x2E80, 0x2FE0), *range(0xF900, 0xFB00)]
          if len(u := unicodedata.normalize("NFKC", chr(c))) == 1 and u != chr(c)}
_DIGITS = re.compile(r"\d+")
PAGE_NUMBER = re.compile(r"^\s*[-—–]?\s*\d{1,4}\s*[-—–]?\s*$|^\s*第\s*\d+\s*页")


@dataclass
class Line:
    """One visual line: its text, left and right edges, height and top, in the page's units."""

    text: str
    x0: float
    x1: float
    height: float
    top: float = 0.0


@dataclass
class _Page:
    left: float
    right: float
    pitch: float  # the usual distance from one line's top to the next inside a paragraph


def unify(text: str) -> str:
    """Kangxi radicals and compatibility ideographs, which some PDF and OFD writers map CJK glyphs to
    (⽂件 for 文件, ⼈民 for 人民), as the unified ideographs a reader sees; one character for one.

    >>> unify("⼈民政府⽂件")
    '人民政府文件'
    """
    return text.translate(_UNIFY)


def paragraphs(pages: list[list[Line]]) -> list[str]:
    """Join the visual lines of each paragraph; a paragraph may run on from one page to the next.

    >>> page = [Line("第一条为了", 0, 100, 10, 0), Line("制定本办法。", 0, 60, 10, 12),
    ...         Line("第二条本办法", 0, 100, 10, 24)]
    >>> paragraphs([page])
    ['第一条为了制定本办法。', '第二条本办法']
    """
    pages = [[line for line in page if line.text.strip() and not PAGE_NUMBER.match(line.text)] for page in pages]
    pages = _without_running_lines(pages)
    indented = any(_indent(line, _geometry(page)) for page in pages for line in page)
    spaced = _spaced(pages)
    out: list[str] = []
    previous: tuple[Line, _Page] | None = None
    for page in pages:
        geometry = _geometry(page)
        for line in page:
            text = unify(line.text.strip())
            if previous is not None and _continues(previous, line, geometry, indented, spaced):
                out[-1] += text
            else:
                out.append(text)
            previous = (line, geometry)
    return out


def _without_running_lines(pages: list[list[Line]]) -> list[list[Line]]:
    """Drop running headers and footers: a first or last line that, digits aside, recurs on most pages.

    >>> pages = [[Line("某市人民政府文件", 0, 80, 10), Line(f"第{n}页的正文。", 0, 60, 10),
    ...           Line(f"共3页 {n}", 0, 30, 10)] for n in range(1, 4)]
    >>> [[ln.text for ln in page] for page in _without_running_lines(pages)]
    [['第1页的正文。'], ['第2页的正文。'], ['第3页的正文。']]
    """
    if len(pages) < 3:
        return pages

    def key(line: Line) -> str:
        return _DIGITS.sub("#", line.text.strip())

    ends = Counter(k for page in pages for k in {key(ln) for ln in page[:1] + page[-1:]})
    running = {k for k, n in ends.items() if n > len(pages) / 2}
    return [[ln for i, ln in enumerate(page) if i not in (0, len(page) - 1) or key(ln) not in running]
            for page in pages]


def _geometry(page: list[Line]) -> _Page:
    # The line pitch is the smallest step from one line to the next (not less than a line's height).
    gaps = [b.top - a.top for a, b in itertools.pairwise(page) if b.top - a.top >= 0.9 * a.height]
    pitch = min(gaps, default=0.0)
    return _Page(min((ln.x0 for ln in page), default=0.0), max((ln.x1 for ln in page), default=0.0), pitch)


def _spaced(pages: list[list[Line]]) -> bool:
    """Whether paragraphs are set apart by extra space (one gap in five or more is wider than the usual)."""
    wide = total = 0
    for page in pages:
        pitch = _geometry(page).pitch
        gaps = [b.top - a.top for a, b in itertools.pairwise(page) if b.top > a.top]
        wide += sum(gap > 1.3 * pitch for gap in gaps)
        total += len(gaps)
    return total > 0 and wide >= total / 5


def _indent(line: Line, page: _Page) -> bool:
    """About two characters in from the left margin: a paragraph's first line (not a centred heading)."""
    step = max(line.height, 1.0)
    return page.left + 1.2 * step < line.x0 < page.left + 3.5 * step


def _continues(previous: tuple[Line, _Page], line: Line, page: _Page, indented: bool, spaced: bool) -> bool:
    before, before_page = previous
    step = max(before.height, 1.0)
    if before_page is page and page.pitch and spaced:
        return line.top - before.top <= 1.3 * page.pitch  # paragraph spacing decides
    if line.x0 > page.left + 1.2 * step:
        return False  # indented or centred: a paragraph or heading of its own
    # Latin runs (pinyin, numbers) do not break, so a wrapped line may stop a few characters short.
    if before.x1 < before_page.right - 4 * step:
        return False
    return indented or not before.text.rstrip().endswith(_SENTENCE_END)
