"""A full disk (issue 18), on a small tmpfs: updates fail cleanly, /healthz says the store cannot be written,
and once space is freed the same server writes again, without a restart; a load into a full disk is one line."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .servers import VENV_BIN, policygraph_server, store_with

TOKEN = "disk-token"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(mount)], capture_output=True,
                          check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> Path:
    """A file that takes every free byte of the disk (unbuffered, so nothing is left to flush)."""
    filler = disk / "filler"
    handle = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (1 << 20, 4096, 1):
            try:
                while True:
                    os.write(handle, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(handle)
    return filler


def test_a_full_disk_then_freed_space_without_a_restart(small_disk: Path, seed_path: Path) -> None:
    store = store_with(small_disk / "store", seed_path)
    insert = 'INSERT DATA { GRAPH <urn:disk> { <urn:a> <urn:b> "' + "满" * 20000 + '" } }'
    with policygraph_server(store, update_token=TOKEN) as base, \
            httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {TOKEN}"}) as c:
        assert c.get("/healthz").json()["writable"] is True
        filler = fill(small_disk)
        failed = c.post("/sparql", data={"update": insert})
        assert failed.status_code == 503 and failed.json()["error"]["code"] == "store_unwritable", failed.text
        health = c.get("/healthz")
        assert health.status_code == 503 and health.json()["status"] == "unwritable"
        filler.unlink()
        assert c.get("/healthz").json()["status"] == "ok"
        written = c.post("/sparql", data={"update": insert})
        assert written.status_code == 204, written.text
        ask = c.get("/sparql", params={"query": "ASK { GRAPH <urn:disk> { <urn:a> <urn:b> ?o } }"})
        assert ask.json()["boolean"] is True


def test_a_load_into_a_full_disk_is_one_line(small_disk: Path, seed_path: Path, tmp_path: Path) -> None:
    store = store_with(small_disk / "store", seed_path)
    other = tmp_path / "other.txt"
    other.write_text(seed_path.read_text(encoding="utf-8").replace("脱贫攻坚责任制实施办法", "另一个实施办法", 1),
                     encoding="utf-8")
    fill(small_disk)
    run = subprocess.run([str(VENV_BIN / "policygraph"), "load", str(other), "--store", str(store)],
                         capture_output=True, text=True, check=False)
    assert run.returncode in (1, 2), run.stderr
    assert "Traceback" not in run.stderr
    assert "no space left on the device" in run.stderr
