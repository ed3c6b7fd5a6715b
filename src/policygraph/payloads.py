"""What the query workers call for the lookups and stored queries (``policygraph.payloads:payload_*``): each
takes the store first and returns the JSON the API answers. A missing thing is ``Refused`` 404, raised in
the worker and answered by the server in the one error shape."""

from __future__ import annotations

from typing import Any

from . import lookups
from .queries import QueryError, load_queries
from .store import Store, value


def found(thing: Any, message: str) -> Any:
    """The thing a lookup found, or the API's 404 (raised in the worker, answered by the server)."""
    from .endpoint import Refused

    if thing is None:
        raise Refused(404, "not_found", message)
    return thing


_INDEX: dict[str, Any] = {}


def payload_responsibilities(store: Store, q: str, limit: int) -> dict[str, Any]:
    from .search import SearchIndex

    index = _INDEX.get(store.location)
    if index is None:  # one index per view of the store: a new version is a new view
        _INDEX.clear()
        index = _INDEX[store.location] = SearchIndex(store)
    hits = index.search(q, limit=limit)
    for h in hits:
        h.actor_id = lookups.actor_id(h.actor_id) if h.actor_id else None
        h.document_id = lookups.document_id(h.document_id)
    return {"query": q, "results": [h.to_json() for h in hits]}


def payload_actors(store: Store, level: str | None, kind: str | None, document: str | None) -> dict[str, Any]:
    return {"actors": lookups.actors(store, level=level, kind=kind, document_id_=document)}


def payload_actor_duties(store: Store, actor_id: str, inherited: bool) -> dict[str, Any]:
    found(True if lookups.actor_exists(store, actor_id) else None, f"no actor {actor_id!r}")
    return {"actor": actor_id, "duties": lookups.actor_duties(store, actor_id, inherited=inherited)}


def payload_actor(store: Store, actor_id: str) -> dict[str, Any]:
    return dict(found(lookups.actor(store, actor_id), f"no actor {actor_id!r}"))


def payload_documents(store: Store) -> dict[str, Any]:
    return {"documents": lookups.documents(store)}


def payload_article(store: Store, doc_id: str, number: str) -> dict[str, Any]:
    return dict(found(lookups.article(store, doc_id, number), f"no article {number!r} in document {doc_id!r}"))


def payload_document(store: Store, doc_id: str) -> dict[str, Any]:
    return dict(found(lookups.document(store, doc_id), f"no document {doc_id!r}"))


def payload_links(store: Store, document: str) -> dict[str, Any]:
    found = _comparison(store, document)
    return {"document": document, "based_on": found["based_on"],
            "links": [a.to_json() for a in found["alignments"]]}


def payload_comparison(store: Store, doc_id: str) -> dict[str, Any]:
    found = _comparison(store, doc_id)
    return {"document": doc_id, "based_on": found["based_on"],
            "alignments": [a.to_json() for a in found["alignments"]], **found["comparison"]}


def _comparison(store: Store, doc_id: str) -> dict[str, Any]:
    from .link import align, compare

    doc = found(lookups.document(store, doc_id), f"no document {doc_id!r}")
    if not doc["based_on"]:
        found(None, f"document {doc_id!r} implements no document in the store")
    measure = lookups.aligned_measure(store, doc_id) or doc["based_on"][0]
    rule = lookups.link_articles(store, lookups.DOC_PREFIX + doc_id)
    central = lookups.link_articles(store, lookups.DOC_PREFIX + measure["id"])
    alignments = align(rule, central, measure_title=measure["title"])
    return {"based_on": measure, "alignments": alignments, "comparison": compare(rule, central, alignments)}


def payload_stored(store: Store, name: str, values: tuple[tuple[str, str], ...], limit: int) -> dict[str, Any]:
    from .endpoint import Refused

    query = load_queries()[name]
    try:
        columns, rows = query.run(store, dict(values))
    except QueryError as exc:
        raise Refused(400, "bad_parameter", str(exc)) from None
    return {"query": name, "columns": columns, "truncated": len(rows) > limit,
            "rows": [{c: value(r[c]) for c in columns} for r in rows[:limit]]}
