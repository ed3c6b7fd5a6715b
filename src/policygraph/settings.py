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
    cli: bool = True  # False: environment only (a secret, or a limit few need to change)

    @property
    def env(self) -> str:
        return "POLICYGRAPH_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("store", "data/store", "Store: a directory for the embedded store, or http(s)://… of a "
            "SPARQL 1.1 server (its query endpoint)."),
    Setting("host", "127.0.0.1", "Address the server listens on."),
    Setting("port", 8000, "Port the server listens on."),
    Setting("query_timeout", 10.0, "Seconds a SPARQL query, stored query or lookup may run before it is "
            "stopped (503)."),
    Setting("max_rows", 10000, "Most result rows returned; more sets truncated=true."),
    Setting("max_body", 1_000_000, "Largest request body accepted, in bytes."),
    Setting("update_token", "", "Bearer token that allows SPARQL Update; empty means read-only.", cli=False),
    Setting("cors", False, "Send CORS headers so pages on other origins can query."),
    Setting("allow_service", "", "Comma-separated endpoint IRIs that SERVICE (and an update's LOAD) may "
            "call; empty: query workers and updates have no network at all."),
    Setting("workers", 1, "Server worker processes (read-only stores may use several)."),
    Setting("query_workers", 3, "Query worker processes per server process; one is kept for short "
            "queries (a query past slow_after seconds may hold only the others).", cli=False),
    Setting("oxigraph_server", True, "Answer /sparql SELECT and ASK queries in JSON through Oxigraph's own "
            "server (the `oxigraph` package), read-only on the store's view, off the network, behind "
            "policygraph's checks and limits; off: every query goes to the query workers.", cli=False),
    Setting("pin_cpus", True, "Under `--workers N` (N > 1), each server process and its Oxigraph server run on "
            "a share of the CPUs of their own (the CPUs split as evenly as possible), so a query's hop between "
            "them stays on one core; off: the scheduler places them.", cli=False),
    Setting("slow_after", 1.0, "Seconds after which a running query counts as slow.", cli=False),
    Setting("queue_limit", 32, "Most requests waiting for a query worker; more are answered 503 at once.",
            cli=False),
    Setting("max_answer_bytes", 16_000_000, "Largest answer body, in bytes; a longer one is cut and "
            "marked truncated.", cli=False),
    Setting("worker_memory_mb", 1024, "Address space a query worker may add (RLIMIT_AS), in MB; a query "
            "that needs more is stopped (503).", cli=False),
    Setting("cache_bytes", 64_000_000, "Bytes of answers kept in the server's answer cache.", cli=False),
    Setting("max_nesting", 100, "Deepest nesting of brackets accepted in a query or update.", cli=False),
    Setting("header_timeout", 10.0, "Seconds a client has to send a request's headers, and then its "
            "body, before the connection is closed.", cli=False),
    Setting("keep_alive", 5, "Seconds an idle keep-alive connection stays open.", cli=False),
    Setting("max_connections", 4000, "Open connections per server process; more are closed at once.",
            cli=False),
    Setting("max_file_bytes", 20_000_000, "Largest file `policygraph load` reads, in bytes.", cli=False),
    Setting("jobs", 0, "Worker processes that read, build and validate documents (`load --jobs`, "
            "`build --jobs`); 0: one per core.", cli=False),
    Setting("load_ahead", 16, "Documents each worker may have built ahead of the writer (bounds memory; a "
            "large document at the head of the line keeps the other workers busy this long).",
            cli=False),
    Setting("bulk_chunk_bytes", 32_000_000, "Bytes of N-Quads a bulk load hands the store at once (bounds the "
            "writer's memory).", cli=False),
)

_DEFAULTS = {s.name: s.default for s in SETTINGS}


def default(name: str) -> Any:
    """The default of a setting (written in the table above, nowhere else)."""
    return _DEFAULTS[name]


@dataclass(frozen=True)
class Settings:
    """Resolved settings: defaults, then environment, then explicit values."""

    store: str = default("store")
    host: str = default("host")
    port: int = default("port")
    query_timeout: float = default("query_timeout")
    max_rows: int = default("max_rows")
    max_body: int = default("max_body")
    update_token: str = default("update_token")
    cors: bool = default("cors")
    allow_service: str = default("allow_service")
    workers: int = default("workers")
    query_workers: int = default("query_workers")
    oxigraph_server: bool = default("oxigraph_server")
    pin_cpus: bool = default("pin_cpus")
    slow_after: float = default("slow_after")
    queue_limit: int = default("queue_limit")
    max_answer_bytes: int = default("max_answer_bytes")
    worker_memory_mb: int = default("worker_memory_mb")
    cache_bytes: int = default("cache_bytes")
    max_nesting: int = default("max_nesting")
    header_timeout: float = default("header_timeout")
    keep_alive: int = default("keep_alive")
    max_connections: int = default("max_connections")
    max_file_bytes: int = default("max_file_bytes")
    jobs: int = default("jobs")
    load_ahead: int = default("load_ahead")
    bulk_chunk_bytes: int = default("bulk_chunk_bytes")

    @property
    def workers_for_jobs(self) -> int:
        """The number of worker processes ``jobs`` asks for (0: one per core).

        >>> Settings(jobs=3).workers_for_jobs
        3
        """
        return self.jobs if self.jobs > 0 else (os.cpu_count() or 1)

    @property
    def service_endpoints(self) -> frozenset[str]:
        """The endpoints SERVICE and LOAD may reach (none by default).

        >>> sorted(Settings(allow_service="http://a/sparql, http://b/").service_endpoints)
        ['http://a/sparql', 'http://b/']
        """
        return frozenset(e.strip() for e in self.allow_service.split(",") if e.strip())

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
