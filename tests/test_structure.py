"""Structure: the bundled measure, the Jiangbei rule, edge cases and the lawrefbook corpus."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from policygraph.normalize import normalize_text
from policygraph.pipeline import parse_file
from policygraph.structure import Document, iso_date, parse, to_int

from .conftest import LAWREFBOOK

SEED_CHAPTERS = ["总则", "中央统筹", "省负总责", "市县落实", "合力攻坚", "奖惩", "附则"]
# Articles per chapter of the measure: 1-3, 4-8, 9-12, 13-19, 20-24, 25-26, 27-29.
SEED_CHAPTER_OF = {n: c for c, (a, b) in enumerate(
    [(1, 3), (4, 8), (9, 12), (13, 19), (20, 24), (25, 26), (27, 29)], start=1)
    for n in range(a, b + 1)}
FURNITURE = ["字体调节", "责任编辑", "用户中心", "手机版", "本站支持", "发布时间", "新华社"]


def _doc(text: str, fmt: str = "text") -> Document:
    return parse(normalize_text(text, fmt=fmt))


@pytest.fixture(scope="module")
def seed(seed_path: Path) -> Document:
    return parse_file(seed_path)


def test_seed_title_dates_basis(seed: Document) -> None:
    assert seed.title == "脱贫攻坚责任制实施办法"
    assert seed.issuers == ["中共中央办公厅", "国务院办公厅"]
    assert seed.effective == "2016-10-11"
    assert seed.basis == ["中共中央、国务院关于打赢脱贫攻坚战的决定"]


def test_seed_chapters_and_articles(seed: Document) -> None:
    assert [c.heading for c in seed.chapters] == SEED_CHAPTERS
    assert [a.number for a in seed.articles] == list(range(1, 30))
    assert {a.number: a.chapter for a in seed.articles} == SEED_CHAPTER_OF
    assert seed.article(22).text.startswith("军队和武警部队应当发挥")


def test_seed_has_no_pinyin_or_furniture_in_articles(seed: Document) -> None:
    for art in seed.articles:
        assert not re.search(r"[a-zāáǎàēéěèīíǐìōóǒòūúǔù]{2,}", art.text), art.label
        for word in FURNITURE:
            assert word not in art.text, (art.label, word)
    assert len(seed.warnings) == 1 and seed.warnings[0]["code"] == "lost-character"


def test_seed_offsets_point_at_the_source(seed: Document) -> None:
    art = seed.article(22)
    original = seed.norm.original(art.start, art.end)
    assert original.startswith("軍隊(duì)和武警部隊(duì)")
    assert original.endswith("任務(wù)。")


def test_jiangbei(jiangbei_path: Path) -> None:
    doc = parse_file(jiangbei_path)
    assert doc.title == "江北省脱贫攻坚责任制实施细则"
    assert doc.published == "2017-02-20"
    assert doc.issuers == ["中共江北省委办公厅", "江北省人民政府办公厅"]
    assert doc.effective == "2017-02-20"  # 自印发之日起施行
    assert len(doc.chapters) == 7 and doc.chapters[5].heading == "奖惩"
    assert len(doc.articles) == 20
    art10 = doc.article(10)
    assert [i.label for i in art10.items] == ["（一）", "（二）", "（三）", "（四）"]
    assert art10.items[1].text.startswith("指导乡（镇）、村组织实施")
    assert len(doc.article(11).paragraphs) == 2
    assert "脱贫攻坚责任制实施办法" in doc.cites
    assert doc.basis[0] == "中共中央办公厅、国务院办公厅关于印发〈脱贫攻坚责任制实施办法〉的通知"


@pytest.mark.parametrize(
    ("text", "effective"),
    [
        ("第一条　本办法自2016年10月11日起施行。", "2016-10-11"),
        ("第一条　本规定自二〇一六年十月十一日起施行。", "2016-10-11"),
        ("第一条　本条例自2020年1月1日起实施。", "2020-01-01"),
        ("（2017年2月20日中共江北省委办公厅印发）\n第一条　本细则自印发之日起施行。", "2017-02-20"),
        ("第一条　本细则自印发之日起施行。", None),
    ],
)
def test_effective_dates(text: str, effective: str | None) -> None:
    assert _doc(text).effective == effective


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("一", 1), ("十", 10), ("十九", 19), ("二十九", 29), ("一百零五", 105), ("两百", 200), ("7", 7)],
)
def test_numerals(numeral: str, value: int) -> None:
    assert to_int(numeral) == value


def test_iso_date_from_chinese_numerals() -> None:
    assert iso_date("二〇一七", "二", "二十") == "2017-02-20"


def test_items_paragraphs_and_sections() -> None:
    doc = _doc(
        "某省测试规定\n第一章　总　则\n第一节　一般规定\n"
        "第一条　县政府应当履行下列职责：\n（一）制定规划；\n（二）组织实施。\n"
        "县政府可以委托乡镇政府实施。\n第二节　附　则\n第二条之一　本规定自印发之日起施行。\n"
    )
    assert doc.title == "某省测试规定"
    assert [(s.number, s.heading, s.chapter) for s in doc.sections] == [
        (1, "一般规定", 1), (2, "附则", 1)]
    art = doc.articles[0]
    assert [p.number for p in art.paragraphs] == [1, 2]
    assert [i.text for i in art.paragraphs[0].items] == ["制定规划；", "组织实施。"]
    assert doc.articles[1].key == "2_1" and doc.articles[1].section == 2


def test_cited_titles_with_nested_titles() -> None:
    doc = _doc("第一条　根据《中共中央办公厅、国务院办公厅关于印发〈脱贫攻坚责任制实施办法〉的通知》"
               "和《中华人民共和国预算法》，制定本细则。")
    assert doc.cites == [
        "中共中央办公厅、国务院办公厅关于印发〈脱贫攻坚责任制实施办法〉的通知",
        "脱贫攻坚责任制实施办法",
        "中华人民共和国预算法",
    ]
    assert doc.basis == [
        "中共中央办公厅、国务院办公厅关于印发〈脱贫攻坚责任制实施办法〉的通知",
        "中华人民共和国预算法",
    ]


def test_markdown_law() -> None:
    md = (
        "# 中华人民共和国测试法\n\n2009年2月28日 第十一届全国人民代表大会常务委员会第七次会议通过\n\n"
        "第三十一条的决定》第一次修正\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n"
        "第一条 为了测试，制定本法。\n\n第二条 本法自2010年1月1日起施行。\n"
    )
    doc = _doc(md, fmt="markdown")
    assert doc.title == "中华人民共和国测试法"
    assert doc.published == "2009-02-28"
    assert [a.number for a in doc.articles] == [1, 2]
    assert doc.chapters[0].heading == "总则"


_ARTICLE_LINE = re.compile(r"^第[一二三四五六七八九十百千零〇0-9]+ ?条")
# A file whose own line breaks were lost puts later articles after a sentence end and a space.
_ARTICLE_IN_LINE = re.compile(r"(?<=[。：；] )第[一二三四五六七八九十百千零〇0-9]+条(?:之[一二三四五六七八九十]+)?(?= )")  # noqa: E501


def _article_lines(body: str) -> int:
    """How many articles a careful reader counts: 第…条 at the start of a line, or run on after a sentence."""
    return sum(1 for line in body.splitlines() if _ARTICLE_LINE.match(line)) + len(_ARTICLE_IN_LINE.findall(body))

LAW_FILES = sorted(p for p in LAWREFBOOK.rglob("*.md") if p.name != "_index.md") if LAWREFBOOK.exists() else []


@pytest.mark.parametrize(
    ("text", "labels", "first"),
    [
        # An amendment: 一、二、 are its provisions; the quoted new article text stays inside.
        ("中华人民共和国刑法修正案（三）\n为了惩治恐怖活动犯罪，对刑法作如下补充修改：\n"
         "一、将刑法第一百一十四条修改为：“放火、决水、爆炸……”\n二、将刑法第一百二十条第一款修改为：“……”\n"
         "三、本修正案自公布之日起施行。\n", ["一、", "二、", "三、"], "将刑法第一百一十四条修改为"),
        # An older regulation numbered (一)(二); a trailing unnumbered paragraph belongs to the last one.
        ("保护海底电缆规定\n(一) 保护海底电缆是加强海防建设的重要措施。\n"
         "(二) 任何单位、船只和个人，不得擅自打捞海底电缆。\n海底电缆遭受损伤后，当地公安部门应大力协助。\n",
         ["（一）", "（二）"], "保护海底电缆是加强海防建设的重要措施"),
        # A judicial interpretation numbered 1. 2.; a year at the start of a line is not a number.
        ("关于海事诉讼管辖问题的规定\n1.大连海事法院管辖下列区域。\n2016年3月1日起施行的规定同时废止。\n"
         "2.其他各海事法院依据此前的决定确定管辖区域。\n", ["1.", "2."], "大连海事法院管辖下列区域"),
        # Headings 一、 with a nested list that restarts at 1: the nested lines stay inside their provision.
        ("某规定\n一、关于管辖区域调整\n1.调整大连海事法院的管辖区域。\n2.其他法院不变。\n"
         "二、关于案件受理\n1.海事法院受理海事案件。\n", ["一、", "二、"], "关于管辖区域调整"),
    ],
)
def test_texts_without_articles_are_read_by_their_numbered_provisions(text: str, labels: list[str],
                                                                        first: str) -> None:
    doc = _doc(text)
    assert doc.articles == []  # no 第…条: the numbered provisions carry the text instead
    assert [a.label for a in doc.numbered] == labels and doc.provisions == doc.numbered
    assert [a.number for a in doc.numbered] == list(range(1, len(labels) + 1))
    assert doc.numbered[0].text.startswith(first)
    assert doc.title == text.splitlines()[0]
    assert [a["label"] for a in doc.to_json()["numbered"]] == labels


@pytest.mark.parametrize("text", [
    "这是一篇新闻报道，没有任何条文。\n记者：某某\n",
    "某规定\n二、只有一个编号，而且不从一开始。\n",
])
def test_a_text_with_neither_articles_nor_a_numbered_sequence_has_no_provisions(text: str) -> None:
    assert _doc(text).provisions == []


@pytest.mark.skipif(not LAW_FILES, reason="../shared/corpus/lawrefbook is absent")
def test_every_lawrefbook_file_parses_with_the_right_article_count() -> None:
    wrong, numbered, unnumbered = [], 0, []
    for path in LAW_FILES:
        raw = path.read_text(encoding="utf-8")
        body = raw.split("<!-- INFO END -->", 1)[-1]
        expected = _article_lines(body)
        doc = parse_file(path)
        if len(doc.articles) != expected:
            wrong.append((path.name, len(doc.articles), expected))
        elif doc.numbered:
            # No 第…条 at all: read by numbered provisions, 1, 2, 3…, none of them empty.
            numbered += 1
            if [a.number for a in doc.numbered] != list(range(1, len(doc.numbered) + 1)) or not all(
                    a.text for a in doc.numbered):
                wrong.append((path.name, [a.label for a in doc.numbered][:5], "numbered"))
        elif not doc.articles:
            unnumbered.append(path)
    assert len(LAW_FILES) > 1500
    assert wrong == []
    assert numbered >= 50
    # What is left is case reports and a few one-paragraph texts: no provisions to speak of.
    assert len(unnumbered) < 100 and sum("案例" in p.parts for p in unnumbered) > len(unnumbered) / 2


_HEADING_HEAD = re.compile(r"^第[一二三四五六七八九十百零〇0-9]+[编章节]")


def _same_text(original: str, flat: str) -> bool:
    """Equal but for whitespace, or but for a heading that the original printed inside a line (or across
    two lines) and so kept in an article's text, where the flattened text ends the article at it."""
    a, b = re.sub(r"\s+", "", original), re.sub(r"\s+", "", flat)
    short, long_ = sorted((a, b), key=len)
    return a == b or (long_.startswith(short) and bool(_HEADING_HEAD.match(long_[len(short):])))


@pytest.mark.skipif(not LAW_FILES, reason="../shared/corpus/lawrefbook is absent")
def test_every_lawrefbook_file_flattened_to_one_line_parses_to_the_same_articles() -> None:
    """Every line break replaced by a space: the same article numbers and texts as the file itself, and as
    many articles as 第…条 lines; cross-references (依照本法第十二条, 《…法》第三条) never open one."""
    wrong, out_of_sequence, chapters_differ = [], [], []
    for path in LAW_FILES:
        raw = path.read_text(encoding="utf-8")
        original = parse_file(path)
        keys = [a.key for a in original.articles]
        if any(b.number - a.number not in (0, 1, 2) for a, b in itertools.pairwise(original.articles)):
            out_of_sequence.append(path.name)  # an amendment quoting articles 第一百二十三条… inside its own
            continue
        flat = parse(normalize_text(re.sub(r"\r?\n", " ", raw), fmt="markdown"))
        expected = _article_lines(raw.split("<!-- INFO END -->", 1)[-1])
        if [a.key for a in flat.articles] != keys or len(keys) != expected:
            wrong.append((path.name, len(flat.articles), len(keys), expected))
        elif not all(_same_text(a.text, b.text) for a, b in zip(original.articles, flat.articles, strict=True)):
            wrong.append((path.name, "text"))
        # The body alone as plain text, markdown marks and all: chapters are found inside the line too.
        body = re.sub(r"(?m)^#{1,6}\s+", "", raw.split("<!-- INFO END -->", 1)[-1])
        plain = _doc(re.sub(r"\r?\n", " ", body))
        if [a.key for a in plain.articles] != keys:
            wrong.append((path.name, "plain", len(plain.articles), len(keys)))
        if [(c.number, c.heading) for c in plain.chapters] != [(c.number, c.heading) for c in original.chapters]:
            chapters_differ.append(path.name)
    assert wrong == []
    assert len(out_of_sequence) <= 3, out_of_sequence
    # Headings the files themselves print across two lines or with zero-width spaces.
    assert len(chapters_differ) <= 20, chapters_differ


@pytest.mark.parametrize(
    ("text", "title", "articles"),
    [
        # The municipal rule, captured as one line.
        ("某市脱贫攻坚责任制实施细则 第一章 总则 第一条 为全面落实脱贫攻坚责任制，根据《脱贫攻坚责任制实施办法》"
         "第三条规定，制定本实施细则。 第二条 本实施细则适用于全市。依照本细则第十二条规定的程序办理。 "
         "第二章 附则 第三条 本实施细则自2017年1月1日起施行。", "某市脱贫攻坚责任制实施细则", [1, 2, 3]),
        # No spaces at all: articles after a sentence end; a cross-reference after 依照 stays inside.
        ("某省扶贫资金管理办法第一条为了管好扶贫资金，制定本办法。第二条县级政府负责资金管理，依照本办法第三条规定执行。"
         "第三条本办法自印发之日起施行。", "某省扶贫资金管理办法", [1, 2, 3]),
        # A reference to an article in the front matter opens nothing.
        ("关于执行本办法第一条的说明 依照本办法第一条规定，现说明如下。", "", []),
        ("国务院关于修改某条例的决定\n一、将某条例第一条修改为：“为了规范管理，制定本条例。”\n"
         "二、本决定自公布之日起施行。", "国务院关于修改某条例的决定", []),
    ],
)
def test_a_text_without_line_breaks(text: str, title: str, articles: list[int]) -> None:
    doc = _doc(text)
    assert [a.number for a in doc.articles] == articles
    assert doc.title == title or not title
    assert all("第十二条规定的程序" not in a.label for a in doc.articles)
    if articles:
        assert doc.articles[-1].text.endswith("起施行。")


def test_flattened_measure_keeps_its_chapters_items_and_paragraphs(seed: Document) -> None:
    flat = _doc(re.sub(r"\n+", " ", seed.norm.text))
    assert [c.heading for c in flat.chapters] == SEED_CHAPTERS
    assert [(a.number, a.chapter) for a in flat.articles] == [(a.number, a.chapter) for a in seed.articles]
    assert [[i.label for i in a.items] for a in flat.articles] == [[i.label for i in a.items] for a in seed.articles]
    assert [len(a.paragraphs) for a in flat.articles] == [len(a.paragraphs) for a in seed.articles]
    assert (flat.title, flat.issuers, flat.published, flat.effective, flat.basis) == (
        seed.title, seed.issuers, seed.published, seed.effective, seed.basis)


def test_flattened_jiangbei_rule_keeps_title_dates_and_issuers(jiangbei_path: Path) -> None:
    rule = parse_file(jiangbei_path)
    flat = _doc(re.sub(r"\n+", " ", jiangbei_path.read_text(encoding="utf-8")))
    assert (flat.title, flat.issuers, flat.published, flat.effective) == (
        "江北省脱贫攻坚责任制实施细则", ["中共江北省委办公厅", "江北省人民政府办公厅"], "2017-02-20", "2017-02-20")
    assert [(a.key, [i.label for i in a.items]) for a in flat.articles] == [
        (a.key, [i.label for i in a.items]) for a in rule.articles]


def test_each_book_of_a_code_is_a_document_of_its_own() -> None:
    """民法典 is filed book by book, every file opening with the code's title: each book gets the code's title and
    its own name, so that no load takes seven of them for copies of the first."""
    books = sorted((LAWREFBOOK / "民法典").glob("[!_]*.md")) if LAWREFBOOK.exists() else []
    if not books:
        pytest.skip(f"{LAWREFBOOK} is absent (../shared not beside the project)")
    titles = [parse_file(p).title for p in books]
    assert len(books) == 8 and len(set(titles)) == 8
    assert all(t.startswith("中华人民共和国民法典·") for t in titles) and "中华人民共和国民法典·物权编" in titles
