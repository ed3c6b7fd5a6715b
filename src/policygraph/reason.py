"""Reasoning: HermiT for the ontology's consistency, SPARQL rules for inferences at scale.

HermiT (through owlready2, on the machine's Java) checks the ontology and
classifies it, and can compute duties on a small graph. It does not scale to a
corpus, so the loader materialises the same entailments with the SPARQL update
rules in ``resources/ontology/rules/`` run inside the store, into the inferences graph;
a test checks the two agree on the seed.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad

from .ontology import INFERRED_GRAPH, ONTOLOGY_DIR, ONTOLOGY_FILE, PG, STATE_GRAPH, XSD
from .store import Store

RULES_DIR = ONTOLOGY_DIR / "rules"
MAX_ROUNDS = 12


def rules() -> list[tuple[str, str]]:
    """The rule files, in order: (name, SPARQL update)."""
    found = sorted((p for p in RULES_DIR.iterdir() if p.name.endswith(".ru")), key=lambda p: p.name)
    return [(p.name, p.read_text(encoding="utf-8")) for p in found]


STALE = Quad(INFERRED_GRAPH, NamedNode(PG + "stale"), Literal("true", datatype=NamedNode(XSD + "boolean")),
             STATE_GRAPH)


def is_stale(store: Store) -> bool:
    """Whether a write has happened since the inferences were last computed."""
    return store.ask(f"ASK WHERE {{ GRAPH {STATE_GRAPH} {{ {INFERRED_GRAPH} pg:stale true }} }}")


def materialize(store: Store) -> int:
    """Recompute the inferences graph to a fixpoint and clear the stale marker; its size.

    Writes that change inferences add the marker in their own transaction, so a
    process killed before this finishes leaves the marker set, and the next load
    (or ``policygraph serve``) recomputes. The embedded store computes the rules' entailments graph by graph
    (``entail.py``: the same quads, bounded memory); a SPARQL server runs the rules themselves.
    """
    from .store import LocalStore

    if isinstance(store, LocalStore):
        from .entail import materialize_local

        return materialize_local(store)
    return materialize_sparql(store)


def materialize_sparql(store: Store) -> int:
    """``materialize`` by the SPARQL update rules in ``resources/ontology/rules/``, run inside the store."""
    owl_rl, *_ = [text for _name, text in rules()]
    store.update(f"DROP SILENT GRAPH {INFERRED_GRAPH}")
    store.update(owl_rl)
    count = fixpoint(store)
    store.update(f"DELETE DATA {{ GRAPH {STATE_GRAPH} {{ {STALE.subject} {STALE.predicate} {STALE.object} }} }}")
    return count


def fixpoint(store: Store) -> int:
    """Repeat the duty rules until nothing new is inferred (each round only adds entailments)."""
    count = -1
    for _ in range(MAX_ROUNDS):
        for _name, rule in rules()[1:]:
            for step in rule.split(" ;\n"):  # one transaction per rule: fast on committed data
                store.update(step)
        new = inferred_count(store)
        if new == count:
            break
        count = new
    return count


def inferred_count(store: Store) -> int:
    rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {INFERRED_GRAPH} {{ ?s ?p ?o }} }}")
    n = rows[0]["n"]
    return int(n.value) if n is not None else 0


def _owlready() -> Any:
    import owlready2

    java = shutil.which("java")
    if java is None:
        raise RuntimeError("HermiT needs Java; install a JRE (Debian: openjdk-17-jre-headless)")
    owlready2.JAVA_EXE = java
    return owlready2


def _ntriples(turtle_files: Iterable[Traversable], extra_nt: bytes = b"") -> Path:
    """owlready2 cannot read Turtle: convert with rdflib to N-Triples."""
    import rdflib

    g = rdflib.Graph()
    for f in turtle_files:
        g.parse(data=f.read_text(encoding="utf-8"), format="turtle")
    if extra_nt:
        g.parse(data=extra_nt.decode("utf-8"), format="nt")
    out = Path(tempfile.mkdtemp(prefix="policygraph-owl-")) / "graph.nt"
    g.serialize(out, format="nt", encoding="utf-8")
    return out


def check_consistency(ontology: Traversable = ONTOLOGY_FILE) -> list[str]:
    """Load the ontology with owlready2 and run HermiT; the inferred subclass pairs (raises if inconsistent)."""
    owl = _owlready()
    world = owl.World()  # never the global default world
    onto = world.get_ontology(_ntriples([ontology]).as_uri()).load()
    with onto:
        owl.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    inconsistent = list(world.inconsistent_classes())
    if inconsistent:
        raise owl.OwlReadyInconsistentOntologyError(f"unsatisfiable classes: {inconsistent}")
    return sorted(f"{c.name} ⊑ {s.name}" for c in world.classes() for s in c.is_a if hasattr(s, "name"))


def hermit_duties(data_nt: bytes, ontology: Traversable = ONTOLOGY_FILE) -> set[tuple[str, str]]:
    """(actor IRI, duty IRI) pairs for pg:hasDuty as HermiT infers them over a small graph."""
    owl = _owlready()
    world = owl.World()
    onto = world.get_ontology(_ntriples([ontology], data_nt).as_uri()).load()
    with onto:
        # ELI's dates are xsd:date, outside the OWL 2 datatype map; they bear on no duty.
        owl.sync_reasoner_hermit(world, infer_property_values=True, debug=0, ignore_unsupported_datatypes=True)
    has_duty = world.search_one(iri=PG + "hasDuty")
    pairs = {(subject.iri, obj.iri) for subject, obj in has_duty.get_relations()}
    # owlready2 reports no pg:hasDuty fact that follows only from pg:bears (the inverse of
    # pg:bearer) being a subproperty of it; those are the asserted bearers.
    bearer = world.search_one(iri=PG + "bearer")
    pairs |= {(actor.iri, duty.iri) for duty, actor in bearer.get_relations()}
    return pairs
