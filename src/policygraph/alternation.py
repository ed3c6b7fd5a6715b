"""A regular expression for a set of words, written as a trie: what the name grammar and the extractor match word
lists with (levels, heads, cue words).

>>> alternation(["部", "部门", "局"])
'局|部(?:门|)'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_Trie = dict[str, "_Trie"]


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first (so the longest of overlapping words wins).

    It is written as a trie, one branch per next character: the words that match at a position are prefixes
    of one another, and the trie tries them in the same order, longest first, as a flat list sorted by length
    would, but reads each character once instead of trying every word in turn.

    >>> alternation(["部", "部门", "局"])
    '局|部(?:门|)'
    """
    trie: _Trie = {}
    for word in set(words):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here
    return "|".join(_branches(trie))


def _branches(node: _Trie) -> list[str]:
    """The alternatives below a trie node: a longer word first, the word ending at the node last."""
    out = []
    for ch, child in sorted(node.items()):
        if ch:
            below = _branches(child)
            out.append(re.escape(ch) + (below[0] if below == [""] or len(below) == 1 else f"(?:{'|'.join(below)})"))
    return [*out, ""] if "" in node else out
