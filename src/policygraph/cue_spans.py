"""The cue spans of ``cues.py``'s pipeline, found without building a spaCy ``Doc`` and segmenting only what can
hold a cue.

jieba segments each run of its "Han" characters (``[\\u4E00-\\u9FD5a-zA-Z0-9+#&._%-]``) on its own and yields every
other character as a token of its own; spaCy keeps jieba's tokens and turns the whitespace between them into
tokens, except one space after a token. A punctuation mark (any other character) is therefore a token that no
cue spans, so each stretch between two marks can be read alone, and a stretch without a cue word as a string
(a two-word cue written without its space) holds no cue token: jieba never sees it. What it finds is what
``CueMatcher`` marks in the pipeline's ``Doc``, offsets included.

>>> from policygraph.cues import default_nlp
>>> finder = CueFinder.of(default_nlp())
>>> text = "生产经营单位的主要负责人应当组织制定安全生产规章制度；不得拒绝。"
>>> [(text[s:e], m) for s, e, m in finder(text)]
[('应当', 'obligation'), ('不得', 'prohibition')]
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from spacy.lang.zh import ChineseTokenizer, Segmenter
from spacy.language import Language

from .cues import Cue, CueMatcher

_HAN = "\u4e00-\u9fd5a-zA-Z0-9+#&._%\\-"  # jieba's re_han_default
_MARK = re.compile(f"[^{_HAN}\\s]")  # a token of its own, in jieba and in spaCy
_ALL_HAN = re.compile(f"[{_HAN}]+")


class CueFinder:
    """The cues ``CueMatcher`` marks in a text, as (start, end, modality) character spans."""

    def __init__(self, matcher: CueMatcher, segment: Callable[[str], Iterable[str]]) -> None:
        self.matcher, self.segment = matcher, segment
        written = [w.replace(" ", "") for w in (*matcher.single, *(" ".join(p) for p in matcher.double))]
        self._may = re.compile("|".join(map(re.escape, sorted(set(written), key=len, reverse=True))))
        self._stretch = lru_cache(maxsize=1 << 16)(self._stretch_cues)

    @classmethod
    def of(cls, nlp: Language) -> CueFinder | None:
        """A finder for a pipeline that is jieba and the cue matcher alone, with cue words of Han characters;
        None for any other pipeline (it runs as it is)."""
        tokenizer = nlp.tokenizer
        if nlp.pipe_names != ["policygraph_cues"] or not isinstance(tokenizer, ChineseTokenizer) \
                or tokenizer.segmenter != Segmenter.jieba:
            return None
        matcher = nlp.get_pipe("policygraph_cues")
        if not isinstance(matcher, CueMatcher) or not all(
                _ALL_HAN.fullmatch(w) for w in (*matcher.single, *(w for pair in matcher.double for w in pair))):
            return None
        import jieba

        jieba.setLogLevel(logging.WARNING)
        return cls(matcher, lambda text: jieba.cut(text, cut_all=False))

    def __call__(self, text: str) -> list[Cue]:
        found: list[Cue] = []
        begin = 0
        for stretch in _MARK.split(text):
            if stretch and self._may.search(stretch.replace(" ", "")):
                found += [(begin + s, begin + e, m) for s, e, m in self._stretch(stretch)]
            begin += len(stretch) + 1  # (the mark after it)
        return found

    def _stretch_cues(self, stretch: str) -> tuple[Cue, ...]:
        """The cues of a stretch between marks: its tokens as spaCy's ``Doc`` has them, whitespace other than
        one space after a token standing as a token of its own."""
        words: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        at = 0
        for word in self.segment(stretch):
            if word and not word.isspace():
                if ends and at != ends[-1] and stretch[ends[-1]:at] != " ":
                    words.append(stretch[ends[-1]:at])
                    starts.append(ends[-1])
                    ends.append(at)
                words.append(word)
                starts.append(at)
                ends.append(at + len(word))
            at += len(word)
        for i, cut in reversed(list(enumerate(self.matcher.split(words)))):  # 应由 -> 应, 由
            if cut is None:
                continue
            modal, rest = cut
            words[i:i + 1] = [modal, rest]
            starts[i:i + 1] = [starts[i], starts[i] + len(modal)]
            ends[i:i + 1] = [starts[i] + len(modal), ends[i]]
        return tuple((starts[i], ends[j - 1], m) for i, j, m in self.matcher.match(words))
