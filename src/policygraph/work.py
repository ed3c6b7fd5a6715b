"""What a query worker process does with a job (see pool.py for the processes and their limits).

Every decision about a request's text is made here, off the server's event loop, under the worker's time
and memory limits: the query form comes from the engine's own parser (the kind of result pyoxigraph
returns), SERVICE and LOAD from rdflib's parse tree, nesting from a linear scan before any parser.
"""

from __future__ import annotations

import importlib
import json
import threading
from typing import Any

from .endpoint import (
    CONTENT_TYPE,
    GRAPH_TYPES,
    SELECT_TYPES,
    Refused,
    check_nesting,
    negotiate,
    parse_tree,
    reads_empty_default_graph,
    refuse_remote,
    remote_calls,
    serialize_boolean,
    serialize_select,
)
from .ontology import PREFIXES
from .pool import Answer, Call, Job, Limits, UpdateCheck

_DRY_RUN_STACK = 2 * 1024 * 1024  # the writer's update thread has 32 times this


def run(store: Any, job: Job | UpdateCheck | Call, limits: Limits, isolated: bool) -> Any:
    """The answer to a job: an Answer, None for a check that passed, JSON bytes for a call."""
    if isinstance(job, UpdateCheck):
        check_update(job, limits)
        return None
    if isinstance(job, Call):
        return _call(store, job)
    check_query(job.query, limits, isolated)
    if store is None:  # a remote store answers; this was only the check
        return None
    try:
        return _execute(store.store, job, limits)
    except OSError as exc:
        from .store import vanished_file

        if not vanished_file(exc) and "service" in job.query.casefold():
            raise Refused(400, "service_refused", "SERVICE calls to other endpoints are refused by this server"
                          ) from None
        raise


def check_query(text: str, limits: Limits, isolated: bool) -> None:
    """Nesting, then SERVICE by rdflib's parse tree. In an isolated worker (no network) a query rdflib
    cannot read still goes to the engine, which could not reach another endpoint anyway."""
    check_nesting(text, limits.max_nesting)
    if "service" not in text.casefold():  # the keyword cannot be there: no parse needed
        return
    try:
        tree = parse_tree(text, update=False)
    except Refused:
        if isolated:
            return
        raise Refused(400, "service_refused", "this query mentions SERVICE in a form this server cannot check; "
                      "it is refused") from None
    refuse_remote(tree, limits.endpoints)


def check_update(job: UpdateCheck, limits: Limits) -> None:
    """Everything an update must pass before the writer runs it."""
    text = job.text
    check_nesting(text, limits.max_nesting)
    if "\r" in text.replace("\r\n", "\n"):
        # SPARQL ends a comment at a lone CR; rdflib does not. Where parsers disagree, refuse.
        raise Refused(400, "bad_update", "a carriage return without a line feed is not accepted in updates")
    folded = text.casefold()
    if not any(word in folded for word in ("service", "load", "where")):
        # Without these keywords it is only DATA and graph operations: nothing to reach, no WHERE to
        # check; rdflib (seconds per 100 KB) is skipped and the engine's own parser decides below.
        _dry_run(job)
        return
    tree = parse_tree(text, update=True)
    refuse_remote(tree, limits.endpoints)
    if job.dataset:
        from .dataset_update import check, parsed

        check(parsed(text, job.base))
    elif reads_empty_default_graph(tree):
        raise Refused(400, "default_graph", "the update's WHERE matches triples outside GRAPH, in the default "
                      "graph, which is empty in this store (queries see the union of the named graphs; updates "
                      "do not): write GRAPH ?g { … } around the patterns, or USING <graph>")
    if not remote_calls(tree):  # an allowed LOAD or SERVICE is not fetched twice
        _dry_run(job)


def _dry_run(job: UpdateCheck) -> None:
    """Run the update with the engine itself, on a small stack (what passes here cannot overflow the
    writer's much larger one): on ``rehearsal``, a copy of the store, so that an update that would run
    past the timeout or the memory limit on the real data is stopped here, not in the server; else on an
    empty in-memory store."""
    import pyoxigraph as ox

    from .ontology import SPARQL_PREFIXES

    outcome: list[BaseException] = []

    def attempt() -> None:
        try:
            store = ox.Store(job.rehearsal) if job.rehearsal else ox.Store()
            if job.dataset:
                from .dataset_update import apply

                apply(store, job.text, job.base, job.using, job.using_named)
            else:
                store.update(SPARQL_PREFIXES + job.text, base_iri=job.base)
            del store
        except (SyntaxError, ValueError, OSError, Refused) as exc:
            outcome.append(exc)
        except MemoryError:
            raise
        except Exception as exc:  # rdflib's evaluator, on the protocol-dataset path
            if not job.dataset:
                raise
            outcome.append(exc)

    previous = threading.stack_size(_DRY_RUN_STACK)
    try:
        thread = threading.Thread(target=attempt)
        thread.start()
    finally:
        threading.stack_size(previous)
    thread.join()
    if outcome:
        if isinstance(outcome[0], Refused):
            raise outcome[0]
        raise Refused(400, "bad_update", str(outcome[0]) if isinstance(outcome[0], SyntaxError)
                      else "the update cannot be run")


def _call(store: Any, job: Call) -> bytes:
    module, _, name = job.function.partition(":")
    if not module.startswith("policygraph."):
        raise Refused(400, "bad_request", "not a policygraph function")
    function = getattr(importlib.import_module(module), name)
    return json.dumps(function(store, *job.args), ensure_ascii=False).encode()


def _execute(store: Any, job: Job, limits: Limits) -> Answer:
    import pyoxigraph as ox

    kwargs: dict[str, Any] = {"prefixes": PREFIXES, "base_iri": job.base}
    if job.default_graph:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graph]
    else:
        kwargs["use_default_graph_as_union"] = True
    if job.named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    result = store.query(job.query, **kwargs)
    offered = GRAPH_TYPES if isinstance(result, ox.QueryTriples) else SELECT_TYPES
    media = negotiate(job.accept, offered)
    if media is None:
        raise Refused(406, "not_acceptable", f"cannot answer this query as {(job.accept or '')[:100]}; try one "
                      "of: " + ", ".join(offered))
    if isinstance(result, ox.QueryBoolean):
        fmt = SELECT_TYPES[media]
        return Answer(serialize_boolean(bool(result), fmt), CONTENT_TYPE[fmt], "ask", 1, False)
    if isinstance(result, ox.QuerySolutions):
        fmt = SELECT_TYPES[media]
        variables = [v.value for v in result.variables]
        rows = ([solution[v] for v in variables] for solution in result)
        body, count, truncated = serialize_select(variables, rows, fmt, max_rows=limits.max_rows,
                                                  max_bytes=limits.max_bytes)
        del result, rows  # a live result holds the store
        return Answer(body, CONTENT_TYPE[fmt], "select", count, truncated)
    return _graph(result, GRAPH_TYPES[media], limits)


def _graph(result: Any, rdf: Any, limits: Limits) -> Answer:
    import pyoxigraph as ox

    triples: list[Any] = []
    budget = limits.max_bytes - 4096  # room for prefixes and framing
    truncated = False
    for triple in result:
        budget -= len(str(triple)) + 3
        if len(triples) == limits.max_rows or budget < 0:
            truncated = True
            break
        triples.append(triple)
    del result
    prefixes = PREFIXES if rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML) else None
    body = ox.serialize(triples, format=rdf, prefixes=prefixes) or b""
    while len(body) > limits.max_bytes and triples:  # a format more verbose than the estimate
        triples, truncated = triples[: len(triples) // 2], True
        body = ox.serialize(triples, format=rdf, prefixes=prefixes) or b""
    media = rdf.media_type
    return Answer(body, f"{media}; charset=utf-8" if media.startswith("text/") else media, "graph",
                  len(triples), truncated)
