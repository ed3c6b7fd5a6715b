"""Read a regulation from a file, a URL or stdin, as it is really published.

Word (.docx, .doc), PDF, OFD and WPS files are recognised by their content and read by ``formats``;
whole web pages (HTML, MHTML) are reduced to their main text; other text is decoded from UTF-8 (with or
without BOM), GB18030/GBK or Big5 (detected by charset-normalizer). Empty, binary, unreadable or
non-Chinese input is rejected with an InputError naming the problem in one line.
"""

from __future__ import annotations

import hashlib
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from . import formats
from .errors import InputError
from .formats import web

# Magic numbers of the binary files people most often pass by mistake.
# (Word, PDF, OFD and WPS files are read by ``formats``.)
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"%PDF", "PDF document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"Rar!", "RAR archive"),
    (b"7z\xbc\xaf", "7-Zip archive"),
)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.I)
_HTML_START = re.compile(rb"^\s*(<!doctype html|<html|<\?xml[^>]*>\s*<html)", re.I)
_BLOCK_TAGS = (
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "blockquote", "pre", "dd", "dt", "hr", "title",
)
_LABELS = {"docx": "Word document", "doc": "Word document", "wps": "WPS document", "pdf": "PDF",
           "ofd": "OFD document", "html": "web page"}
# Encodings a Chinese regulation is realistically published in.
_CHINESE_ENCODINGS = ["utf_8", "gb18030", "big5", "utf_16", "big5hkscs"]


@dataclass(frozen=True)
class Source:
    """A decoded input: the text as the reader sees it, and where it came from.

    For HTML the text is the page's main text (block breaks kept); for Word, PDF and OFD files it is the
    text extracted from them (one line per paragraph); for other formats it is the decoded file itself.
    Offsets point into this text. ``title`` and ``published`` come from the file's or page's metadata;
    ``url`` is where it was fetched from.
    """

    name: str
    text: str
    format: str  # "text", "markdown", "html", "docx", "doc", "wps", "pdf" or "ofd"
    encoding: str
    sha256: str
    title: str | None = None
    published: str | None = None
    url: str | None = None


def read_path(path: str | Path) -> Source:
    """Read a file, an http(s) URL (or ``-`` for stdin) into a Source."""
    name = str(path)
    if name == "-":
        return read_bytes(sys.stdin.buffer.read(), name="<stdin>")
    if is_url(name):
        from .fetch import fetch

        page = fetch(name)
        return replace(read_bytes(page.content, name=name, charset=page.charset, html=page.is_html), url=page.url)
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory, not a file") from None
    except OSError as exc:
        raise InputError(name, f"cannot read: {exc.strerror}") from None
    return read_bytes(data, name=name)


def read_bytes(data: bytes, *, name: str, charset: str | None = None, html: bool = False) -> Source:
    """Decode bytes into a Source, or raise InputError naming ``name``; ``charset`` is the one a server
    declared, ``html`` that it said the body is a web page.

    >>> read_bytes("第一条 本办法自印发之日起施行。".encode("gb18030"), name="a.txt").encoding
    'gb18030'
    """
    if not data.strip():
        raise InputError(name, "empty input")
    if (kind := formats.sniff(data, name)) is not None:
        found = formats.extract(data, name, kind)
        return _source(name, found.text, kind, "binary", data, found)
    if web.is_mhtml(data, name):
        return _page(name, web.mhtml_to_html(data, name), "utf-8", data)
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise InputError(name, f"binary file ({kind}), not a regulation")
    text, encoding = _decode(data, name, charset or _meta_charset(data))
    if _looks_binary(text):
        raise InputError(name, "binary data (control characters), not a text regulation")
    fmt = "html" if html else _sniff_format(name, data, text)
    if fmt == "html":
        return _page(name, text, encoding, data)
    return _source(name, text, fmt, encoding, data, formats.Extracted(text))


def _page(name: str, page: str, encoding: str, data: bytes) -> Source:
    """A web page reduced to its main text (see ``formats.web``)."""
    found = web.read_page(page, html_to_text(page))
    return _source(name, found.text, "html", encoding, data, found)


def _source(name: str, text: str, fmt: str, encoding: str, data: bytes, found: formats.Extracted) -> Source:
    if not text.strip():
        raise InputError(name, f"no text in this {_LABELS.get(fmt, fmt)} (empty, or a scan? OCR it first)")
    if not _CJK.search(text):
        raise InputError(name, "no Chinese text found; is this a Chinese regulation?")
    return Source(name=name, text=text, format=fmt, encoding=encoding, sha256=hashlib.sha256(data).hexdigest(),
                  title=found.title, published=found.published)


def is_url(name: str) -> bool:
    """An http(s) URL rather than a path.

    >>> is_url("http://127.0.0.1:8000/rule.docx"), is_url("rule.docx")
    (True, False)
    """
    return name.startswith(("http://", "https://"))


def _decode(data: bytes, name: str, charset: str | None = None) -> tuple[str, str]:
    if charset and not data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode(charset), charset.lower()
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: detect instead
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(name, "binary file (contains NUL bytes), not a regulation")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_CHINESE_ENCODINGS).best()
    if best is None:
        raise InputError(name, "unknown text encoding (not UTF-8, GB18030/GBK or Big5)")
    return str(best), best.encoding


def _meta_charset(data: bytes) -> str | None:
    """The charset a page declares in its <meta> (GBK pages say so), when the bytes look like HTML.

    >>> _meta_charset(b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    'gb18030'
    """
    head = data[:4096]
    if b"<" not in head or not (m := _META_CHARSET.search(head)):
        return None
    declared = m.group(1).decode("ascii").lower()
    return "gb18030" if declared in ("gb2312", "gbk", "gb18030", "x-gbk") else declared


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for c in sample if c < " " and c not in "\t\n\r\f")
    return controls > max(2, len(sample) // 50)


def _sniff_format(name: str, data: bytes, text: str) -> str:
    lower = name.lower()
    if lower.endswith((".html", ".htm", ".xhtml")) or _HTML_START.match(data[:512]) or (
            lower.startswith(("http://", "https://")) and b"<html" in data[:2048].lower()):
        return "html"
    if lower.endswith((".md", ".markdown")):
        return "markdown"
    return "text"


def html_to_text(html: str) -> str:
    """Extract the visible text of an HTML page, one line per block.

    >>> html_to_text("<html><body><p>第一条</p><p>第二条</p><script>x()</script></body></html>")
    '第一条\\n第二条'
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "iframe", "svg"]):
        tag.decompose()
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_after("\n")
        if tag.name == "br":
            tag.replace_with("\n")
    lines = (line.strip() for line in soup.get_text().splitlines())
    return "\n".join(line for line in lines if line)
