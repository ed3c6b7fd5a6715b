"""The CLI as a user runs it (issue 18): RDF files stay in their own graphs unless --replace-graph, a file over
the size limit is refused, and `policygraph query` answers every query form and a corrupt store in one line."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from .servers import VENV_BIN, store_with

DOC = "https://w3id.org/policygraph/id/doc/脱贫攻坚责任制实施办法"
ID = "https://w3id.org/policygraph/id/"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Path:
    return store_with(tmp_path_factory.mktemp("lanes") / "store", seed_path)


@pytest.fixture
def store(seeded: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store"
    shutil.copytree(seeded, copy)
    return copy


def pg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([str(VENV_BIN / "policygraph"), *args], capture_output=True, text=True, check=False,
                          env={**os.environ, **(env or {})})


def quads(path: Path) -> list[str]:
    store = ox.Store(str(path))
    lines = sorted((store.dump(format=ox.RdfFormat.N_QUADS) or b"").decode().splitlines())
    del store
    return lines


def test_an_rdf_dataset_may_not_write_into_policygraphs_graphs(store: Path, tmp_path: Path) -> None:
    before = quads(store)
    evil = tmp_path / "evil.trig"
    evil.write_text(f"<urn:a> <urn:b> <urn:c> .\n"
                    f"GRAPH <{ID}graph/ontology> {{ <urn:x> <urn:y> <urn:z> }}\n"
                    f"GRAPH <{ID}graph/actors> {{ <urn:x> <urn:y> <urn:z> }}\n"
                    f"GRAPH <{DOC}> {{ <urn:x> <urn:y> <urn:z> }}\n", encoding="utf-8")
    run = pg("load", str(evil), "--store", str(store))
    assert run.returncode == 1, run.stderr
    assert "one of policygraph's own graphs" in run.stderr and "--replace-graph" in run.stderr
    assert "1 failed" in run.stderr and "Traceback" not in run.stderr
    assert quads(store) == before


def test_graph_option_may_not_replace_a_document_unless_said(store: Path, tmp_path: Path) -> None:
    before = quads(store)
    data = tmp_path / "data.ttl"
    data.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    refused = pg("load", str(data), "--graph", DOC, "--store", str(store))
    assert refused.returncode == 1 and "one of policygraph's own graphs" in refused.stderr
    assert quads(store) == before
    elsewhere = pg("load", str(data), "--graph", "urn:taken", "--store", str(store))
    assert elsewhere.returncode == 0, elsewhere.stderr
    again = pg("load", str(data), "--graph", "urn:taken", "--store", str(store))
    assert again.returncode == 1 and "already in the store" in again.stderr
    replaced = pg("load", str(data), "--graph", DOC, "--replace-graph", "--store", str(store))
    assert replaced.returncode == 0, replaced.stderr
    doc = [q for q in quads(store) if q.endswith(f"<{DOC}> .")]
    assert doc == [f"<urn:a> <urn:b> <urn:c> <{DOC}> ."]


def test_an_rdf_file_goes_into_its_own_graph_and_is_counted(store: Path, tmp_path: Path) -> None:
    data = tmp_path / "mine.trig"
    data.write_text("<urn:a> <urn:b> <urn:c> .\nGRAPH <urn:mine> { <urn:d> <urn:e> <urn:f> }\n", encoding="utf-8")
    for _ in range(2):  # the second load replaces the file's own graph; urn:mine is its own too... once
        run = pg("load", str(data), "--store", str(store))
        if run.returncode == 1:
            assert "already in the store" in run.stderr  # urn:mine exists after the first load
            break
        assert "1 RDF files" in run.stderr and "0 failed" in run.stderr
    lines = quads(store)
    assert f"<urn:a> <urn:b> <urn:c> <{ID}graph/file/mine.trig> ." in lines
    assert "<urn:d> <urn:e> <urn:f> <urn:mine> ." in lines


def test_a_file_over_the_size_limit_is_refused(store: Path, tmp_path: Path, seed_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(seed_path.read_bytes())
    run = pg("load", str(big), "--store", str(store), env={"POLICYGRAPH_MAX_FILE_BYTES": "1000"})
    assert run.returncode == 1
    assert f"{big}: " in run.stderr and "over the limit of 1,000" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.parametrize(("query", "expected"), [
    ("ASK { ?d a pg:Duty }", "true"),
    ("CONSTRUCT { ?d a pg:Permission } WHERE { ?d a pg:Permission } LIMIT 1", "Permission> ."),
    (f"DESCRIBE <{DOC}>", "<https://w3id.org/policygraph/id/doc/"),
])
def test_query_answers_every_form(seeded: Path, query: str, expected: str) -> None:
    run = pg("query", query, "--store", str(seeded))
    assert run.returncode == 0, run.stderr
    assert expected in run.stdout


def test_a_corrupt_store_is_one_line(store: Path) -> None:
    for manifest in store.glob("MANIFEST-*"):
        manifest.write_bytes(b"\0" * 64)
    for command in (["query", "ASK {}"], ["stats"], ["load", "x.ttl"]):
        run = pg(*command, "--store", str(store))
        assert run.returncode == 2, (command, run.stderr)
        assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1, run.stderr
        assert run.stderr.startswith(f"policygraph: {store}: ")


def test_query_nested_too_deeply_is_one_line_not_a_crash(seeded: Path) -> None:
    run = pg("query", "SELECT * WHERE " + "{" * 20000 + "}" * 20000, "--store", str(seeded))
    assert run.returncode == 2, run.stderr
    assert run.stderr.strip() == "policygraph: the query was refused: brackets nest deeper than 100 levels"
