"""Modal cues as whole jieba words (``cues.py``)."""

from __future__ import annotations

import pytest

from policygraph.cues import default_cues, default_nlp


@pytest.mark.parametrize(("text", "cues"), [
    ("生产经营单位的主要负责人应当组织制定安全生产规章制度", [("应当", "obligation")]),
    ("县级人民政府负责本行政区域内的扶贫工作", [("负责", "obligation")]),
    ("负责人可以委托他人", [("可以", "permission")]),  # 负责人 is no 负责
    ("任何单位和个人不得侵占", [("不得", "prohibition")]),
    ("从业人员有权拒绝违章指挥", [("有权", "right")]),
    ("依照本法的要求", []),  # 要求 is no 要
])
def test_cues_are_whole_words(text: str, cues: list[tuple[str, str]]) -> None:
    doc = default_nlp()(text)
    assert [(s.text, s.label_) for s in doc.spans["cues"]] == cues


@pytest.mark.parametrize(("text", "cues"), [
    # 选举法 (2020) 第五十三条: jieba's 须经 is 须 and 经
    ("罢免县级和乡级的人民代表大会代表，须经原选区过半数的选民通过", [("须", "obligation")]),
    # 选举法 (2020) 第十九条: 应有 is 应 and 有
    ("每一聚居的少数民族都应有代表参加当地的人民代表大会", [("应", "obligation")]),
    # 水污染防治法 (2017) 第十四条 (as 地方水污染物排放标准须报…备案 is written there)
    ("地方水污染物排放标准须报国务院环境保护主管部门备案", [("须", "obligation")]),
    # 刑法 第二十一条: before 的 a fused word modifies a noun and is no cue
    ("紧急避险超过必要限度造成不应有的损害的", []),
])
def test_a_fused_modal_word_is_its_modal_and_the_rest(text: str, cues: list[tuple[str, str]]) -> None:
    doc = default_nlp()(text)
    assert [(s.text, s.label_) for s in doc.spans["cues"]] == cues


def test_the_cue_words_are_data() -> None:
    cues = default_cues()
    assert cues.modal["应当"] == "obligation" and cues.modal["有权"] == "right"
    assert cues.fused["应由"] == "应" and cues.fused["须经"] == "须"
    assert "负责" in cues.predicates and cues.duty_phrase.fullmatch("有进行安全宣传的义务")
