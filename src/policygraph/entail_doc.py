"""A document's own inferences, computed in the worker that built its graph and bulk-loaded with it.

Of the inferences ``entail.py`` computes over the whole store, those of a document graph that policygraph's
builder wrote need nothing but that graph, for its nodes are minted for the document (no other graph states
anything of them) and no document states pg:bears or pg:hasDuty:

- the superclasses of each node the graph types, less the types it states (``00-owl-rl.ru``'s first rule;
  the subclass pairs are the ontology's);
- for each duty the graph gives a bearer: pg:bears, pg:hasDuty and the direct attribution of each bearer
  (``10-duties.ru``'s first step).

The rest needs the other documents (members of joint bodies and actors of a kind, which any document may
name, reached from a bearer; the actors graph, the links): ``entail.materialize_rest`` adds it after the bulk
load, and tests/test_parallel.py checks that both give ``materialize_local``'s inferences graph.

>>> from policygraph.parallel import build_one
>>> inferred = document_inferences(build_one("data/脱贫攻坚责任制实施办法.txt").quads()) or b""
>>> lines = inferred.decode().splitlines()
>>> len(lines) > 500, lines == [str(q) + " ." for q in ox.parse(inferred, format=ox.RdfFormat.N_QUADS)]
(True, True)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cache

import pyoxigraph as ox
from pyoxigraph import BlankNode, NamedNode, Quad

from .entail import BEARER, BEARS, HAS_DUTY, SUBCLASS, TYPE, Term, _closure, _iri, attribution
from .ontology import INFERRED_GRAPH, ONTOLOGY_FILE


@cache
def superclasses() -> dict[Term, frozenset[NamedNode]]:
    """Each class of the ontology with a superclass: its named superclasses (``rdfs:subClassOf+``)."""
    subclass: dict[Term, set[Term]] = defaultdict(set)
    for t in ox.parse(ONTOLOGY_FILE.read_bytes(), format=ox.RdfFormat.TURTLE):
        if t.predicate == SUBCLASS:
            subclass[t.subject].add(t.object)
    return {c: frozenset(s for s in _closure(subclass, c) if isinstance(s, NamedNode))
            for c in subclass if isinstance(c, NamedNode)}


def document_inferences(quads: Sequence[Quad]) -> bytes | None:
    """The inferences of one document graph (``quads``: the graph, then the actors it names) as N-Quads, or
    None when it is not a graph as the builder writes them (it has a blank node): then the parent computes
    them all."""
    graph = quads[0].graph_name if quads else None
    own = [q for q in quads if q.graph_name == graph]
    types: dict[Term, set[Term]] = defaultdict(set)
    bearers: dict[Term, set[Term]] = defaultdict(set)
    holders: dict[Term, set[Term]] = defaultdict(set)
    bears: set[tuple[Term, Term]] = set()
    for q in own:
        if q.predicate == TYPE:
            types[q.subject].add(q.object)
        elif q.predicate == BEARER:
            bearers[q.subject].add(q.object)
        elif q.predicate == HAS_DUTY:
            holders[q.object].add(q.subject)
        elif q.predicate == BEARS:
            bears.add((q.subject, q.object))
    if any(isinstance(q.subject, BlankNode) or isinstance(q.object, BlankNode) for q in own):
        return None
    supers = superclasses()
    out = [(x, TYPE, s) for x, classes in types.items() for c in classes for s in supers.get(c, ()) if s not in classes]
    for duty, actors in bearers.items():
        for a in actors:
            if (a, duty) not in bears:
                out.append((a, BEARS, duty))
            out += attribution(a, duty, "direct", a, f"{_iri(duty)} direct")
        out += [(a, HAS_DUTY, duty) for a in actors - holders.get(duty, set())]
    graph_name = f" {INFERRED_GRAPH} .\n"  # N-Quads written directly: terms print as N-Triples
    lines = dict.fromkeys(f"{s} {p} {o}{graph_name}" for s, p, o in out if isinstance(s, NamedNode))
    return "".join(lines).encode()
