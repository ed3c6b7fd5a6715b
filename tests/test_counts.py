"""A researcher's counts are counts of facts: the union default graph holds each triple once.

The inferences graph states only what no graph asserts, and the loader states a fact shared by
documents (the loading program, a place) once, in the actors graph. Each aggregate a researcher
would publish is run over the default graph as written and compared with the number of distinct
facts, and with the duties and articles the pipeline itself produced; loading, reloading and
reasoning again changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from policygraph.extract import Extractor
from policygraph.loader import BULK_MIN_FILES, Loader
from policygraph.normalize import normalize
from policygraph.ontology import INFERRED_GRAPH, MODALITY_CLASS, PG
from policygraph.read import read_path
from policygraph.reason import materialize
from policygraph.store import LocalStore, open_store
from policygraph.structure import parse

from .conftest import LAWREFBOOK, SEED

MODALITIES = " ".join(f"pg:{c}" for c in MODALITY_CLASS.values())
# (name, the aggregate as a researcher writes it, the same over distinct facts). Each groups by ?k.
AGGREGATES = {
    "duties": (
        "SELECT ?k (COUNT(*) AS ?n) WHERE { ?d a pg:Duty BIND(1 AS ?k) } GROUP BY ?k",
        "SELECT ?k (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a pg:Duty BIND(1 AS ?k) } GROUP BY ?k",
    ),
    "duties per modality": (
        f"SELECT ?k (COUNT(*) AS ?n) WHERE {{ ?d a ?k VALUES ?k {{ {MODALITIES} }} }} GROUP BY ?k",
        f"SELECT ?k (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d a ?k VALUES ?k {{ {MODALITIES} }} }} GROUP BY ?k",
    ),
    "duties per document": (
        "SELECT ?k (COUNT(*) AS ?n) WHERE { ?d a pg:Duty ; pg:inDocument ?k } GROUP BY ?k",
        "SELECT ?k (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a pg:Duty ; pg:inDocument ?k } GROUP BY ?k",
    ),
    "duties per bearer": (
        "SELECT ?k (COUNT(*) AS ?n) WHERE { ?d pg:bearer ?k } GROUP BY ?k",
        "SELECT ?k (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d pg:bearer ?k } GROUP BY ?k",
    ),
    "duties per actor, inherited": (
        "SELECT ?k (COUNT(*) AS ?n) WHERE { ?k pg:hasDuty ?d } GROUP BY ?k",
        "SELECT ?k (COUNT(DISTINCT ?d) AS ?n) WHERE { ?k pg:hasDuty ?d } GROUP BY ?k",
    ),
    "actors per class": (
        "SELECT ?k (COUNT(*) AS ?n) WHERE { ?a a pg:Actor , ?k } GROUP BY ?k",
        "SELECT ?k (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a pg:Actor , ?k } GROUP BY ?k",
    ),
    "articles": (
        "SELECT ?k (COUNT(*) AS ?n) WHERE { ?a a pg:Article ; pg:inDocument ?k } GROUP BY ?k",
        "SELECT ?k (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a pg:Article ; pg:inDocument ?k } GROUP BY ?k",
    ),
    "triples": (
        "SELECT ?k (COUNT(*) AS ?n) WHERE { ?s ?p ?o BIND(1 AS ?k) } GROUP BY ?k",
        "SELECT ?k (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } BIND(1 AS ?k) }"
        " GROUP BY ?k",
    ),
}


def aggregate(store: LocalStore, sparql: str) -> dict[str, int]:
    return {str(r["k"].value): int(r["n"].value) for r in store.select(sparql)}  # type: ignore[union-attr]


def snapshot(store: LocalStore) -> dict[str, dict[str, int]]:
    """Every aggregate as written, and the size of every named graph."""
    graphs = aggregate(store, "SELECT ?k (COUNT(*) AS ?n) WHERE { GRAPH ?k { ?s ?p ?o } } GROUP BY ?k")
    return {"graphs": graphs, **{name: aggregate(store, q) for name, (q, _) in AGGREGATES.items()}}


@pytest.fixture(scope="module")
def expected(jiangbei_path: Path) -> dict[str, Counter[str]]:
    """What the pipeline produced, independently of any store: duties per document and per modality."""
    per_document: Counter[str] = Counter()
    per_modality: Counter[str] = Counter()
    articles: Counter[str] = Counter()
    extractor = Extractor()
    for path in (SEED, jiangbei_path):
        document = parse(normalize(read_path(path)))
        duties = extractor.extract(document)
        per_document[document.title] += len(duties)
        per_modality.update(PG + MODALITY_CLASS[d.modality] for d in duties)
        articles[document.title] += len(document.provisions)
    return {"per_document": per_document, "per_modality": per_modality, "articles": articles}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, jiangbei_path: Path) -> Iterator[LocalStore]:
    """A real on-disk store of the measure and the Jiangbei rule, this module's own (it is written to)."""
    s = open_store(tmp_path_factory.mktemp("counts-store"))
    assert isinstance(s, LocalStore)
    assert not Loader(s).load([SEED, jiangbei_path]).failed
    yield s
    s.close()


def _titled(store: LocalStore, counts: dict[str, int]) -> dict[str, int]:
    rows = store.select("SELECT ?doc ?title WHERE { ?doc a pg:Regulation ; eli:title ?title }")
    titles = {r["doc"].value: r["title"].value for r in rows}  # type: ignore[union-attr]
    return {titles[iri]: n for iri, n in counts.items()}


def test_count_of_duties_is_the_number_of_duties(store: LocalStore, expected: dict[str, Counter[str]]) -> None:
    rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?d a pg:Duty }")
    duties = sum(expected["per_document"].values())
    assert duties > 100  # the measure alone has over a hundred
    assert int(rows[0]["n"].value) == duties  # type: ignore[union-attr]


@pytest.mark.parametrize("name", list(AGGREGATES))
def test_aggregate_counts_distinct_facts(store: LocalStore, name: str) -> None:
    written, distinct = AGGREGATES[name]
    got = aggregate(store, written)
    assert got, f"{name}: no rows"
    assert got == aggregate(store, distinct)


def test_aggregates_match_what_the_pipeline_produced(store: LocalStore, expected: dict[str, Counter[str]]) -> None:
    assert aggregate(store, AGGREGATES["duties per modality"][0]) == dict(expected["per_modality"])
    assert _titled(store, aggregate(store, AGGREGATES["duties per document"][0])) == dict(expected["per_document"])
    assert _titled(store, aggregate(store, AGGREGATES["articles"][0])) == dict(expected["articles"])
    # every bearer's direct duties are also its pg:hasDuty, once
    bearers = aggregate(store, AGGREGATES["duties per bearer"][0])
    inherited = aggregate(store, AGGREGATES["duties per actor, inherited"][0])
    assert all(inherited[a] >= n for a, n in bearers.items())
    assert sum(bearers.values()) == sum(expected["per_document"].values()) - _bearerless(store)


def _bearerless(store: LocalStore) -> int:
    rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?d pg:bearerUnspecified true }")
    return int(rows[0]["n"].value)  # type: ignore[union-attr]


def test_no_triple_is_in_two_graphs(store: LocalStore) -> None:
    rows = store.select("SELECT ?s ?p ?o ?g1 ?g2 WHERE { GRAPH ?g1 { ?s ?p ?o } GRAPH ?g2 { ?s ?p ?o } "
                        "FILTER(STR(?g1) < STR(?g2)) } LIMIT 5")
    assert rows == []


def test_load_reload_and_reason_twice_doubles_nothing(store: LocalStore, jiangbei_path: Path,
                                                     expected: dict[str, Counter[str]]) -> None:
    before = snapshot(store)
    assert before["duties"] == {"1": sum(expected["per_document"].values())}
    again = Loader(store).load([SEED, jiangbei_path])  # unchanged files: skipped
    assert {f.status for f in again.files} == {"unchanged"}
    assert snapshot(store) == before
    forced = Loader(store).load([SEED, jiangbei_path], force=True)  # rewritten, inferences recomputed
    assert {f.status for f in forced.files} == {"loaded"}
    assert forced.inferred == before["graphs"][INFERRED_GRAPH.value]
    assert snapshot(store) == before
    assert materialize(store) == materialize(store) == forced.inferred
    assert snapshot(store) == before


def test_reopened_store_reloaded_doubles_nothing(tmp_path: Path, jiangbei_path: Path) -> None:
    first = open_store(tmp_path / "store")
    assert not Loader(first).load([SEED, jiangbei_path]).failed
    before = snapshot(first)  # type: ignore[arg-type]
    first.close()
    reopened = open_store(tmp_path / "store")
    assert isinstance(reopened, LocalStore)
    try:
        assert {f.status for f in Loader(reopened).load([jiangbei_path, SEED], force=True).files} == {"loaded"}
        assert snapshot(reopened) == before
    finally:
        reopened.close()


LAWS = sorted(p for p in LAWREFBOOK.rglob("*.md") if p.name != "_index.md")[:: 40] if LAWREFBOOK.exists() else []


@pytest.mark.skipif(len(LAWS) < BULK_MIN_FILES, reason="../shared/corpus/lawrefbook is absent")
def test_national_laws_bulk_loaded_count_each_duty_once(tmp_path: Path) -> None:
    """A first load of many laws goes through the bulk path; its counts are counts of facts too."""
    s = open_store(tmp_path / "store")
    assert isinstance(s, LocalStore)
    try:
        report = Loader(s, validate_shapes=False).load(LAWS)
        duties = sum(f.duties for f in report.files if f.status == "loaded")
        assert duties > 100
        rows = s.select("SELECT (COUNT(*) AS ?n) WHERE { ?d a pg:Duty }")
        assert int(rows[0]["n"].value) == duties  # type: ignore[union-attr]
        for name, (written, distinct) in AGGREGATES.items():
            assert aggregate(s, written) == aggregate(s, distinct), name
    finally:
        s.close()
