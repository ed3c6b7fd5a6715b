"""The Python API for notebooks: ``policygraph.open(store)`` and a few verbs, rows as plain dicts.

>>> import tempfile, policygraph
>>> pg = policygraph.open(tempfile.mkdtemp())
>>> pg.load("data/脱贫攻坚责任制实施办法.txt").summary()["duties"] > 100
True
>>> pg.responsibilities("谁负责扶贫资金管理监督？")[0]["actor"]
'县级政府'
>>> sorted({d["reason"] for d in pg.duties_of("县级政府")})
['direct', 'joint']
>>> pg.query("SELECT (COUNT(*) AS ?n) WHERE { ?d a pg:Prohibition }")
[{'n': '0'}]
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode

from .store import Store, open_store, plain


class Rows(list[dict[str, Any]]):
    """Query rows as plain dicts, with ``to_dataframe()`` where pandas is installed."""

    def to_dataframe(self) -> Any:
        try:
            import pandas as pd
        except ImportError as exc:  # pandas is an optional extra
            raise ImportError("to_dataframe() needs pandas: pip install 'policygraph[pandas]'") from exc
        return pd.DataFrame(list(self))


class PolicyGraph:
    """A policygraph store: embedded (a directory) or a SPARQL 1.1 server (a URL)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def load(self, *paths: str | Path, force: bool = False) -> Any:
        """Load regulations or RDF files; the load report."""
        from .loader import Loader

        return Loader(self.store).load(list(paths), force=force)

    def query(self, sparql: str, /, **params: str | NamedNode | Literal) -> Rows:
        """Run a SELECT; keyword arguments are bound (strings as literals), never formatted into the text.

        As with pyoxigraph's substitutions, a bound variable must be in the SELECT clause.
        """
        bound = {k: Literal(v) if isinstance(v, str) else v for k, v in params.items()}
        return Rows(plain(self.store.select(sparql, **bound)))

    def named(self, name: str, /, **params: str) -> Rows:
        """Run a stored query from ``queries/`` with its parameters."""
        from .queries import get_query

        _columns, rows = get_query(name).run(self.store, params)
        return Rows(plain(rows))

    def duties_of(self, actor: str, *, inherited: bool = True) -> Rows:
        """An actor's duties (by name or id), each with the reason it applies."""
        from .lookups import actor_duties, actor_id

        found = self.store.select("SELECT ?name ?x WHERE { ?x skos:prefLabel|skos:altLabel ?l "
                                  "FILTER(STR(?l) = STR(?name)) } LIMIT 1", name=Literal(actor))
        ident = actor_id(found[0]["x"].value) if found and found[0]["x"] is not None else actor
        return Rows(actor_duties(self.store, ident, inherited=inherited))

    def responsibilities(self, question: str, *, limit: int = 20) -> Rows:
        """Who is responsible for what: ranked duties for a question or keyword."""
        from .search import SearchIndex

        return Rows(hit.to_json() for hit in SearchIndex(self.store).search(question, limit=limit))

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> PolicyGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_graph(store: str | Path, *, read_only: bool = False, **options: Iterable[Any]) -> PolicyGraph:
    """Open a store directory (created if missing) or a SPARQL 1.1 server URL."""
    return PolicyGraph(open_store(store, read_only=read_only, **options))
