"""Faults: the server stays up and correct when clients vanish, and the store reports being unwritable or held
by another process clearly, without damage. (A query timing out is in test_api; SIGKILL during a load is in
test_store.)"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlparse

import httpx
import pytest

from .servers import VENV_BIN, policygraph_server, store_with

EXPLOSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Path:
    return store_with(tmp_path_factory.mktemp("faults") / "store", seed_path)


@pytest.fixture(scope="module")
def server(store_dir: Path) -> Iterator[str]:
    with policygraph_server(store_dir, query_timeout="2") as base:
        yield base


def test_clients_disconnecting_mid_query_do_not_hurt_the_server(server: str) -> None:
    url = urlparse(server)
    for _ in range(6):  # more abandoned queries than there are query workers
        sock = socket.create_connection((url.hostname, url.port))
        sock.sendall(f"GET /sparql?query={quote(EXPLOSIVE)} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        time.sleep(0.05)
        sock.close()
    started = time.monotonic()
    answer = httpx.get(server + "/sparql", params={"query": "SELECT ?d WHERE { ?d a pg:Permission } LIMIT 1"},
                       timeout=30)
    assert answer.status_code == 200 and answer.json()["results"]["bindings"], answer.text
    assert time.monotonic() - started < 2 * 6 + 2  # at worst, behind the abandoned queries' timeouts
    assert httpx.get(server + "/healthz").json()["status"] == "ok"


def test_a_second_writer_gets_a_clear_error_and_nothing_is_damaged(server: str, store_dir: Path,
                                                                    seed_path: Path, seed_duties: int) -> None:
    proc = subprocess.run([str(VENV_BIN / "policygraph"), "load", str(seed_path), "--store", str(store_dir)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"policygraph: {store_dir}: the store is in use by another process "
                                   "(close it, or open it read-only)")
    rows = httpx.get(server + "/api/queries/responsibilities", timeout=30).json()["rows"]
    assert len(rows) == seed_duties


def _share(src: str, dst: str) -> None:
    """A hard link when the file is world-readable (fast, no space), else a world-readable copy."""
    mode = os.stat(src).st_mode
    if mode & 0o004:
        try:
            os.link(src, dst)
            return
        except OSError:  # another file system, or links not allowed
            pass
    shutil.copy2(src, dst)
    os.chmod(dst, mode | 0o444 | (0o111 if mode & 0o100 else 0))


def _python_for_anyone(home: Path) -> tuple[list[str], dict[str, str]]:
    """A Python with policygraph and its dependencies that any user can run, whatever the permissions of the
    clone's parents (a clone under /root or a 0700 ``mktemp -d`` is out of nobody's reach, and so may be the
    interpreter): the interpreter, libpython, the standard library, this venv's site-packages and the
    package, hard-linked (or copied) under a world-readable directory."""
    import sysconfig

    import policygraph

    runtime = home / "python"
    stdlib = Path(os.__file__).parent
    lib = runtime / "lib" / stdlib.name
    ignore = shutil.ignore_patterns("site-packages", "dist-packages", "test", "idlelib", "tkinter", "ensurepip")
    shutil.copytree(stdlib, lib, copy_function=_share, ignore=ignore)
    shutil.copytree(sysconfig.get_paths()["purelib"], lib / "site-packages", copy_function=_share,
                    ignore=shutil.ignore_patterns("__editable__*", "policygraph*"))
    shutil.copytree(Path(policygraph.__file__).parent, lib / "site-packages" / "policygraph", copy_function=_share,
                    ignore=shutil.ignore_patterns("__pycache__"))
    (runtime / "bin").mkdir()
    python = runtime / "bin" / Path(os.path.realpath(sys._base_executable)).name  # type: ignore[attr-defined]
    _share(os.path.realpath(sys._base_executable), str(python))  # type: ignore[attr-defined]
    libdir, soname = sysconfig.get_config_var("LIBDIR"), sysconfig.get_config_var("INSTSONAME")
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "LD_LIBRARY_PATH": str(runtime / "lib")}
    if sysconfig.get_config_var("Py_ENABLE_SHARED") and libdir and soname and (Path(libdir) / soname).exists():
        _share(os.path.realpath(Path(libdir) / soname), str(runtime / "lib" / soname))
    for root, _dirs, _files in os.walk(runtime):
        os.chmod(root, 0o755)
    return [str(python), "-s"], env


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root to switch to nobody")
def test_a_read_only_store_directory_gives_a_clear_error(seed_path: Path) -> None:
    """As an unprivileged user (root ignores permissions), on a closed store it may read but not write.

    Everything nobody needs (Python, policygraph, the measure, the store) is under one world-readable
    directory, so the test does not depend on where the clone is."""
    from policygraph.extract import Extractor
    from policygraph.pipeline import parse_file

    home = Path(tempfile.mkdtemp(prefix="pg-ro-"))  # pytest's own temp root is 0700: nobody cannot enter it
    os.chmod(home, 0o755)
    try:
        python, env = _python_for_anyone(home)
        seed = home / seed_path.name
        shutil.copy2(seed_path, seed)
        os.chmod(seed, 0o444)
        copy = store_with(home / "ro-store", seed_path)
        for root, _dirs, files in os.walk(copy):
            os.chmod(root, 0o555)
            for f in files:
                os.chmod(Path(root) / f, 0o444)
        as_nobody = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *python]
        where = subprocess.run([*as_nobody, "-c", "import policygraph; print(policygraph.__file__)"],
                               capture_output=True, text=True, env=env, cwd=home, check=False)
        assert where.stdout.startswith(str(home)), where.stderr  # the shared copy, not the clone
        load = subprocess.run([*as_nobody, "-m", "policygraph", "load", str(seed), "--force", "--store", str(copy)],
                              capture_output=True, text=True, env=env, cwd=home, check=False)
        assert load.returncode == 2, load.stderr
        assert "Traceback" not in load.stderr
        assert load.stderr.startswith(f"policygraph: {copy}: ")
        assert "permission denied" in load.stderr or "read-only" in load.stderr
        stats = subprocess.run([*as_nobody, "-m", "policygraph", "stats", "--store", str(copy)],
                               capture_output=True, text=True, env=env, cwd=home, check=False)
        assert stats.returncode == 0, stats.stderr
        duties = len(Extractor().extract(parse_file(str(seed_path))))
        assert f"duties {duties}" in " ".join(stats.stdout.split())
    finally:
        for root, _dirs, _files in os.walk(home):
            os.chmod(root, 0o755)
        shutil.rmtree(home)
