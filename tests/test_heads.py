"""Nouns a document shows to be agents (``heads.py``), and what the extractor makes of them."""

from __future__ import annotations

from policygraph.bearers import default_grammar
from policygraph.extract import Extractor
from policygraph.heads import agents, subjects
from policygraph.normalize import normalize_text
from policygraph.structure import parse


def test_a_sentence_opening_with_a_noun_and_an_agent_cue_shows_an_agent() -> None:
    """职业教育法(2022-04-20) 第三十四条 (abridged): 校长全面负责… — an adverb stands between them."""
    text = "校长全面负责本学校教学、科学研究和其他行政管理工作。"
    assert agents(text, adverbs=frozenset(default_grammar().adverbials)) == {"校长"}


def test_only_agent_cues_and_only_sentence_openings_count() -> None:
    # a thing is the subject of 应当, never of 负责 or 有权; a clause inside a sentence is no opening
    assert agents("规划应当包括下列内容。") == set()
    assert agents("档案馆负责接收档案，专门负责定密。") == {"档案馆"}
    assert subjects("规划应当包括下列内容。") == [("规划", "应当")]


def test_the_extractor_reads_a_documents_own_agents() -> None:
    """展览馆 is no head of the grammar (档案馆 has been one since stop 24); a law that says 展览馆负责… makes it a
    bearer there (档案法 第十五条's shape), and only in that document."""
    extractor = Extractor()
    law = "第一条　展览馆负责接收展品。\n第二条　展览馆应当定期向社会开放。"
    assert [(d.actor, d.action) for d in extractor.extract(parse(normalize_text(law)))] == [
        ("展览馆", "负责接收展品"), ("展览馆", "定期向社会开放")]
    other = "第一条　展览馆应当定期向社会开放。"
    assert [d.actor for d in extractor.extract(parse(normalize_text(other)))] == [None]
