"""`policygraph build FILES --out DIR` (shards and a manifest) and `policygraph load DIR`, on a local pool and on a
real Dask distributed LocalCluster with worker processes."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from policygraph.loader import Loader, LoadReport
from policygraph.queries import get_query
from policygraph.scale import build, load_files, load_shards
from policygraph.store import RemoteStore, open_store, plain

from .servers import oxigraph_server
from .test_parallel import quads_of, regulations


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "policygraph", *args], capture_output=True, text=True, check=False,
                          timeout=300)


def shard_lines(directory: Path) -> dict[str, list[str]]:
    """Each document's shard as sorted N-Quads lines, less the load time."""
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    return {d["iri"]: sorted(line for line in (directory / d["shard"]).read_text(encoding="utf-8").splitlines()
                             if "#startedAtTime>" not in line)
            for d in manifest["documents"] if d.get("shard")}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> list[Path]:
    directory = tmp_path_factory.mktemp("build-inputs")
    bad = directory / "news.txt"
    bad.write_text("这是一篇新闻报道，没有任何条文。\n", encoding="utf-8")
    return [seed_path, *regulations(directory, 20), bad, seed_path]  # the measure twice: one shard


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, files: list[Path]) -> Path:
    out = tmp_path_factory.mktemp("shards")
    proc = cli("build", *map(str, files), "--out", str(out), "--jobs", "2")
    assert proc.returncode == 1, proc.stderr  # the news page fails
    assert "21 shards" in proc.stderr and "1 duplicates, 1 failed" in proc.stderr
    return out


def test_the_manifest_names_each_document_its_hashes_counts_and_warnings(built: Path, files: list[Path]) -> None:
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    entries = manifest["documents"]
    assert [e["document"] for e in entries] == list(map(str, files))
    measure = entries[0]
    assert measure["sha256"] == hashlib.sha256(files[0].read_bytes()).hexdigest()
    shard = (built / measure["shard"]).read_bytes()
    assert measure["shard_sha256"] == hashlib.sha256(shard).hexdigest()
    assert measure["shard_quads"] == len(shard.splitlines()) > measure["quads"] > 1000
    assert measure["duties"] > 100 and measure["articles"] == 29 and measure["warnings"]
    assert entries[-2]["status"] == "failed" and "no provisions found" in entries[-2]["error"]
    assert entries[-1]["status"] == "unchanged" and "shard" not in entries[-1]


def test_loading_the_shards_equals_loading_the_files(built: Path, files: list[Path], tmp_path: Path) -> None:
    proc = cli("load", str(built), "--store", str(tmp_path / "from-shards"))
    assert "22 documents (21 loaded, 1 unchanged)" in proc.stderr.replace("\n", " ")
    assert "bytes per quad" in proc.stderr
    cli("load", *map(str, files), "--store", str(tmp_path / "from-files"), "--jobs", "1")
    assert quads_of(tmp_path / "from-shards") == quads_of(tmp_path / "from-files")


def test_shards_load_into_a_remote_server_with_the_same_rows(built: Path, tmp_path: Path) -> None:
    local = open_store(tmp_path / "local")
    load_shards(local, built)
    with oxigraph_server(tmp_path / "remote") as base:
        remote = open_store(base + "/query")
        assert isinstance(remote, RemoteStore)
        report = load_shards(remote, built)
        assert report.summary()["loaded"] == 21 and not report.bulk
        query = get_query("responsibilities")
        rows = [sorted(map(str, plain(query.run(store, {})[1]))) for store in (local, remote)]
        assert rows[0] == rows[1] and len(rows[0]) > 100
        remote.close()
    local.close()


def test_a_tampered_shard_is_refused(built: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    copy.mkdir()
    for f in built.iterdir():
        copy.joinpath(f.name).write_bytes(f.read_bytes())
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    victim = copy / manifest["documents"][1]["shard"]
    victim.write_bytes(victim.read_bytes().replace(b"\xe5\xba\x94\xe5\xbd\x93", b"\xe5\x8f\xaf\xe4\xbb\xa5"))
    store = open_store(tmp_path / "store")
    report = load_shards(store, copy)
    failed = [f.error for f in report.failed]
    assert f"{victim}: the shard does not match the manifest's SHA-256" in failed
    assert report.summary()["loaded"] == 20
    store.close()


def test_a_dask_cluster_builds_the_same_shards_as_the_local_pool(built: Path, files: list[Path],
                                                                   tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  host="127.0.0.1") as cluster:
        manifest = build(files, tmp_path / "dask", scheduler=cluster.scheduler_address)
    assert sum(1 for d in manifest["documents"] if d.get("shard")) == 21
    assert shard_lines(tmp_path / "dask") == shard_lines(built)
    assert all(re.fullmatch(r"\d{6}\.nq", d["shard"]) for d in manifest["documents"] if d.get("shard"))
    store = open_store(tmp_path / "store")
    assert load_shards(store, tmp_path / "dask").summary()["loaded"] == 21
    assert len(get_query("responsibilities").run(store, {})[1]) > 100
    store.close()


COUNTS = ("documents", "loaded", "unchanged", "failed", "articles", "duties", "actors", "warnings")


@pytest.mark.parametrize("into", ["a new store (bulk)", "a store with a document (transactions)"])
def test_files_and_their_shards_report_the_same_counts(files: list[Path], tmp_path: Path, into: str) -> None:
    """The same document twice (the measure; and two texts under one title and version, as the civil code's
    books in lawrefbook) is written once and counted once, by a load from files as by a load of their build."""
    other = regulations(tmp_path / "other", 21)[-1]  # a title the inputs do not use
    twin = tmp_path / "twin.txt"
    twin.write_text("并行测试第0号规定\n第一条　省级政府应当建立另一项制度。\n第二条　省级政府负责监督。\n"
                    "第三条　县级政府不得挤占资金。\n", encoding="utf-8")
    inputs = [*files, twin]
    build(inputs, tmp_path / "shards", jobs=1)
    reports, stores = [], []
    for route in ("files", "shards", "one process"):
        store = open_store(tmp_path / f"store-{route}")
        if into.startswith("a store with"):
            load_files(store, [other], jobs=1)
        if route == "one process":  # Loader.load, as the Python client loads
            report: LoadReport = Loader(store).load(inputs)
        else:
            report = load_files(store, inputs, jobs=1) if route == "files" else load_shards(store, tmp_path / "shards")
            assert report.bulk == into.startswith("a new")
        store.close()
        reports.append({k: report.summary()[k] for k in COUNTS})
        stores.append(quads_of(tmp_path / f"store-{route}"))
    assert reports[0] == reports[1] == reports[2]
    assert reports[0]["documents"] == 23 and reports[0]["unchanged"] == 2  # the measure's and the twin's second
    assert reports[0]["articles"] == 29 + 20 * 2  # the twin's 3 articles are not written: not counted
    assert stores[0] == stores[1] == stores[2]
