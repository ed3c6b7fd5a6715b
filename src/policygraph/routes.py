"""The app's routes: ``/sparql`` (SPARQL 1.1 Protocol), ``/api/…`` lookups, ``/healthz``.

Nothing here reads a request's SPARQL text: query workers parse it (see work.py). Lookups and stored
queries run on the workers too, under the same timeout, and their JSON is cached per store version.
The ``payload_*`` functions at the end are what the workers call.
"""

from __future__ import annotations

import itertools
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from . import __version__, lookups
from .api import ApiError, Service, check_token, etag, new_generation
from .endpoint import GRAPH_TYPES, Refused, negotiate, service_description
from .errors import StoreError
from .pool import Call, Job, QueryFailed, QueryTimeout, UpdateCheck
from .queries import QueryError, load_queries
from .settings import Settings
from .store import LocalStore, RemoteStore, Store, value

_FORM = "application/x-www-form-urlencoded"
_REHEARSALS = itertools.count()  # names of the store copies updates are rehearsed on
_JSON = "application/json"


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def _multi(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in pairs:
        out.setdefault(k, []).append(v)
    return out


def _decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = f"the {what} is not valid UTF-8 ({exc.reason} at byte {exc.start})"
        raise ApiError(400, "bad_request", message) from None


async def _pooled(request: Request, job: Job | UpdateCheck | Call) -> Any:
    """Run a job on a query worker; its failures as the API's errors."""
    pool = _service(request).pool
    assert pool is not None
    try:
        return await pool.submit(job, gone=request.is_disconnected)
    except QueryTimeout as exc:
        raise ApiError(503, "timeout", f"{exc}; simplify the query or add a LIMIT",
                       headers={"Retry-After": "1"}) from None
    except QueryFailed as exc:
        headers = {"Retry-After": "1"} if exc.status == 503 else None
        raise ApiError(exc.status, exc.code, str(exc), headers=headers) from None


def _iris(fields: dict[str, list[str]], name: str) -> list[str]:
    """Graph IRIs of a protocol parameter, each checked as an IRI by the engine's own term parser."""
    import pyoxigraph as ox

    iris = fields.get(name, [])
    for iri in iris:
        try:
            ox.NamedNode(iri)
        except ValueError:
            raise ApiError(400, "bad_request", f"{name} is not an IRI") from None
    return iris


def _base(request: Request) -> str:
    """The endpoint's URL: the base IRI of relative IRIs in a query or update that has no BASE."""
    return str(request.url_for("sparql"))


def register(app: FastAPI, settings: Settings) -> None:
    stored_queries = load_queries()  # read once per app, not on every request

    @app.api_route("/sparql", methods=["GET", "POST", "PUT", "DELETE", "PATCH"], tags=["SPARQL"],
                   summary="SPARQL 1.1 Protocol endpoint (query by GET or POST; update by POST with a token)",
                   response_class=Response)
    async def sparql(request: Request) -> Response:
        if request.method not in ("GET", "POST"):
            raise ApiError(405, "method_not_allowed", "the SPARQL protocol uses GET and POST",
                           headers={"Allow": "GET, POST"})
        url = _multi(parse_qsl(_decode(request.url.query.encode("latin-1"), "query string"),
                               keep_blank_values=True))
        fields = url
        query = update = None
        if request.method == "GET":
            if "update" in url:
                raise ApiError(405, "method_not_allowed", "a SPARQL update must be sent with POST",
                               headers={"Allow": "POST"})
            query = url.get("query", [None])[0]
            if "query" not in url:
                return _description(request)
        else:
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = await request.body()
            if ctype == _FORM:
                fields = _multi(parse_qsl(_decode(body, "form body"), keep_blank_values=True))
                query = fields.get("query", [None])[0]
                update = fields.get("update", [None])[0]
            elif ctype == "application/sparql-query":
                query = _decode(body, "query")
            elif ctype == "application/sparql-update":
                update = _decode(body, "update")
            else:
                raise ApiError(415, "unsupported_media_type", "POST a query as application/sparql-query, an update "
                               "as application/sparql-update, or either as an HTML form (query= or update=)")
        if query is not None and update is not None:
            raise ApiError(400, "bad_request", "send either a query or an update, not both")
        for name in ("query", "update"):
            if len(fields.get(name, [])) > 1:
                raise ApiError(400, "bad_request", f"send one {name}, not {len(fields[name])} ({name}= repeated)")
        if update is not None:
            check_token(settings, request.headers.get("authorization"))
            await _update(request, update, _iris(fields, "using-graph-uri"), _iris(fields, "using-named-graph-uri"))
            return Response(status_code=204)
        if not query:
            raise ApiError(400, "bad_request", "missing query (or update) parameter")
        return await _answer(request, query, _iris(fields, "default-graph-uri"), _iris(fields, "named-graph-uri"))

    def _description(request: Request) -> Response:
        media = negotiate(request.headers.get("accept"), {"text/turtle": 1, **GRAPH_TYPES})
        text = service_description(str(request.url_for("sparql")), updates=bool(settings.update_token))
        if media not in (None, "text/turtle"):
            import pyoxigraph as ox

            triples = [ox.Triple(t.subject, t.predicate, t.object)
                       for t in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)]
            return Response(ox.serialize(triples, format=GRAPH_TYPES[media]), media_type=media)
        return Response(text, media_type="text/turtle; charset=utf-8")

    async def _answer(request: Request, query: str, default: list[str], named: list[str]) -> Response:
        service = _service(request)
        accept = request.headers.get("accept")
        base = _base(request)
        key = ("sparql", query, tuple(default), tuple(named), accept, base)
        tag = etag(key, service.generation)
        if request.headers.get("if-none-match") == tag:
            return Response(status_code=304, headers={"ETag": tag})
        hit = service.cached(key)
        if hit is None:
            job = Job(query, accept, default, named, service.version, base)
            if isinstance(service.store, RemoteStore):
                await _pooled(request, job)  # the checks only: the server answers
                hit = await run_in_threadpool(_remote, service, query, default, named, accept)
            else:
                answer = await _pooled(request, job)
                hit = (answer.body, answer.content_type, answer.truncated)
            service.remember(key, hit, len(hit[0]))
        body, content_type, truncated = hit
        if request.method == "GET":
            service.remember_raw(request.scope["query_string"], request.headers.get("accept", "").encode(),
                                 request.headers.get("host", "").encode(),
                                 (body, content_type.encode(), tag.encode(), truncated))
        headers = {"ETag": tag, "Cache-Control": "no-cache"}
        if truncated:
            headers["X-Truncated"] = "true"
        return Response(body, media_type=content_type, headers=headers)

    def _remote(service: Service, query: str, default: list[str], named: list[str],
                accept: str | None) -> tuple[bytes, str, bool]:
        import httpx

        assert isinstance(service.store, RemoteStore)
        try:
            body, ctype = service.store.raw_query(query, accept=accept or "application/sparql-results+json",
                                                  default_graph=default, named_graphs=named)
        except httpx.TimeoutException:
            raise ApiError(503, "timeout", "the SPARQL server did not answer in time") from None
        except StoreError:
            raise ApiError(502, "upstream_error", "the SPARQL server behind this endpoint refused or failed the "
                           "query") from None
        if len(body) > settings.max_answer_bytes:
            raise ApiError(502, "upstream_error", "the SPARQL server's answer is larger than this endpoint passes on")
        return body, ctype, False

    async def _update(request: Request, text: str, using: list[str], using_named: list[str]) -> None:
        """Check the update on a worker (nesting, SERVICE/LOAD, the engine's parser), then let the writer
        thread (which has no network unless allow_service names endpoints) run it."""
        from .reason import STALE, materialize
        from .store import insert_data

        service = _service(request)
        check = UpdateCheck(text, service.version, None, _base(request), using, using_named)
        await _rehearse(request, service, check)

        def write() -> None:
            if check.dataset:  # rdflib evaluates it (dataset_update.py); the marker first, so a crash leaves it
                from .dataset_update import apply as apply_dataset

                service.store.update(insert_data([STALE]) + " ;\n" + new_generation())
                assert isinstance(service.store, LocalStore)
                service.store.write(lambda ox_store: apply_dataset(ox_store, text, check.base, using, using_named))
            elif isinstance(service.store, LocalStore):
                service.store.update(text + " ;\n" + insert_data([STALE]) + " ;\n" + new_generation(),
                                     base_iri=check.base)
            else:
                service.store.update(text + " ;\n" + insert_data([STALE]) + " ;\n" + new_generation())

        def apply() -> None:
            try:
                write()
            except (SyntaxError, ValueError, Refused) as exc:
                raise ApiError(400, "bad_update", str(exc)) from None
            except (OSError, StoreError):
                raise ApiError(503, "store_unwritable", "the update could not be written (the store's disk may "
                               "be full); nothing was written", headers={"Retry-After": "5"}) from None
            service.changed()
            try:
                materialize(service.store)
            except (OSError, StoreError):  # the update is in; its inferences are marked stale, redone later
                raise ApiError(503, "store_unwritable", "the update was written but its inferences could not be "
                               "(the store's disk may be full); they are recomputed by the next write",
                               headers={"Retry-After": "5"}) from None
            service.changed()

        await service.writer.run(apply)

    async def _rehearse(request: Request, service: Service, check: UpdateCheck) -> None:
        """Check the update on a worker; for the embedded store, run it there first on a checkpoint of the
        store (hard links, made for this update and removed after), under the worker's limits."""
        import shutil
        from pathlib import Path

        if not isinstance(service.store, LocalStore):
            if check.dataset:
                raise ApiError(400, "bad_request", "using-graph-uri and using-named-graph-uri are supported on the "
                               "embedded store only: write USING <…> in the update")
            await _pooled(request, check)
            return
        store = service.store
        copy = Path(store.location).with_name(f".{Path(store.location).name}.rehearsal-{next(_REHEARSALS)}")
        try:
            await run_in_threadpool(store.checkpoint, copy)
        except (OSError, RuntimeError, StoreError):
            shutil.rmtree(copy, ignore_errors=True)
            raise ApiError(503, "store_unwritable", "the update could not be prepared (the store's disk may be "
                           "full); nothing was written", headers={"Retry-After": "5"}) from None
        try:
            check.rehearsal = str(copy)
            await _pooled(request, check)
        finally:
            await run_in_threadpool(shutil.rmtree, copy, True)

    async def _lookup(request: Request, function: str, *args: Any) -> Response:
        """A lookup's JSON: from the cache, else from a query worker (in process for a remote store)."""
        service = _service(request)
        key = ("call", function, args)
        body = service.cached(key)
        if body is None:
            if isinstance(service.store, RemoteStore) or service.pool is None:
                found = await run_in_threadpool(globals()[function], service.store, *args)
                import json

                body = json.dumps(found, ensure_ascii=False).encode()
            else:
                body = await _pooled(request, Call(f"policygraph.routes:{function}", args, service.version))
            service.remember(key, body, len(body))
        return Response(body, media_type=_JSON)

    # ---------------------------------------------------------------- lookups

    @app.get("/api/responsibilities", tags=["lookups"], summary="Who is responsible for what: ranked duties",
             response_model=dict[str, Any])
    async def responsibilities(
        request: Request,
        q: Annotated[str, Query(min_length=1, max_length=200, description="A keyword or a question, simplified "
                                "or traditional", examples=["谁负责扶贫资金管理监督？", "县级党委和政府有哪些职责？"])],
        limit: Annotated[int, Query(ge=1, le=200)] = 20,
    ) -> Response:
        return await _lookup(request, "payload_responsibilities", q, limit)

    @app.get("/api/actors", tags=["lookups"], summary="Actors, by level, kind or document",
             response_model=dict[str, Any])
    async def actors(
        request: Request,
        level: Annotated[str | None, Query(max_length=40, examples=["county"])] = None,
        kind: Annotated[str | None, Query(max_length=80, examples=["government"])] = None,
        document: Annotated[str | None, Query(max_length=300, examples=["脱贫攻坚责任制实施办法"])] = None,
    ) -> Response:
        return await _lookup(request, "payload_actors", level, kind, document)

    @app.get("/api/actors/{actor_id:path}/duties", tags=["lookups"], response_model=dict[str, Any],
             summary="An actor's duties, direct and inherited, each with its reason")
    async def actor_duties(request: Request, actor_id: str,
                           inherited: Annotated[bool, Query()] = True) -> Response:
        return await _lookup(request, "payload_actor_duties", actor_id, inherited)

    @app.get("/api/actors/{actor_id:path}", tags=["lookups"], response_model=dict[str, Any],
             summary="One actor: level, kind, aliases, members")
    async def actor(request: Request, actor_id: str) -> Response:
        return await _lookup(request, "payload_actor", actor_id)

    @app.get("/api/documents", tags=["lookups"], summary="The documents in the store", response_model=dict[str, Any])
    async def documents(request: Request) -> Response:
        return await _lookup(request, "payload_documents")

    @app.get("/api/documents/{doc_id}/articles/{number}", tags=["lookups"], response_model=dict[str, Any],
             summary="An article: text, original, duties, cited titles, aligned articles")
    async def article(request: Request, doc_id: str, number: str) -> Response:
        return await _lookup(request, "payload_article", doc_id, number)

    @app.get("/api/documents/{doc_id}", tags=["lookups"], response_model=dict[str, Any],
             summary="A document: dates, issuers, chapters, articles")
    async def document(request: Request, doc_id: str) -> Response:
        return await _lookup(request, "payload_document", doc_id)

    @app.get("/api/links", tags=["linking"], summary="A rule's articles aligned to the measure it implements",
             response_model=dict[str, Any])
    async def links(request: Request,
                    document: Annotated[str, Query(max_length=300, examples=["江北省脱贫攻坚责任制实施细则"])]
                    ) -> Response:
        return await _lookup(request, "payload_links", document)

    @app.get("/api/documents/{doc_id}/comparison", tags=["linking"], response_model=dict[str, Any],
             summary="A rule beside its measure: gaps, new articles, and changed duties")
    async def comparison(request: Request, doc_id: str) -> Response:
        return await _lookup(request, "payload_comparison", doc_id)

    @app.get("/api/queries", tags=["stored queries"], summary="The stored queries, with their parameters")
    def queries() -> dict[str, Any]:
        return {"queries": [q.describe() for q in stored_queries.values()]}

    @app.get("/api/queries/{name}", tags=["stored queries"], response_model=dict[str, Any],
             summary="Run a stored query; its parameters are query-string parameters")
    async def run_query(request: Request, name: str) -> Response:
        if name not in stored_queries:
            raise ApiError(404, "not_found", f"no stored query {name!r}")
        values = tuple(sorted(request.query_params.items()))
        return await _lookup(request, "payload_stored", name, values, settings.max_rows)

    @app.get("/healthz", tags=["service"], summary="Liveness: the store answers (and can be written, when "
             "updates are allowed)")
    def healthz(request: Request) -> Response:
        import json

        service = _service(request)
        service.store.ask("ASK WHERE { }")  # raises if the store cannot answer
        writable = getattr(service.store, "writable", lambda: True)() if settings.update_token else None
        body = {"status": "ok" if writable is not False else "unwritable", "version": __version__,
                "store": service.store.location, "read_only": not settings.update_token, "writable": writable}
        return Response(json.dumps(body), status_code=200 if writable is not False else 503, media_type=_JSON)


# ---------------------------------------------------------------- what the query workers call


def _found(found: Any, message: str) -> Any:
    """The value a lookup found, or the API's 404 (raised in the worker, answered by the server)."""
    from .endpoint import Refused

    if found is None:
        raise Refused(404, "not_found", message)
    return found


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
    _found(True if lookups.actor_exists(store, actor_id) else None, f"no actor {actor_id!r}")
    return {"actor": actor_id, "duties": lookups.actor_duties(store, actor_id, inherited=inherited)}


def payload_actor(store: Store, actor_id: str) -> dict[str, Any]:
    return dict(_found(lookups.actor(store, actor_id), f"no actor {actor_id!r}"))


def payload_documents(store: Store) -> dict[str, Any]:
    return {"documents": lookups.documents(store)}


def payload_article(store: Store, doc_id: str, number: str) -> dict[str, Any]:
    return dict(_found(lookups.article(store, doc_id, number), f"no article {number!r} in document {doc_id!r}"))


def payload_document(store: Store, doc_id: str) -> dict[str, Any]:
    return dict(_found(lookups.document(store, doc_id), f"no document {doc_id!r}"))


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

    doc = _found(lookups.document(store, doc_id), f"no document {doc_id!r}")
    if not doc["based_on"]:
        _found(None, f"document {doc_id!r} implements no document in the store")
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
