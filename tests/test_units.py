"""A document's units (``units.py``): each paragraph's own line and each item, the cues that are the text's own, and
items that are conditions."""

from __future__ import annotations

from policygraph.normalize import normalize_text
from policygraph.structure import parse
from policygraph.units import condition_item, units, unquoted


def test_a_paragraph_with_items_is_a_lead_in_then_its_items() -> None:
    text = "第一条　生产经营单位应当履行下列职责：\n（一）建立安全生产责任制；\n（二）组织制定规章制度。"
    document = parse(normalize_text(text))
    parts = list(units(document))
    assert [(u.paragraph, u.item, u.lead_in) for u in parts] == [(1, None, True), (1, 1, False), (1, 2, False)]
    assert parts[0].text.endswith("下列职责：") and parts[1].text.startswith("建立安全生产责任制")
    assert all(document.norm.text[u.start:u.start + len(u.text)] == u.text for u in parts)


def test_a_quoted_word_holds_no_cue_but_a_quoted_provision_does() -> None:
    # 票据法(2004) 第三十四条: the words a text names are no cue of its own
    text = "背书人在汇票上记载“不得转让”字样"
    assert unquoted(text, [(text.index("不得"), text.index("不得") + 2, "prohibition")]) == []
    # an amendment quotes a provision whole (刑法修正案…修改为：“……”): its cues are the provision's
    amended = "将第二十条修改为：“对正在进行行凶的，可以从轻或者减轻处罚。”"
    cue = (amended.index("可以"), amended.index("可以") + 2, "permission")
    assert unquoted(amended, [cue]) == [cue]


def test_an_item_ending_in_de_is_a_condition() -> None:
    assert condition_item("（一）未按照规定报告的；") and not condition_item("（一）建立安全生产责任制；")
