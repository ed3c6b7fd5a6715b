"""One writer at a time (issue 18): a bulk load holds the store's lock file from its start through its swap,
so a second writer, whether ``policygraph load`` or a plain opener, is refused at every moment of it; copies
that killed bulk loads left beside the store are removed on the next open."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from policygraph.errors import StoreError
from policygraph.store import LocalStore

from .servers import VENV_BIN

# A real bulk load of many quads into a store that already holds some. os.rename is wrapped to pause
# before each of the swap's renames (the renames themselves are real), so that a second writer can be
# tried between them; the script says which moment it is in on stdout.
FIRST = """
import os, sys, time
import pyoxigraph as ox
from policygraph.store import LocalStore

rename = os.rename
def paused(a, b):
    print("rename", flush=True)
    sys.stdin.readline()
    rename(a, b)
os.rename = paused
store = LocalStore(sys.argv[1])
print("open", flush=True)
sys.stdin.readline()
quads = [ox.Quad(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(str(i)), ox.NamedNode("urn:bulk"))
         for i in range(200_000)]
store.bulk_add(quads)
store.close()
print("done", flush=True)
"""

CONTENDER = """
import sys
from policygraph.errors import StoreError
from policygraph.store import LocalStore
try:
    LocalStore(sys.argv[1]).update("INSERT DATA { GRAPH <urn:second> { <urn:a> <urn:b> 1 } }")
except StoreError as exc:
    print(exc)
    sys.exit(2)
print("WROTE")
"""


@pytest.fixture
def existing(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    store = LocalStore(str(path))
    store.update("INSERT DATA { GRAPH <urn:before> { <urn:x> <urn:y> 1 } }")
    store.close()
    return path


def _contend(path: Path, seed_path: Path) -> list[str]:
    """A plain opener that writes, a ``policygraph load``, and a raw pyoxigraph writer: each refused."""
    plain = subprocess.run([sys.executable, "-c", CONTENDER, str(path)], capture_output=True, text=True, check=False)
    assert plain.returncode == 2, plain.stdout + plain.stderr
    load = subprocess.run([str(VENV_BIN / "policygraph"), "load", str(seed_path), "--store", str(path)],
                          capture_output=True, text=True, check=False)
    assert load.returncode == 2, load.stderr
    assert "Traceback" not in load.stderr
    return [plain.stdout.strip(), load.stderr.strip()]


def test_a_second_writer_is_refused_at_every_moment_of_a_bulk_load(existing: Path, seed_path: Path) -> None:
    first = subprocess.Popen([sys.executable, "-c", FIRST, str(existing)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    assert first.stdin is not None and first.stdout is not None
    messages = []
    try:
        for moment in ("open", "rename", "rename"):  # opened; built, before the swap; between the two renames
            assert first.stdout.readline().strip() == moment
            messages += _contend(existing, seed_path)
            if moment == "open":
                with pytest.raises(OSError):  # RocksDB's own lock is held while the copy is built
                    ox.Store(str(existing))
            first.stdin.write("\n")
            first.stdin.flush()
        assert first.stdout.readline().strip() == "done"
        assert first.wait(30) == 0
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert all("in use by another process" in m for m in messages), messages
    after = LocalStore(str(existing))
    graphs = {g.value for g in after.store.named_graphs()}
    assert graphs == {"urn:before", "urn:bulk"}  # nothing from a second writer, nothing lost
    assert len(after.store) == 200_001
    after.close()
    leftovers = [p.name for p in existing.parent.iterdir() if p.name.startswith(".store.")]
    assert set(leftovers) <= {".store.lock"}


def test_a_stale_incoming_copy_is_removed_on_the_next_open(existing: Path) -> None:
    incoming = existing.with_name(".store.incoming")
    incoming.mkdir()
    (incoming / "000001.sst").write_bytes(b"half a bulk load")
    store = LocalStore(str(existing))
    assert not incoming.exists()
    assert len(store.store) == 1
    store.close()


def test_a_reader_does_not_undo_a_swap_in_progress(existing: Path) -> None:
    """Between the two renames the store directory is missing: a read-only opener must not 'recover' it
    (that would undo the writer's swap); it is told to try again."""
    held = LocalStore(str(existing))
    existing.rename(existing.with_name(".store.previous"))
    try:
        with pytest.raises(StoreError, match="swapping"):
            LocalStore(str(existing), read_only=True)
        assert existing.with_name(".store.previous").exists() and not existing.exists()
    finally:
        existing.with_name(".store.previous").rename(existing)
        held.close()
