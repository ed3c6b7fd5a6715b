"""Install from a wheel: the package carries its data (lexicon, cues, ontology, rules, stored queries).

The wheel is built from a copy of the source (so the build leaves nothing in the tree), installed into
a fresh venv outside the source tree, and its CLI run from a directory outside the source tree: parse,
extract, load, a stored query, and serve with real HTTP requests. The new venv gets the dependencies
from this venv's site-packages (a ``.pth`` line) so the test needs no downloads beyond the build
backend pip may fetch once.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from policygraph.extract import Extractor
from policygraph.pipeline import parse_file

from .conftest import ROOT, SEED
from .servers import free_port, wait_until_up


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert proc.returncode == 0, f"{' '.join(args)} exited {proc.returncode}:\n{proc.stderr[-3000:]}"
    return proc


def _clean_env() -> dict[str, str]:
    """The environment without anything that points back into the source tree."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("POLICYGRAPH_", "PYTHON", "VIRTUAL_ENV")) and k != "PYTEST_CURRENT_TEST"}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """(venv, working directory): the wheel installed in a fresh venv; a cwd with the measure and nothing else."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "src" / "policygraph", source / "src" / "policygraph",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    env = _clean_env()
    dist = base / "dist"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(source)],
                           cwd=base, env=env, capture_output=True, text=True, timeout=600, check=False)
    if built.returncode != 0 and "Could not find a version that satisfies" in built.stderr:
        pytest.skip(f"the build backend (setuptools) could not be fetched: {built.stderr.strip()[-300:]}")
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = dist.glob("policygraph-*.whl")

    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], base, env)
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)], base, env)
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     base, env).stdout.strip())
    # Dependencies from this venv, after the new venv's own site-packages (so the wheel's policygraph wins);
    # a plain path line, so this venv's editable install (a .pth of its own) is not processed.
    (site / "_policygraph_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

    work = base / "work"
    work.mkdir()
    shutil.copy2(SEED, work / SEED.name)
    yield venv, work


def test_the_wheel_carries_the_data_files(installed: tuple[Path, Path]) -> None:
    venv, work = installed
    script = ("import policygraph, importlib.resources as r; print(policygraph.__file__); "
              "d = r.files('policygraph') / 'resources'; "
              "import json; print(json.dumps([p.name for p in d.iterdir()])); "
              "print(json.dumps([p.name for p in (d / 'queries').iterdir()]))")
    lines = _run([str(venv / "bin" / "python"), "-c", script], work, _clean_env()).stdout.splitlines()
    assert lines[0].startswith(str(venv)), lines[0]  # the installed copy, not the source tree
    assert {"lexicon.toml", "cues.toml", "ontology", "queries"} <= set(json.loads(lines[1]))
    assert "responsibilities.rq" in json.loads(lines[2])


def test_cli_from_the_wheel_outside_the_source_tree(installed: tuple[Path, Path]) -> None:
    venv, work = installed
    cli = str(venv / "bin" / "policygraph")
    env = _clean_env()
    document = parse_file(str(SEED))
    duties = len(Extractor().extract(document))

    parsed = json.loads(_run([cli, "parse", SEED.name, "--format", "json"], work, env).stdout)
    assert parsed["title"] == "脱贫攻坚责任制实施办法"
    assert len(parsed["articles"]) == len(document.articles)

    extracted = _run([cli, "extract", SEED.name, "--format", "jsonl"], work, env).stdout.splitlines()
    assert len(extracted) == duties
    assert all(json.loads(line)["document"] for line in extracted)

    _run([cli, "load", SEED.name], work, env)  # the default store, ./data/store of this directory
    assert (work / "data" / "store").is_dir()

    answer = _run([cli, "query", "responsibilities", "--format", "csv"], work, env).stdout
    rows = list(csv.DictReader(io.StringIO(answer)))
    assert len({r["duty"] for r in rows}) == duties
    assert any(r["bearer"] == "县级党委和政府" for r in rows)

    port = free_port()
    server = subprocess.Popen([cli, "serve", "--port", str(port)], cwd=work, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/healthz", server, timeout=60)
        count = httpx.get(base + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?d a pg:Duty }"},
                          timeout=30)
        assert count.status_code == 200
        assert int(count.json()["results"]["bindings"][0]["n"]["value"]) == duties
        ontology = httpx.get(base + "/ontology.ttl", timeout=30)
        assert ontology.status_code == 200 and "owl:Ontology" in ontology.text
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
