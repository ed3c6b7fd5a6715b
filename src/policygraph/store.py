"""Where the graph lives: an embedded pyoxigraph store, or any SPARQL 1.1 server.

Both backends offer the same verbs: ``select`` and ``query`` with bound values
(never string formatting), ``update``, ``replace_graphs`` (one transaction: the
document's graph replaced and its actors added, or nothing written), ``dump``.

>>> import tempfile
>>> store = open_store(tempfile.mkdtemp())
>>> store.select("SELECT ?x (?x + 1 AS ?y) WHERE {}", x=Literal("2", datatype=NamedNode(XSD_INTEGER)))[0]["y"].value
'3'
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlencode

import pyoxigraph as ox
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, QueryResultsFormat, RdfFormat, Variable

from .errors import StoreError
from .ontology import SPARQL_PREFIXES

Term = NamedNode | BlankNode | Literal
Row = dict[str, Term | None]
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

RDF_FORMATS = {
    "ttl": RdfFormat.TURTLE, "turtle": RdfFormat.TURTLE, "nt": RdfFormat.N_TRIPLES,
    "nq": RdfFormat.N_QUADS, "trig": RdfFormat.TRIG, "rdf": RdfFormat.RDF_XML, "xml": RdfFormat.RDF_XML,
    "jsonld": RdfFormat.JSON_LD, "n3": RdfFormat.N3,
}


def value(term: Term | None) -> str | None:
    """A term's lexical value, None for an unbound variable."""
    return None if term is None else str(term.value)


def plain(rows: list[Row]) -> list[dict[str, Any]]:
    """Rows with lexical values instead of terms."""
    return [{k: value(v) for k, v in r.items()} for r in rows]


def open_read_only(path: str, *, patience: float = 5.0) -> ox.Store:
    """Open a store directory read-only, even while its writer is compacting it.

    RocksDB's read-only mode reads the list of table files, then opens them; a live writer that compacts
    in between deletes some of them ("IO error: No such file or directory"). Opening again reads the new
    list, so a vanished file means "try again", for up to ``patience`` seconds.
    """
    deadline = time.monotonic() + patience
    pause = 0.01
    while True:
        try:
            return ox.Store.read_only(path)
        except (OSError, RuntimeError) as exc:
            if not vanished_file(exc) or not Path(path, "CURRENT").exists() or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.2)


def vanished_file(exc: BaseException) -> bool:
    """Whether a storage error says a table file disappeared (a writer compacted it away), not real damage."""
    return "No such file or directory" in str(exc)


class Store(Protocol):
    """What policygraph needs of a triple store."""

    location: str

    def select(self, sparql: str, /, **bindings: Term) -> list[Row]: ...

    def ask(self, sparql: str, /, **bindings: Term) -> bool: ...

    def update(self, sparql: str) -> None: ...

    def replace_graphs(self, graph: NamedNode, quads: Sequence[Quad], extra: Sequence[Quad] = ()) -> None: ...

    def dump(self, fmt: RdfFormat, graph: NamedNode | None = None) -> bytes: ...

    def quad_count(self) -> int: ...

    def close(self) -> None: ...


def open_store(location: str | Path, *, read_only: bool = False, **options: Any) -> Store:
    """A path opens the embedded store; an http(s) URL talks to a SPARQL 1.1 server."""
    loc = str(location)
    if re.match(r"^https?://", loc):
        return RemoteStore(loc, **options)
    return LocalStore(loc, read_only=read_only)


def rdf_quads(path: Path, fmt: RdfFormat, graph: NamedNode) -> list[Quad]:
    """An RDF file's statements as quads: a dataset's named graphs kept, everything else in ``graph``."""
    return [Quad(q.subject, q.predicate, q.object,
                 q.graph_name if isinstance(q.graph_name, NamedNode) else graph)
            for q in ox.parse(path=str(path), format=fmt)]


def insert_data(quads: Iterable[Quad], *, chunk: int = 1000) -> str:
    """INSERT DATA operations for quads, grouped by graph (terms serialised by pyoxigraph), ``chunk`` quads an
    operation (Virtuoso compiles each operation to SQL and refuses one of more than 10,000 lines); the quads that hold
    a blank node go in one ``INSERT {…} WHERE {}``, which mints them alike (Virtuoso refuses blank nodes in INSERT
    DATA). Joined by ``;``: one request, one transaction."""
    plain: list[Quad] = []
    blank: list[Quad] = []
    for q in quads:
        (blank if isinstance(q.subject, BlankNode) or isinstance(q.object, BlankNode) else plain).append(q)
    ops = [f"INSERT DATA {{\n{_graphs(plain[i:i + chunk])}\n}}" for i in range(0, len(plain), chunk)]
    if blank:
        ops.append(f"INSERT {{\n{_graphs(blank)}\n}} WHERE {{}}")
    return " ;\n".join(ops) or "INSERT DATA {\n\n}"


def _graphs(quads: Sequence[Quad]) -> str:
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    return "\n".join(f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}" for g, lines in by_graph.items())


class LocalStore:
    """The embedded pyoxigraph store in a directory.

    A writer holds ``.{name}.lock`` beside the store (``flock``) from open to close, across a bulk load's
    rebuild and directory swap, so a second policygraph writer is refused at every moment of it.
    """

    def __init__(self, path: str, *, read_only: bool = False) -> None:
        self.location = path
        self.read_only = read_only
        self._lock_file: Any = None  # an open file: closed (and the lock released) with this object
        self._failed = False  # a write failed: reopen before the next one
        self._incoming: ox.Store | None = None  # a bulk load's new store, being filled (``bulk_begin``)
        try:
            if read_only:
                _check_not_swapping(Path(path))
                self.store = open_read_only(path)
            else:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                self._lock_file = _take_lock(Path(path))
                _recover_swap(Path(path))
                Path(path).mkdir(parents=True, exist_ok=True)
                self.store = ox.Store(path)
        except (OSError, RuntimeError) as exc:  # RuntimeError: RocksDB reports corruption so
            self._unlock()
            raise StoreError(_explain_open_error(path, exc)) from None
        except StoreError:
            self._unlock()
            raise

    @classmethod
    def over(cls, store: ox.Store, location: str) -> LocalStore:
        """A read-only LocalStore around an already open pyoxigraph store (a query worker's)."""
        self = cls.__new__(cls)
        self.location, self.read_only, self._lock_file, self.store = location, True, None, store
        self._failed, self._incoming = False, None
        return self

    def query(self, sparql: str, /, *, bindings: Mapping[str, Term] | None = None,
              default_graph: Sequence[NamedNode] | None = None, named_graphs: Sequence[NamedNode] | None = None,
              use_default_graph_as_union: bool = False) -> Any:
        """Run a query with bound values; the raw pyoxigraph result.

        Values are bound as a server is sent them, a VALUES block opening the WHERE clause (``bind_values``):
        pyoxigraph's ``substitutions`` leave BOUND(?param) false, so an optional parameter
        (``FILTER(!BOUND(?p) || …)``) filtered nothing here while a SPARQL server did (found against Virtuoso).
        A query without a WHERE keyword keeps ``substitutions``."""
        subs = {Variable(k): v for k, v in (bindings or {}).items()}
        if subs and _WHERE.search(sparql):
            sparql, subs = bind_values(sparql, bindings or {}), {}
        kwargs: dict[str, Any] = {"substitutions": subs} if subs else {}
        if default_graph:
            kwargs["default_graph"] = list(default_graph)
        elif use_default_graph_as_union:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = list(named_graphs)
        return self.store.query(SPARQL_PREFIXES + sparql, **kwargs)

    def select(self, sparql: str, /, **bindings: Term) -> list[Row]:
        result = self.query(sparql, bindings=bindings, use_default_graph_as_union=True)
        names = [v.value for v in result.variables]
        # Copy out of the result object: a live result holds the store's lock.
        return [{n: sol[n] for n in names} for sol in result]

    def ask(self, sparql: str, /, **bindings: Term) -> bool:
        return bool(self.query(sparql, bindings=bindings, use_default_graph_as_union=True))

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        self._writable()
        self._write(lambda: self.store.update(SPARQL_PREFIXES + sparql, base_iri=base_iri))

    def write(self, work: Any) -> None:
        """Run ``work(pyoxigraph_store)`` as a write (a failed write reopens the store, as ``update``)."""
        self._writable()
        self._write(lambda: work(self.store))

    def replace_graphs(self, graph: NamedNode, quads: Sequence[Quad], extra: Sequence[Quad] = ()) -> None:
        """Replace ``graph`` by ``quads`` and add ``extra``, in one transaction."""
        self._writable()
        if not self.store.contains_named_graph(graph):
            self._write(lambda: self.store.extend([*quads, *extra]))  # one atomic transaction, faster than parsing
            return
        self._write(lambda: self.store.update(f"DROP SILENT GRAPH {graph} ;\n" + insert_data([*quads, *extra])))

    def _write(self, write: Any) -> None:
        """Run a write. RocksDB stays read-only after a failed write (a full disk) until it is reopened, so
        the next write after a failure reopens the store first: once space is free, writes succeed again."""
        if self._failed:
            self._reopen()
        try:
            write()
        except OSError as exc:
            self._failed = True
            raise StoreError(f"{self.location}: the store could not be written ({_reason(exc)}); nothing was "
                             "written") from None

    def _reopen(self) -> None:
        """Swap in a read-only opener (readers never see the store missing), then the writer again; if that
        fails (the disk is still full), reads go on and the next write tries again."""
        self.store = open_read_only(self.location)  # the failed writer is released with its last reference
        for _ in range(20):
            try:
                self.store = ox.Store(self.location)
                self._failed = False
                return
            except OSError as exc:
                if "lock" not in str(exc).lower():  # still held by a reader finishing: wait; else give up
                    raise StoreError(f"{self.location}: the store cannot be reopened for writing "
                                     f"({_reason(exc)})") from None
                time.sleep(0.1)

    def writable(self) -> bool:
        """Whether the store's directory can take a write now (space and permission), by writing a probe."""
        if self.read_only:
            return False
        probe = Path(self.location).with_name(f".{Path(self.location).name}.probe")
        try:
            with open(probe, "wb") as handle:
                handle.write(b"\0" * 4096)
                handle.flush()
                os.fsync(handle.fileno())
            probe.unlink()
            return True
        except OSError:
            probe.unlink(missing_ok=True)
            return False

    def load_rdf(self, path: Path, fmt: RdfFormat, graph: NamedNode, extra: Sequence[Quad] = ()) -> int:
        """Load an RDF file into ``graph``, replacing it, in one transaction; a dataset's named graphs are kept
        (and replaced), its default graph goes into ``graph``. (The loader decides which graphs may be written.)"""
        quads = rdf_quads(path, fmt, graph)
        graphs = {q.graph_name for q in quads} | {graph}
        self._writable()
        if not any(self.store.contains_named_graph(g) for g in graphs):
            self._write(lambda: self.store.extend([*quads, *extra]))  # one atomic transaction
        else:
            drops = "".join(f"DROP SILENT GRAPH {g} ;\n" for g in sorted(graphs, key=str))
            self._write(lambda: self.store.update(drops + insert_data([*quads, *extra])))
        return len(quads)

    def dump(self, fmt: RdfFormat, graph: NamedNode | None = None) -> bytes:
        if graph is not None:
            return self.store.dump(format=fmt, from_graph=graph) or b""
        if not fmt.supports_datasets:
            return self.store.dump(format=fmt, from_graph=ox.DefaultGraph()) or b""
        return self.store.dump(format=fmt) or b""

    def quad_count(self) -> int:
        return len(self.store)

    def has_documents(self) -> bool:
        """Whether any graph besides policygraph's own (ontology, actors, inferences, state) exists."""
        own = ("/graph/ontology", "/graph/actors", "/graph/inferred", "/graph/state")
        return any(not str(g.value).endswith(own) for g in self.store.named_graphs())

    def bulk_add(self, quads: Sequence[Quad]) -> None:
        """Add many quads at bulk-load speed, atomically: build a new store beside this one, then swap it in.

        The current quads are copied across, so nothing is lost. The store stays open (RocksDB's own lock
        held) while the copy is built, and the lock file beside it is held throughout, the swap included.
        If the process dies before the swap, the store is untouched and the half-built copy is removed on
        the next open; if it dies between the two renames, the next open puts the old store back.
        """
        self._bulk_swap(lambda new: new.bulk_extend(quads))

    def optimize(self) -> None:
        """Compact the store's files (after a bulk load and its inferences: fewer bytes per quad)."""
        self._writable()

        def compact() -> None:
            self.store.flush()  # the write-ahead log's contents into table files first
            self.store.optimize()
            del self.store  # RocksDB drops the obsolete log only when the store is opened again
            self.store = ox.Store(self.location)

        self._write(compact)

    def _bulk_swap(self, fill: Any) -> None:
        """Build a new store beside this one (its quads copied, then ``fill(new)``), then swap it in."""
        self.bulk_begin()
        try:
            self.bulk_fill(fill)
        except BaseException:
            self.bulk_abandon()
            raise
        self.bulk_commit()

    def bulk_begin(self) -> None:
        """Start a new store beside this one, with this one's quads, for ``bulk_fill`` to add to (from any one
        thread at a time) while this one stays as it is; ``bulk_commit`` swaps it in, ``bulk_abandon`` removes it."""
        self._writable()
        incoming, _previous = _swap_paths(Path(self.location))
        shutil.rmtree(incoming, ignore_errors=True)
        existing = list(self.store.quads_for_pattern(None, None, None, None))
        self._incoming = ox.Store(str(incoming))
        self.bulk_fill(lambda new: new.bulk_extend(existing))

    def bulk_fill(self, fill: Any) -> None:
        """Run ``fill(new_store)`` on the store ``bulk_begin`` started (a full disk: StoreError)."""
        assert self._incoming is not None, "bulk_begin first"
        try:
            fill(self._incoming)
        except OSError as exc:
            raise StoreError(f"{self.location}: the bulk load could not be written ({_reason(exc)}); the store "
                             "is as it was") from None

    def bulk_abandon(self) -> None:
        self._incoming = None  # closed with its last reference
        shutil.rmtree(_swap_paths(Path(self.location))[0], ignore_errors=True)

    def bulk_commit(self) -> None:
        """Swap the new store in (a process killed between the two renames: the next open puts this one back)."""
        try:
            self.bulk_fill(lambda new: new.flush())
        except StoreError:
            self.bulk_abandon()
            raise
        self._incoming = None
        path = Path(self.location)
        incoming, previous = _swap_paths(path)
        self.store.flush()
        del self.store
        try:
            os.rename(path, previous)
            os.rename(incoming, path)
            shutil.rmtree(previous, ignore_errors=True)
        finally:
            self.store = ox.Store(str(path)) if path.exists() else ox.Store(str(previous))

    def checkpoint(self, target: Path) -> None:
        """A consistent read-only copy of the store at ``target`` (hard links where the file system allows)."""
        self._writable()
        self.store.backup(str(target))

    def close(self) -> None:
        if not self.read_only:
            self.store.flush()
        del self.store
        self._unlock()

    def _unlock(self) -> None:
        if self._lock_file is not None:
            self._lock_file.close()  # closing the descriptor releases the flock
            self._lock_file = None

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.location}: the store is open read-only")


def _swap_paths(path: Path) -> tuple[Path, Path]:
    return path.with_name(f".{path.name}.incoming"), path.with_name(f".{path.name}.previous")


def spool_path(path: Path) -> Path:
    """Where a parallel bulk load spools its documents' N-Quads (in chunks, ``….0``, ``….1``…) before the swap
    (under the writer's lock)."""
    return path.with_name(f".{path.name}.spool.nq")


def _take_lock(path: Path) -> Any:
    """Hold the writer's lock beside the store, or StoreError if another process holds it."""
    handle = open(path.with_name(f".{path.name}.lock"), "a+b")  # noqa: SIM115 - held as long as the store
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise StoreError(f"{path}: the store is in use by another process (close it, or open it read-only)"
                         ) from None
    return handle


def _check_not_swapping(path: Path) -> None:
    _incoming, previous = _swap_paths(path)
    if not path.exists() and previous.exists():
        raise StoreError(f"{path}: a bulk load is swapping the store in (or was killed doing it); open it "
                         "for writing to finish, or try again")


def _recover_swap(path: Path) -> None:
    """With the writer's lock held: finish or undo a bulk load's swap that a killed process left half done,
    and remove the copy a killed bulk load was building."""
    incoming, previous = _swap_paths(path)
    if not path.exists() and previous.exists():
        os.rename(previous, path)  # killed between the two renames: put the old store back
    elif path.exists() and previous.exists():
        shutil.rmtree(previous, ignore_errors=True)  # killed after the swap, before the clean-up
    shutil.rmtree(incoming, ignore_errors=True)
    for chunk in path.parent.glob(f"{spool_path(path).name}*"):  # the spool of a killed parallel bulk load
        chunk.unlink(missing_ok=True)


def _reason(exc: OSError) -> str:
    text = str(exc)
    if "No space left" in text or "ENOSPC" in text:
        return "no space left on the device"
    if "Permission denied" in text or "Read-only file system" in text:
        return "permission denied"
    return "storage error"


def _explain_open_error(path: str, exc: Exception) -> str:
    text = " ".join(str(exc).split())
    if "No space left" in text:
        return f"{path}: cannot open the store for writing: no space left on the device"
    if "Corruption" in text:
        return f"{path}: the store is damaged and cannot be opened ({text[:300]})"
    if "lock" in text.lower():
        return f"{path}: the store is in use by another process (close it, or open it read-only)"
    if "Permission denied" in text or "Read-only file system" in text:
        return f"{path}: cannot write to the store directory (permission denied); open it read-only"
    return f"{path}: cannot open the store: {text}"


class RemoteStore:
    """A SPARQL 1.1 server: Query and Update protocols, Graph Store Protocol for whole graphs.

    ``location`` is the query endpoint. The update and graph store endpoints are
    derived by Oxigraph's and Fuseki's conventions (…/query → …/update, …/store or
    …/data) unless given.
    """

    def __init__(self, location: str, *, update_url: str | None = None, graph_store_url: str | None = None,
                 timeout: float = 60.0) -> None:
        import httpx

        self.location = location
        base, _, last = location.rstrip("/").rpartition("/")
        if last in ("query", "sparql"):
            self.query_url = location
            self.update_url = update_url or (f"{base}/update" if last == "query" else location)
            self.graph_store_url = graph_store_url or f"{base}/{'store' if last == 'query' else 'sparql-graph-crud'}"
        else:  # a server root such as http://host:7878
            root = location.rstrip("/")
            self.query_url, self.update_url = f"{root}/query", update_url or f"{root}/update"
            self.graph_store_url = graph_store_url or f"{root}/store"
        self.client = httpx.Client(timeout=timeout)

    def raw_query(self, sparql: str, *, accept: str, bindings: Mapping[str, Term] | None = None,
                  default_graph: Sequence[str] = (), named_graphs: Sequence[str] = ()) -> tuple[bytes, str]:
        """POST a query; the body and content type the server answered with."""
        text = bind_values(SPARQL_PREFIXES + sparql, bindings or {})
        form = [("query", text), *(("default-graph-uri", g) for g in default_graph),
                *(("named-graph-uri", g) for g in named_graphs)]
        response = self._send("POST", self.query_url, content=urlencode(form),
                              headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
        return response.content, response.headers.get("content-type", "")

    def select(self, sparql: str, /, **bindings: Term) -> list[Row]:
        body, _ = self.raw_query(sparql, accept="application/sparql-results+json", bindings=bindings)
        results = ox.parse_query_results(body, format=QueryResultsFormat.JSON)
        names = [v.value for v in results.variables]  # type: ignore[union-attr]
        return [{n: sol[n] for n in names} for sol in results]  # type: ignore[union-attr]

    def ask(self, sparql: str, /, **bindings: Term) -> bool:
        body, _ = self.raw_query(sparql, accept="application/sparql-results+json", bindings=bindings)
        answer = json.loads(body)
        if "boolean" in answer:
            return bool(answer["boolean"])
        # Virtuoso answers an ASK in JSON as one row binding __ASK_RETVAL to 1 or 0.
        rows: list[dict[str, dict[str, str]]] = answer.get("results", {}).get("bindings", [])
        return bool(rows) and any(cell.get("value") in ("1", "true") for cell in rows[0].values())

    def update(self, sparql: str) -> None:
        self._send("POST", self.update_url, data={"update": SPARQL_PREFIXES + sparql})

    def replace_graphs(self, graph: NamedNode, quads: Sequence[Quad], extra: Sequence[Quad] = ()) -> None:
        # One update request is one transaction on Oxigraph, Fuseki, Virtuoso and GraphDB.
        self.update(f"DROP SILENT GRAPH {graph} ;\n" + insert_data([*quads, *extra]))

    def load_rdf(self, path: Path, fmt: RdfFormat, graph: NamedNode, extra: Sequence[Quad] = ()) -> int:
        quads = rdf_quads(path, fmt, graph)
        if fmt.supports_datasets:
            graphs = sorted({q.graph_name for q in quads} | {graph}, key=str)
            self.update("".join(f"DROP SILENT GRAPH {g} ;\n" for g in graphs) + insert_data([*quads, *extra]))
        else:
            # Graph Store Protocol PUT: the server replaces the graph in one step.
            body = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads],
                                format=RdfFormat.N_TRIPLES)
            self._send("PUT", self.graph_store_url, params={"graph": graph.value}, content=body,
                       headers={"Content-Type": "application/n-triples"})
            if extra:
                self.update(insert_data(extra))
        return len(quads)

    def dump(self, fmt: RdfFormat, graph: NamedNode | None = None) -> bytes:
        params = {"graph": graph.value} if graph is not None else {}
        if graph is None and not fmt.supports_datasets:
            params = {"default": ""}
        response = self._send("GET", self.graph_store_url, params=params, headers={"Accept": fmt.media_type})
        return bytes(response.content)

    def quad_count(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")
        n = rows[0]["n"]
        return int(n.value) if n is not None else 0

    def close(self) -> None:
        self.client.close()

    def _send(self, method: str, url: str, **kwargs: Any) -> Any:
        import httpx

        try:
            response = self.client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            raise StoreError(f"{url}: cannot reach the SPARQL server ({exc})") from None
        if response.status_code >= 400:
            raise StoreError(f"{url}: the SPARQL server answered {response.status_code}: {response.text[:300]}")
        return response


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def bind_values(sparql: str, bindings: Mapping[str, Term]) -> str:
    """Bind variables for a server that takes no substitutions: a VALUES block opening the WHERE clause.

    Terms are serialised by pyoxigraph (escaped N-Triples syntax), so a value can
    never change the query's structure.

    >>> print(bind_values("SELECT ?x WHERE { ?x ?p ?q }", {"q": Literal('a"} #')}))
    SELECT ?x WHERE { VALUES ?q { "a\\"} #" } ?x ?p ?q }
    """
    if not bindings:
        return sparql
    m = _WHERE.search(sparql)
    if not m:
        raise StoreError("a query with parameters needs a WHERE clause")
    values = " ".join(f"VALUES ?{name} {{ {_term(term)} }}" for name, term in bindings.items())
    return f"{sparql[: m.end()]} {values}{sparql[m.end():]}"


def _term(term: Term) -> str:
    """A term in SPARQL syntax. A simple literal beyond ASCII is written with its datatype, xsd:string (the same
    term): Virtuoso 7 gives STR() of the short form another value, so STR(?x) = STR(?param) never matched.

    >>> _term(Literal("县级政府"))
    '"县级政府"^^<http://www.w3.org/2001/XMLSchema#string>'
    """
    text = str(term)
    if isinstance(term, Literal) and text.endswith('"') and not text.isascii():
        return f"{text}^^<{XSD_STRING}>"
    return text
