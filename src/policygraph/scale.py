"""Loading and building at scale: the entry points ``policygraph load`` and ``policygraph build`` use.

>>> import tempfile
>>> from policygraph.loader import Loader
>>> from policygraph.store import open_store
>>> measure = ["data/脱贫攻坚责任制实施办法.txt"]
>>> ours = load_files(open_store(tempfile.mkdtemp()), measure, jobs=2).summary()
>>> theirs = Loader(open_store(tempfile.mkdtemp())).load(measure).summary()
>>> [ours[k] == theirs[k] for k in ("documents", "articles", "duties", "actors", "inferred_quads")]
[True, True, True, True, True]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .parallel import built_in_order, executor_for, is_rdf, worker_count
from .settings import Settings
from .shards import read_manifest, read_shards, write_shards
from .store import Store
from .writer import ScaleReport, bulk_pays, write_all

Progress = Callable[[str], None] | None


def _window(workers: int) -> int:
    return workers * Settings.from_env().load_ahead


def load_files(store: Store, files: Sequence[str | Path], *, jobs: int | None = None, force: bool = False,
               graph: str | None = None, replace_graph: bool = False, reason: bool = True,
               progress: Progress = None) -> ScaleReport:
    """Build and validate every file in ``jobs`` worker processes (default: one per core); write them here."""
    workers = worker_count(Settings.from_env(jobs=jobs).workers_for_jobs, len(files))
    rdf = sum(map(is_rdf, files))
    infer = reason and bulk_pays(store, len(files) - rdf, rdf)  # each document's own inferences, in its worker
    with executor_for(workers) as executor:
        stream = built_in_order(files, executor, window=_window(workers), infer=infer)
        return write_all(store, stream, documents=len(files) - rdf, rdf_files=rdf, jobs=workers, force=force,
                         graph=graph, replace_graph=replace_graph, reason=reason, progress=progress)


def load_shards(store: Store, directory: Path, *, force: bool = False, reason: bool = True,
                progress: Progress = None) -> ScaleReport:
    """Load a build's shards: bulk-loaded straight from their files into a new embedded store, else one
    transaction per document (a store with documents, or a SPARQL server)."""
    manifest = read_manifest(directory)
    documents = sum(d["status"] == "loaded" for d in manifest["documents"])
    return write_all(store, read_shards(directory, manifest), documents=documents, jobs=0, force=force,
                     reason=reason, progress=progress)


def build(files: Sequence[str | Path], out: Path, *, jobs: int | None = None, scheduler: str | None = None,
          progress: Progress = None) -> dict[str, Any]:
    """Write a shard per document and the manifest, on a local pool or a Dask cluster."""
    workers = worker_count(Settings.from_env(jobs=jobs).workers_for_jobs, len(files))
    with executor_for(workers, scheduler) as executor:
        window = _window(workers if not scheduler else max(_dask_threads(executor), 1))
        stream = built_in_order(files, executor, window=window)
        return write_shards(_reporting(stream, progress), out)


def _dask_threads(client: Any) -> int:
    return sum(w.get("nthreads", 1) for w in client.scheduler_info().get("workers", {}).values())


def _reporting(stream: Any, progress: Progress) -> Any:
    for built in stream:
        if progress:
            progress(built.result.path)
        yield built
