"""A real Virtuoso server for tests: Debian's virtuoso-opensource on free loopback ports, its database in a
temporary directory, SPARQL Update allowed to the anonymous SPARQL user (as a local loading server would be)."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from .servers import free_port

INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = ., {d}
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
"""
GRANTS = 'GRANT SPARQL_UPDATE TO "SPARQL"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET (\'nobody\', 7);'


def _wait(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"virtuoso exited with {proc.returncode}: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(url, timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not come up in {timeout} s")


@contextmanager
def virtuoso_server(directory: Path) -> Iterator[str]:
    """``virtuoso-t`` in the foreground with its database in ``directory``; yields its /sparql endpoint."""
    if not shutil.which("virtuoso-t") or not shutil.which("isql-vt"):
        pytest.skip("Debian's virtuoso-opensource is not installed (make test installs it)")
    directory.mkdir(parents=True, exist_ok=True)
    sql, http = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(INI.format(d=directory, sql=sql, http=http), encoding="utf-8")
    proc = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(ini)], cwd=directory,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{http}/sparql"
    try:
        _wait(endpoint + "?query=ASK%7B%7D", proc, directory / "virtuoso.log")
        subprocess.run(["isql-vt", f"127.0.0.1:{sql}", "dba", "dba", f"exec={GRANTS}"], check=True,
                       capture_output=True, timeout=60)
        yield endpoint
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
