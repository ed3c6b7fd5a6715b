"""Stored queries: the ``*.rq`` files in ``resources/queries/`` (package data), each with a header naming
its title, description and parameters.

A header looks like::

    # title: 某主体的全部职责 All duties of an actor
    # description: …
    # param: actor — the actor's name, e.g. 江北省委

A parameter ``actor`` is the variable ``?actor_param`` in the query. Its value is
bound with pyoxigraph's ``substitutions=`` (which binds projected variables, so
each query projects its parameters), never formatted into the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from typing import Any

from pyoxigraph import Literal

from .errors import PolicygraphError
from .ontology import RESOURCES
from .store import Row, Store

QUERIES_DIR = RESOURCES / "queries"
_HEADER = re.compile(r"^#\s*(?P<key>title|description|param):\s*(?P<value>.*)$")
_PARAM = re.compile(r"^(?P<name>[a-z_]+)\s*(?P<optional>\(optional\))?\s*(?:—|-)\s*(?P<help>.*)$")


class QueryError(PolicygraphError):
    """A stored query that does not exist or a parameter that is missing or unknown."""


@dataclass(frozen=True)
class Param:
    name: str
    optional: bool
    help: str

    @property
    def variable(self) -> str:
        return f"{self.name}_param"


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    text: str
    params: tuple[Param, ...] = field(default_factory=tuple)

    @classmethod
    def from_file(cls, path: Traversable) -> NamedQuery:
        text = path.read_text(encoding="utf-8")
        stem = path.name.removesuffix(".rq")
        meta: dict[str, str] = {}
        params: list[Param] = []
        for line in text.splitlines():
            m = _HEADER.match(line)
            if not m:
                if line.strip() and not line.startswith("#"):
                    break
                continue
            if m.group("key") == "param":
                p = _PARAM.match(m.group("value"))
                if p:
                    params.append(Param(p.group("name"), bool(p.group("optional")), p.group("help").strip()))
            else:
                meta[m.group("key")] = m.group("value").strip()
        return cls(stem, meta.get("title", stem), meta.get("description", ""), text, tuple(params))

    def bindings(self, values: dict[str, str]) -> dict[str, Literal]:
        """Parameter values as bound literals; QueryError for a missing or unknown one."""
        known = {p.name for p in self.params}
        unknown = sorted(set(values) - known)
        if unknown:
            raise QueryError(f"query {self.name!r} has no parameter {unknown[0]!r} (it takes: "
                             f"{', '.join(sorted(known)) or 'none'})")
        missing = [p.name for p in self.params if not p.optional and not values.get(p.name)]
        if missing:
            raise QueryError(f"query {self.name!r} needs the parameter {missing[0]!r}")
        return {p.variable: Literal(values[p.name]) for p in self.params if values.get(p.name)}

    def run(self, store: Store, values: dict[str, str] | None = None) -> tuple[list[str], list[Row]]:
        """Run with parameters; the columns (parameters left out) and rows."""
        bound = self.bindings(values or {})
        rows = store.select(self.text, **bound)
        hidden = {p.variable for p in self.params}
        columns = [c for c in _projection(self.text) if c not in hidden]
        return columns, [{c: row.get(c) for c in columns} for row in rows]

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "params": [{"name": p.name, "optional": p.optional, "help": p.help} for p in self.params],
            "sparql": self.text,
        }


def _projection(text: str) -> list[str]:
    m = re.search(r"SELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(.*?)\s*WHERE", text, re.S | re.I)
    if not m:
        return []
    return re.findall(r"\?(\w+)(?:\s*\))?(?!\s*AS)", re.sub(r"\(.*?AS\s+\?(\w+)\)", r"?\1", m.group(1)))


def load_queries(directory: Traversable = QUERIES_DIR) -> dict[str, NamedQuery]:
    """Every ``*.rq`` file in the directory (package data by default), by name."""
    found = sorted((p for p in directory.iterdir() if p.name.endswith(".rq")), key=lambda p: p.name)
    return {q.name: q for q in map(NamedQuery.from_file, found)}


def get_query(name: str, directory: Traversable = QUERIES_DIR) -> NamedQuery:
    queries = load_queries(directory)
    if name not in queries:
        raise QueryError(f"no stored query named {name!r} (there are: {', '.join(queries)})")
    return queries[name]
