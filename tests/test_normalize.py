"""Normalisation: pinyin, lost characters, furniture, punctuation, offset map."""

from __future__ import annotations

import pytest

from policygraph.normalize import normalize_text, restore_lost


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("責(zé)任", "责任"),
        ("脫貧攻堅(jiān)責(zé)任制實(shí)施辦法", "脱贫攻坚责任制实施办法"),
        # real parentheses survive, the pinyin inside them does not
        ("省(自治區(qū)、直轄市)黨委", "省（自治区、直辖市）党委"),
        # full-width parentheses around pinyin too
        ("領（lǐng）導", "领导"),
        # "(a)" and "(GDP)" are not pinyin
        ("第一項(a)款", "第一项(a)款"),
        ("國內生產總值(GDP)", "国内生产总值(GDP)"),
        # half-width punctuation next to Chinese becomes full-width
        ("近日,中共中央辦公廳印發了通知;要求:貫徹執行", "近日，中共中央办公厅印发了通知；要求：贯彻执行"),
        # full-width digits and letters become half-width
        ("中西部２２個省ＡＢ", "中西部22个省AB"),
        # times and numbers keep their colons
        ("2016-10-20 17:49", "2016-10-20 17:49"),
    ],
)
def test_cleaning(raw: str, clean: str) -> None:
    assert normalize_text(raw).text.rstrip("\n") == clean


@pytest.mark.parametrize(
    ("raw", "clean", "warnings"),
    [
        ("軍隊(duì)?yīng)當(dāng)發(fā)揮", "军队应当发挥", 0),
        # the seed's case: one unrecoverable syllable, then 应 before 当
        ("部隊(duì)?wèi)?yīng)當(dāng)", "部队应当", 1),
        # no following character: nothing to decide from
        ("部隊(duì)?yīng)", "部队", 1),
    ],
)
def test_lost_characters(raw: str, clean: str, warnings: int) -> None:
    norm = normalize_text(raw)
    assert norm.text.rstrip("\n") == clean
    assert len(norm.warnings) == warnings
    for w in norm.warnings:
        assert raw[w["start"] : w["end"]].startswith("?")


@pytest.mark.parametrize(
    ("syllable", "following", "expected"),
    [("yīng", "當", "应"), ("yīng", "当", "应"), ("zé", "任", "责"), ("wèi", "?", None)],
)
def test_restore_lost(syllable: str, following: str, expected: str | None) -> None:
    assert restore_lost(syllable, following) == expected


@pytest.mark.parametrize(
    "line",
    [
        "用戶(hù)中心 | 手機(jī)版 | 繁體 本站支持IPV6",
        "字體調(diào)節(jié): A+ A- 操作:",
        "【責(zé)任編輯:段全輝】",
        "分享到：微信 微博",
    ],
)
def test_page_furniture_is_dropped(line: str) -> None:
    text = f"{line}\n第一条　本办法自印发之日起施行。\n"
    assert normalize_text(text).text == "第一条　本办法自印发之日起施行。\n"


def test_title_and_date_lines_are_kept() -> None:
    text = "中辦國辦印發《脫貧攻堅責任制實施辦法》\n作者: 發布時間:2016-10-20 17:49\n"
    out = normalize_text(text).text
    assert "中办国办印发《脱贫攻坚责任制实施办法》" in out
    assert "2016-10-20" in out


def test_offset_map_gives_back_the_source_as_read() -> None:
    raw = "第二十二條軍隊(duì)和武警部隊(duì)?wèi)?yīng)當(dāng)發(fā)揮優(yōu)勢"
    norm = normalize_text(raw)
    start = norm.text.index("军队")
    end = norm.text.index("发挥") + 2
    assert norm.text[start:end] == "军队和武警部队应当发挥"
    assert norm.original(start, end) == "軍隊(duì)和武警部隊(duì)?wèi)?yīng)當(dāng)發(fā)揮"
    assert norm.traditional


def test_markdown_heading_marks_and_comments_are_removed() -> None:
    md = "# 中华人民共和国测试法\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n第一条 测试。\n"
    norm = normalize_text(md, fmt="markdown")
    assert norm.text == "中华人民共和国测试法\n\n\n第一章 总则\n\n第一条 测试。\n"
    assert norm.text[norm.body_start :].lstrip().startswith("第一章")
