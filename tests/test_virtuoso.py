"""Virtuoso as a remote store: a real Debian virtuoso-opensource server, loaded through policygraph, gives the
same rows as the embedded store for stored queries, lookups and reasoning."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from policygraph import lookups
from policygraph.loader import Loader
from policygraph.queries import get_query
from policygraph.reason import inferred_count, is_stale
from policygraph.store import LocalStore, RemoteStore, Store, open_store, plain

from .virtuoso import virtuoso_server

QUERIES = [("responsibilities", {}), ("responsibilities", {"document": "脱贫攻坚责任制实施办法"}),
           ("duties-of-actor", {"actor": "县级政府"}), ("duties-of-actor", {"actor": "江北省委"}),
           ("duties-by-kind", {}), ("duties-by-level", {"level": "县级"}),
           ("articles-citing", {"title": "打赢脱贫攻坚战的决定"}),
           ("implementing-documents", {"measure": "脱贫攻坚责任制实施办法"}),
           ("gaps", {"rule": "江北省脱贫攻坚责任制实施细则"})]


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory, seed_path: Path, jiangbei_path: Path) -> Iterator[RemoteStore]:
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as endpoint:
        store = open_store(endpoint)
        assert isinstance(store, RemoteStore)
        report = Loader(store).load([seed_path, jiangbei_path])
        assert not report.failed, [f.error for f in report.failed]
        yield store
        store.close()


def _rows(rows: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    return sorted(tuple(str(v) for v in row.values()) for row in plain(rows))


@pytest.mark.parametrize(("name", "params"), QUERIES)
def test_stored_queries_give_the_same_rows(virtuoso: RemoteStore, both_store: LocalStore, name: str,
                                           params: dict[str, str]) -> None:
    query = get_query(name)
    local_columns, local = query.run(both_store, params)
    remote_columns, remote = query.run(virtuoso, params)
    assert remote_columns == local_columns
    assert _rows(remote) == _rows(local)
    assert local, f"{name} {params} found nothing: the comparison would be empty"


def _canon(value: Any) -> Any:
    """A lookup's answer with its lists sorted (a server may return rows in another order)."""
    if isinstance(value, dict):
        return tuple(sorted((k, _canon(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(sorted((_canon(v) for v in value), key=repr))
    return value


def _lookups(store: Store) -> dict[str, Any]:
    docs = lookups.documents(store)
    measure = next(d for d in docs if d["title"] == "脱贫攻坚责任制实施办法")
    county = next(a for a in lookups.actors(store) if a["name"] == "县级政府")
    answers = {"documents": docs, "document": lookups.document(store, measure["id"]),
               "article": lookups.article(store, measure["id"], "19"),
               "duties": lookups.actor_duties(store, county["id"]),
               "direct": lookups.actor_duties(store, county["id"], inherited=False)}
    return {key: _canon(value) for key, value in answers.items()}


def test_lookups_give_the_same_answers(virtuoso: RemoteStore, both_store: LocalStore) -> None:
    local, remote = _lookups(both_store), _lookups(virtuoso)
    for key in local:
        assert remote[key] == local[key], key
    assert len(local["duties"]) > 20


def _actors(store: Store) -> Any:
    return _canon([{k: v for k, v in a.items() if k not in ("kinds", "generic")} for a in lookups.actors(store)])


def test_the_actors_lookup_gives_the_same_actors(virtuoso: RemoteStore, both_store: LocalStore) -> None:
    assert _actors(virtuoso) == _actors(both_store)


def test_the_actors_lookup_gives_the_same_kinds_and_generic_flags(virtuoso: RemoteStore,
                                                                  both_store: LocalStore) -> None:
    assert _canon(lookups.actors(virtuoso)) == _canon(lookups.actors(both_store))


def test_reasoning_gives_the_same_inferences(virtuoso: RemoteStore, both_store: LocalStore, seed_path: Path) -> None:
    assert not is_stale(virtuoso)
    assert inferred_count(virtuoso) == inferred_count(both_store) > 0
    assert [f.status for f in Loader(virtuoso).load([seed_path]).files] == ["unchanged"]
