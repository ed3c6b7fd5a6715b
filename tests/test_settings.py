"""One settings table drives the CLI options, the environment variables and the README."""

from __future__ import annotations

from dataclasses import fields

import pytest
import typer.main

from policygraph.cli import app
from policygraph.settings import SETTINGS, Settings, markdown_table

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
