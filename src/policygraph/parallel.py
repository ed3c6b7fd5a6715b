"""Every core: documents read, built and SHACL-validated in worker processes, one document per task.

A worker hands back a document's graph as N-Quads bytes with its result line, its timings and its own peak
memory. ``built_in_order`` yields them in input order, at most ``window`` documents ahead of the consumer, so
the parent holds a few documents at a time, never the corpus; the quads and IRIs do not depend on the number
of workers. The same task runs on a local process pool or on a Dask distributed cluster (``dask_executor``).

>>> [b.result.status for b in built_in_order(["data/脱贫攻坚责任制实施办法.txt"], local_executor(1))]
['loaded']
"""

from __future__ import annotations

import os
import resource
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .entail_doc import document_inferences, superclasses
from .errors import PolicygraphError
from .extract import Extractor
from .graph import GraphBuilder
from .lexicon import default_lexicon
from .loader import FileResult, build_graph, validate
from .store import RDF_FORMATS


@dataclass
class Built:
    """One input as a worker built it: its result line, and the quads of a loaded document (N-Quads: its
    graph, then the actors it names), or nothing when it failed (or is an RDF file, which the writer reads)."""

    result: FileResult
    iri: str | None = None
    sha256: str | None = None
    nquads: bytes = b""
    build_s: float = 0.0
    validate_s: float = 0.0
    pid: int = 0
    peak_rss_mb: float = 0.0
    infer_s: float = 0.0
    cpu_s: float = 0.0  # the process's CPU time so far
    shard: Path | None = None  # read from a shard file (``policygraph load DIR``) instead of ``nquads``
    inferred: bytes | None = None  # the document's own inferences (``entail_doc``), when asked for and made

    def quads(self) -> list[ox.Quad]:
        if self.shard is not None:
            return list(ox.parse(path=str(self.shard), format=ox.RdfFormat.N_QUADS))
        return list(ox.parse(self.nquads, format=ox.RdfFormat.N_QUADS)) if self.nquads else []


class _Worker:
    """What a worker process keeps between tasks: the lexicon, the NLP pipeline and the graph builder."""

    def __init__(self) -> None:
        from .settings import Settings

        lexicon = default_lexicon()
        self.extractor = Extractor(lexicon=lexicon)
        self.builder = GraphBuilder(lexicon)
        self.max_file_bytes = Settings.from_env().max_file_bytes


_WORKER: _Worker | None = None


def _worker() -> _Worker:
    global _WORKER
    if _WORKER is None:
        _WORKER = _Worker()
    return _WORKER


def warm() -> None:
    """Make a worker's state and what it loads on first use (jieba's dictionary, the ontology's superclasses)
    now: the fork server does it once, and every worker forked from it starts with it (``worker_preload``)."""
    worker = _worker()
    worker.extractor.nlp("县级人民政府应当建立工作制度。")
    superclasses()


def _exit_with(writer: int) -> None:
    """A local worker's initializer: end it once the writer that feeds it is gone (a SIGKILL leaves the pool's
    queue open, so a worker would otherwise wait on it forever). Gone includes dead and not yet reaped: a
    zombie still answers ``kill(pid, 0)``, so its state is read from /proc, with its start time, so that a
    new process given the same pid does not count as the writer."""
    import threading

    born = _started(writer)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if not writer_alive(writer, born):
                os._exit(1)

    threading.Thread(target=watch, name="writer-watch", daemon=True).start()


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command's name (state first), or None when there is no such
    process or no /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2:].split()


def _started(pid: int) -> str | None:
    """A process's start time (in clock ticks since boot), or None when /proc does not give it."""
    fields = _stat(pid)
    return fields[19] if fields and len(fields) > 19 else None


def writer_alive(pid: int, born: str | None = None) -> bool:
    """Whether process ``pid`` runs: neither gone nor a zombie (dead, not yet reaped), and, when ``born`` is
    given, the same process that started then. Without /proc, whether it can be signalled."""
    if not Path("/proc/self/stat").exists():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass  # it exists, run by another user
        return True
    fields = _stat(pid)
    if fields is None or fields[0] in ("Z", "X", "x"):
        return False
    return born is None or _started(pid) == born


def is_rdf(path: str | Path) -> bool:
    return RDF_FORMATS.get(Path(path).suffix.lower().lstrip(".")) is not None


def build_one(path: str, validate_shapes: bool = True, infer: bool = False) -> Built:
    """Read, normalise, structure, extract, build and validate one document (in whichever process runs it),
    and with ``infer`` compute its own inferences. A document that violates the shapes comes back failed,
    without its quads: it is never written."""
    if is_rdf(path):
        return Built(FileResult(path, "rdf"))
    worker = _worker()
    started = time.perf_counter()
    try:
        graph = build_graph(path, worker.extractor, worker.builder, worker.max_file_bytes)
        built_s = time.perf_counter() - started
        if validate_shapes:
            validate(graph.quads, name=path)
    except PolicygraphError as exc:
        return _done(Built(FileResult(path, "failed", error=str(exc))))
    except (SyntaxError, ValueError, OSError) as exc:
        return _done(Built(FileResult(path, "failed", error=f"{path}: {exc}")))
    sha = next((q.object.value for q in graph.quads
                if q.predicate.value.endswith("#sha256") and isinstance(q.object, ox.Literal)), None)
    result = FileResult(path, "loaded", graph.iri.value, graph.title, graph.articles, graph.duties, graph.actors,
                        len(graph.quads), graph.warnings)
    nquads = ox.serialize([*graph.quads, *graph.actor_quads], format=ox.RdfFormat.N_QUADS) or b""
    built = Built(result, graph.iri.value, sha, nquads, built_s, time.perf_counter() - started - built_s)
    if infer:
        began = time.perf_counter()
        built.inferred = document_inferences(graph.quads)
        built.infer_s = time.perf_counter() - began
    return _done(built)


def _done(built: Built) -> Built:
    built.pid = os.getpid()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    built.peak_rss_mb, built.cpu_s = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
    return built


class _InProcess(Executor):
    """One job: the tasks run in this process, lazily, one at a time (no pool to start)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # re-raised by .result(), as a pool would
            future.set_exception(exc)
        return future


def local_executor(jobs: int) -> Executor:
    """``jobs`` worker processes (forked from a fresh server: no store, lock or thread of the parent is
    inherited; a script that starts them needs ``if __name__ == "__main__":``), or this process for one job."""
    if jobs <= 1:
        return _InProcess()
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    # imported once, in the server the workers fork from, which also makes their state (NLP pipeline, lexicon)
    context.set_forkserver_preload(["policygraph.parallel", "policygraph.worker_preload"])
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_exit_with,
                               initargs=(os.getpid(),))


@contextmanager
def dask_executor(scheduler: str) -> Iterator[Any]:
    """A client of a Dask distributed cluster (``tcp://host:8786``); its workers need policygraph installed and
    must read the input paths (a shared directory)."""
    from distributed import Client

    client = Client(scheduler)
    try:
        yield client
    finally:
        client.close()


def executor_for(jobs: int, scheduler: str | None = None) -> AbstractContextManager[Any]:
    """The executor ``build``/``load`` run on: a Dask cluster when a scheduler is named, else a local pool."""
    if scheduler:
        return dask_executor(scheduler)
    return _closing(local_executor(jobs))


@contextmanager
def _closing(executor: Executor) -> Iterator[Executor]:
    try:
        yield executor
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def built_in_order(paths: Iterable[str | Path], executor: Any, *, window: int = 4,
                   validate_shapes: bool = True, infer: bool = False) -> Iterator[Built]:
    """Each input built by ``executor`` (a local pool, this process or a Dask client: anything with
    ``submit(fn, *args)`` returning a future with ``.result()``), yielded in input order, with at most
    ``window`` tasks submitted ahead of the consumer; with ``infer``, each with its own inferences."""
    pending: deque[Any] = deque()
    for path in paths:
        pending.append(_submit(executor, str(path), validate_shapes, infer))
        if len(pending) >= max(window, 1):
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _submit(executor: Any, path: str, validate_shapes: bool, infer: bool) -> Any:
    if isinstance(executor, Executor):
        return executor.submit(build_one, path, validate_shapes, infer)
    return executor.submit(build_one, path, validate_shapes, infer, pure=False)  # a Dask client


def worker_count(jobs: int, files: int) -> int:
    """No more workers than documents."""
    return max(1, min(jobs, files))
