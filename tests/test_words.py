"""Words by jieba's dictionary (``words.py``)."""

from __future__ import annotations

import pytest

from policygraph.words import first_word_tagged, tagged, words_of


@pytest.mark.parametrize(("text", "words"), [
    ("对本单位", ["对", "本", "单位"]),  # the preposition stands alone
    ("生产经营单位的安全生产管理人员", ["生产", "经营", "单位", "的", "安全", "生产", "管理人员"]),  # longest first
    ("组织编制规划", ["组织", "编制", "规划"]),
    ("法人或者非法人组织", ["法人", "或者", "非法人组织"]),  # a term jieba's dictionary lacks (words.toml)
])
def test_forward_maximum_matching(text: str, words: list[str]) -> None:
    assert words_of()(text) == words
    assert [w for w, _ in tagged(text)] == words


def test_first_word_tags() -> None:
    is_verb = first_word_tagged(("v", "vd"))
    assert is_verb("组织编制规划") and not is_verb("部门负责人")
    assert tagged("对本单位")[0] == ("对", "p")
