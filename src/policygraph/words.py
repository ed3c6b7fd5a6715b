"""Words of a Chinese span by jieba's dictionary: cheap segmentation and part-of-speech tags.

Forward maximum matching on jieba's dictionary is enough to tell what a name or a clause opens with
(对 | 本单位, 应急 | 管理, 组织 | 编制), at a fraction of jieba's cost; the tags are the dictionary's.

>>> tagged("县级以上人民政府组织编制")[-2:]
[('组织', 'v'), ('编制', 'v')]
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache, lru_cache

_LONGEST_WORD = 6


@cache
def _dictionary() -> dict[str, str]:
    """jieba's dictionary of words and their part-of-speech tags."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.posseg.dt.initialize()
    return jieba.posseg.dt.word_tag_tab


@cache
def _prefixes() -> dict[str, bool]:
    """Every prefix (of up to ``_LONGEST_WORD`` characters) of a word in the dictionary, and whether it is a
    word itself."""
    tags = _dictionary()
    return {p: p in tags for p in {w[:n] for w in tags for n in range(1, min(len(w), _LONGEST_WORD) + 1)}}


def _segment(text: str) -> list[str]:
    """Words by forward maximum matching on jieba's dictionary: cheap, and enough to tell what a
    name or clause opens with (对 | 本单位, 应急 | 管理, 组织 | 编制). A candidate grows only while it is
    the prefix of some word (one look-up a character: a prefix and whether it is a word)."""
    prefixes = _prefixes()
    words, i, n = [], 0, len(text)
    while i < n:
        size = 1  # (a character is a word of its own where no longer word starts with it)
        if text[i] in prefixes:
            for j in range(i + 2, min(n, i + _LONGEST_WORD) + 1):
                if (word := prefixes.get(text[i:j])) is None:
                    break
                if word:
                    size = j - i
        words.append(text[i:i + size])
        i += size
    return words


@lru_cache(maxsize=1 << 16)
def tagged(text: str) -> list[tuple[str, str]]:
    """Words of ``text`` with jieba's dictionary tags ("x" for a character it does not list)."""
    tags = _dictionary()
    return [(w, tags.get(w, "x")) for w in _segment(text)]


def is_word(text: str) -> bool:
    """Whether jieba's dictionary lists ``text`` as a word."""
    return text in _dictionary()


def dictionary_words(shortest: int, longest: int) -> list[str]:
    """jieba's dictionary words of ``shortest`` to ``longest`` characters."""
    return [w for w in _dictionary() if shortest <= len(w) <= longest]


def words_of() -> Callable[[str], list[str]]:
    return lru_cache(maxsize=1 << 17)(_segment)


def first_word_tagged(wanted: tuple[str, ...]) -> Callable[[str], bool]:
    """Whether a text opens with a word that jieba's dictionary tags with one of ``wanted``
    (a word of one character counts for verbs only: 对 is no noun, 建 may be a verb)."""
    tags = _dictionary()

    def opens_with(text: str) -> bool:
        for size in range(min(_LONGEST_WORD, len(text)), 0, -1):
            if (tag := tags.get(text[:size])) is not None or size == 1:
                return tag in wanted and (size > 1 or wanted[0] == "v")
        return False

    return opens_with
