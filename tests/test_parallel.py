"""`policygraph load --jobs N`: documents built and validated in worker processes, the parent only writes.

Real stores on disk and real worker processes; the same quads and report order whatever N is.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from policygraph import parallel
from policygraph.entail import materialize_local
from policygraph.extract import Duty, Extractor
from policygraph.ontology import INFERRED_GRAPH
from policygraph.parallel import built_in_order, local_executor
from policygraph.reason import is_stale
from policygraph.scale import load_files
from policygraph.store import LocalStore, open_store
from policygraph.structure import Document
from policygraph.writer import write_all


def regulations(directory: Path, count: int) -> list[Path]:
    """Small generated regulations with distinct titles."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = directory / f"rule-{n}.txt"
        path.write_text(f"并行测试第{n}号规定\n第一条　县级政府应当建立第{n}项制度。\n"
                        f"第二条　市级党委和政府负责监督第{n}项工作，不得挤占挪用资金。\n", encoding="utf-8")
        paths.append(path)
    return paths


def quads_of(location: Path) -> list[str]:
    """Every quad as N-Quads lines, less load times, blank node labels anonymised (the ontology's)."""
    store = ox.Store.read_only(str(location))
    lines = (store.dump(format=ox.RdfFormat.N_QUADS) or b"").decode().splitlines()
    return sorted(re.sub(r"_:[0-9a-z]+", "_:b", line) for line in lines if "#startedAtTime>" not in line)


def load(files: list[Path], store: Path, jobs: int, **env: str) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([sys.executable, "-m", "policygraph", "load", *map(str, files), "--store", str(store),
                           "--jobs", str(jobs)], capture_output=True, text=True, check=False, timeout=300,
                          env={**os.environ, **env})


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> list[Path]:
    directory = tmp_path_factory.mktemp("inputs")
    bad = directory / "bad.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(50))
    return [seed_path, *regulations(directory, 22), bad]


def test_jobs_1_and_2_write_the_same_quads_and_report_in_input_order(inputs: list[Path], tmp_path: Path) -> None:
    one = load(inputs, tmp_path / "one", 1)
    two = load(inputs, tmp_path / "two", 2, POLICYGRAPH_BULK_CHUNK_BYTES="50000")  # several bulk-load calls
    assert one.returncode == two.returncode == 1  # the PNG fails; the others load
    for proc in (one, two):
        assert f"{inputs[-1]}: binary file (PNG image), not a regulation" in proc.stderr
        assert "23 documents (23 loaded, 0 unchanged)" in proc.stderr.replace("\n", " ")
        assert re.search(r"store: [\d,]+ quads, [\d,]+ bytes on disk, [\d.]+ bytes per quad", proc.stderr)
    assert quads_of(tmp_path / "one") == quads_of(tmp_path / "two")
    assert len(quads_of(tmp_path / "two")) > 1000


def test_the_inferences_made_per_document_and_the_rest_equal_the_whole_recomputation(
        tmp_path: Path, seed_path: Path, jiangbei_path: Path) -> None:
    """The bulk path: each worker infers from its document's graph, the parent the rest after the swap
    (``entail.materialize_rest``); recomputing the whole inferences graph (``materialize_local``) changes nothing."""
    corpus = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "lawrefbook"
    files = [seed_path, jiangbei_path, *regulations(tmp_path / "rules", 20),
             *sorted(p for p in corpus.rglob("*.md") if p.name != "_index.md")[::150]]
    store = open_store(tmp_path / "store")
    assert isinstance(store, LocalStore)
    report = load_files(store, files, jobs=2)
    assert report.bulk and report.summary()["loaded"] >= 22
    by_parts = sorted(map(str, store.store.quads_for_pattern(None, None, None, INFERRED_GRAPH)))
    assert len(by_parts) == report.inferred > 1000
    assert not is_stale(store)
    assert materialize_local(store) == report.inferred
    assert sorted(map(str, store.store.quads_for_pattern(None, None, None, INFERRED_GRAPH))) == by_parts
    joint = [q for q in by_parts if '"joint"' in q or '"kind"' in q]  # reached beyond the bearers, in the rest
    assert joint
    store.close()


def test_into_a_store_with_documents_each_document_is_a_transaction(inputs: list[Path], tmp_path: Path) -> None:
    stores = {jobs: tmp_path / f"jobs-{jobs}" for jobs in (1, 2)}
    for jobs, location in stores.items():
        assert load(inputs[:1], location, jobs).returncode == 0
        proc = load(inputs[1:-1], location, jobs)  # the store has a document: no bulk swap
        assert proc.returncode == 0, proc.stderr
        assert "22 documents (22 loaded, 0 unchanged)" in proc.stderr.replace("\n", " ")
        again = load(inputs[1:4], location, jobs)
        assert "3 documents (0 loaded, 3 unchanged)" in again.stderr.replace("\n", " ")
    assert quads_of(stores[1]) == quads_of(stores[2])


class _BrokenExtractor(Extractor):
    """Fault injection: duties without an action, which the shapes must reject."""

    def extract(self, document: Document) -> list[Duty]:
        duties = super().extract(document)
        for d in duties:
            d.action = ""
        return duties


@pytest.fixture
def broken_worker() -> Iterator[None]:
    worker = parallel._worker()
    extractor = worker.extractor
    worker.extractor = _BrokenExtractor(lexicon=extractor.lexicon)
    yield
    worker.extractor = extractor


def test_a_document_that_violates_the_shapes_is_never_written(broken_worker: None, tmp_path: Path,
                                                             seed_path: Path) -> None:
    store = open_store(tmp_path / "store")
    assert isinstance(store, LocalStore)
    files = [seed_path, *regulations(tmp_path / "rules", 21)]
    report = write_all(store, built_in_order(files, local_executor(1)), documents=len(files))
    assert report.bulk and len(report.failed) == len(files)
    assert all("violates the shapes" in (f.error or "") for f in report.failed)
    assert not store.has_documents()
    store.close()


class _Counting(Executor):
    """Runs tasks in this process, counting how many were submitted but not yet taken."""

    def __init__(self) -> None:
        self.submitted = 0
        self.most_ahead = 0
        self.taken = 0

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.submitted += 1
        self.most_ahead = max(self.most_ahead, self.submitted - self.taken)
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def test_the_stream_keeps_at_most_a_window_of_documents_ahead(tmp_path: Path) -> None:
    files = regulations(tmp_path, 9)
    executor = _Counting()
    titles = []
    for built in built_in_order(files, executor, window=3):
        executor.taken += 1
        titles.append(built.result.title)
    assert titles == [f"并行测试第{n}号规定" for n in range(9)]
    assert executor.most_ahead == 3


def _marked(mark: str) -> set[int]:
    """Processes whose environment carries ``mark`` (a load and everything it started)."""
    found = set()
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if mark.encode() in (proc / "environ").read_bytes():
                    found.add(int(proc.name))
            except OSError:
                continue
    return found


def test_a_sigkilled_load_leaves_no_worker_behind(inputs: list[Path], tmp_path: Path) -> None:
    import os
    import signal
    import time
    import uuid

    mark = f"PG_TEST_MARK={uuid.uuid4().hex}"
    env = {**os.environ, mark.split("=")[0]: mark.split("=")[1]}
    proc = subprocess.Popen([sys.executable, "-m", "policygraph", "load", *map(str, inputs), "--store",
                             str(tmp_path / "s"), "--jobs", "2"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(_marked(mark) - {proc.pid}) < 2 and time.monotonic() < deadline:  # the workers have started
        time.sleep(0.2)
    assert len(_marked(mark) - {proc.pid}) >= 2
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 15
    while _marked(mark) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _marked(mark)


def test_workers_end_while_their_killed_load_is_still_unreaped(inputs: list[Path], tmp_path: Path) -> None:
    """A load SIGKILLed and not yet waited for is a zombie: ``kill(pid, 0)`` still succeeds on it, but its
    workers must see it as gone (a zombie's /proc environ is empty, so ``_marked`` no longer finds it)."""
    import os
    import signal
    import time
    import uuid

    mark = f"PG_TEST_MARK={uuid.uuid4().hex}"
    env = {**os.environ, mark.split("=")[0]: mark.split("=")[1]}
    proc = subprocess.Popen([sys.executable, "-m", "policygraph", "load", *map(str, inputs), "--store",
                             str(tmp_path / "s"), "--jobs", "2"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while len(_marked(mark) - {proc.pid}) < 2 and time.monotonic() < deadline:  # the workers have started
            time.sleep(0.2)
        workers = _marked(mark) - {proc.pid}
        assert len(workers) >= 2
        os.kill(proc.pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while _marked(mark) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _state(proc.pid) == "Z"  # not reaped all along: the workers saw a zombie as gone
        assert not _marked(mark)
    finally:
        proc.kill()
        proc.wait()


def test_a_zombie_or_a_reused_pid_is_not_the_writer() -> None:
    import os
    import signal
    import time

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        born = parallel._started(child.pid)
        assert parallel.writer_alive(child.pid, born)
        assert not parallel.writer_alive(child.pid, "0")  # another process that had the same pid
        os.kill(child.pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while _state(child.pid) != "Z" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _state(child.pid) == "Z"
        os.kill(child.pid, 0)  # what the check used to rely on: a zombie can still be signalled
        assert not parallel.writer_alive(child.pid, born)
    finally:
        child.kill()
        child.wait()
    assert not parallel.writer_alive(child.pid, born)


def _state(pid: int) -> str:
    """A process's state letter from /proc/PID/stat (``Z`` for a zombie), or "" when there is none."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat[stat.rindex(")") + 2]
