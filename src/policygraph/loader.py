"""Load regulations (and RDF files) into a store, each document whole or not at all."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence, Set
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pyoxigraph import NamedNode, Quad

from .errors import InputError, PolicygraphError, ShapeError
from .extract import Extractor
from .graph import DocumentGraph, GraphBuilder, actor_graph
from .lexicon import Lexicon, default_lexicon
from .normalize import normalize
from .ontology import (
    ACTORS_GRAPH,
    ID,
    INFERRED_GRAPH,
    ONTOLOGY_FILE,
    ONTOLOGY_GRAPH,
    SHAPES_FILE,
    STATE_GRAPH,
    ActorResolver,
)
from .read import read_path
from .reason import STALE
from .store import RDF_FORMATS, LocalStore, Store
from .structure import parse

# From this many regulations at once into a store with no documents, bulk loading pays.
BULK_MIN_FILES = 20


@dataclass
class FileResult:
    path: str
    status: str  # "loaded", "unchanged", "failed", "rdf"
    graph: str | None = None
    title: str = ""
    articles: int = 0
    duties: int = 0
    actors: int = 0
    quads: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class LoadReport:
    files: list[FileResult] = field(default_factory=list)
    inferred: int = 0
    linked: int = 0
    seconds: float = 0.0

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "failed"]

    def summary(self) -> dict[str, Any]:
        done = [f for f in self.files if f.status in ("loaded", "unchanged")]
        counted = _once_per_document(done)
        return {
            "documents": len(done),
            "loaded": sum(f.status == "loaded" for f in self.files),
            "unchanged": sum(f.status == "unchanged" for f in self.files),
            "rdf_files": sum(f.status == "rdf" for f in self.files),
            "failed": len(self.failed),
            "articles": sum(f.articles for f in counted),
            "duties": sum(f.duties for f in counted),
            "actors": sum(f.actors for f in counted),
            "warnings": sum(len(f.warnings) for f in _once_per_document(self.files)),
            "inferred_quads": self.inferred,
            "linked_rules": self.linked,
            "seconds": round(self.seconds, 2),
        }


def _once_per_document(results: list[FileResult]) -> list[FileResult]:
    """The first result of each document: a second file of the same document (one title, one version) is
    written once, so its articles, duties, actors and warnings count once, whichever route reported it (a shard build's
    manifest keeps no counts for the second file; a load from files did, and counted them twice)."""
    seen: set[str] = set()
    first = []
    for result in results:
        if result.graph is None or result.graph not in seen:
            first.append(result)
        if result.graph is not None:
            seen.add(result.graph)
    return first


@cache
def _shapes() -> Any:
    import rdflib

    return rdflib.Graph().parse(data=SHAPES_FILE.read_text(encoding="utf-8"), format="turtle")


@cache
def _shape_predicates() -> frozenset[str] | None:
    """The predicates the shapes can look at (their paths, rdf:type for targets and sh:class, rdfs:subClassOf),
    or None when a path is not a plain predicate: then every statement is needed."""
    import rdflib

    paths = set(_shapes().objects(None, rdflib.SH.path))
    if not all(isinstance(p, rdflib.URIRef) for p in paths):
        return None
    return frozenset({*map(str, paths), str(rdflib.RDF.type), str(rdflib.RDFS.subClassOf)})


def validate(quads: Sequence[Quad], *, name: str) -> None:
    """Check a document graph against ``resources/ontology/shapes.ttl``; ShapeError names the first violations.

    The shapes run as SPARQL queries in pyoxigraph (``shapes.py``: the same verdict, tested against pySHACL);
    pySHACL runs only on a graph they reject, for its messages, or when the shapes file has changed."""
    from .shapes import violations

    found = violations(quads)
    if found == []:
        return
    messages = _shacl_messages(quads)
    if found is None and not messages:
        return
    shown = messages or found or []
    raise ShapeError(f"{name}: the document graph violates the shapes: {'; '.join(shown[:3])}")


def _shacl_messages(quads: Sequence[Quad]) -> list[str]:
    """pySHACL's messages for the graph of ``quads`` (empty when it conforms).

    Only the statements the shapes can reach are handed to pyshacl (the same verdict, a smaller graph)."""
    import rdflib
    from pyshacl import validate as shacl

    wanted = _shape_predicates()
    data = rdflib.Graph()
    nt = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads
                       if wanted is None or q.predicate.value in wanted], format=ox.RdfFormat.N_TRIPLES)
    data.parse(data=(nt or b"").decode("utf-8"), format="nt")
    conforms, report, _ = shacl(data, shacl_graph=_shapes(), inference="none", advanced=False, inplace=True)
    if conforms:
        return []
    return sorted({str(m) for m in report.objects(None, rdflib.SH.resultMessage)}) or ["(no message)"]


class Loader:
    """Reads, parses, extracts, builds, validates and writes documents.

    >>> import tempfile
    >>> from policygraph.store import open_store
    >>> report = Loader(open_store(tempfile.mkdtemp())).load(["data/脱贫攻坚责任制实施办法.txt"])
    >>> report.summary()["documents"], report.summary()["duties"] > 100
    (1, True)
    """

    def __init__(self, store: Store, *, lexicon: Lexicon | None = None, extractor: Extractor | None = None,
                 validate_shapes: bool = True, replace_graph: bool = False, max_file_bytes: int | None = None
                 ) -> None:
        from .settings import Settings

        self.store = store
        self.replace_graph = replace_graph  # RDF files may write into existing or policygraph's own graphs
        self.max_file_bytes = max_file_bytes or Settings.from_env().max_file_bytes
        self.lexicon = lexicon or default_lexicon()
        self._extractor = extractor  # made on first use: a parent that only writes never loads the NLP
        self.builder = GraphBuilder(self.lexicon)
        self.validate_shapes = validate_shapes

    def load(self, paths: Iterable[str | Path], *, graph: str | None = None, force: bool = False,
             reason: bool = True, progress: Callable[[str], None] | None = None) -> LoadReport:
        """Load every file; a bad file is reported and the others still load."""
        from .reason import is_stale, materialize

        started = time.perf_counter()
        report = LoadReport()
        paths = list(paths)
        bulk = self._bulk_pays(paths)
        if bulk:
            self._load_bulk(paths, report, progress)
        else:
            self.ensure_ontology()
            # Each document is one transaction, which also marks the inferences stale; they are
            # recomputed once at the end (and again by the next load if this one is killed).
            written: set[str] = set()  # a second file of a document in this load is not written: the first's
            for path in paths:
                result = self.load_one(path, graph=graph, force=force, skip=written)
                written.update([result.graph] if result.status == "loaded" and result.graph else [])
                report.files.append(result)
                if progress:
                    progress(str(path))
        if any(f.status in ("loaded", "rdf") for f in report.files):
            from .link.write import link_documents

            report.linked = len(link_documents(self.store))
        if reason and is_stale(self.store):
            report.inferred = materialize(self.store)
        if bulk and isinstance(self.store, LocalStore):
            self.store.optimize()  # one pass over the table files the load left (as writer.write_all)
        report.seconds = time.perf_counter() - started
        return report

    def load_one(self, path: str | Path, *, graph: str | None = None, force: bool = False,
                 skip: Set[str] = frozenset()) -> FileResult:
        """Load one file; a document in ``skip`` (written by this load already) or unchanged is not written."""
        p, name = Path(path), str(path)  # a URL keeps its "//"
        fmt = RDF_FORMATS.get(p.suffix.lower().lstrip("."))
        try:
            if fmt is not None:
                return self._load_rdf(p, fmt, graph)
            built = self.build(path)
            if built.iri.value in skip or (not force and self._unchanged(built)):
                return FileResult(name, "unchanged", built.iri.value, built.title, built.articles,
                                  built.duties, built.actors, len(built.quads), built.warnings)
            if self.validate_shapes:
                validate(built.quads, name=str(p))
            self.store.replace_graphs(built.iri, built.quads, [*built.actor_quads, STALE])
            return FileResult(name, "loaded", built.iri.value, built.title, built.articles, built.duties,
                              built.actors, len(built.quads), built.warnings)
        except PolicygraphError as exc:
            return FileResult(name, "failed", error=str(exc))
        except (SyntaxError, ValueError, OSError) as exc:
            return FileResult(name, "failed", error=f"{name}: {exc}")

    def _bulk_pays(self, paths: list[str | Path]) -> bool:
        """A first load of many regulations into an embedded store: bulk-load it and swap it in whole."""
        return (isinstance(self.store, LocalStore) and len(paths) >= BULK_MIN_FILES
                and not any(RDF_FORMATS.get(Path(p).suffix.lower().lstrip(".")) for p in paths)
                and not self.store.has_documents())

    def _load_bulk(self, paths: list[str | Path], report: LoadReport,
                   progress: Callable[[str], None] | None) -> None:
        assert isinstance(self.store, LocalStore)
        quads: list[Quad] = []
        seen: dict[str, str] = {}
        for path in paths:
            p = Path(path)
            try:
                built = self.build(p)
                if built.iri.value in seen:  # the same document twice (one title, one version)
                    result = FileResult(str(p), "unchanged", built.iri.value, built.title, built.articles,
                                        built.duties, built.actors, len(built.quads), built.warnings)
                else:
                    if self.validate_shapes:
                        validate(built.quads, name=str(p))
                    seen[built.iri.value] = str(p)
                    quads += [*built.quads, *built.actor_quads]
                    result = FileResult(str(p), "loaded", built.iri.value, built.title, built.articles,
                                        built.duties, built.actors, len(built.quads), built.warnings)
            except PolicygraphError as exc:
                result = FileResult(str(p), "failed", error=str(exc))
            report.files.append(result)
            if progress:
                progress(str(p))
        if quads:
            # The ontology and lexicon go in with the documents: one swap, nothing written before it.
            self.store.bulk_add([*self.ontology_quads(), *quads, STALE])

    @property
    def extractor(self) -> Extractor:
        if self._extractor is None:
            self._extractor = Extractor(lexicon=self.lexicon)
        return self._extractor

    def build(self, path: str | Path) -> DocumentGraph:
        """The graph of a regulation file, not yet written."""
        return build_graph(path, self.extractor, self.builder, self.max_file_bytes)

    def _unchanged(self, built: DocumentGraph) -> bool:
        sha = next((str(q.object.value) for q in built.quads  # type: ignore[union-attr]
                    if q.predicate.value.endswith("#sha256")), None)
        return sha is not None and self.store.ask(
            "ASK WHERE { GRAPH ?doc { ?doc prov:wasGeneratedBy/prov:used/pg:sha256 ?sha } }",
            doc=built.iri, sha=ox.Literal(sha),
        )

    def _load_rdf(self, path: Path, fmt: ox.RdfFormat, graph: str | None) -> FileResult:
        """An RDF file goes into its own graph (or ``graph``); a dataset keeps its named graphs. None of them may
        be policygraph's own (ontology, actors, inferences, a document's), nor one already in the store other
        than the file's own, unless ``replace_graph``: then they are replaced."""
        check_size(path, self.max_file_bytes)
        target = NamedNode(graph or f"{ID}graph/file/{path.name}")
        graphs = {target}
        if fmt.supports_datasets:
            graphs |= {q.graph_name for q in ox.parse(path=str(path), format=fmt)
                       if isinstance(q.graph_name, NamedNode)}
        if not self.replace_graph:
            for g in sorted(graphs, key=lambda g: g.value):
                if _protected(g):
                    raise InputError(str(path), f"would write into {g.value}, one of policygraph's own graphs "
                                     "(say --replace-graph to allow it)")
                if (g != target or graph is not None) and self.store.ask("ASK { GRAPH ?g { ?s ?p ?o } }", g=g):
                    raise InputError(str(path), f"would write into {g.value}, a graph already in the store (say "
                                     "--replace-graph to replace it)")
        count = self.store.load_rdf(path, fmt, target, extra=[STALE])  # type: ignore[attr-defined]
        return FileResult(str(path), "rdf", target.value, quads=count)

    def ensure_ontology(self) -> None:
        """Keep the ontology and the lexicon's actors in the store, in their own graphs."""
        quads = self.ontology_quads()
        ontology = [q for q in quads if q.graph_name == ONTOLOGY_GRAPH]
        if self.store.ask("ASK WHERE { GRAPH ?g { ?o owl:versionInfo ?v } }", g=ONTOLOGY_GRAPH) and \
                self._same_ontology(len(ontology)):
            return
        self.store.replace_graphs(ONTOLOGY_GRAPH, ontology, [q for q in quads if q.graph_name != ONTOLOGY_GRAPH])

    def ontology_quads(self) -> list[Quad]:
        """The ontology (its graph) and the lexicon's actors (the actors graph)."""
        quads = [Quad(q.subject, q.predicate, q.object, ONTOLOGY_GRAPH)
                 for q in ox.parse(ONTOLOGY_FILE.read_bytes(), format=ox.RdfFormat.TURTLE)]
        resolver = ActorResolver(self.lexicon)
        # The bodies the lexicon lists in full, and the kinds of body per level; composed
        # surface forms (县（市）政府) enter the graph when a document names them.
        named = [resolver.resolve(a) for a in self.lexicon.actors.values() if not a.composed]
        kinds = [k for level in self.lexicon.level_labels for kind in ("joint_leadership", "party_committee",
                 "government") if (k := resolver.canonical(level, kind))]
        lexicon_actors = list(actor_graph([*named, *kinds]))
        return quads + [Quad(q.subject, q.predicate, q.object, ACTORS_GRAPH) for q in lexicon_actors]

    def _same_ontology(self, size: int) -> bool:
        rows = self.store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ONTOLOGY_GRAPH} {{ ?s ?p ?o }} }}")
        n = rows[0]["n"]
        return n is not None and int(n.value) == size


def build_graph(path: str | Path, extractor: Extractor, builder: GraphBuilder, max_file_bytes: int
                ) -> DocumentGraph:
    """The graph of a regulation file, not yet written: read, normalise, structure, extract, build."""
    check_size(path, max_file_bytes)
    source = read_path(path)
    document = parse(normalize(source))
    if not document.provisions:
        raise InputError(str(path), "no provisions found (第…条, or numbered 一、 （一） 1.); is this a regulation?")
    return builder.build(document, extractor.extract(document), source)


def check_size(path: str | Path, limit: int) -> None:
    """Refuse a file over ``limit`` bytes before reading it (POLICYGRAPH_MAX_FILE_BYTES)."""
    p = Path(path)
    if p.is_file() and (size := p.stat().st_size) > limit:
        raise InputError(str(path), f"{size:,} bytes, over the limit of {limit:,} for one file "
                         "(POLICYGRAPH_MAX_FILE_BYTES)")


def _protected(graph: NamedNode) -> bool:
    """policygraph's own graphs: ontology, actors, inferences, state, and every document's (and its links)."""
    return graph in (ONTOLOGY_GRAPH, ACTORS_GRAPH, INFERRED_GRAPH, STATE_GRAPH) or (
        graph.value.startswith(ID) and not graph.value.startswith(ID + "graph/file/"))
