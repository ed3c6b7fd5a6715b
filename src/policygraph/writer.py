"""The parent's side of a parallel load: it only writes what the workers built, as it arrives.

A first load of many documents into the embedded store bulk-loads their N-Quads, with each document's own
inferences, into a new store while the workers build (``_Bulk``), swaps it in (nothing is written before the
swap), then links and reasons only on what crosses documents (``entail.materialize_rest``). Otherwise each
document is one transaction, as ``Loader.load_one`` writes it, and the inferences are recomputed whole. Either
way the parent holds a chunk of documents at a time, never the corpus.
"""

from __future__ import annotations

import os
import queue
import resource
import threading
import time
from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, RdfFormat

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
    infer_s: float = 0.0  # the documents' own inferences, summed over the workers
    write_s: float = 0.0
    link_s: float = 0.0
    reason_s: float = 0.0
    compact_s: float = 0.0  # a bulk load's compaction (the parent alone)
    parent_cpu_s: float = 0.0  # the parent's CPU time (its threads' too)
    worker_cpu_s: dict[int, float] = field(default_factory=dict)  # each worker process's CPU time
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
                "validate_s": round(self.validate_s, 2), "infer_s": round(self.infer_s, 2),
                "write_s": round(self.write_s, 2), "link_s": round(self.link_s, 2), "reason_s": round(self.reason_s, 2),
                "compact_s": round(self.compact_s, 2),
                "parent_cpu_s": round(self.parent_cpu_s, 1),
                "worker_cpu_s": sorted(round(v, 1) for p, v in self.worker_cpu_s.items() if p != os.getpid()),
                "parent_peak_mb": round(self.parent_peak_mb),
                "worker_peak_mb": sorted(round(v) for v in self.worker_peak_mb.values()),
                "store_bytes": self.store_bytes, "store_quads": self.store_quads, "bytes_per_quad": per_quad,
                "parent_peak_after_mb": self.peaks_mb}


class _Transactions:
    """One transaction per document (a store with documents, a remote store, or a few files)."""

    def __init__(self, loader: Loader, *, force: bool, graph: str | None) -> None:
        self.loader, self.force, self.graph = loader, force, graph
        self.seen: set[str] = set()
        loader.ensure_ontology()

    def add(self, built: Built) -> FileResult:
        result = built.result
        if result.status == "rdf":
            return self.loader.load_one(result.path, graph=self.graph)
        if result.status != "loaded" or built.iri is None:
            return result
        if built.iri in self.seen:  # the same document twice in this load: the first file's, as a bulk load
            result.status = "unchanged"
            return result
        self.seen.add(built.iri)
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


class _Bulk:
    """A first bulk load: each document (with its own inferences) appended to a chunk file beside the store
    (shards are used where they lie); each chunk of POLICYGRAPH_BULK_CHUNK_BYTES bulk-loaded into a new store
    beside this one by a thread while the workers build the next documents (pyoxigraph releases the GIL), at
    most one chunk waiting; the new store swapped in at ``finish``, nothing written before. A killed load
    leaves the store as it was (the next open removes the new store and the chunks)."""

    def __init__(self, loader: Loader) -> None:
        from .settings import Settings

        assert isinstance(loader.store, LocalStore)
        self.loader, self.store = loader, loader.store
        self.path = spool_path(Path(self.store.location))
        self.chunk = Settings.from_env().bulk_chunk_bytes  # each chunk is one bulk-load call: bounded memory
        self.chunks = 0
        self.seen: set[str] = set()
        self.inferred = True  # every document came with its own inferences: the parent reasons on the rest
        self.store.bulk_begin()
        self.queue: queue.Queue[tuple[Path, bool] | None] = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._load, name="bulk-load", daemon=True)
        self.thread.start()
        self.handle = self._next()

    def _next(self) -> Any:
        self.chunks += 1
        return open(self.path.with_name(f"{self.path.name}.{self.chunks}"), "wb")  # closed by _hand or finish

    def _hand(self, file: Path, spooled: bool) -> None:
        """A file to the loading thread (waits while one is already waiting)."""
        while self.thread.is_alive():
            try:
                self.queue.put((file, spooled), timeout=0.5)
                return
            except queue.Full:
                continue
        self._raise()
        raise RuntimeError("the bulk load's thread has ended")

    def _load(self) -> None:
        try:  # the ontology and lexicon go in with the documents, while the first ones are built
            ontology = [*self.loader.ontology_quads(), STALE]
            self.store.bulk_fill(lambda new: new.bulk_extend(ontology))
        except BaseException as exc:
            self.error = exc
        while (item := self.queue.get()) is not None:
            file, spooled = item
            try:
                if self.error is None:
                    self.store.bulk_fill(lambda new, f=str(file), ours=spooled: _bulk_load(new, f, ours))
            except BaseException as exc:  # re-raised in the writer's thread
                self.error = exc
            finally:
                if spooled:
                    file.unlink(missing_ok=True)

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def add(self, built: Built) -> FileResult:
        self._raise()
        result = built.result
        if result.status != "loaded" or built.iri is None:
            return result
        if built.iri in self.seen:  # the same document twice (one title, one version)
            result.status = "unchanged"
            return result
        self.seen.add(built.iri)
        self.inferred = self.inferred and built.inferred is not None
        if built.shard is not None:
            self._hand(built.shard, False)
        else:
            data = built.nquads + (built.inferred or b"")
            if self.handle.tell() + len(data) > self.chunk and self.handle.tell():
                self._flush()
                self.handle = self._next()
            self.handle.write(data)
        return result

    def _flush(self) -> None:
        self.handle.close()
        self._hand(Path(self.handle.name), True)

    def finish(self) -> None:
        """The last chunk loaded, then the new store swapped in (or removed, if anything failed or no document
        was loaded: then nothing is written)."""
        try:
            self._flush()
            self.queue.put(None)
            self.thread.join()
            self._raise()
        except BaseException:
            self.abandon()
            raise
        if self.seen:
            self.store.bulk_commit()
        else:
            self.store.bulk_abandon()

    def abandon(self) -> None:
        """Stop loading and remove the new store and the chunks (a load interrupted or failed)."""
        self.error = self.error or RuntimeError("abandoned")
        while self.thread.is_alive():
            try:
                self.queue.put(None, timeout=0.5)
            except queue.Full:
                continue
            self.thread.join()
        self.handle.close()
        for chunk in self.path.parent.glob(f"{self.path.name}.*"):
            chunk.unlink(missing_ok=True)
        self.store.bulk_abandon()


def _bulk_load(store: Any, path: str, ours: bool) -> None:
    """Bulk-load an N-Quads file; one this load spooled from its workers' serializer (``ours``) without checking
    its IRIs and literals again (half the parse; a shard from disk is checked)."""
    store.bulk_load(path=path, format=RdfFormat.N_QUADS, lenient=ours)


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
    sink: _Transactions | _Bulk = _Bulk(loader) if report.bulk else _Transactions(loader, force=force,
                                                                                   graph=graph)
    writing = 0.0
    try:
        for built in stream:
            began = time.perf_counter()
            report.files.append(sink.add(built))
            writing += time.perf_counter() - began
            _account(report, built)
            if progress:
                progress(built.result.path)
    except BaseException:
        if isinstance(sink, _Bulk):
            sink.abandon()
        raise
    report.mark("stream")
    began = time.perf_counter()
    sink.finish()
    report.write_s = writing + time.perf_counter() - began
    report.mark("write")
    _finish(store, report, reason, sink.seen if isinstance(sink, _Bulk) and sink.inferred else None)
    report.seconds = time.perf_counter() - started
    return report


def _account(report: ScaleReport, built: Built) -> None:
    report.build_s += built.build_s
    report.validate_s += built.validate_s
    report.infer_s += built.infer_s
    if built.pid:
        report.worker_peak_mb[built.pid] = max(report.worker_peak_mb.get(built.pid, 0.0), built.peak_rss_mb)
        report.worker_cpu_s[built.pid] = max(report.worker_cpu_s.get(built.pid, 0.0), built.cpu_s)


def _finish(store: Store, report: ScaleReport, reason: bool, documents: Set[str] | None) -> None:
    """Link, then reason: over the whole store, or, when ``documents`` came with their own inferences, on the
    rest (``entail.materialize_rest``)."""
    from .entail import materialize_rest
    from .link.write import link_documents
    from .reason import is_stale, materialize

    began = time.perf_counter()
    if any(f.status in ("loaded", "rdf") for f in report.files):
        report.linked = len(link_documents(store))
    report.link_s = time.perf_counter() - began
    report.mark("link")
    began = time.perf_counter()
    if reason and is_stale(store):
        if documents and isinstance(store, LocalStore):
            report.inferred = materialize_rest(store, documents)
        else:
            report.inferred = materialize(store)
    report.reason_s = time.perf_counter() - began
    report.mark("reason")
    if isinstance(store, LocalStore):
        if report.bulk:
            # A bulk load is compacted after its links and inferences: its chunks, bulk-loaded one by one, and
            # the transactions after them leave overlapping table files that every query reads through (every
            # 8th law of the corpus, 42 table files: an analytical query 126 ms in-process, 87 ms after 2.5 s of
            # compaction into 13; README, "The API and the web page").
            began = time.perf_counter()
            store.optimize()
            report.compact_s = time.perf_counter() - began
            report.mark("compact")
        report.store_bytes = sum(f.stat().st_size for f in Path(store.location).rglob("*") if f.is_file())
    report.store_quads = store.quad_count()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    report.parent_peak_mb, report.parent_cpu_s = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
