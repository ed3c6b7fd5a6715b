"""The shapes as SPARQL queries (``policygraph.shapes``) give pySHACL's verdict and messages.

On the seed, on every violation the ontology tests inject, and on random mutations of real document graphs
(the seed, Jiangbei and national laws when the corpus is present): dropped, doubled and retyped statements
on every path the shapes name, subclasses declared in the data, literals without a language or empty.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from policygraph.errors import PolicygraphError
from policygraph.extract import Extractor
from policygraph.graph import GraphBuilder
from policygraph.lexicon import default_lexicon
from policygraph.loader import _shacl_messages, build_graph, validate
from policygraph.ontology import ELI, PG, PROV, RDF, RDFS, SHAPES_FILE, XSD
from policygraph.shapes import SHAPES_SHA256, violations

from .test_ontology import VIOLATIONS

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "lawrefbook"
TYPE, SUB = NamedNode(RDF + "type"), NamedNode(RDFS + "subClassOf")
PATHS = [TYPE, NamedNode(PG + "bearer"), NamedNode(PG + "bearerUnspecified"), NamedNode(PG + "action"),
         NamedNode(PROV + "wasDerivedFrom"), NamedNode(ELI + "number"), NamedNode(PG + "inDocument"),
         NamedNode(ELI + "title")]
CLASSES = [NamedNode(PG + c) for c in ("Duty", "Obligation", "Permission", "Prohibition", "Right", "Article",
                                        "Regulation", "Paragraph")] + [NamedNode(ELI + "LegalResource")]


def test_the_queries_are_for_this_shapes_file() -> None:
    """Edit shapes.ttl and this fails until ``policygraph.shapes`` says the same (meanwhile pySHACL runs)."""
    assert hashlib.sha256(SHAPES_FILE.read_bytes()).hexdigest() == SHAPES_SHA256


@pytest.fixture(scope="module")
def graphs(seed_path: Path, jiangbei_path: Path) -> list[list[Quad]]:
    lexicon = default_lexicon()
    extractor, builder = Extractor(lexicon=lexicon), GraphBuilder(lexicon)
    paths = [seed_path, jiangbei_path]
    if CORPUS.exists():
        laws = sorted(p for p in CORPUS.rglob("*.md") if p.name != "_index.md")
        paths += laws[::300][:4]
    out = []
    for path in paths:
        try:
            out.append(build_graph(path, extractor, builder, 50_000_000).quads)
        except PolicygraphError:  # a corpus file that is not a regulation: not a graph to mutate
            continue
    return out


def _agree(quads: list[Quad]) -> bool:
    """Whether both verdicts, and the sets of messages, are the same; False when the graph conforms."""
    ours, theirs = violations(quads), _shacl_messages(quads)
    assert ours == theirs, (ours, theirs)
    return bool(ours)


def test_the_seed_and_real_documents_conform(graphs: list[list[Quad]]) -> None:
    for quads in graphs:
        assert violations(quads) == [] == _shacl_messages(quads)
        validate(quads, name="real")


@pytest.mark.parametrize("violation", list(VIOLATIONS))
def test_each_injected_violation_is_found_by_both(graphs: list[list[Quad]], violation: str) -> None:
    assert _agree(VIOLATIONS[violation](graphs[0]))


def _mutations(rng: random.Random, quads: list[Quad]) -> list[Callable[[], list[Quad]]]:
    graph = quads[0].graph_name
    on_paths = [q for q in quads if q.predicate in PATHS]
    subjects = sorted({q.subject for q in on_paths if isinstance(q.subject, NamedNode)}, key=str)

    def drop() -> list[Quad]:
        gone = set(rng.sample(on_paths, rng.randint(1, 3)))
        return [q for q in quads if q not in gone]

    def drop_all_of_a_path() -> list[Quad]:
        s, p = rng.choice(subjects), rng.choice(PATHS)
        return [q for q in quads if not (q.subject == s and q.predicate == p)]

    def add(o: NamedNode | Literal | BlankNode, s: NamedNode | None = None,
            p: NamedNode | None = None) -> list[Quad]:
        return [*quads, Quad(s or rng.choice(subjects), p or rng.choice(PATHS), o, graph)]

    values: list[Callable[[], NamedNode | Literal | BlankNode]] = [
        lambda: rng.choice(CLASSES), lambda: rng.choice(subjects), lambda: Literal("x", language="zh-Hans"),
        lambda: Literal("", language="zh-Hans"), lambda: Literal("做"), lambda: BlankNode(),
        lambda: Literal("true", datatype=NamedNode(XSD + "boolean")),
        lambda: Literal("false", datatype=NamedNode(XSD + "boolean")), lambda: Literal("7"),
    ]

    def subclass() -> list[Quad]:
        new = NamedNode(PG + "Mutant")
        return [*add(new, p=TYPE), Quad(new, SUB, rng.choice(CLASSES), graph)]

    return [drop, drop_all_of_a_path, lambda: add(rng.choice(values)()),
            lambda: add(rng.choice(values)(), p=rng.choice(PATHS[1:])), lambda: add(rng.choice(CLASSES), p=TYPE),
            subclass]


def test_random_mutations_get_the_same_verdict(graphs: list[list[Quad]]) -> None:
    rng = random.Random(16)
    verdicts = []
    for quads in graphs:
        mutations = _mutations(rng, quads)
        for _ in range(40 if len(graphs) > 2 else 120):
            verdicts.append(_agree(rng.choice(mutations)()))
    assert 0.2 < sum(verdicts) / len(verdicts) < 0.9, sum(verdicts)  # both conforming and violating graphs
