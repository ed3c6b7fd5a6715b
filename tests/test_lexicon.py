"""The lexicon holds only names no grammar yields, and each of them occurs in the national corpus."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from policygraph.bearers import BearerGrammar
from policygraph.words import added_words

from .conftest import LAWREFBOOK
from .scoring import SOURCES

# The documents the extractor is evaluated on: an entry found only there would encode an answer.
EVALUATED = {*SOURCES.values()}


def _whole_names() -> list[str]:
    raw = tomllib.loads(resources.files("policygraph").joinpath("resources/lexicon.toml").read_text("utf-8"))
    return [name for body in raw["bodies"] for name in (body["name"], *body.get("aliases", ()))]


@pytest.fixture(scope="module")
def national() -> str:
    """The national corpus minus the evaluated documents (the bundled measure and Jiangbei are not in it)."""
    if not LAWREFBOOK.exists():
        pytest.skip(f"{LAWREFBOOK} is absent (../shared not beside the project)")
    texts = []
    for path in sorted(LAWREFBOOK.rglob("*.md")):
        if str(path.relative_to(LAWREFBOOK)) not in EVALUATED:
            texts.append(path.read_text(encoding="utf-8"))
    return "\n".join(texts)


@pytest.mark.parametrize("name", _whole_names())
def test_every_whole_name_occurs_in_the_national_corpus(name: str, national: str) -> None:
    assert name in national, f"lexicon entry {name!r} does not occur in the national corpus outside the gold"


@pytest.mark.parametrize("word", sorted(added_words()))
def test_every_added_word_occurs_in_the_national_corpus(word: str, national: str) -> None:
    """The terms added to jieba's dictionary (resources/words.toml) are the corpus's, not one evaluated text's."""
    assert national.count(word) >= 10, f"added word {word!r} is not a term of the national corpus outside the gold"


def test_a_whole_name_the_grammar_yields_is_there_for_what_it_knows() -> None:
    """A whole-name entry is for a name the grammar cannot compose (党中央), or for knowledge about a name
    that composition cannot give: its English name and its kind (审计署 is the audit body)."""
    raw = tomllib.loads(resources.files("policygraph").joinpath("resources/lexicon.toml").read_text("utf-8"))
    grammar = BearerGrammar.load()  # without the lexicon's names
    for body in raw["bodies"]:
        if grammar.one(body["name"]) is not None:
            assert body.get("en") and body.get("kind"), body["name"]


def test_grammar_parts_are_reviewed_data_read_from_the_package() -> None:
    grammar = BearerGrammar.load()
    assert {"人民政府", "党委"} <= set(grammar.systems) and "部门" in grammar.department_heads
    assert "任何单位和个人" in grammar.universal and "合作社" in grammar.party_heads
