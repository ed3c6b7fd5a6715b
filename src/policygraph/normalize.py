"""Clean a published regulation into simplified text, with a map back to the source.

The steps, in one pass over each line of the source:

* injected pinyin after a character (``責(zé)任``) is removed, real parentheses
  (``省(自治區(qū)、直轄市)``) are kept;
* a character lost to encoding (``?yīng)當``) is restored when its surviving
  pinyin and the next character form exactly one known word (应当), otherwise
  dropped with a warning naming its position;
* page furniture (navigation bars, 字体调节, 责任编辑, share buttons) is
  dropped, markdown heading marks and HTML comments too;
* full-width letters and digits become half-width, half-width punctuation
  next to Chinese becomes full-width;
* traditional characters become simplified (OpenCC ``t2s``).

Every character of the result remembers the span of the source it came
from, so any later span can be shown as the reader saw it.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .read import Source

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN = rf"[a-zü{_TONED}]{{1,6}}"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
# A lost character leaves a "?" where the character and "(" stood, then its pinyin.
_LOST = rf"\?(?P<lost>{_PINYIN})\)"
# Pinyin injected after a character; it must carry a tone mark (or be a
# neutral-tone particle) so that "(a)" or "(GDP)" stay untouched.
_NEUTRAL = "de|le|me|men|zi|ge|ma|ne|ba|zhe|li|tou|zi"
_INJECTED = rf"(?<=[{_CJK}])[(（](?P<py>[a-zü]*[{_TONED}][a-zü{_TONED}]*|{_NEUTRAL})[)）]"
_SPECIAL = re.compile(f"{_LOST}|{_INJECTED}")

_FURNITURE = re.compile(
    r"字体调节|字号[:：]|责任编辑|编辑[:：]|用户中心|手机版|分享到|打印本页|关闭窗口|本站支持"
    r"|当前位置|上一篇|下一篇|版权所有|扫一扫|相关新闻|【打印】|【关闭】|网站地图|收藏本站"
)
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_HTML_COMMENT = re.compile(r"^\s*<!--.*-->\s*$")
# Inside a markdown line: a comment, or a heading mark after a space (a line break that was lost).
_MD_BREAK = re.compile(r"[ \t]*(?P<comment><!--.*?-->)[ \t]*|(?<=[ \t])(?P<mark>#{1,6}[ \t]+)(?=\S)")
# Furniture is a short line; a longer one holding a furniture word is text whose breaks were lost.
_FURNITURE_MAX = 120

_WIDTH = {0xFF10 + i: 0x30 + i for i in range(10)}
_WIDTH.update({0xFF21 + i: 0x41 + i for i in range(26)})
_WIDTH.update({0xFF41 + i: 0x61 + i for i in range(26)})
_PUNCT_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_PUNCT_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])[,;:?!]|[,;:?!](?=[{_CJK}])")
# A parenthesised phrase in Chinese takes full-width parentheses; "(a)" or "(GDP)" keep theirs.
_PAREN_CJK = re.compile(rf"\(([^()]*[{_CJK}][^()]*)\)")


@dataclass
class Normalized:
    """Normalised text with, for each character, the source span it came from.

    >>> n = normalize_text("責(zé)任")
    >>> n.text, n.original(0, 2)
    ('责任\\n', '責(zé)任')
    """

    text: str
    source_text: str
    starts: array[int]
    ends: array[int]
    warnings: list[dict[str, Any]] = field(default_factory=list)
    traditional: bool = False
    format: str = "text"
    # Where the body starts: after a markdown "<!-- INFO END -->" metadata block.
    body_start: int = 0
    # The title and date the file's or page's metadata give, for a body that names none.
    title_hint: str | None = None
    published_hint: str | None = None

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalised text to the span of the source."""
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.source_text)
            return pos, pos
        return self.starts[start], self.ends[end - 1]

    def original(self, start: int, end: int) -> str:
        """The source text behind a span of the normalised text."""
        s, e = self.to_source(start, end)
        return self.source_text[s:e]


def normalize(source: Source) -> Normalized:
    """Normalise a Source (see the module docstring)."""
    norm = normalize_text(source.text, fmt=source.format)
    norm.title_hint = _t2s(source.title) if source.title else None
    norm.published_hint = source.published
    return norm


def normalize_text(text: str, *, fmt: str = "text") -> Normalized:
    """Normalise a string; ``fmt`` is "text", "markdown" or "html"."""
    out: list[str] = []
    starts: array[int] = array("l")
    ends: array[int] = array("l")
    warnings: list[dict[str, Any]] = []
    changed = 0
    pos = 0
    body_start = 0
    for raw in text.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        line_start = pos
        pos += len(raw)
        for seg_start, seg, brk_end, info_end in _segments(line, line_start, fmt):
            if info_end:
                body_start = len(starts)
            if seg is None:
                continue
            skip = m.end() if fmt == "markdown" and (m := _MD_HEADING.match(seg)) else 0
            chars, s, e, w = _clean_line(seg, seg_start, skip)
            simple = _t2s(chars)
            if len(simple) != len(chars):  # OpenCC kept length here in every case seen; be safe
                simple = "".join(_t2s(c) for c in chars)
            if _is_furniture(simple):
                continue
            changed += sum(a != b for a, b in zip(chars, simple, strict=True))
            out.append(_fold_punctuation(simple))
            starts.extend(s)
            ends.extend(e)
            warnings.extend(w)
            # The line break maps onto the source's own break (or the end of text, or what stood for it).
            out.append("\n")
            starts.append(seg_start + len(seg))
            ends.append(min(pos, brk_end))
    return Normalized(
        text="".join(out),
        source_text=text,
        starts=starts,
        ends=ends,
        warnings=warnings,
        traditional=changed > 0,
        format=fmt,
        body_start=body_start,
    )


def _clean_line(
    line: str, offset: int, skip: int
) -> tuple[str, array[int], array[int], list[dict[str, Any]]]:
    """Remove injected pinyin and restore lost characters in one line."""
    chars: list[str] = []
    starts: array[int] = array("l")
    ends: array[int] = array("l")
    warnings: list[dict[str, Any]] = []
    i = skip
    for m in _SPECIAL.finditer(line, skip):
        if m.start() > i:
            chars.append(line[i : m.start()])
            starts.extend(range(offset + i, offset + m.start()))
            ends.extend(range(offset + i + 1, offset + m.start() + 1))
        if m.group("lost") is not None:
            syllable = m.group("lost")
            nxt = line[m.end() : m.end() + 1]
            restored = restore_lost(syllable, nxt)
            if restored:
                chars.append(restored)
                starts.append(offset + m.start())
                ends.append(offset + m.end())
            else:
                warnings.append(
                    {
                        "code": "lost-character",
                        "message": f"a character read {syllable} was lost to encoding and "
                        "could not be restored; dropped",
                        "start": offset + m.start(),
                        "end": offset + m.end(),
                    }
                )
        elif ends:
            # Injected pinyin belongs to the character before it.
            ends[-1] = offset + m.end()
        i = m.end()
    if i < len(line):
        chars.append(line[i:])
        starts.extend(range(offset + i, offset + len(line)))
        ends.extend(range(offset + i + 1, offset + len(line) + 1))
    return "".join(chars), starts, ends, warnings


def restore_lost(syllable: str, following: str) -> str | None:
    """The one character read ``syllable`` that forms a known word with ``following``.

    >>> restore_lost("yīng", "當")
    '应'
    >>> restore_lost("wèi", "?") is None
    True
    """
    if not following or not re.match(f"[{_CJK}]", following):
        return None
    from pypinyin.phrases_dict import phrases_dict

    nxt = _t2s(following)
    found = {
        c
        for c in _chars_read(syllable)
        if (reading := phrases_dict.get(c + nxt)) and reading[0][0] == syllable
    }
    return found.pop() if len(found) == 1 else None


@cache
def _chars_read(syllable: str) -> frozenset[str]:
    from pypinyin.pinyin_dict import pinyin_dict

    return frozenset(
        chr(code) for code, readings in pinyin_dict.items() if syllable in readings.split(",")
    )


@cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def _t2s(text: str) -> str:
    return str(_converter().convert(text)) if text else text


def _fold_punctuation(text: str) -> str:
    """Width folding that keeps the length, so the offset map stays valid."""
    text = _PUNCT_NEAR_CJK.sub(lambda m: _PUNCT_FULL[m.group()], text.translate(_WIDTH))
    return _PAREN_CJK.sub(lambda m: f"（{m.group(1)}）", text)


def _segments(line: str, offset: int, fmt: str) -> list[tuple[int, str | None, int, bool]]:
    """The lines inside a source line: (start, text or None to drop, end of its break, INFO END before it).

    Markdown whose line breaks were lost still shows where lines were: an HTML comment and a heading mark
    (`` ## ``) start a line, so each becomes a break.

    >>> [(s, t) for s, t, _, _ in _segments("# 某法 <!-- INFO END --> ## 第一章 总则", 0, "markdown")]
    [(0, '# 某法'), (4, None), (23, '## 第一章 总则')]
    """
    if fmt != "markdown":
        return [(offset, line, offset + len(line) + 1, False)]
    if _HTML_COMMENT.match(line):
        return [(offset, None, offset + len(line) + 1, "INFO END" in line)]
    out: list[tuple[int, str | None, int, bool]] = []
    at, info_end = 0, False
    for m in _MD_BREAK.finditer(line):
        if m.start() > at:
            out.append((offset + at, line[at : m.start()].rstrip(" \t"), offset + m.start() + 1, info_end))
            info_end = False
        if m.group("comment"):
            out.append((offset + m.start(), None, offset + m.end(), False))
            info_end = "INFO END" in m.group("comment")
            at = m.end()
        else:
            at = m.start("mark")
    out.append((offset + at, line[at:], offset + len(line) + 1, info_end))
    return out


def _is_furniture(line: str) -> bool:
    """A short line of page furniture; a long one is text whose line breaks were lost, kept whole."""
    return len(line) <= _FURNITURE_MAX and (bool(_FURNITURE.search(line)) or _is_nav_bar(line))


def _is_nav_bar(line: str) -> bool:
    """A short line of links separated by bars: 用户中心 | 手机版 | 繁体."""
    return line.count("|") >= 2 and len(line) < 80 and "。" not in line
