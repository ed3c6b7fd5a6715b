"""The embedded store's inferences (``entail.py``, graph by graph in Python) are the SPARQL rules' quads.

The same store is reasoned over twice, by the rules (``materialize_sparql``) and by ``materialize_local``; the
inferences graphs must be identical, quad for quad: on the seed, Jiangbei and national laws (when the corpus is
present), and with statements no document makes but a graph could (an RDF file stating pg:hasDuty, pg:bears
and org:memberOf, a chain of kinds, a kind with two levels, a duty with bearers in two graphs).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from policygraph.entail import materialize_local
from policygraph.loader import Loader
from policygraph.ontology import ACTORS_GRAPH, INFERRED_GRAPH, ORG, PG
from policygraph.reason import is_stale, materialize, materialize_sparql
from policygraph.store import LocalStore

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "lawrefbook"
EX = "https://example.org/"


def _inferred(store: LocalStore) -> list[str]:
    return sorted(str(q) for q in store.store.quads_for_pattern(None, None, None, INFERRED_GRAPH))


def _twin(store: LocalStore, path: Path) -> LocalStore:
    twin = LocalStore(str(path))
    twin.store.bulk_extend(list(store.store))
    return twin


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory, seed_path: Path, jiangbei_path: Path) -> LocalStore:
    files: list[str | Path] = [seed_path, jiangbei_path]
    if CORPUS.exists():
        files += sorted(p for p in CORPUS.rglob("*.md") if p.name != "_index.md")[::60]
    store = LocalStore(str(tmp_path_factory.mktemp("entail") / "store"))
    Loader(store).load(files, reason=False)
    return store


def test_the_same_inferences_as_the_rules_on_real_documents(loaded: LocalStore, tmp_path: Path) -> None:
    twin = _twin(loaded, tmp_path / "twin")
    assert is_stale(loaded)
    by_rules, by_graph = materialize_sparql(loaded), materialize(twin)  # the embedded store: entail.py
    assert by_rules == by_graph > 1000
    assert _inferred(loaded) == _inferred(twin)
    assert not is_stale(twin)
    assert sorted(map(str, loaded.store)) == sorted(map(str, twin.store))  # and nothing else differs


def test_the_same_inferences_with_statements_no_document_makes(loaded: LocalStore, tmp_path: Path) -> None:
    duty = next(q.subject for q in loaded.store.quads_for_pattern(None, NamedNode(PG + "bearer"), None, None))
    bearer = next(q.object for q in loaded.store.quads_for_pattern(duty, NamedNode(PG + "bearer"), None, None))
    other = NamedNode(EX + "graph/file/extra.ttl")
    a, b, c, j = (NamedNode(EX + n) for n in ("a", "b", "c", "joint"))
    kind = NamedNode(EX + "kind")
    extra = [
        Quad(a, NamedNode(PG + "hasDuty"), duty, other),  # a stated duty holder
        Quad(bearer, NamedNode(PG + "bears"), duty, other),  # a stated pg:bears: not restated
        Quad(NamedNode(EX + "d2"), NamedNode(PG + "hasDuty"), NamedNode(EX + "orphan"), other),  # no bearer
        Quad(duty, NamedNode(PG + "bearer"), j, other),  # a second graph gives the duty another bearer
        Quad(j, NamedNode(ORG + "hasMember"), b, other),
        Quad(b, NamedNode(ORG + "memberOf"), j, ACTORS_GRAPH),  # stated: not restated
        Quad(c, NamedNode(PG + "belongsToKind"), kind, other),
        Quad(kind, NamedNode(PG + "belongsToKind"), bearer, other),  # a chain: c → kind → the bearer
        Quad(kind, NamedNode(PG + "level"), NamedNode(PG + "AllLevels"), ACTORS_GRAPH),
        Quad(kind, NamedNode(PG + "level"), NamedNode(EX + "county"), ACTORS_GRAPH),  # two levels: two reasons
        Quad(c, NamedNode(PG + "hasDuty"), NamedNode(EX + "orphan"), other),
        Quad(NamedNode(EX + "d2"), NamedNode(PG + "bearer"), Literal("a literal bearer"), other),
    ]
    loaded.store.extend(extra)
    twin = _twin(loaded, tmp_path / "twin")
    assert materialize_sparql(loaded) == materialize_local(twin)
    assert _inferred(loaded) == _inferred(twin)
