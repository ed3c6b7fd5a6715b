"""The silver article links (``bench/silver_links.tsv``) are what ``tools/mine_silver_links.py`` mines from the
national corpus, and none comes from a local implementing rule (the development gold stays held out)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import LAWREFBOOK

ROOT = Path(__file__).resolve().parents[1]
SILVER = ROOT / "bench" / "silver_links.tsv"


@pytest.fixture(scope="module")
def mined(tmp_path_factory: pytest.TempPathFactory) -> str:
    if not LAWREFBOOK.exists():
        pytest.skip(f"{LAWREFBOOK} is absent (../shared not beside the project)")
    out = tmp_path_factory.mktemp("silver") / "silver_links.tsv"
    subprocess.run([sys.executable, str(ROOT / "tools" / "mine_silver_links.py"), "--corpus", str(LAWREFBOOK),
                    "--out", str(out)], check=True, capture_output=True)
    return out.read_text(encoding="utf-8")


def test_committed_silver_links_are_the_mined_ones(mined: str) -> None:
    assert SILVER.read_text(encoding="utf-8") == mined


def test_silver_links_hold_no_local_rule(mined: str) -> None:
    rows = [line.split("\t") for line in mined.splitlines()[2:]]
    assert len(rows) >= 300
    assert not any("实施《" in regulation for regulation, *_ in rows)
    assert all(law != regulation for regulation, law, *_ in rows)


def test_citations_are_masked() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from mine_silver_links import masked
    finally:
        sys.path.remove(str(ROOT / "tools"))
    text = "依照《中华人民共和国专利法》第十条、专利法第十一条的规定，由专利局处理。"
    assert masked(text, {"中华人民共和国专利法", "专利法"}) == "依照、的规定，由专利局处理。"
