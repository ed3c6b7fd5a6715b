"""Reasoning: inherited duties with their reasons, and agreement between the SPARQL rules and HermiT."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from policygraph.extract import Extractor
from policygraph.graph import GraphBuilder
from policygraph.lexicon import default_lexicon
from policygraph.normalize import normalize
from policygraph.queries import get_query
from policygraph.read import read_path
from policygraph.reason import hermit_duties
from policygraph.store import LocalStore
from policygraph.structure import parse

MEASURE = "脱贫攻坚责任制实施办法"
RULE = "江北省脱贫攻坚责任制实施细则"


def _duties_of(store: LocalStore, actor: str) -> set[tuple[str, str, str, str]]:
    _, rows = get_query("duties-of-actor").run(store, {"actor": actor})
    return {(r["document"].value, r["article"].value, r["reason"].value, r["via"].value)  # type: ignore[union-attr]
            for r in rows}


@pytest.mark.parametrize(
    ("document", "articles", "reason", "via"),
    [
        (MEASURE, range(9, 13), "kind", "省级党委"),        # as a provincial party committee …
        (MEASURE, range(25, 27), "all_levels", "各级党委"),  # 各级党委和政府
        (RULE, range(4, 6), "joint", "江北省委、省政府"),    # the provincial rule's joint body
    ],
)
def test_duties_of_jiangbei_provincial_committee(both_store: LocalStore, document: str, articles: range,
                                                 reason: str, via: str) -> None:
    duties = _duties_of(both_store, "江北省委")
    for article in articles:
        assert (document, str(article), reason, via) in duties, (article, sorted(duties)[:5])


def test_provincial_committee_gets_joint_duties_through_its_kind(both_store: LocalStore) -> None:
    """省级党委 has Art. 9 as a member of 省级党委和政府; 江北省委 has it as a 省级党委."""
    assert (MEASURE, "9", "joint", "省级党委和政府") in _duties_of(both_store, "省级党委")


def test_duties_of_county_government(both_store: LocalStore) -> None:
    duties = _duties_of(both_store, "县级政府")
    assert (MEASURE, "19", "direct", "县级政府") in duties
    for article in range(14, 19):
        assert (MEASURE, str(article), "joint", "县级党委和政府") in duties
    # a county government duty of the provincial rule reaches no national kind
    assert not any(d[0] == RULE for d in duties)


def test_jiangbei_county_governments_inherit_the_national_kind(both_store: LocalStore) -> None:
    duties = _duties_of(both_store, "县（市、区）政府")
    assert (RULE, "11", "direct", "县（市、区）政府") in duties
    assert (MEASURE, "19", "kind", "县级政府") in duties


def test_sparql_rules_agree_with_hermit_on_the_seed(seed_path: Path, seed_store: LocalStore) -> None:
    source = read_path(seed_path)
    document = parse(normalize(source))
    built = GraphBuilder(default_lexicon()).build(document, Extractor().extract(document), source)
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in [*built.quads, *built.actor_quads]]
    nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    hermit = hermit_duties(nt)
    rows = seed_store.select("SELECT DISTINCT ?a ?d WHERE { ?a pg:hasDuty ?d }")
    ours = {(r["a"].value, r["d"].value) for r in rows}  # type: ignore[union-attr]
    # The store also holds the lexicon's actors; compare over the actors HermiT was given.
    actors = {q.subject.value for q in built.actor_quads if q.object.value.endswith("#Actor")}
    assert len(hermit) > 200  # HermiT found the chains' many inherited duties, not just the bearers
    assert {p for p in ours if p[0] in actors} == hermit
