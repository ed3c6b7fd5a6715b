"""Shared fixtures: the bundled measure, the corpus beside the project when present, real stores."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from policygraph.loader import Loader
from policygraph.store import LocalStore, open_store

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "脱贫攻坚责任制实施办法.txt"
CORPUS = ROOT.parent / "shared" / "corpus"
JIANGBEI = CORPUS / "jiangbei-implementing-rules.txt"
LAWREFBOOK = CORPUS / "lawrefbook"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_duties() -> int:
    """How many duties the extractor finds in the bundled measure (what a load of it must store)."""
    from policygraph.extract import Extractor
    from policygraph.pipeline import parse_file

    return len(Extractor().extract(parse_file(SEED)))


@pytest.fixture(scope="session")
def jiangbei_path() -> Path:
    if not JIANGBEI.exists():
        pytest.skip(f"{JIANGBEI} is absent (../shared not beside the project)")
    return JIANGBEI


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStore]:
    """A real on-disk store holding the bundled measure (read by many tests; do not write)."""
    store = open_store(tmp_path_factory.mktemp("seed-store"))
    assert isinstance(store, LocalStore)
    report = Loader(store).load([SEED])
    assert not report.failed
    yield store
    store.close()


@pytest.fixture(scope="session")
def both_store(tmp_path_factory: pytest.TempPathFactory, jiangbei_path: Path) -> Iterator[LocalStore]:
    """A real on-disk store holding the measure and the Jiangbei implementing rule."""
    store = open_store(tmp_path_factory.mktemp("both-store"))
    assert isinstance(store, LocalStore)
    report = Loader(store).load([SEED, jiangbei_path])
    assert not report.failed
    yield store
    store.close()


@pytest.fixture(scope="session")
def oxigraph_binary() -> Path:
    """The `oxigraph` server binary (a dependency); tests of the server behind /sparql skip, naming it, without it."""
    from policygraph.sidecar import binary

    found = binary()
    if found is None:
        pytest.skip("the oxigraph binary is not installed")
    return Path(found)
