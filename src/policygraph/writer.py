"""The parent's side of a parallel load: it only writes what the workers built, as it arrives.

A first load of many documents into the embedded store streams their N-Quads into a spool file beside the
store (shards are used where they lie), bulk-loads it into a new store, compacts it and swaps it in (the
swap of ``LocalStore.bulk_add``: nothing is written before it). Otherwise each document is one transaction,
as ``Loader.load_one`` writes it. Either way the parent holds one document at a time.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode

from .loader import BULK_MIN_FILES, FileResult, Loader, LoadReport
from .parallel import Built
from .reason import STALE
from .store import LocalStore, Store, spool_path


@dataclass
class ScaleReport(LoadReport):
    """A load's report with where the time and memory went."""

    jobs: int = 1
    bulk: bool = False
    build_s: float = 0.0  # summed over the workers
    validate_s: float = 0.0  # summed over the workers
    write_s: float = 0.0
    link_s: float = 0.0
    reason_s: float = 0.0
    optimize_s: float = 0.0
    parent_peak_mb: float = 0.0
    worker_peak_mb: dict[int, float] = field(default_factory=dict)
    store_bytes: int = 0
    store_quads: int = 0
    peaks_mb: dict[str, float] = field(default_factory=dict)  # the parent's peak RSS after each phase

    def mark(self, phase: str) -> None:
        self.peaks_mb[phase] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

    def summary(self) -> dict[str, Any]:
        per_quad = round(self.store_bytes / self.store_quads, 1) if self.store_quads and self.store_bytes else None
        return {**super().summary(), "jobs": self.jobs, "bulk": self.bulk, "build_s": round(self.build_s, 2),
                "validate_s": round(self.validate_s, 2), "write_s": round(self.write_s, 2),
                "link_s": round(self.link_s, 2), "reason_s": round(self.reason_s, 2),
                "optimize_s": round(self.optimize_s, 2), "parent_peak_mb": round(self.parent_peak_mb),
                "worker_peak_mb": sorted(round(v) for v in self.worker_peak_mb.values()),
                "store_bytes": self.store_bytes, "store_quads": self.store_quads, "bytes_per_quad": per_quad,
                "parent_peak_after_mb": self.peaks_mb}


class _Transactions:
    """One transaction per document (a store with documents, a remote store, or a few files)."""

    def __init__(self, loader: Loader, *, force: bool, graph: str | None) -> None:
        self.loader, self.force, self.graph = loader, force, graph
        loader.ensure_ontology()

    def add(self, built: Built) -> FileResult:
        result = built.result
        if result.status == "rdf":
            return self.loader.load_one(result.path, graph=self.graph)
        if result.status != "loaded" or built.iri is None:
            return result
        iri = NamedNode(built.iri)
        if not self.force and built.sha256 and self.loader.store.ask(
                "ASK WHERE { GRAPH ?doc { ?doc prov:wasGeneratedBy/prov:used/pg:sha256 ?sha } }",
                doc=iri, sha=Literal(built.sha256)):
            result.status = "unchanged"
            return result
        quads = built.quads()
        self.loader.store.replace_graphs(iri, [q for q in quads if q.graph_name == iri],
                                         [*(q for q in quads if q.graph_name != iri), STALE])
        return result

    def finish(self) -> None:
        """Every document is already written."""


class _Spool:
    """A first bulk load: documents appended to a spool file (shards kept where they are), then bulk-loaded,
    compacted and swapped in at ``finish``."""

    def __init__(self, loader: Loader) -> None:
        from .settings import Settings

        assert isinstance(loader.store, LocalStore)
        self.loader, self.store = loader, loader.store
        self.path = spool_path(Path(self.store.location))
        self.chunk = Settings.from_env().bulk_chunk_bytes  # each chunk is one bulk-load call: bounded memory
        self.files: list[Path] = []
        self.handle = self._next()
        self.seen: set[str] = set()

    def _next(self) -> Any:
        self.files.append(self.path.with_name(f"{self.path.name}.{len(self.files)}"))
        return open(self.files[-1], "wb")  # closed by the next chunk or by finish

    def add(self, built: Built) -> FileResult:
        result = built.result
        if result.status != "loaded" or built.iri is None:
            return result
        if built.iri in self.seen:  # the same document twice (one title, one version)
            result.status = "unchanged"
            return result
        self.seen.add(built.iri)
        if built.shard is not None:
            self.files.append(built.shard)
        else:
            if self.handle.tell() + len(built.nquads) > self.chunk and self.handle.tell():
                self.handle.close()
                self.handle = self._next()
            self.handle.write(built.nquads)
        return result

    def finish(self) -> None:
        self.handle.close()
        try:
            if self.seen:  # the ontology and lexicon go in with the documents: one swap
                # compacted once, after the links and inferences (``_finish``)
                self.store.bulk_load_files(self.files, [*self.loader.ontology_quads(), STALE], compact=False)
        finally:
            for file in self.files:
                if file.name.startswith(self.path.name):  # the spool's chunks, not shards
                    file.unlink(missing_ok=True)


def bulk_pays(store: Store, documents: int, rdf_files: int) -> bool:
    """A first load of many regulations into an embedded store: bulk-load it and swap it in whole."""
    return (isinstance(store, LocalStore) and documents >= BULK_MIN_FILES and not rdf_files
            and not store.has_documents())


def write_all(store: Store, stream: Iterable[Built], *, documents: int, rdf_files: int = 0, jobs: int = 1,
              force: bool = False, graph: str | None = None, replace_graph: bool = False, reason: bool = True,
              progress: Callable[[str], None] | None = None) -> ScaleReport:
    """Write every built document as it arrives, then link, reason and (after a bulk load) compact."""
    started = time.perf_counter()
    report = ScaleReport(jobs=jobs, bulk=bulk_pays(store, documents, rdf_files))
    loader = Loader(store, replace_graph=replace_graph)
    sink: _Transactions | _Spool = _Spool(loader) if report.bulk else _Transactions(loader, force=force,
                                                                                     graph=graph)
    writing = 0.0
    for built in stream:
        began = time.perf_counter()
        report.files.append(sink.add(built))
        writing += time.perf_counter() - began
        report.build_s += built.build_s
        report.validate_s += built.validate_s
        if built.pid:
            report.worker_peak_mb[built.pid] = max(report.worker_peak_mb.get(built.pid, 0.0), built.peak_rss_mb)
        if progress:
            progress(built.result.path)
    report.mark("stream")
    began = time.perf_counter()
    sink.finish()
    report.write_s = writing + time.perf_counter() - began
    report.mark("write")
    _finish(store, report, reason)
    report.seconds = time.perf_counter() - started
    return report


def _finish(store: Store, report: ScaleReport, reason: bool) -> None:
    from .link.write import link_documents
    from .reason import is_stale, materialize

    began = time.perf_counter()
    if any(f.status in ("loaded", "rdf") for f in report.files):
        report.linked = len(link_documents(store))
    report.link_s = time.perf_counter() - began
    report.mark("link")
    began = time.perf_counter()
    if reason and is_stale(store):
        report.inferred = materialize(store)
    report.reason_s = time.perf_counter() - began
    report.mark("reason")
    if isinstance(store, LocalStore):
        began = time.perf_counter()
        if report.bulk:
            store.optimize()  # the bulk load is compacted; the links and inferences written after it too
        report.optimize_s = time.perf_counter() - began
        report.mark("compact")
        report.store_bytes = sum(f.stat().st_size for f in Path(store.location).rglob("*") if f.is_file())
    report.store_quads = store.quad_count()
    report.parent_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
