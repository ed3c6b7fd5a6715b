"""One settings table drives the CLI options, the environment variables and the README."""

from __future__ import annotations

from dataclasses import fields

import pytest
import typer.main

from policygraph.cli import app
from policygraph.settings import SETTINGS, Settings, markdown_table
from policygraph.store import LocalStore

from .conftest import ROOT


def test_table_and_settings_agree() -> None:
    assert [s.name for s in SETTINGS] == [f.name for f in fields(Settings)]
    assert [s.default for s in SETTINGS] == [f.default for f in fields(Settings)]


def test_serve_has_an_option_per_setting() -> None:
    serve = typer.main.get_command(app).commands["serve"]  # type: ignore[attr-defined]
    options = {p.name: p for p in serve.params}
    for s in SETTINGS:
        if s.cli:
            assert options[s.name].envvar == s.env and options[s.name].help == s.help, s.name
        else:
            assert s.name not in options, f"{s.name} is environment-only"


@pytest.mark.parametrize(
    ("env", "field", "value"),
    [("POLICYGRAPH_PORT", "port", 9001), ("POLICYGRAPH_CORS", "cors", True), ("POLICYGRAPH_QUERY_TIMEOUT",
     "query_timeout", 2.5), ("POLICYGRAPH_UPDATE_TOKEN", "update_token", "t0ken")],
)
def test_environment_variables(env: str, field: str, value: object) -> None:
    assert getattr(Settings.from_env({env: str(value).lower() if value is True else str(value)}), field) == value


def test_readme_shows_the_table() -> None:
    assert markdown_table() in (ROOT / "README.md").read_text(encoding="utf-8")


API_MODULES = ["policygraph.api", "policygraph.payloads", "policygraph.routes", "policygraph.web.core",
               "policygraph.web.middleware", "policygraph.web.passthrough", "policygraph.web.lane",
               "policygraph.web.relay", "policygraph.web.sparql", "policygraph.web.documents",
               "policygraph.web.actors", "policygraph.web.questions", "policygraph.web.queries",
               "policygraph.web.links", "policygraph.web.health", "policygraph.web.page",
               "policygraph.implementations", "policygraph.endpoint", "policygraph.sidecar", "policygraph.pool",
               "policygraph.settings"]


@pytest.mark.parametrize("module", API_MODULES)
def test_each_api_module_imports_alone_first(module: str) -> None:
    """No import cycle: each module is the first one imported in a fresh interpreter."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_shared_core_imports_no_router() -> None:
    import ast

    source = (ROOT / "src" / "policygraph" / "web" / "core.py").read_text(encoding="utf-8")
    imported = {n.module for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ImportFrom) and n.module}
    assert not imported & {"api", "routes", "sparql", "documents", "actors", "questions", "queries", "links",
                           "health", "page", "middleware"}, imported


def test_no_api_function_is_over_80_lines() -> None:
    import ast

    paths = [*(ROOT / "src" / "policygraph" / "web").glob("*.py"),
             *(ROOT / "src" / "policygraph" / name for name in ("api.py", "payloads.py", "routes.py", "pool.py",
                                                                 "work.py", "settings.py", "dataset_update.py",
                                                                 "endpoint.py", "sidecar.py", "implementations.py"))]
    long = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None \
                    and node.end_lineno - node.lineno + 1 > 80:
                long.append(f"{path.name}:{node.name} ({node.end_lineno - node.lineno + 1} lines)")
    assert not long, long


def test_the_settings_table_holds_the_only_defaults() -> None:
    """The pool's limits and the guarded protocol take their defaults from the table, not literals."""
    from policygraph.pool import Limits

    assert Limits() == Limits.of(Settings())
    assert Limits.of(Settings(max_rows=7)).within(Settings()).max_rows == 7


def test_workers_receive_the_settings_object_not_the_environment(monkeypatch: pytest.MonkeyPatch,
                                                                   seed_store: LocalStore) -> None:
    """A pool made with Settings(max_rows=2) truncates at 2 rows in its worker processes, while the
    environment says 5: the workers are handed the pickled Settings, not variables set by the parent."""
    import json

    from policygraph.pool import Job, QueryPool

    monkeypatch.setenv("POLICYGRAPH_MAX_ROWS", "5")
    pool = QueryPool(seed_store.location, settings=Settings(max_rows=2, query_workers=1),
                     checkpoint=seed_store.checkpoint)
    try:
        answer = pool.run(Job("SELECT ?s WHERE { ?s ?p ?o } LIMIT 10", "application/sparql-results+json"))
    finally:
        pool.close()
    assert answer.truncated and len(json.loads(answer.body)["results"]["bindings"]) == 2
