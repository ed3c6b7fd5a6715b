"""Whole web pages: the main text through trafilatura, before the furniture rules; title and date from
the page's metadata. Saved pages in MHTML (.mhtml/.mht) are unpacked to their HTML first.

trafilatura (made for news and institutional pages) and readability-lxml both kept the measure's full
text on the test pages (a saved news page with scripts, styles, navigation and readers' comments; the
measure in one <div> of a portal among unrelated news), and jusText kept nothing (it needs a stop-word
list, and has none for Chinese). trafilatura is chosen for its recall setting, which keeps the short
lines a regulation is made of (第一章 总则), and for the page metadata (title, publication date) it reads.
"""

from __future__ import annotations

import email
import email.policy
import re
from email.message import Message

from ..errors import InputError
from . import Extracted

_SITE_SEPARATOR = re.compile(r"\s*(?:_|\||｜|\s-\s|\s—+\s|——|--)\s*")
_ARTICLE_LINE = re.compile(r"^[ \t　]*第[0-9〇零一二三四五六七八九十百千两]+条", re.M)


def read_page(page: str, full_text: str) -> Extracted:
    """The main text of ``page`` (``full_text`` is every visible line of it, the fallback when the
    remover loses articles the page has), with the page's title and publication date."""
    import trafilatura

    main = trafilatura.extract(page, output_format="txt", include_comments=False, include_tables=True,
                               favor_recall=True, deduplicate=False) or ""
    if len(_ARTICLE_LINE.findall(main)) < len(_ARTICLE_LINE.findall(full_text)) or not main.strip():
        main = full_text
    meta = trafilatura.extract_metadata(page)
    title = page_title(meta.title) if meta is not None and meta.title else None
    published = meta.date if meta is not None and meta.date else None
    return Extracted(main, title=title, published=published)


def page_title(title: str) -> str | None:
    """A page title without the site's name after it.

    >>> page_title("中华人民共和国反外国制裁法_中国人大网")
    '中华人民共和国反外国制裁法'
    >>> page_title("《脱贫攻坚责任制实施办法》 - 新闻中心 - 政府网")
    '脱贫攻坚责任制实施办法'
    """
    first = _SITE_SEPARATOR.split(title.strip())[0]
    return first.strip().strip("《》").strip() or None


def mhtml_to_html(data: bytes, name: str) -> str:
    """The HTML part of an MHTML archive (as browsers save a page whole), decoded by its charset."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk() if message.is_multipart() else [message]:
        if part.get_content_type() == "text/html":
            return _decode_part(part, name)
    raise InputError(name, "an MHTML archive without an HTML page in it")


def _decode_part(part: Message, name: str) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        raise InputError(name, "an MHTML archive whose page cannot be decoded")
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return payload.decode("gb18030", errors="replace")


def is_mhtml(data: bytes, name: str) -> bool:
    """MIME headers with multipart/related (what browsers write for "save page as a single file")."""
    head = data[:4096].lower()
    return name.lower().endswith((".mhtml", ".mht")) or (
        b"mime-version:" in head and b"multipart/related" in head)
