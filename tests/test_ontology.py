"""The ontology: well-formed OWL 2 with labels and definitions, consistent under HermiT, shapes that bite."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from pyoxigraph import Literal, NamedNode, Quad
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from policygraph.errors import ShapeError
from policygraph.extract import Extractor
from policygraph.graph import GraphBuilder
from policygraph.lexicon import default_lexicon
from policygraph.loader import validate
from policygraph.normalize import normalize
from policygraph.ontology import ONTOLOGY_FILE, PG
from policygraph.read import read_path
from policygraph.reason import check_consistency
from policygraph.structure import parse

REUSED = ["http://data.europa.eu/eli/ontology#", "http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#",
          "http://www.w3.org/2004/02/skos/core#", "http://purl.org/dc/terms/",
          "http://docs.oasis-open.org/legalruleml/ns/v1.0/"]


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return rdflib.Graph().parse(data=ONTOLOGY_FILE.read_text(encoding="utf-8"), format="turtle")


def test_every_term_has_zh_and_en_labels_and_a_definition(onto: rdflib.Graph) -> None:
    terms = {s for s, _, _ in onto.triples((None, RDF.type, None))
             if isinstance(s, rdflib.URIRef) and str(s).startswith(PG)}
    assert len(terms) > 60
    for term in terms:
        langs = {lit.language for lit in onto.objects(term, RDFS.label)}
        assert {"zh-Hans", "en"} <= langs, term
        assert {lit.language for lit in onto.objects(term, SKOS.definition)} >= {"zh-Hans", "en"}, term


def test_reuses_standard_vocabularies(onto: rdflib.Graph) -> None:
    used = {str(o) for o in onto.objects()} | {str(s) for s in onto.subjects()}
    for ns in REUSED:
        assert any(u.startswith(ns) for u in used), ns
    assert (rdflib.URIRef(PG + "Obligation"), RDFS.subClassOf,
            rdflib.URIRef("http://docs.oasis-open.org/legalruleml/ns/v1.0/Obligation")) in onto
    assert (rdflib.URIRef(PG + "belongsToKind"), RDF.type, OWL.TransitiveProperty) in onto
    assert "http://data.europa.eu/eli/ontology#implements" not in used  # deprecated: eli:applies instead


def test_hermit_finds_the_ontology_consistent_and_classifies_it() -> None:
    subclasses = check_consistency()
    assert "Obligation ⊑ Duty" in subclasses
    assert "JointLeadership ⊑ Organization" in subclasses


@pytest.fixture(scope="module")
def seed_graph(seed_path: Path) -> list[Quad]:
    source = read_path(seed_path)
    document = parse(normalize(source))
    return GraphBuilder(default_lexicon()).build(document, Extractor().extract(document), source).quads


def test_shapes_accept_the_seed(seed_graph: list[Quad]) -> None:
    validate(seed_graph, name="seed")


DUTY = "https://w3id.org/policygraph/id/doc/脱贫攻坚责任制实施办法/art_19/duty_1"
ARTICLE = "https://w3id.org/policygraph/id/doc/脱贫攻坚责任制实施办法/art_19"


def _without(quads: list[Quad], subject: str, predicate: str) -> list[Quad]:
    return [q for q in quads if not (q.subject.value == subject and q.predicate.value == predicate)]


def _plus(quads: list[Quad], subject: str, predicate: str, obj: NamedNode | Literal) -> list[Quad]:
    return [*quads, Quad(NamedNode(subject), NamedNode(predicate), obj, quads[0].graph_name)]


TYPE = str(RDF.type)
VIOLATIONS = {
    "duty with two modalities": lambda q: _plus(q, DUTY, TYPE, NamedNode(PG + "Permission")),
    "duty with no modality": lambda q: [x for x in q if not (x.subject.value == DUTY and x.predicate.value == TYPE
                                                            and x.object.value != PG + "Duty")],
    "duty with no bearer": lambda q: _without(q, DUTY, PG + "bearer"),
    "duty with no action": lambda q: _without(q, DUTY, PG + "action"),
    "duty with no source article": lambda q: _without(q, DUTY, "http://www.w3.org/ns/prov#wasDerivedFrom"),
    "article with no number": lambda q: _without(q, ARTICLE, "http://data.europa.eu/eli/ontology#number"),
    "article in no document": lambda q: _without(q, ARTICLE, PG + "inDocument"),
    "article in two documents": lambda q: _plus(q, ARTICLE, PG + "inDocument",
                                                 NamedNode("https://w3id.org/policygraph/id/doc/other")),
}


@pytest.mark.parametrize("violation", list(VIOLATIONS))
def test_shapes_reject_each_violation(seed_graph: list[Quad], violation: str) -> None:
    broken = VIOLATIONS[violation](seed_graph)
    assert len(broken) != len(seed_graph)
    with pytest.raises(ShapeError, match="violates the shapes"):
        validate(broken, name="broken")
