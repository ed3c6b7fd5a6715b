"""SPARQL Update with a protocol dataset (``using-graph-uri`` / ``using-named-graph-uri``).

pyoxigraph's ``Store.update`` takes no dataset, and request parameters are never pasted into update text.
So an update sent with a protocol dataset is parsed by rdflib's parser and its operations are run in order
by rdflib's evaluator over the store (through ``oxrdflib``), except each INSERT/DELETE … WHERE: its WHERE is
evaluated over the protocol dataset alone, copied out of the local store as it is at that operation (the
merge of the ``using`` graphs as the default graph, the ``using_named`` graphs as the only named ones: read
locally, never fetched, where rdflib's own USING would download them), and the solutions are written as
data. The default graph of the other operations is the store's own (CLEAR DEFAULT clears only it). This
path is rdflib's speed, not the engine's, and runs, like every update, first on a checkpoint in a worker.
"""

from __future__ import annotations

from typing import Any

from .endpoint import Refused


def parsed(text: str, base: str | None) -> Any:
    """The update as rdflib's algebra: relative IRIs resolved against ``base``, the store's prefixes known."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateUpdate
    from rdflib.plugins.sparql.parser import parseUpdate

    from .ontology import PREFIXES

    try:
        tree = parseUpdate(text)
        # The store's prefixes, less those the update declares (rdflib binds initNs again before each
        # operation, over the update's own declaration of the same prefix or namespace).
        declared = {str(x.get(k)) for p in tree.prologue for x in p if x.name == "PrefixDecl"
                    for k in ("prefix", "iri")}
        known = {k: v for k, v in PREFIXES.items() if k not in declared and str(v) not in declared}
        return translateUpdate(tree, base=base, initNs=known)
    except ParseBaseException as exc:
        raise Refused(400, "bad_update", f"cannot parse: {exc.msg} at {exc.lineno}:{exc.col}") from None
    except RecursionError:
        raise Refused(400, "too_deep", "nested too deeply to parse") from None
    except Exception as exc:  # rdflib's algebra refuses some updates its parser read (e.g. an unknown prefix)
        raise Refused(400, "bad_update", f"cannot read the update: {exc}") from None


def check(update: Any) -> None:
    """A protocol dataset and a USING or WITH in the update conflict (SPARQL 1.1 Protocol 2.2.3): 400."""
    for operation in update.algebra:
        if operation.name == "Modify" and (operation.using or operation.withClause is not None):
            raise Refused(400, "dataset_conflict", "the update names its dataset (USING or WITH) and so does the "
                          "request (using-graph-uri / using-named-graph-uri): send one of them")


def apply(store: Any, text: str, base: str | None, using: list[str], using_named: list[str]) -> None:
    """Run ``text`` on the pyoxigraph ``store``, each INSERT/DELETE … WHERE over the protocol dataset."""
    from oxrdflib import OxigraphStore
    from rdflib import Dataset
    from rdflib.plugins.sparql import update as rdflib_update

    update = parsed(text, base)
    check(update)
    dataset = Dataset(store=OxigraphStore(store=store), default_union=False)
    for operation in update.algebra:
        ctx = _context(dataset)
        ctx.prologue = operation.prologue
        try:
            if operation.name == "Modify":  # the operations whose grammar has USING (not DELETE WHERE)
                _modify(ctx, operation, _protocol_dataset(dataset, using, using_named))
            else:
                getattr(rdflib_update, "eval" + operation.name)(ctx, operation)
        except Exception:
            if not operation.silent:
                raise


def _context(dataset: Any) -> Any:
    """rdflib's evaluation context over ``dataset`` whose default graph is the dataset's own default graph
    (rdflib's is the union of all graphs, where CLEAR DEFAULT would empty every graph)."""
    from rdflib.plugins.sparql.sparql import QueryContext

    ctx = QueryContext(dataset, initBindings={})
    ctx.graph = dataset.default_context
    return ctx


def _protocol_dataset(dataset: Any, using: list[str], using_named: list[str]) -> Any:
    """The protocol dataset as the store holds it now, copied out of it (read locally, never fetched): the
    merge of the ``using`` graphs as the default graph, the ``using_named`` graphs as the only named ones."""
    from rdflib import Dataset, URIRef

    scratch = Dataset(default_union=False)
    for name in using:
        for triple in dataset.get_context(URIRef(name)).triples((None, None, None)):
            scratch.default_context.add(triple)
    for name in using_named:
        copy = scratch.get_context(URIRef(name))
        for triple in dataset.get_context(URIRef(name)).triples((None, None, None)):
            copy.add(triple)
    return scratch


def _modify(ctx: Any, operation: Any, where: Any) -> None:
    """DELETE/INSERT … WHERE: the WHERE evaluated over ``where`` (the protocol dataset), its solutions
    written into the store's graphs as data (rdflib's evalModify, with the dataset split in two)."""
    from rdflib.plugins.sparql.evaluate import evalPart
    from rdflib.plugins.sparql.update import _fillTemplate

    reading = _context(where)
    reading.prologue = ctx.prologue
    solutions = list(evalPart(reading, operation.where))
    default = ctx.dataset.default_context
    for solution in solutions:
        if operation.delete:
            default -= _fillTemplate(operation.delete.triples, solution)
            for graph, quads in operation.delete.quads.items():
                named = ctx.dataset.get_context(solution.get(graph))
                named -= _fillTemplate(quads, solution)
        if operation.insert:
            default += _fillTemplate(operation.insert.triples, solution)
            for graph, quads in operation.insert.quads.items():
                named = ctx.dataset.get_context(solution.get(graph))
                named += _fillTemplate(quads, solution)
