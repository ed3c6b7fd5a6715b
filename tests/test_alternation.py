"""A regex for a set of words as a trie (``alternation.py``): the longest of overlapping words wins, as a flat
alternation sorted by length would."""

from __future__ import annotations

import re

import pytest

from policygraph.alternation import alternation


@pytest.mark.parametrize("text", ["县级以上地方各级人民政府", "县级以上人民政府", "县级人民政府", "乡镇人民政府"])
def test_the_trie_matches_what_a_flat_alternation_matches(text: str) -> None:
    words = ["县级以上地方各级", "县级以上", "县级", "乡镇", "乡"]
    flat = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    assert re.match(alternation(words), text).group() == re.match(flat, text).group()  # type: ignore[union-attr]


def test_words_are_escaped_and_duplicates_dropped() -> None:
    assert re.fullmatch(alternation(["a.b", "a.b", "c"]), "a.b") and not re.fullmatch(alternation(["a.b"]), "axb")
