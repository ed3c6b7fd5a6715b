"""SPARQL Update with a protocol dataset (``using-graph-uri`` / ``using-named-graph-uri``).

pyoxigraph's ``Store.update`` takes no dataset, and request parameters are never pasted into update text.
So an update sent with a protocol dataset is parsed by rdflib's parser, the dataset is set on the parsed
structure (each INSERT/DELETE … WHERE operation's ``using``, as parsed IRIs), and rdflib evaluates the
operations in order over the store (through ``oxrdflib``). The WHERE of such an operation sees, as its
default graph, a copy of the named graphs ``using-graph-uri`` names, read from the local store, never
fetched: rdflib's own USING would download the graph from the web. This path is slower than the engine
(rdflib's evaluator) and runs, like every update, first on a checkpoint in a worker under its limits.
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
    """Run ``text`` on the pyoxigraph ``store`` with the protocol dataset set on each WHERE operation."""
    from oxrdflib import OxigraphStore
    from rdflib import Dataset, URIRef
    from rdflib.plugins.sparql import update as rdflib_update
    from rdflib.plugins.sparql.parserutils import CompValue

    update = parsed(text, base)
    check(update)
    backend = OxigraphStore(store=store)
    dataset = Dataset(store=backend, default_union=False)
    # A WHERE with using-named-graph-uri sees only those graphs in GRAPH ?g; without it, none (no USING
    # NAMED is an empty set of named graphs once a USING is given, SPARQL 1.1 Update 3.1.3).
    restricted = _restricted_class()(store=backend, default_union=False)
    restricted.named = [URIRef(g) for g in using_named]
    given = [CompValue("UsingClause", default=URIRef(g)) for g in using]
    given += [CompValue("UsingClause", named=URIRef(g)) for g in using_named]
    for operation in update.algebra:
        where = operation.name == "Modify"  # the operations whose grammar has USING (not DELETE WHERE)
        if where:
            operation["using"] = given
        ctx = _LocalContext(restricted if where else dataset, initBindings={})
        ctx.prologue = operation.prologue
        handler = getattr(rdflib_update, "eval" + operation.name)
        try:
            handler(ctx, operation)
        except Exception:
            if not operation.silent:
                raise


def _context_class() -> type:
    from rdflib import URIRef
    from rdflib.plugins.sparql.sparql import QueryContext

    class LocalContext(QueryContext):
        """rdflib's context, but a USING graph is copied from the local store, never fetched from the web;
        a USING NAMED graph is one the store already holds (nothing is loaded)."""

        def load(self, source: URIRef, default: bool = False, into: Any = None, **kwargs: Any) -> None:
            if default:
                local = self.dataset.get_context(URIRef(source))
                assert self.graph is not None
                for triple in local.triples((None, None, None)):
                    self.graph.add(triple)

        def clone(self, bindings: Any = None) -> QueryContext:
            copy = super().clone(bindings)
            copy.__class__ = LocalContext
            return copy

    return LocalContext


def _restricted_class() -> type:
    from rdflib import Dataset

    class Restricted(Dataset):
        """The store as a dataset whose named graphs, for GRAPH ?g, are only those named."""

        named: list[Any]  # set on the instance

        def contexts(self, triple: Any = None) -> Any:
            for name in self.named:
                graph = self.get_context(name)
                if triple is None or triple in graph:
                    yield graph

    return Restricted


def _LocalContext(dataset: Any, **kwargs: Any) -> Any:
    global _CLASS
    if _CLASS is None:
        _CLASS = _context_class()
    return _CLASS(dataset, **kwargs)


_CLASS: type | None = None
