"""Words of a Chinese span by jieba's dictionary: cheap segmentation and part-of-speech tags.

Forward maximum matching on jieba's dictionary is enough to tell what a name or a clause opens with
(对 | 本单位, 应急 | 管理, 组织 | 编制), at a fraction of jieba's cost; the tags are the dictionary's.

>>> tagged("县级以上人民政府组织编制")[-2:]
[('组织', 'v'), ('编制', 'v')]
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Callable
from functools import cache, lru_cache
from importlib import resources

_LONGEST_WORD = 6


@cache
def _dictionary() -> dict[str, str]:
    """jieba's dictionary of words and their part-of-speech tags, with the terms it lacks
    (``resources/words.toml``)."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.posseg.dt.initialize()
    return {**jieba.posseg.dt.word_tag_tab, **added_words()}


@cache
def added_words() -> dict[str, str]:
    """The corpus terms jieba's dictionary lacks, with their tags (``resources/words.toml``)."""
    raw = tomllib.loads(resources.files("policygraph").joinpath("resources/words.toml").read_text("utf-8"))
    return {word: tag for tag, words in raw.items() for word in words}


@cache
def _prefixes() -> frozenset[str]:
    """Every prefix (of up to ``_LONGEST_WORD`` characters) of a word in the dictionary."""
    return frozenset(w[:n] for w in _dictionary() for n in range(1, min(len(w), _LONGEST_WORD) + 1))


def _segment(text: str) -> list[str]:
    """Words by forward maximum matching on jieba's dictionary: cheap, and enough to tell what a
    name or clause opens with (对 | 本单位, 应急 | 管理, 组织 | 编制). A candidate grows only while it is
    the prefix of some word."""
    tags, prefixes = _dictionary(), _prefixes()
    words, i, n = [], 0, len(text)
    while i < n:
        size, j = 1, i + 1
        while j <= n and j - i <= _LONGEST_WORD and text[i:j] in prefixes:
            if text[i:j] in tags:
                size = j - i
            j += 1
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
