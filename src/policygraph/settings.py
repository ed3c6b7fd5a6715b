"""The one settings table: it drives CLI options, environment variables and docs.

Each setting has a name, a default and a help line. The environment
variable is ``POLICYGRAPH_`` + the upper-cased name; a CLI option overrides it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    cli: bool = True  # False: environment only (a secret should not show in `ps`)

    @property
    def env(self) -> str:
        return "POLICYGRAPH_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("store", "data/store", "Store: a directory for the embedded store, or http(s)://… of a "
            "SPARQL 1.1 server (its query endpoint)."),
    Setting("host", "127.0.0.1", "Address the server listens on."),
    Setting("port", 8000, "Port the server listens on."),
    Setting("query_timeout", 10.0, "Seconds a SPARQL query may run before it is stopped (503)."),
    Setting("max_rows", 10000, "Most result rows returned; more sets truncated=true."),
    Setting("max_body", 1_000_000, "Largest request body accepted, in bytes."),
    Setting("update_token", "", "Bearer token that allows SPARQL Update; empty means read-only.", cli=False),
    Setting("cors", False, "Send CORS headers so pages on other origins can query."),
    Setting("allow_service", False, "Allow SERVICE calls to other endpoints inside queries."),
    Setting("workers", 1, "Server worker processes (read-only stores may use several)."),
)


@dataclass(frozen=True)
class Settings:
    """Resolved settings: defaults, then environment, then explicit values."""

    store: str = "data/store"
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout: float = 10.0
    max_rows: int = 10000
    max_body: int = 1_000_000
    update_token: str = ""
    cors: bool = False
    allow_service: bool = False
    workers: int = 1

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from ``POLICYGRAPH_*`` variables, with non-None overrides on top.

        >>> Settings.from_env({"POLICYGRAPH_PORT": "9000"}).port
        9000
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            setting = next(s for s in SETTINGS if s.name == f.name)
            if setting.env in env:
                values[f.name] = _coerce(env[setting.env], type(setting.default))
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def _coerce(value: str, kind: type) -> Any:
    if kind is bool:
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return kind(value)


def markdown_table() -> str:
    """The settings as a markdown table, for the README."""
    rows = ["| setting | environment | default | meaning |", "|---|---|---|---|"]
    for s in SETTINGS:
        option = f"`--{s.name.replace('_', '-')}`" if s.cli else "—"
        rows.append(f"| {option} | `{s.env}` | `{s.default!r}` | {s.help} |")
    return "\n".join(rows)
