"""The cue spans found without Docs (``cue_spans.py``) are the pipeline's, offsets included."""

from __future__ import annotations

import pytest

from policygraph.cue_spans import CueFinder
from policygraph.cues import build_nlp, default_nlp
from policygraph.pipeline import parse_file


def _pipeline(text: str) -> list[tuple[int, int, str]]:
    doc = default_nlp()(text)
    return [(s.start_char, s.end_char, s.label_) for s in doc.spans["cues"]]


@pytest.mark.parametrize("text", [
    "生产经营单位的主要负责人应当组织制定安全生产规章制度；不得拒绝。",
    "负责人可以委托他人，依照本法的要求",  # 负责人 is no 负责, 要求 no 要
    "不 应当做", "不  应当", "不　应当", " 不 应当", "甲不 应 乙", "不\n应当", "可以 不 应当 ", "不 应\r\n当",
    "（一）应当于2024年1月1日前报送；", "",
    "费用应由国家承担，须经批准；不应有的损害", "应由", "甲应予以公告应有",  # fused modal words, split alike
])
def test_the_finder_marks_what_the_pipeline_marks(text: str) -> None:
    finder = CueFinder.of(default_nlp())
    assert finder is not None and finder(text) == _pipeline(text)


def test_a_whole_regulation() -> None:
    finder = CueFinder.of(default_nlp())
    assert finder is not None
    document = parse_file("data/脱贫攻坚责任制实施办法.txt")
    for article in document.provisions:
        assert finder(article.text) == _pipeline(article.text)


def test_another_pipeline_runs_as_it_is() -> None:
    nlp = build_nlp()
    nlp.add_pipe("sentencizer")
    assert CueFinder.of(nlp) is None
