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


def test_the_cue_words_are_data() -> None:
    cues = default_cues()
    assert cues.modal["应当"] == "obligation" and cues.modal["有权"] == "right"
    assert "负责" in cues.predicates and cues.duty_phrase.fullmatch("有进行安全宣传的义务")
