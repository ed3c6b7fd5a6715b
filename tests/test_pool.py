"""Query workers: answering from a store whose writer keeps writing and compacting underneath them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from policygraph.pool import Call, Job, Limits, QueryFailed, QueryPool, QueryTimeout
from policygraph.store import LocalStore, open_read_only, open_store

JSON = "application/sparql-results+json"


def batch(i: int) -> list[ox.Quad]:
    return [ox.Quad(ox.NamedNode(f"urn:s{i}-{j}"), ox.NamedNode("urn:p"), ox.Literal("值" * 40),
                    ox.NamedNode("urn:g")) for j in range(2000)]


def tables(path: Path) -> set[str]:
    return {name for name in os.listdir(path) if name.endswith(".sst")}


# A writer that adds a batch of quads and flushes, again and again, so RocksDB keeps compacting (and
# deleting) table files: what a store goes through while a load or an update runs.
WRITER = """
import sys, pyoxigraph as ox
store = ox.Store(sys.argv[1])
print("ready", flush=True)
i = 0
while True:
    store.extend([ox.Quad(ox.NamedNode(f"urn:s{i}-{j}"), ox.NamedNode("urn:p"), ox.Literal("x" * 40))
                  for j in range(2000)])
    store.flush()
    i += 1
"""


def test_opening_read_only_succeeds_while_another_process_compacts(tmp_path: Path) -> None:
    path = tmp_path / "store"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        seen: set[str] = set()
        deadline = time.monotonic() + 8
        opens = 0
        while time.monotonic() < deadline:
            seen |= tables(path)
            store = open_read_only(str(path))  # a bare ox.Store.read_only fails here now and then
            del store
            opens += 1
        assert opens > 20
        assert seen - tables(path), "the writer never compacted a table file away: the race was not exercised"
    finally:
        writer.kill()
        writer.wait()


@pytest.fixture
def writing(tmp_path: Path) -> Iterator[tuple[LocalStore, threading.Event]]:
    """A writable store that a thread keeps writing to, as a server does while it runs updates."""
    store = open_store(tmp_path / "store")
    assert isinstance(store, LocalStore)
    store.store.extend(batch(0))
    stop = threading.Event()

    def write() -> None:
        i = 1
        while not stop.is_set():
            store.store.extend(batch(i))
            store.store.flush()
            i += 1

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    try:
        yield store, stop
    finally:
        stop.set()
        thread.join()
        store.close()


def test_the_pool_answers_every_job_from_views_while_its_writer_writes(
        writing: tuple[LocalStore, threading.Event]) -> None:
    store, _ = writing
    path = Path(store.location)
    pool = QueryPool(store.location, size=2, timeout=20, checkpoint=store.checkpoint)
    views = path.with_name(f".{path.name}.views")
    seen: set[str] = set()
    counts: list[int] = []
    try:
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline:
            seen |= tables(path)
            # Each job is a new version, as after an update: it is answered from a fresh view.
            answer = pool.run(Job("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s <urn:p> ?o } }", JSON,
                                  version=len(counts) + 1))
            counts.append(int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"]))
            assert len(os.listdir(views)) <= 3  # views no worker holds are deleted
    finally:
        pool.close()
    assert len(counts) > 10
    assert counts == sorted(counts) and counts[-1] > counts[0]  # every view is newer than the one before
    assert seen - tables(path), "the writer never compacted a table file away: the race was not exercised"
    assert not views.exists()


@pytest.fixture
def quiet_store(tmp_path: Path) -> Iterator[LocalStore]:
    store = open_store(tmp_path / "store")
    assert isinstance(store, LocalStore)
    store.store.extend(batch(0))
    yield store
    store.close()


@pytest.mark.parametrize(
    ("query", "error", "message"),
    [
        ("SELEC * {}", QueryFailed, "expected"),
        ("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", QueryTimeout, "stopped"),
    ],
)
def test_a_bad_or_endless_query_fails_and_the_pool_still_answers(
        quiet_store: LocalStore, query: str, error: type[Exception], message: str) -> None:
    pool = QueryPool(quiet_store.location, size=1, timeout=2, checkpoint=quiet_store.checkpoint)
    try:
        with pytest.raises(error, match=message):
            pool.run(Job(query, JSON))
        answer = pool.run(Job("ASK { GRAPH ?g { ?s ?p ?o } }", JSON))
        assert json.loads(answer.body)["boolean"] is True
    finally:
        pool.close()


def test_lookups_are_stopped_at_the_timeout_like_queries(quiet_store: LocalStore) -> None:
    """A lookup is a job like a query: past the timeout its worker is stopped and replaced. (A document with
    2,000 articles and 2,000 duties: the documents lookup counts 4 million combinations.)"""
    pg, doc = "https://w3id.org/policygraph/ontology#", ox.NamedNode("urn:big")
    a = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    quads = [ox.Quad(doc, a, ox.NamedNode(pg + "Regulation"), doc),
             ox.Quad(doc, ox.NamedNode("http://data.europa.eu/eli/ontology#title"), ox.Literal("大"), doc)]
    for i in range(2000):
        for kind in ("Article", "Duty"):
            node = ox.NamedNode(f"urn:big:{kind}{i}")
            quads += [ox.Quad(node, a, ox.NamedNode(pg + kind), doc),
                      ox.Quad(node, ox.NamedNode(pg + "inDocument"), doc, doc)]
    quiet_store.store.extend(quads)
    pool = QueryPool(quiet_store.location, size=1, timeout=30, checkpoint=quiet_store.checkpoint)
    try:
        pool.run(Job("ASK {}", JSON))  # the worker is up and warm
        pool.timeout = 0.3
        started = time.monotonic()
        with pytest.raises(QueryTimeout):
            pool.run(Call("policygraph.routes:payload_documents"))
        assert time.monotonic() - started < 1
        pool.timeout = 30
        actors = json.loads(pool.run(Call("policygraph.routes:payload_actors", (None, None, None))))
        assert actors == {"actors": []}  # a fresh worker answers the next lookup
    finally:
        pool.close()


def test_a_worker_over_its_memory_limit_answers_503_and_is_replaced(quiet_store: LocalStore) -> None:
    pool = QueryPool(quiet_store.location, size=1, timeout=20, checkpoint=quiet_store.checkpoint,
                     limits=Limits(memory_mb=256))
    binds = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(30))
    try:
        with pytest.raises(QueryFailed) as failed:
            pool.run(Job(f'SELECT ?v30 WHERE {{ BIND("0123456789abcdef" AS ?v0) {binds} }}', JSON))
        assert failed.value.status == 503
        answer = pool.run(Job("ASK { GRAPH ?g { ?s ?p ?o } }", JSON))
        assert json.loads(answer.body)["boolean"] is True
    finally:
        pool.close()
