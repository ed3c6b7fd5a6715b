"""The mined heads (``resources/heads.toml``) are what ``tools/mine_heads.py`` finds in the national corpus,
with no law of the extraction test half counted."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from .conftest import LAWREFBOOK

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def mined(tmp_path_factory: pytest.TempPathFactory) -> str:
    if not LAWREFBOOK.exists():
        pytest.skip(f"{LAWREFBOOK} is absent (../shared not beside the project)")
    out = tmp_path_factory.mktemp("heads") / "heads.toml"
    subprocess.run([sys.executable, str(ROOT / "tools" / "mine_heads.py"), "--corpus", str(LAWREFBOOK),
                    "--out", str(out)], check=True, capture_output=True)
    return out.read_text(encoding="utf-8")


def test_shipped_heads_are_the_mined_ones(mined: str) -> None:
    shipped = resources.files("policygraph").joinpath("resources/heads.toml").read_text("utf-8")
    assert shipped == mined


def test_every_suffix_has_its_evidence(mined: str) -> None:
    """Each character stands for at least two nouns bearing rights or duties in the corpus (the default)."""
    rows = [line for line in mined.split("agent_nouns", 1)[0].splitlines() if line.startswith('  "')]
    assert rows and all(len(line.split("#", 1)[1].split()) >= 2 for line in rows)
    assert '"员"' in mined and '"人"' in mined and '"官"' in mined  # (官: 法官, 检察官, 监察官 — 法官法 counts again)


def test_agent_nouns_end_in_a_mined_suffix(mined: str) -> None:
    """The whole nouns shipped are the mined nouns that end in a listed character (军人, 船长), never 无法 or 规定."""
    suffixes = set(re.findall(r'^  "(.)",', mined, re.M))
    nouns = re.findall(r'"([^"]+)"', mined.split("agent_nouns = [", 1)[1].split("agent_words = [", 1)[0])
    assert nouns and all(n[-1] in suffixes for n in nouns) and "规定" not in nouns and "军人" in nouns


def test_the_test_laws_are_not_counted() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import mine_heads
    finally:
        sys.path.remove(str(ROOT / "tools"))
    held_out = mine_heads.held_out()
    texts = mine_heads.laws(LAWREFBOOK, held_out) if LAWREFBOOK.exists() else {}
    if not texts:
        pytest.skip(f"{LAWREFBOOK} is absent")
    test_laws = {p.stem for p in (ROOT / "tests" / "gold" / "test").glob("*.tsv")}
    assert len(test_laws) == 7 and held_out == test_laws and not held_out & set(texts)


def test_agent_words_are_mined_and_reviewed(mined: str) -> None:
    """The nouns of no listed ending are shipped less the reviewed words a misread clause leaves before a cue."""
    words = re.findall(r'"([^"]+)"', mined.split("agent_words = [", 1)[1])
    assert "中国人民银行" in words and not {"无法", "规定", "国家", "全面"} & set(words)
