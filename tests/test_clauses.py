"""Sentences and clauses as spans (``clauses.py``)."""

from __future__ import annotations

from policygraph.clauses import clauses, resolve_its, sentences


def _clauses(text: str) -> list[str]:
    return [text[a:b] for s, e in sentences(text, 0, len(text)) for a, b in clauses(text, s, e)]


def test_separators_inside_brackets_do_not_split() -> None:
    text = "依照《中华人民共和国村民委员会组织法》（2018年修正，以下简称组织法）第三条，设立村民委员会。"
    assert _clauses(text) == ["依照《中华人民共和国村民委员会组织法》（2018年修正，以下简称组织法）第三条",
                              "设立村民委员会"]


def test_a_clause_opening_with_yiji_goes_on_unless_it_has_a_cue() -> None:
    """信访工作条例(2022) 第十八条 (abridged): …的处理程序，以及其他…相关事项 is one object; 以及X应当… is not."""
    assert _clauses("各级机关应当公布信访事项的处理程序，以及其他为信访人提供便利的相关事项。") == [
        "各级机关应当公布信访事项的处理程序，以及其他为信访人提供便利的相关事项"]
    assert _clauses("县级人民政府应当组织实施，以及乡镇人民政府应当协助。") == [
        "县级人民政府应当组织实施", "以及乡镇人民政府应当协助"]


def test_its_points_back_to_each_bearer_before_it() -> None:
    assert resolve_its(["其所在单位", "上级机关"], ["国家机关工作人员"]) == ["国家机关工作人员所在单位", "上级机关"]
    assert resolve_its(["其他组织"], ["企业"]) == ["其他组织"]  # 其他 is no 其
