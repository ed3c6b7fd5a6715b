"""The rules' entailments computed graph by graph over the embedded store: the SPARQL rules' quads, in bounded
memory.

``resources/ontology/rules/`` run as SPARQL updates over the whole store: each update is one transaction
that pyoxigraph holds in memory, so the parent's memory grew with the corpus (540 MB at ×1, 1,471 MB at ×4
of the scaling benchmark's subset). Here the same entailments are computed in Python:

- first the relations between actors and the ontology's classes, which every document's inferences need
  (``org:hasMember``, ``pg:belongsToKind`` and its transitive pairs, ``pg:level`` in the actors graph,
  ``rdfs:subClassOf+`` in the ontology graph, and any ``pg:hasDuty``/``pg:bears`` a graph states): these
  grow with the actors, not the documents;
- the superclasses of typed nodes (``00-owl-rl.ru``'s first rule) by a CONSTRUCT in the engine, graph by
  graph, streamed to a spool file beside the store;
- then each named graph on its own: for each duty it gives a bearer, the actors the duty reaches (the
  bearers, then members of joint bodies and the actors of a kind, to the fixpoint ``10-duties.ru`` reaches)
  with their attributions;
- written to a second spool in batches of ``BATCH`` quads, and both spools bulk-loaded at the end in chunks
  of a quarter of POLICYGRAPH_BULK_CHUNK_BYTES (not one transaction: the stale marker, cleared last, makes
  the next load or ``policygraph serve`` recompute them if the process dies before the end).

After a bulk load whose documents came with their own inferences (``entail_doc``, computed in the workers
that built them and bulk-loaded with them), ``materialize_rest`` computes only the rest: the graphs that are
not those documents', the relations between actors, and the duties whose bearers reach other actors.

Set semantics as in the rules: a triple stated in any named graph but the inferences graph is not restated.
``materialize_sparql`` still runs the rules (on a SPARQL server, and in the tests, which check that both give
the same inferences graph on real documents). One difference, only in principle: the rules stop after
``MAX_ROUNDS`` rounds of ``10-duties.ru``; this computes the whole closure (the same unless a chain of members
and kinds is longer than the rounds allow).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Set
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat

from .ontology import ACTORS_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, ORG, PG, RDF, RDFS, STATE_GRAPH
from .store import LocalStore

BATCH = 50_000

TYPE, SUBCLASS = NamedNode(RDF + "type"), NamedNode(RDFS + "subClassOf")
HAS_MEMBER, MEMBER_OF = NamedNode(ORG + "hasMember"), NamedNode(ORG + "memberOf")
BELONGS, LEVEL, ALL_LEVELS = NamedNode(PG + "belongsToKind"), NamedNode(PG + "level"), NamedNode(PG + "AllLevels")
BEARER, BEARS, HAS_DUTY = NamedNode(PG + "bearer"), NamedNode(PG + "bears"), NamedNode(PG + "hasDuty")
ATTRIBUTION, ATTRIBUTED_TO = NamedNode(PG + "Attribution"), NamedNode(PG + "attributedTo")
DUTY, REASON, VIA = NamedNode(PG + "duty"), NamedNode(PG + "reason"), NamedNode(PG + "via")

Node = NamedNode | BlankNode
Term = Any  # a pyoxigraph term read from the store (an IRI, a blank node, a literal, or a quoted triple)


def _stated(quads: Iterable[Quad]) -> Iterator[Quad]:
    """The quads in a named graph other than the inferences graph (what the rules read as stated)."""
    return (q for q in quads if not isinstance(q.graph_name, DefaultGraph) and q.graph_name != INFERRED_GRAPH)


def _closure(edges: dict[Term, set[Term]], start: Term) -> set[Term]:
    """Every node reached from ``start`` by one edge or more."""
    seen: set[Term] = set()
    todo = list(edges.get(start, ()))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(edges.get(node, ()))
    return seen


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class _Entailer:
    """The inferences of the store's graphs, but those of ``done`` (document graphs whose own inferences a
    worker computed, ``entail_doc``): for these only what needs the other graphs (``_reaching``)."""

    def __init__(self, store: LocalStore, done: Set[str] = frozenset()) -> None:
        self.local, self.store, self.done = store, store.store, done
        self.buffer: list[Quad] = []
        self.out: Any = None  # the N-Quads spool, open while the inferences are computed
        location = Path(store.location)  # the spools: inferences on disk until they are bulk-loaded
        self.spools = {RdfFormat.N_TRIPLES: location.with_name(f".{location.name}.entail.nt"),
                       RdfFormat.N_QUADS: location.with_name(f".{location.name}.entail.nq")}
        self._relations()

    def _relations(self) -> None:
        """What every graph's inferences need: the actors' relations and the ontology's classes."""
        store = self.store
        self.supers: dict[Term, set[Term]] = {}
        subclass: dict[Term, set[Term]] = defaultdict(set)
        for q in store.quads_for_pattern(None, SUBCLASS, None, ONTOLOGY_GRAPH):
            subclass[q.subject].add(q.object)
        for cls in subclass:
            self.supers[cls] = {s for s in _closure(subclass, cls) if isinstance(s, NamedNode)}
        self.members: dict[Term, set[Term]] = defaultdict(set)
        for q in self._stated_with(HAS_MEMBER):
            self.members[q.subject].add(q.object)
        belongs: dict[Term, dict[Term, set[Term]]] = defaultdict(lambda: defaultdict(set))  # graph → x → kinds
        for q in self._stated_with(BELONGS):
            belongs[q.graph_name][q.subject].add(q.object)
        self.stated_kinds = {(x, k) for edges in belongs.values() for x, kinds in edges.items() for k in kinds}
        self.transitive: set[tuple[Term, Term]] = set()  # pg:belongsToKind/pg:belongsToKind+ within a graph
        self.of_kind: dict[Term, set[Term]] = defaultdict(set)  # kind → the actors belonging to it, any graph
        for edges in belongs.values():
            for x, kinds in edges.items():
                reached = _closure(edges, x)
                self.transitive |= {(x, k) for y in kinds for k in _closure(edges, y)}
                for k in reached:
                    self.of_kind[k].add(x)
        self.levels: dict[Term, list[Term]] = defaultdict(list)
        for q in store.quads_for_pattern(None, LEVEL, None, ACTORS_GRAPH):
            self.levels[q.subject].append(q.object)
        self.holders: dict[Term, set[Term]] = defaultdict(set)  # duty → actors a graph states pg:hasDuty of
        for q in self._stated_with(HAS_DUTY):
            self.holders[q.object].add(q.subject)
        self.bears = {(q.subject, q.object) for q in self._stated_with(BEARS)}

    def _stated_with(self, predicate: NamedNode) -> Iterator[Quad]:
        """The quads with ``predicate`` in each named graph but the inferences graph (what the rules read as
        stated), graph by graph: the inferences graph may already hold the documents' own."""
        for graph in self.store.named_graphs():
            if graph != INFERRED_GRAPH:
                yield from self.store.quads_for_pattern(None, predicate, None, graph)

    def emit(self, s: Term, p: NamedNode, o: Term) -> None:
        if isinstance(s, NamedNode | BlankNode):  # a literal subject is no triple: the rules' INSERT skips it
            self.buffer.append(Quad(s, p, o, INFERRED_GRAPH))
            if len(self.buffer) >= BATCH:
                self.flush()

    def flush(self) -> None:
        batch, self.buffer = self.buffer, []
        if batch:
            self.out.write(ox.serialize(batch, format=RdfFormat.N_QUADS) or b"")

    def run(self) -> None:
        """Every inference into the spools, then the spools bulk-loaded (a few large loads: each bulk load
        leaves memory behind in the store, so many small ones grew it with the corpus)."""
        try:
            self.types()
            with open(self.spools[RdfFormat.N_QUADS], "wb") as self.out:
                self._entail()
                self.flush()
            self._load()
        finally:
            for path in self.spools.values():
                path.unlink(missing_ok=True)

    def _entail(self) -> None:
        for x, j in ((m, j) for j, ms in self.members.items() for m in ms):
            if not any(_stated(self.store.quads_for_pattern(x, MEMBER_OF, j, None))):
                self.emit(x, MEMBER_OF, j)
        for x, k in sorted(self.transitive - self.stated_kinds, key=str):
            self.emit(x, BELONGS, k)
        for graph in self._graphs():
            self._graph(graph)
        self._reaching()
        for duty, holders in self.holders.items():  # a duty a graph gives holders but no bearer
            if not any(_stated(self.store.quads_for_pattern(duty, BEARER, None, None))):
                self._duty(duty, set(), holders)

    def types(self) -> None:
        """``00-owl-rl.ru``'s first rule as a CONSTRUCT in the engine, graph by graph (the engine's memory
        bounded), streamed to its spool. Nothing is written before all inferences are computed: the rules'
        FILTER NOT EXISTS reads only stated triples here, as the first rule sees an empty inferences graph."""
        pairs = " ".join(f"({c} {s})" for c, sups in sorted(self.supers.items(), key=str) if isinstance(c, NamedNode)
                         for s in sorted(sups, key=str))
        query = (f"CONSTRUCT {{ ?x <{RDF}type> ?super }} WHERE {{ GRAPH ?g {{ ?x <{RDF}type> ?class }} "
                 f"VALUES (?class ?super) {{ {pairs} }} "
                 f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?x <{RDF}type> ?super }} }} }}")
        with open(self.spools[RdfFormat.N_TRIPLES], "wb") as out:
            for graph in self._graphs() if pairs else []:
                triples = self.store.query(query, substitutions={ox.Variable("g"): graph})
                assert isinstance(triples, ox.QueryTriples)
                triples.serialize(output=out, format=RdfFormat.N_TRIPLES)

    def _load(self) -> None:
        """The spools bulk-loaded into the inferences graph in chunks of a quarter of
        POLICYGRAPH_BULK_CHUNK_BYTES: into a store that is not empty, a bulk load keeps several times its input
        (32 MB chunks took the peak from 195 MB at ×1 to 357 MB at ×4 of the scaling subset; 8 MB, 138 to 179)."""
        from .settings import Settings

        chunk = max(Settings.from_env().bulk_chunk_bytes // 4, 1 << 20)
        for fmt, path in self.spools.items():
            graph = INFERRED_GRAPH if fmt == RdfFormat.N_TRIPLES else None
            with open(path, "rb") as handle:
                while block := handle.read(chunk):
                    block += handle.readline()  # to the end of its last line

                    def load(store: ox.Store, data: bytes = block, fmt: RdfFormat = fmt,
                             graph: NamedNode | None = graph) -> None:
                        store.bulk_load(input=data, format=fmt, to_graph=graph)

                    self.local.write(load)

    def _graphs(self) -> list[Node]:
        return [g for g in self.store.named_graphs() if g != INFERRED_GRAPH and g.value not in self.done]

    def _reaching(self) -> None:
        """In the graphs of ``done``, the duties whose bearers reach other actors (members of a joint body, actors
        of a kind, which other documents may name): all their inferences (a worker made the direct ones)."""
        pattern = self.store.quads_for_pattern
        stated = [q for y in [*self.members, *self.of_kind] for q in pattern(None, BEARER, y, None)]
        stated += [q for duty in self.holders for q in pattern(duty, BEARER, None, None)]
        for graph, duty in dict.fromkeys((q.graph_name, q.subject) for q in stated if _name(q) in self.done):
            bearers = {q.object for q in self.store.quads_for_pattern(duty, BEARER, None, graph)}
            self._duty(duty, bearers, self.holders.get(duty, set()))

    def _graph(self, graph: Node) -> None:
        bearers: dict[Term, set[Term]] = defaultdict(set)
        for q in self.store.quads_for_pattern(None, BEARER, None, graph):
            bearers[q.subject].add(q.object)
        for duty, actors in bearers.items():
            self._duty(duty, actors, self.holders.get(duty, set()))

    def _duty(self, duty: Term, bearers: set[Term], holders: set[Term]) -> None:
        """A duty's pg:bears and pg:hasDuty, and its attributions (``10-duties.ru`` to its fixpoint)."""
        for a in bearers:
            if (a, duty) not in self.bears:
                self.emit(a, BEARS, duty)
            self._attribution(a, duty, "direct", a, f"{_iri(duty)} direct")
        reached: set[Term] = set()
        todo = [*bearers, *holders]
        while todo:
            y = todo.pop()
            if y in reached:
                continue
            reached.add(y)
            for m in self.members.get(y, ()):
                todo.append(m)
                self._attribution(m, duty, "joint", y, f"{_iri(duty)} joint {_iri(y)}")
            for x in self.of_kind.get(y, ()):
                todo.append(x)
                for reason in self._reasons(y):
                    self._attribution(x, duty, reason, y, f"{_iri(duty)} {reason} {_iri(y)}")
        for z in reached - holders:
            self.emit(z, HAS_DUTY, duty)

    def _reasons(self, kind: Term) -> list[str]:
        levels = self.levels.get(kind)
        return ["all_levels" if level == ALL_LEVELS else "kind" for level in levels] if levels else ["kind"]

    def _attribution(self, actor: Term, duty: Term, reason: str, via: Term, key: str) -> None:
        for s, p, o in attribution(actor, duty, reason, via, key):
            self.emit(s, p, o)


def attribution(actor: Term, duty: Term, reason: str, via: Term, key: str) -> list[tuple[Term, NamedNode, Term]]:
    """The triples of ``actor``'s attribution of ``duty`` (none for a blank node: STR() of a blank node is an
    error in SPARQL, so the rules make no attribution)."""
    if not isinstance(actor, NamedNode) or "\0" in key:
        return []
    attr = NamedNode(f"{actor.value}/attribution/{_sha1(key)}")
    return [(attr, p, o) for p, o in ((TYPE, ATTRIBUTION), (ATTRIBUTED_TO, actor), (DUTY, duty),
                                      (REASON, Literal(reason)), (VIA, via))]


def _name(quad: Quad) -> str | None:
    return None if isinstance(quad.graph_name, DefaultGraph) else quad.graph_name.value


def _iri(term: Term) -> str:
    """SPARQL's STR() of an IRI or a literal; a blank node gives the marker that voids the attribution."""
    return "\0" if isinstance(term, BlankNode) else term.value


def materialize_local(store: LocalStore) -> int:
    """The inferences graph recomputed (``reason.materialize`` on the embedded store); its size."""
    store.update(f"DROP SILENT GRAPH {INFERRED_GRAPH}")
    return _done(store, _Entailer(store))


def materialize_rest(store: LocalStore, documents: Set[str]) -> int:
    """After a bulk load in which each document's graph came with its own inferences (``entail_doc``, made in
    the worker that built it, loaded with it): the rest of the inferences graph; its size. The same graph as
    ``materialize_local`` when ``documents`` were written by policygraph's builder (tests/test_parallel.py)."""
    return _done(store, _Entailer(store, documents))


def _done(store: LocalStore, entailer: _Entailer) -> int:
    from .reason import inferred_count

    entailer.run()
    count = inferred_count(store)
    store.update(f"DELETE DATA {{ GRAPH {STATE_GRAPH} {{ {INFERRED_GRAPH} <{PG}stale> true }} }}")
    return count
