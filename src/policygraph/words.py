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
def _prefixes() -> dict[str, str]:
    """Every prefix (of up to ``_LONGEST_WORD`` characters) of a word in the dictionary, with its tag where it
    is a word itself and "" where it is not."""
    tags = _dictionary()
    return {p: tags.get(p, "") for p in {w[:n] for w in tags for n in range(1, min(len(w), _LONGEST_WORD) + 1)}}


def opening(text: str, count: int) -> list[tuple[str, str]]:
    """The first ``count`` words of ``text`` with their tags, as ``tagged(text)[:count]`` has them, without
    segmenting the rest (forward maximum matching decides each word by what follows it only).

    >>> opening("县级以上人民政府组织编制", 2)
    [('县级', 'b'), ('以上', 'f')]
    """
    if count == 1:  # the first word depends on the first _LONGEST_WORD characters only: read once for each
        return list(_first_word(text[:_LONGEST_WORD]))
    return _words(text, count)


@lru_cache(maxsize=1 << 16)
def _first_word(head: str) -> tuple[tuple[str, str], ...]:
    return tuple(_words(head, 1))


def _words(text: str, count: int) -> list[tuple[str, str]]:
    prefixes = _prefixes()  # forward maximum matching: a candidate grows only while it is the prefix of a word
    words: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n and len(words) < count:
        size, tag = 1, prefixes.get(text[i])  # (a character is a word where no longer word starts with it)
        if tag is not None:
            for j in range(i + 2, (i + _LONGEST_WORD if i + _LONGEST_WORD < n else n) + 1):
                if (longer := prefixes.get(text[i:j])) is None:
                    break
                if longer:
                    size, tag = j - i, longer
        words.append((text[i:i + size], tag or "x"))
        i += size
    return words


@lru_cache(maxsize=1 << 16)
def tagged(text: str) -> list[tuple[str, str]]:
    """Words of ``text`` with jieba's dictionary tags ("x" for a character it does not list), by forward
    maximum matching on jieba's dictionary: cheap, and enough to tell what a name or clause opens with
    (对 | 本单位, 应急 | 管理, 组织 | 编制)."""
    return opening(text, len(text))


def clear_caches() -> None:
    """Forget every segmentation this module has cached (a benchmark's cold start)."""
    tagged.cache_clear()
    _first_word.cache_clear()


def is_word(text: str) -> bool:
    """Whether jieba's dictionary lists ``text`` as a word."""
    return text in _dictionary()


def dictionary_words(shortest: int, longest: int) -> list[str]:
    """jieba's dictionary words of ``shortest`` to ``longest`` characters."""
    return [w for w in _dictionary() if shortest <= len(w) <= longest]


def words_of() -> Callable[[str], list[str]]:
    """The words of a text (``tagged``'s, without their tags), cached."""
    return lru_cache(maxsize=1 << 17)(lambda text: [w for w, _ in tagged(text)])


def first_word_tagged(wanted: tuple[str, ...]) -> Callable[[str], bool]:
    """Whether a text opens with a word that jieba's dictionary tags with one of ``wanted``
    (a word of one character counts for verbs only: 对 is no noun, 建 may be a verb)."""

    def opens_with(text: str) -> bool:
        if not (first := opening(text, 1)):  # the longest word it opens with
            return False
        word, tag = first[0]  # (a word of more than one character is the dictionary's)
        return tag in wanted and (len(word) > 1 or (wanted[0] == "v" and is_word(word)))

    return opens_with
