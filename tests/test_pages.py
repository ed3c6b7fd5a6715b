"""Whole web pages: a saved news page with scripts, styles, navigation and comments, the measure in a <div>
among unrelated news, and the same saved as MHTML all give the measure's 29 articles and nothing else."""

from __future__ import annotations

import re
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest

from policygraph.pipeline import parse_file
from policygraph.structure import Document

from .documents import LAWS, law_lines, measure_lines, news_page, saved_page

NOISE = ["网友", "相关新闻", "秋粮", "广告", "版权所有", "稳就业", "首页", "政务公开"]


@pytest.fixture(scope="module")
def seed(seed_path: Path) -> Document:
    return parse_file(seed_path)


def _mhtml(page: str) -> bytes:
    """The page as a browser's "save as single file" writes it: multipart/related, quoted-printable."""
    archive = MIMEMultipart("related", type="text/html")
    archive["Subject"] = "=?utf-8?B?5Lit5Yqe5Zu95Yqe?="
    archive["Snapshot-Content-Location"] = "http://www.example.cn/2016-10/17/content_5120354.htm"
    archive.attach(MIMEText(page, "html", "utf-8"))
    archive.attach(MIMEText("body { color: #333 }", "css", "utf-8"))
    return archive.as_bytes()


def _gbk(page: str) -> bytes:
    """The portal page as many government sites serve it: GB2312/GBK, declared in a <meta>."""
    return page.replace("charset=utf-8", "charset=gb2312").encode("gb18030")


@pytest.mark.parametrize("kind", ["saved.html", "news.htm", "saved.mhtml", "news-gbk.htm"])
def test_a_whole_page_gives_the_measure_s_29_articles(seed: Document, tmp_path: Path, kind: str) -> None:
    page = news_page(measure_lines()) if kind.startswith("news") else saved_page(measure_lines())
    path = tmp_path / kind
    encoded = _gbk(page) if "gbk" in kind else page.encode("utf-8")
    path.write_bytes(_mhtml(page) if kind.endswith(".mhtml") else encoded)
    doc = parse_file(path)
    assert doc.norm.format == "html"
    assert [a.number for a in doc.articles] == list(range(1, 30))

    def flat(d: Document) -> list[str]:
        return [re.sub(r"\s+", "", a.text) for a in d.articles]

    assert flat(doc) == flat(seed)
    assert [c.heading for c in doc.chapters] == [c.heading for c in seed.chapters]
    assert doc.title == "脱贫攻坚责任制实施办法"
    for article in doc.articles:
        assert not any(word in article.text for word in NOISE), (article.label, article.text[-40:])


def test_page_title_and_date_feed_a_body_that_has_none(tmp_path: Path) -> None:
    lines = law_lines(LAWS[1])[1:]  # the law's text without its title line
    page = ("<html><head><title>中华人民共和国反外国制裁法_中国人大网</title>"
            '<meta name="PubDate" content="2021-06-10"><script>var x = 1;</script></head><body>'
            '<div class="nav"><a href="/">首页</a> | <a href="/flfg">法律法规</a></div><div id="zoom">'
            + "".join(f"<p>{line}</p>" for line in lines) + "</div></body></html>")
    path = tmp_path / "law.html"
    path.write_text(page, encoding="utf-8")
    doc = parse_file(path)
    assert doc.title == "中华人民共和国反外国制裁法"
    assert doc.published == "2021-06-10" and doc.effective == "2021-06-10"  # 本法自公布之日起施行
    assert len(doc.articles) == 16
