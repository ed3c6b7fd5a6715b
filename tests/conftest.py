"""Shared fixtures: the bundled measure, and the corpus beside the project when present."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "脱贫攻坚责任制实施办法.txt"
CORPUS = ROOT.parent / "shared" / "corpus"
JIANGBEI = CORPUS / "jiangbei-implementing-rules.txt"
LAWREFBOOK = CORPUS / "lawrefbook"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def jiangbei_path() -> Path:
    if not JIANGBEI.exists():
        pytest.skip(f"{JIANGBEI} is absent (../shared not beside the project)")
    return JIANGBEI
