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
_ARTICLE = re.compile(rf"^[ \t　]*第(?P<num>{_NUM})条(?:之(?P<sub>{_NUM}))?[ \t　]*")
_HEADING = re.compile(rf"^[ \t　]*第(?P<num>{_NUM})(?P<kind>编|分编|章|节)[ \t　]*(?P<heading>[^。；]*)$")
# Decisions, amendments, judicial interpretations and older regulations number their provisions
# 一、 / （一） / 1. instead of 第X条: the styles tried, in order, when a text has no 第X条 at all.
_PROVISIONS = [
    re.compile(r"^[ \t　]*(?P<num>[〇零一二三四五六七八九十百]+)、[ \t　]*"),
    re.compile(r"^[ \t　]*[（(](?P<num>[〇零一二三四五六七八九十百]+)[)）][ \t　]*"),
    re.compile(r"^[ \t　]*(?P<num>[0-9]{1,3})[.．、](?![0-9])[ \t　]*"),
]
_ITEM = re.compile(r"^[ \t　]*[“]?[（(](?P<num>[〇零一二三四五六七八九十百]+)[)）][ \t　]*")
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
    next number (so a nested list that restarts at 1 stays inside its provision)."""
    text = norm.text
    chapters: list[Division] = []
    sections: list[Division] = []
    articles: list[Article] = []
    front: list[tuple[int, str]] = []
    current: Article | None = None
    chapter: Division | None = None
    section: Division | None = None
    pos = 0
    for raw in text.splitlines(keepends=True):
        start, pos = pos, pos + len(raw)
        line = raw.rstrip("\n")
        stripped = line.strip(" \t　")
        if not stripped:
            continue
        lstart = start + (len(line) - len(line.lstrip(" \t　")))
        lend = start + len(line.rstrip(" \t　"))
        if start < norm.body_start:
            front.append((lstart, stripped))
            continue
        if (h := _HEADING.match(line)) and len(stripped) <= 40:
            div = Division(
                kind={"章": "chapter", "节": "section"}.get(h.group("kind"), "part"),
                number=to_int(h.group("num")),
                heading=_SPACE.sub("", h.group("heading")),
                start=lstart,
                end=lend,
            )
            if div.kind == "chapter":
                chapter, section = div, None
                chapters.append(div)
            elif div.kind == "section":
                div.chapter = chapter.number if chapter else None
                section = div
                sections.append(div)
            if current:
                _close(current, text)
                current = None
            continue
        a = provision.match(line)
        if a and sequential and to_int(a.group("num")) != (articles[-1].number + 1 if articles else 1):
            a = None
        if a:
            if current:
                _close(current, text)
            num = to_int(a.group("num"))
            sub = to_int(a["sub"]) if a.groupdict().get("sub") else None  # 第十七条之一; other styles have none
            current = Article(
                number=num,
                label=a.group(0).strip(" \t　"),
                suffix=sub,
                chapter=chapter.number if chapter else None,
                section=section.number if section else None,
                text="",
                start=start + a.end(),
                end=lend,
            )
            articles.append(current)
            current.paragraphs.append(Paragraph(1, "", start + a.end(), lend))
            continue
        if current is None:
            front.append((lstart, stripped))
            continue
        current.end = lend
        if i := _ITEM.match(line):
            para = current.paragraphs[-1]
            para.items.append(
                Item(
                    number=to_int(i.group("num")),
                    label=i.group(0).strip(" \t　“"),
                    text=text[start + i.end() : lend],
                    start=lstart,
                    end=lend,
                )
            )
            para.end = lend
        else:
            current.paragraphs.append(
                Paragraph(len(current.paragraphs) + 1, "", lstart, lend)
            )
    if current:
        _close(current, text)
    for ch in chapters:
        ch.end = max([a.end for a in articles if a.chapter == ch.number] or [ch.end])

    title = _find_title(front)
    cites: list[str] = []
    for art in articles:
        art.cites = [t for t in _titles(art.text) if t != title]
        cites.extend(t for t in art.cites if t not in cites)
    published, issuers = _find_issue(front, title)
    effective, rule = _find_effective(articles, published)
    return Document(
        title=title,
        issuers=issuers,
        published=published,
        effective=effective,
        effective_rule=rule,
        cites=cites,
        basis=_find_basis(articles),
        chapters=chapters,
        sections=sections,
        articles=articles,
        norm=norm,
        warnings=list(norm.warnings),
    )


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
    return ""


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
        elif (m := _NEWS_ISSUE.search(line)) and (not title or m.group("title") == title):
            who = re.sub(r"^.*?电(?:近日|日前)?", "", m.group("who"))
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
