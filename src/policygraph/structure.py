"""Find a regulation's structure in normalised text.

Title, issuing bodies, dates, chapters (第X章), sections (第X节), articles
(第X条), paragraphs (line breaks inside an article), items (（一）…), cited
titles 《…》 (with nested 〈…〉) and the legal basis (根据《…》…制定).
Offsets here are into the normalised text; ``Document.to_json`` maps them
back to the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import cn2an

from .normalize import Normalized

_NUM = r"[0-9〇零一二三四五六七八九十百千两]+"
_ARTICLE = re.compile(rf"^[ \t　]*第(?P<num>{_NUM})[ \t　]?条(?:之(?P<sub>{_NUM}))?[ \t　]*")
_HEADING = re.compile(rf"^[ \t　]*第(?P<num>{_NUM})(?P<kind>编|分编|章|节)[ \t　]*(?P<heading>[^。；]*)$")
# Decisions, amendments, judicial interpretations and older regulations number their provisions
# 一、 / （一） / 1. instead of 第X条: the styles tried, in order, when a text has no 第X条 at all.
_PROVISIONS = [
    re.compile(r"^[ \t　]*(?P<num>[〇零一二三四五六七八九十百]+)、[ \t　]*"),
    re.compile(r"^[ \t　]*[（(](?P<num>[〇零一二三四五六七八九十百]+)[)）][ \t　]*"),
    re.compile(r"^[ \t　]*(?P<num>[0-9]{1,3})[.．、](?![0-9])[ \t　]*"),
]
_ITEM = re.compile(r"^[ \t　]*[“]?[（(](?P<num>[〇零一二三四五六七八九十百]+)[)）][ \t　]*")
_BOOK = re.compile(r"[^，。；：\s]{1,8}编|总则|分则|附则")  # a book of a code, named on its own line
_TITLE = re.compile(r"《([^《》]+)》")
_INNER_TITLE = re.compile(r"〈([^〈〉]+)〉")
_BASIS = re.compile(r"(?:根据|依据|按照)(?P<body>[^。]*?)(?:，|,)?(?:结合[^。，]*，)?制定")
_DATE = re.compile(rf"(?P<y>\d{{4}}|[〇零一二三四五六七八九]{{4}})年(?P<m>{_NUM})月(?P<d>{_NUM})日")
_EFFECTIVE = re.compile(rf"自(?P<when>{_DATE.pattern}|印发之日|公布之日|发布之日)起(?:施行|实施|生效)")
_FULL_TEXT = re.compile(r"《(?P<title>[^《》]+)》全文如下")
_NEWS_ISSUE = re.compile(r"(?P<who>[^，。,]+?)(?:近日|日前)?印发了?《(?P<title>[^《》]+)》")
_HEADLINE = re.compile(r"印发《(?P<title>[^《》]+)》")
_ISSUE_NOTE = re.compile(rf"[（(]{_DATE.pattern}(?P<who>[^）)]+?)(?:印发|发布|公布)[）)]")
_PAGE_DATE = re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})")
_ADOPTED = re.compile(rf"^{_DATE.pattern}\s*(?P<who>.+?)(?:第[^第]*次会议)?(?:通过|公布|发布|修正|修订)")
_SPACE = re.compile(r"[ \t　]+")
# Text whose line breaks were lost: a unit starts inside a line after a space or a sentence end.
_INLINE = re.compile(
    rf"(?:(?<=[ \t　])|(?<=[。；：！？]))"
    rf"(?:第(?P<num>{_NUM})[ \t　]?(?P<kind>编|章|节|条)(?:之(?P<sub>{_NUM}))?"
    rf"|[（(](?P<item>[〇零一二三四五六七八九十百]+)[)）])"
)
_DIVISION_LABEL = re.compile(rf"^[ \t　]*第(?P<num>{_NUM})(?P<kind>编|分编|章|节)")
# A heading found inside a line is short and followed by the unit it heads.
_HEADING_AHEAD = re.compile(rf"[^。；：]{{0,40}}?[ \t　]+第{_NUM}[ \t　]?[章节条]")
_SENTENCE_GAP = re.compile(r"(?<=[。！？])[ \t　]+(?=\S)")
_DATE_AFTER_SPACE = re.compile(r"[ \t　]+(?=\d{4}年|[〇零一二三四五六七八九]{4}年)")
# 某省扶贫资金管理办法第一条为了…: the first 第一章/第一条 right after a title.
_FIRST_AFTER_TITLE = re.compile(r"(?<=[法例则定见知案释要程])第[一1][ \t　]?[章条](?!之)")
_REFERENCE = re.compile(r"^(?:依照|依据|根据|按照|违反|将|把|对|在)|[“”\"]"
                        r"|本(?:法|条例|办法|规定|细则|决定|规则|解释|意见|章程|方案)$")
_TITLE_END = re.compile(r"(?:法|条例|办法|细则|规定|决定|意见|规则|通知|解释|准则|纲要|方案|章程|标准)$")


@dataclass
class Item:
    number: int
    label: str
    text: str
    start: int
    end: int


@dataclass
class Paragraph:
    number: int
    text: str
    start: int
    end: int
    items: list[Item] = field(default_factory=list)


@dataclass
class Article:
    number: int
    label: str
    suffix: int | None
    chapter: int | None
    section: int | None
    text: str
    start: int
    end: int
    paragraphs: list[Paragraph] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)

    @property
    def items(self) -> list[Item]:
        return [item for p in self.paragraphs for item in p.items]

    @property
    def key(self) -> str:
        """A stable id: "9", or "17_1" for 第十七条之一."""
        return f"{self.number}_{self.suffix}" if self.suffix else str(self.number)


@dataclass
class Division:
    kind: str  # "part", "chapter" or "section"
    number: int
    heading: str
    start: int
    end: int
    chapter: int | None = None


@dataclass
class Document:
    """A regulation's structure, over its normalised text."""

    title: str
    issuers: list[str]
    published: str | None
    effective: str | None
    effective_rule: str | None
    cites: list[str]
    basis: list[str]
    chapters: list[Division]
    sections: list[Division]
    articles: list[Article]
    norm: Normalized
    warnings: list[dict[str, Any]] = field(default_factory=list)
    numbered: list[Article] = field(default_factory=list)  # provisions 一、/（一）/1., when no 第X条

    @property
    def provisions(self) -> list[Article]:
        """What carries the duties: the 第X条 articles, or without any, the numbered provisions."""
        return self.articles or self.numbered

    def article(self, key: str | int) -> Article:
        for a in self.provisions:
            if a.key == str(key):
                return a
        raise KeyError(key)

    def to_json(self) -> dict[str, Any]:
        """The public JSON contract (offsets into the decoded source text)."""
        m = self.norm.to_source

        def span(start: int, end: int) -> dict[str, int]:
            s, e = m(start, end)
            return {"start": s, "end": e}

        def unit(a: Article) -> dict[str, Any]:
            return {
                "number": a.number,
                "label": a.label,
                "chapter": a.chapter,
                "section": a.section,
                "text": a.text,
                "paragraphs": [{"number": p.number, "text": p.text, **span(p.start, p.end)} for p in a.paragraphs],
                "items": [{"number": i.number, "label": i.label, "text": i.text, **span(i.start, i.end)}
                          for i in a.items],
                "cites": a.cites,
                **span(a.start, a.end),
            }

        return {
            "title": self.title,
            "issuers": self.issuers,
            "published": self.published,
            "effective": self.effective,
            "cites": self.cites,
            "basis": self.basis,
            "chapters": [{"number": c.number, "heading": c.heading} for c in self.chapters],
            "sections": [{"number": s.number, "chapter": s.chapter, "heading": s.heading} for s in self.sections],
            "articles": [unit(a) for a in self.articles],
            "numbered": [unit(a) for a in self.numbered],
            "warnings": self.warnings,
        }


def to_int(numeral: str) -> int:
    """A Chinese or Arabic numeral as an int.

    >>> to_int("二十九"), to_int("一百零五"), to_int("12")
    (29, 105, 12)
    """
    if numeral.isdigit():
        return int(numeral)
    return int(cn2an.cn2an(numeral.replace("两", "二"), "smart"))


def parse(norm: Normalized) -> Document:
    r"""Find the structure of a normalised regulation.

    Articles are the 第X条; a text with none is read by the first numbering style whose provisions run
    1, 2, 3… (一、 then （一） then 1.), given as ``numbered`` (``provisions`` is whichever there is).

    >>> from policygraph.normalize import normalize_text
    >>> doc = parse(normalize_text("某决定\n一、将第一条修改为：“……”\n二、本决定自公布之日起施行。\n"))
    >>> doc.articles, [(a.number, a.label) for a in doc.provisions]
    ([], [(1, '一、'), (2, '二、')])
    """
    doc = _parse(norm, _ARTICLE, sequential=False)
    if doc.articles:
        return doc
    for style in _PROVISIONS:
        candidate = _parse(norm, style, sequential=True)
        if len(candidate.articles) >= 2:
            candidate.numbered, candidate.articles = candidate.articles, []
            return candidate
    return doc


def _parse(norm: Normalized, provision: re.Pattern[str], *, sequential: bool) -> Document:
    """One pass over the lines; with ``sequential``, a numbered line opens a provision only if it is the
    next number (so a nested list that restarts at 1 stays inside its provision). Lines whose breaks were
    lost are cut where a unit starts inside them (see ``_Walker.cut``)."""
    walker = _Walker(norm, provision, sequential=sequential)
    walker.walk()
    articles = walker.articles
    for ch in walker.chapters:
        ch.end = max([a.end for a in articles if a.chapter == ch.number] or [ch.end])
    title = _book_title(walker.front, _find_title(walker.front)) or norm.title_hint or ""
    cites: list[str] = []
    for art in articles:
        art.cites = [t for t in _titles(art.text) if t != title]
        cites.extend(t for t in art.cites if t not in cites)
    published, issuers = _find_issue(_front_chunks(walker.front), title)
    published = published or norm.published_hint
    effective, rule = _find_effective(articles, published)
    return Document(
        title=title,
        issuers=issuers,
        published=published,
        effective=effective,
        effective_rule=rule,
        cites=cites,
        basis=_find_basis(articles),
        chapters=walker.chapters,
        sections=walker.sections,
        articles=articles,
        norm=norm,
        warnings=list(norm.warnings),
    )


class _Walker:
    """Walks the lines of a normalised text, opening divisions, articles, paragraphs and items."""

    def __init__(self, norm: Normalized, provision: re.Pattern[str], *, sequential: bool) -> None:
        self.norm, self.text = norm, norm.text
        self.provision, self.sequential = provision, sequential
        self.chapters: list[Division] = []
        self.sections: list[Division] = []
        self.parts: list[Division] = []
        self.articles: list[Article] = []
        self.front: list[tuple[int, str]] = []
        self.current: Article | None = None
        self.part: Division | None = None
        self.chapter: Division | None = None
        self.section: Division | None = None

    def walk(self) -> None:
        pos = 0
        for raw in self.text.splitlines(keepends=True):
            start, pos = pos, pos + len(raw)
            line = raw.rstrip("\n")
            if not line.strip(" \t　"):
                continue
            if start < self.norm.body_start:
                self.front.append((start + _lead(line), line.strip(" \t　")))
                continue
            while line:
                cut = self.cut(line)
                self.unit(start, line[:cut])
                start, line = start + cut, line[cut:]
        if self.current:
            _close(self.current, self.text)

    # -- where a unit starts inside a line ------------------------------------------------------
    def cut(self, line: str) -> int:
        """Where the next unit starts inside ``line`` (its length if none): a 第X章/节/条 or an item （一）
        after a space or a sentence end, with the number that comes next (so 依照本条例第十二条规定 and
        《…法》第三条 never open one), or, inside an article, a new sentence after a space (a paragraph)."""
        if self.sequential:  # numbered provisions: line breaks only
            return len(line)
        kind, num = self._head(line)
        nxt = self._next_numbers(kind, num)
        if kind == "text" and not self.articles and not self.chapters and (first := _first_after_title(line)):
            return first
        for m in _INLINE.finditer(line, 1):
            if m.group("item"):
                if nxt["item"] and to_int(m.group("item")) == nxt["item"]:
                    return m.start()
                continue
            n, what = to_int(m.group("num")), m.group("kind")
            if what == "条" and (n == nxt["条"] - (1 if m.group("sub") else 0) or (
                    _after_break(line, m.start(), kind) and (nxt["条"] == 1 or nxt["条"] < n <= nxt["条"] + 2))):
                return m.start()
            if what in ("编", "章", "节") and _HEADING_AHEAD.match(line, m.end()) and (n == nxt[what] or (
                    _after_break(line, m.start(), kind) and nxt[what] < n <= nxt[what] + 2)):
                return m.start()
        if nxt["item"] and (gap := _SENTENCE_GAP.search(line, 1)):
            return gap.end()
        return len(line)

    def _next_numbers(self, kind: str, num: int) -> dict[str, int]:
        """The numbers the next 条, 编, 章, 节 and item would carry once a line's own head (``kind`` numbered
        ``num``) is read (item 0: no item can come, outside an article)."""
        nxt = {
            "条": (self.articles[-1].number if self.articles else 0) + 1,
            "编": (self.part.number if self.part else 0) + 1,
            "章": (self.chapter.number if self.chapter else 0) + 1,
            "节": (self.section.number if self.section else 0) + 1,
            "item": self._last_item() + 1 if self.current is not None else 0,
        }
        if kind == "article":
            nxt["条"], nxt["item"] = num + 1, 1
        elif kind == "编":
            nxt["编"], nxt["章"], nxt["节"], nxt["item"] = num + 1, 1, 1, 0
        elif kind == "章":
            nxt["章"], nxt["节"], nxt["item"] = num + 1, 1, 0
        elif kind == "节":
            nxt["节"], nxt["item"] = num + 1, 0
        elif kind == "item":
            nxt["item"] = num + 1
        elif nxt["item"]:  # a new paragraph of the current article
            nxt["item"] = 1
        return nxt

    def _head(self, line: str) -> tuple[str, int]:
        """What a line (or the rest of one) starts with, as far as ``cut`` needs to know."""
        if h := _DIVISION_LABEL.match(line):
            return h.group("kind"), to_int(h.group("num"))
        if a := self._provision(line):
            return "article", to_int(a.group("num"))
        if self.current is not None and (i := _ITEM.match(line)):
            return "item", to_int(i.group("num"))
        return "text", 0

    def _last_item(self) -> int:
        if self.current is None or not self.current.paragraphs[-1].items:
            return 0
        return self.current.paragraphs[-1].items[-1].number

    def _provision(self, line: str) -> re.Match[str] | None:
        a = self.provision.match(line)
        if a and self.sequential and to_int(a.group("num")) != (self.articles[-1].number + 1 if self.articles else 1):
            return None
        return a

    # -- one unit ------------------------------------------------------------------------------
    def unit(self, start: int, line: str) -> None:
        stripped = line.strip(" \t　")
        if not stripped:
            return
        lstart, lend = start + _lead(line), start + len(line.rstrip(" \t　"))
        if (h := _HEADING.match(line)) and len(stripped) <= 40:
            self._division(h, lstart, lend)
        elif a := self._provision(line):
            self._article(a, start, lend)
        elif self.current is None:
            self.front.append((lstart, stripped))
        elif item := _ITEM.match(line):
            self._item(item, start, lstart, lend)
        else:
            self.current.end = lend
            self.current.paragraphs.append(Paragraph(len(self.current.paragraphs) + 1, "", lstart, lend))

    def _division(self, h: re.Match[str], lstart: int, lend: int) -> None:
        div = Division(
            kind={"章": "chapter", "节": "section"}.get(h.group("kind"), "part"),
            number=to_int(h.group("num")),
            heading=_SPACE.sub("", h.group("heading")),
            start=lstart,
            end=lend,
        )
        if div.kind == "part" and h.group("kind") == "编":
            self.part = div
        elif div.kind == "chapter":
            self.chapter, self.section = div, None
            self.chapters.append(div)
        elif div.kind == "section":
            div.chapter = self.chapter.number if self.chapter else None
            self.section = div
            self.sections.append(div)
        if self.current:
            _close(self.current, self.text)
            self.current = None

    def _article(self, a: re.Match[str], start: int, lend: int) -> None:
        if self.current:
            _close(self.current, self.text)
        sub = a.groupdict().get("sub")  # 第十七条之一; other styles have none
        self.current = Article(
            number=to_int(a.group("num")),
            label=a.group(0).strip(" \t　"),
            suffix=to_int(sub) if sub else None,
            chapter=self.chapter.number if self.chapter else None,
            section=self.section.number if self.section else None,
            text="",
            start=start + a.end(),
            end=max(lend, start + a.end()),
        )
        self.articles.append(self.current)
        self.current.paragraphs.append(Paragraph(1, "", start + a.end(), self.current.end))

    def _item(self, i: re.Match[str], start: int, lstart: int, lend: int) -> None:
        assert self.current is not None
        self.current.end = lend
        para = self.current.paragraphs[-1]
        para.items.append(
            Item(
                number=to_int(i.group("num")),
                label=i.group(0).strip(" \t　“"),
                text=self.text[start + i.end() : lend],
                start=lstart,
                end=lend,
            )
        )
        para.end = lend


def _after_break(line: str, pos: int, head: str) -> bool:
    """A space before ``pos`` that follows a sentence end, or a heading: where a line break was lost, so a
    第X条 there opens an article even when its number skips (第一百二十四 条 misprinted) or, as the
    first of a text, starts past 1 (第九百八十九条 in a book of the civil code)."""
    before = line[:pos].rstrip(" \t　")
    return len(before) < pos and (before.endswith(("。", "；", "：", "！", "？")) or head in ("编", "章", "节"))


def _first_after_title(line: str) -> int | None:
    """Where 第一章/第一条 follows a title with no space (某省扶贫资金管理办法第一条…), not a reference
    (本办法第一条)."""
    if (m := _FIRST_AFTER_TITLE.search(line)) is None:
        return None
    title = line[: m.start()].strip(" \t　")  # the whole start of the line, a title and nothing else
    plain = not re.search(r"[\s。；：，、《》“”]", title)
    return m.start() if 4 <= len(title) <= 60 and plain and not _REFERENCE.search(title) else None


def _lead(line: str) -> int:
    return len(line) - len(line.lstrip(" \t　"))


def _close(article: Article, text: str) -> None:
    article.text = text[article.start : article.end]
    for p in article.paragraphs:
        p.text = text[p.start : p.end]


def _titles(text: str) -> list[str]:
    """Cited titles, outer then nested: 《关于印发〈X〉的通知》 gives both."""
    found: list[str] = []
    for m in _TITLE.finditer(text):
        for t in (m.group(1), *_INNER_TITLE.findall(m.group(1))):
            if t not in found:
                found.append(t)
    return found


def _find_title(front: list[tuple[int, str]]) -> str:
    for _, line in front:
        if m := _FULL_TEXT.search(line):
            return m.group("title")
    for _, line in front:
        if m := _HEADLINE.search(line):
            return m.group("title")
    for _, line in front:
        if not _DATE.search(line) and not _PAGE_DATE.search(line) and len(line) <= 60:
            return line.strip("《》")
    return _title_in_run_on(front)


def _book_title(front: list[tuple[int, str]], title: str) -> str:
    """A code published book by book (民法典's 物权编, 总则, 附则: each file opens with the code's title and then the
    book's): the title with the book's name, so that each book is a document of its own, not a second copy.

    >>> _book_title([(0, "中华人民共和国民法典"), (20, "物权编"), (30, "2020年5月28日 …通过")], "中华人民共和国民法典")
    '中华人民共和国民法典·物权编'
    """
    lines = [line.strip(" \t　#") for _, line in front if line.strip(" \t　#")]
    if len(lines) >= 2 and lines[0] == title and _BOOK.fullmatch(lines[1]):
        return f"{title}·{lines[1]}"
    return title


def _title_in_run_on(front: list[tuple[int, str]]) -> str:
    """Breaks lost: the piece right before the first 第一章/第一条, or else the first piece of the front,
    that ends like a title (条例, 办法, 细则, 规定, 决定, 意见…).

    >>> _title_in_run_on([(0, "首页 政策文件 某市脱贫攻坚责任制实施细则")])
    '某市脱贫攻坚责任制实施细则'
    """
    pieces = [p.strip("《》") for _, line in front for p in _SPACE.split(line)]
    candidates = [p for p in pieces if len(p) <= 60 and _TITLE_END.search(p) and not _DATE.search(p)]
    if pieces and candidates and candidates[-1] == pieces[-1]:
        return candidates[-1]
    return candidates[0] if candidates else ""


def _front_chunks(front: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Front lines, a run-on line cut before each date in it (so 2009年2月28日 …通过 reads as a line)."""
    chunks: list[tuple[int, str]] = []
    for pos, line in front:
        at = 0
        for m in _DATE_AFTER_SPACE.finditer(line):
            chunks.append((pos + at, line[at : m.start()].strip(" \t　")))
            at = m.end()
        chunks.append((pos + at, line[at:]))
    return [(p, c) for p, c in chunks if c]


def iso_date(y: str, m: str, d: str) -> str:
    """A date in ISO form from Chinese or Arabic numerals.

    >>> iso_date("二〇一六", "十", "十一")
    '2016-10-11'
    """
    year = y if y.isdigit() else "".join(str("〇一二三四五六七八九".index(c.replace("零", "〇"))) for c in y)
    return f"{int(year):04d}-{to_int(m):02d}-{to_int(d):02d}"


def _find_issue(front: list[tuple[int, str]], title: str) -> tuple[str | None, list[str]]:
    published: str | None = None
    issuers: list[str] = []
    page_year: str | None = None
    for _, line in front:
        if (m := _PAGE_DATE.search(line)) and page_year is None:
            page_year = m.group("y")
            page_date = f"{m.group('y')}-{m.group('m')}-{m.group('d')}"
        if m := _ISSUE_NOTE.search(line):
            published = published or iso_date(m.group("y"), m.group("m"), m.group("d"))
            issuers = issuers or _split_bodies(m.group("who"))
        elif news := [m for m in _NEWS_ISSUE.finditer(line) if not title or m.group("title") == title]:
            for m in news:  # a run-on front (breaks lost) holds the headline and the lead sentence
                who = re.sub(r"^.*?电(?:近日|日前)?", "", re.split(r"[ \t　|]+", m.group("who"))[-1])
                named = _split_bodies(re.sub(r"^(?:近日|日前)", "", who))
                # A headline abbreviates (中办国办); the lead sentence names in full.
                if len("".join(named)) > len("".join(issuers)):
                    issuers = named
            if (d := re.search(r"(\d{1,2})月(\d{1,2})日电", line)) and page_year:
                published = published or iso_date(page_year, d.group(1), d.group(2))
        elif m := _ADOPTED.match(line):
            published = published or iso_date(m.group("y"), m.group("m"), m.group("d"))
            who = re.sub(r"^第[^届]+届", "", m.group("who").strip())
            issuers = issuers or [who]
    if published is None and page_year:
        published = page_date
    return published, issuers


def _split_bodies(text: str) -> list[str]:
    return [b.strip() for b in re.split(r"[、，,]|和(?=[^和]*$)", text) if b.strip()]


def _find_effective(
    articles: list[Article], published: str | None
) -> tuple[str | None, str | None]:
    for art in reversed(articles):
        if m := _EFFECTIVE.search(art.text):
            when = m.group("when")
            if m.group("y"):
                return iso_date(m.group("y"), m.group("m"), m.group("d")), "date"
            return published, when.removesuffix("之日")
    return None, None


def _find_basis(articles: list[Article]) -> list[str]:
    for art in articles[:3]:
        for sentence in art.text.split("。"):
            if m := _BASIS.search(sentence):
                return [t.group(1) for t in _TITLE.finditer(m.group("body"))]
    return []
