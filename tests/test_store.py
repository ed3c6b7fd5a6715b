"""The store: loading, reloading, faults that must leave it untouched, and the remote SPARQL backend."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from policygraph.errors import StoreError
from policygraph.extract import Duty, Extractor
from policygraph.loader import Loader
from policygraph.pipeline import parse_file
from policygraph.queries import get_query
from policygraph.reason import is_stale
from policygraph.store import LocalStore, RemoteStore, bind_values, open_store
from policygraph.structure import Document

from .servers import oxigraph_server


def snapshot(store: LocalStore) -> list[str]:
    """Every quad, as sorted N-Quads lines."""
    return sorted((store.dump(ox.RdfFormat.N_QUADS) or b"").decode().splitlines())


@pytest.fixture
def store(tmp_path: Path, seed_path: Path) -> LocalStore:
    s = open_store(tmp_path / "store")
    assert isinstance(s, LocalStore)
    assert not Loader(s).load([seed_path]).failed
    return s


def test_load_then_query_every_duty(store: LocalStore, seed_path: Path) -> None:
    columns, rows = get_query("responsibilities").run(store)
    assert columns[:6] == ["document", "article", "bearer", "modality", "action", "kind"]
    duties = Extractor().extract(parse_file(seed_path))
    assert len(rows) == len(duties)
    zh = {"obligation": "应当", "permission": "可以", "prohibition": "不得", "right": "有权"}
    assert {r["modality"].value for r in rows} == {zh[d.modality] for d in duties}  # type: ignore[union-attr]


def test_reloading_an_unchanged_file_is_skipped(store: LocalStore, seed_path: Path) -> None:
    before = snapshot(store)
    report = Loader(store).load([seed_path])
    assert [f.status for f in report.files] == ["unchanged"]
    assert snapshot(store) == before


def test_a_changed_file_replaces_its_graph(store: LocalStore, seed_path: Path, tmp_path: Path) -> None:
    changed = tmp_path / seed_path.name
    old = "縣級(jí)政府應(yīng)當(dāng)建立扶貧項(xiàng)目庫(kù),"
    text = seed_path.read_text(encoding="utf-8").replace(old, "縣級(jí)政府應(yīng)當(dāng)")
    changed.write_text(text, encoding="utf-8")
    report = Loader(store).load([changed])
    assert [f.status for f in report.files] == ["loaded"]
    _, rows = get_query("responsibilities").run(store)
    before = len(Extractor().extract(parse_file(seed_path)))
    assert len(rows) == len(Extractor().extract(parse_file(changed))) == before - 1
    assert not any(r["action"].value == "建立扶贫项目库" for r in rows)  # type: ignore[union-attr]
    loads = store.select("SELECT (COUNT(DISTINCT ?l) AS ?n) WHERE { ?doc prov:wasGeneratedBy ?l }")
    assert loads[0]["n"].value == "1"  # type: ignore[union-attr]


class _BrokenExtractor(Extractor):
    """Fault injection: an extractor whose duties have no action, so the shapes must reject them."""

    def extract(self, document: Document) -> list[Duty]:
        duties = super().extract(document)
        for d in duties:
            d.action = ""
        return duties


def test_shape_violation_leaves_the_store_as_it_was(store: LocalStore, jiangbei_path: Path) -> None:
    before = snapshot(store)
    report = Loader(store, extractor=_BrokenExtractor()).load([jiangbei_path])
    (failed,) = report.failed
    assert failed.error and "violates the shapes" in failed.error and str(jiangbei_path) in failed.error
    assert snapshot(store) == before


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("这是一篇新闻报道，没有任何条文。\n记者：某某\n", "no provisions found"),
        ("Just some English text.", "no Chinese text found"),
        ("", "empty input"),
    ],
)
def test_a_file_that_is_not_a_regulation_leaves_the_store_as_it_was(
    store: LocalStore, tmp_path: Path, content: str, problem: str
) -> None:
    before = snapshot(store)
    bad = tmp_path / "news.txt"
    bad.write_text(content, encoding="utf-8")
    report = Loader(store).load([bad])
    assert report.failed[0].error == f"{bad}: " + report.failed[0].error.split(": ", 1)[1]
    assert problem in (report.failed[0].error or "")
    assert snapshot(store) == before


def test_loading_many_continues_past_a_bad_file_and_exits_non_zero(tmp_path: Path, seed_path: Path,
                                                                     jiangbei_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(50))
    proc = subprocess.run([sys.executable, "-m", "policygraph", "load", str(seed_path), str(bad), str(jiangbei_path),
                           "--store", str(tmp_path / "s")], capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert f"{bad}: binary file (PNG image), not a regulation" in proc.stderr
    assert "2 documents (2 loaded, 0 unchanged)" in proc.stderr.replace("\n", " ")


def _big_regulation(path: Path, articles: int = 3000) -> Path:
    lines = ["某省大型测试条例", "第一章　总　则"]
    lines += [f"第{n}条　县级政府应当建立第{n}项制度，市级党委和政府负责监督第{n}项工作，不得挤占挪用资金。"
              for n in range(1, articles + 1)]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _graph(lines: list[str], name: str) -> list[str]:
    """The quads of one graph, less the load's timestamp (which differs from run to run)."""
    return [line for line in lines if line.rstrip(" .").endswith(f"<{name}>") and "#startedAtTime>" not in line]


def test_sigkill_during_a_load_leaves_the_store_whole(store: LocalStore, tmp_path: Path) -> None:
    """Kill a real loader process at several moments. Each time the store holds either exactly the old quads,
    or the whole new document graph; inferences are either complete or marked stale, never silently partial."""
    big = _big_regulation(tmp_path / "big.txt", articles=1500)
    location = store.location
    store.close()
    shutil.copytree(location, tmp_path / "reference")
    reference = open_store(tmp_path / "reference")
    assert isinstance(reference, LocalStore)
    assert not Loader(reference).load([big]).failed
    doc = "https://w3id.org/policygraph/id/doc/某省大型测试条例"
    inferred = "https://w3id.org/policygraph/id/graph/inferred"
    full = snapshot(reference)
    reference.close()
    before = snapshot(LocalStore(location))
    outcomes = []
    for delay in (1.5, 3.0, 4.5, 6.0, 8.0):
        copy = tmp_path / f"copy-{delay}"
        shutil.copytree(location, copy)
        proc = subprocess.Popen([sys.executable, "-m", "policygraph", "load", str(big), "--store", str(copy)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        killed = proc.poll() is None
        if killed:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        reopened = LocalStore(str(copy))
        after = snapshot(reopened)
        if after == before:
            outcomes.append("untouched")
            continue
        assert _graph(after, doc) == _graph(full, doc), f"killed after {delay} s: the document is partial"
        if _graph(after, inferred) == _graph(full, inferred):
            outcomes.append("complete")
        else:
            assert is_stale(reopened), f"killed after {delay} s: partial inferences not marked stale"
            outcomes.append("stale")
            assert not Loader(reopened).load([]).failed  # the next load recomputes
            assert _graph(snapshot(reopened), inferred) == _graph(full, inferred)
            assert not is_stale(reopened)
        reopened.close()
    assert "untouched" in outcomes, outcomes  # at least one kill landed mid-document


def test_a_store_held_by_another_process_gives_a_clear_error(store: LocalStore) -> None:
    # The holder compacts before it says ok, so the read-only reader below does not race its compactions.
    code = (f"import pyoxigraph, time; s = pyoxigraph.Store({store.location!r}); s.optimize(); "
            "print('ok', flush=True); time.sleep(30)")
    store.close()
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    try:
        assert holder.stdout and holder.stdout.readline().strip() == b"ok"
        with pytest.raises(StoreError, match="in use by another process"):
            open_store(store.location)
        assert open_store(store.location, read_only=True).quad_count() > 0
    finally:
        holder.kill()
        holder.wait()


def test_bind_values_escapes_hostile_values() -> None:
    q = bind_values("SELECT ?x WHERE { ?x ?p ?v }", {"v": ox.Literal('"} ; DROP ALL ; #\n')})
    assert q == 'SELECT ?x WHERE { VALUES ?v { "\\"} ; DROP ALL ; #\\n" } ?x ?p ?v }'


def _rows(rows: list[dict[str, object]], columns: list[str]) -> list[tuple[str, ...]]:
    return sorted(tuple(str(r[c]) for c in columns) for r in rows)


def test_remote_oxigraph_backend_gives_the_same_rows(tmp_path: Path, seed_path: Path, store: LocalStore) -> None:
    with oxigraph_server(tmp_path / "remote") as base:
        remote = open_store(base + "/query")
        assert isinstance(remote, RemoteStore)
        report = Loader(remote).load([seed_path])
        assert not report.failed
        for name, params in [("responsibilities", {}), ("duties-of-actor", {"actor": "县级政府"})]:
            query = get_query(name)
            local_cols, local_rows = query.run(store, params)
            remote_cols, remote_rows = query.run(remote, params)
            assert remote_cols == local_cols
            assert _rows(remote_rows, local_cols) == _rows(local_rows, local_cols)
            assert len(remote_rows) > 20
        # a reload through the remote store replaces, and an unchanged file is detected
        assert [f.status for f in Loader(remote).load([seed_path]).files] == ["unchanged"]
        exported = remote.dump(ox.RdfFormat.N_QUADS)
        assert b"art_19/duty_1" in exported
        remote.close()


def _regulations(directory: Path, count: int) -> list[Path]:
    """Small generated regulations, distinct titles."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = directory / f"rule-{n}.txt"
        path.write_text(f"测试第{n}号规定\n第一条　县级政府应当建立第{n}项制度。\n"
                        f"第二条　市级党委和政府负责监督第{n}项工作，不得挤占挪用资金。\n", encoding="utf-8")
        paths.append(path)
    return paths


def _without_times(lines: list[str]) -> list[str]:
    """Quads less load timestamps, blank node labels anonymised (each parse of the ontology mints new ones)."""
    return sorted(re.sub(r"_:[0-9a-z]+", "_:b", line) for line in lines if "#startedAtTime>" not in line)


def test_a_first_load_of_many_files_is_bulk_loaded_and_equals_transactional_loading(
    tmp_path: Path, seed_path: Path
) -> None:
    files = [seed_path, *_regulations(tmp_path / "rules", 24)]
    bulk = open_store(tmp_path / "bulk")
    assert isinstance(bulk, LocalStore)
    loader = Loader(bulk)
    assert loader._bulk_pays(files)
    report = loader.load(files)
    assert report.summary()["loaded"] == 25 and not report.failed
    one_by_one = open_store(tmp_path / "one-by-one")
    assert isinstance(one_by_one, LocalStore)
    for f in files:  # a single file never takes the bulk path
        assert not Loader(one_by_one)._bulk_pays([f])
        Loader(one_by_one).load([f])
    assert _without_times(snapshot(bulk)) == _without_times(snapshot(one_by_one))
    assert not Loader(bulk)._bulk_pays(files)  # the store now has documents: transactions from here on


def test_sigkill_during_a_bulk_load_leaves_the_store_as_it_was(tmp_path: Path, seed_path: Path) -> None:
    files = [str(seed_path), *map(str, _regulations(tmp_path / "rules", 40))]
    reference = open_store(tmp_path / "reference")
    assert isinstance(reference, LocalStore)
    Loader(reference).load(files)
    full = _without_times(snapshot(reference))
    reference.close()
    outcomes = []
    for delay in (0.8, 1.6, 2.4, 3.2, 4.5, 6.0):
        target = tmp_path / f"store-{delay}"
        proc = subprocess.Popen([sys.executable, "-m", "policygraph", "load", *files, "--store", str(target)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        after = _without_times(snapshot(LocalStore(str(target))))
        documents = [line for line in after if "/id/doc/" in line.rsplit(" ", 2)[-2]]
        if not after:
            outcomes.append("untouched")
        elif after == full:
            outcomes.append("complete")
        else:  # the documents came in whole; only the inferences may lag, and they are marked stale
            assert documents == [line for line in full if "/id/doc/" in line.rsplit(" ", 2)[-2]], delay
            assert is_stale(LocalStore(str(target)))
            outcomes.append("stale")
    assert "untouched" in outcomes, outcomes


def test_a_swap_killed_between_its_renames_is_undone_on_open(tmp_path: Path, seed_path: Path) -> None:
    path = tmp_path / "store"
    store = open_store(path)
    assert isinstance(store, LocalStore)
    Loader(store).load([seed_path])
    before = snapshot(store)
    store.close()
    os.rename(path, tmp_path / ".store.previous")  # the state a kill between the two renames leaves
    assert not path.exists()
    reopened = open_store(path)
    assert isinstance(reopened, LocalStore)
    assert snapshot(reopened) == before
