"""The app's routes: ``/sparql`` (SPARQL 1.1 Protocol), ``/api/…`` lookups, ``/healthz``."""

from __future__ import annotations

import re
from typing import Annotated, Any, TypeVar
from urllib.parse import parse_qsl

from fastapi import FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from . import __version__, lookups
from .api import ApiError, Service, check_token, etag
from .endpoint import GRAPH_TYPES, SELECT_TYPES, negotiate, service_description, uses_service
from .pool import Job, QueryFailed, QueryTimeout
from .queries import QueryError, load_queries
from .settings import Settings
from .store import RemoteStore, value

_FORM = "application/x-www-form-urlencoded"
_QUERY_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_NOISE = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*')
_WHERE = re.compile(r"\bWHERE\b", re.IGNORECASE)


T = TypeVar("T")


def _found(value: T | None, message: str) -> T:
    """The value a lookup found, or the API's 404."""
    if value is None:
        raise ApiError(404, "not_found", message)
    return value


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def query_form(query: str) -> str:
    m = _QUERY_FORM.search(_NOISE.sub(" ", query))
    return m.group(1).upper() if m else "SELECT"


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


def _using(update: str, using: list[str], using_named: list[str]) -> str:
    """Apply using-graph-uri / using-named-graph-uri as USING clauses (the protocol's equivalent)."""
    if not using and not using_named:
        return update
    if re.search(r"\b(USING|WITH)\b", _NOISE.sub(" ", update), re.IGNORECASE):
        raise ApiError(400, "bad_request", "using-graph-uri and USING/WITH in the update cannot be combined")
    clause = " ".join([*(f"USING <{g}>" for g in using), *(f"USING NAMED <{g}>" for g in using_named)])
    return _WHERE.sub(lambda m: f"{clause} WHERE", update)


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
            if query is None:
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
        if update is not None:
            check_token(settings, request.headers.get("authorization"))
            text = _using(update, fields.get("using-graph-uri", []), fields.get("using-named-graph-uri", []))
            await run_in_threadpool(_apply_update, _service(request), text)
            return Response(status_code=204)
        if not query:
            raise ApiError(400, "bad_request", "missing query (or update) parameter")
        return await _answer(request, query, fields.get("default-graph-uri", []), fields.get("named-graph-uri", []))

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
        if uses_service(query) and not settings.allow_service:
            raise ApiError(400, "service_refused", "SERVICE calls to other endpoints are refused by this server")
        offered = GRAPH_TYPES if query_form(query) in ("CONSTRUCT", "DESCRIBE") else SELECT_TYPES
        accept = request.headers.get("accept")
        media = negotiate(accept, offered)
        if media is None:
            raise ApiError(406, "not_acceptable", f"cannot answer this query as {accept}; try one of: "
                           + ", ".join(offered))
        key = (query, tuple(default), tuple(named), media)
        tag = etag(key, service.version)
        if request.headers.get("if-none-match") == tag:
            return Response(status_code=304, headers={"ETag": tag})
        hit = service.cached(key)
        if hit is None:
            if service.pool is None:
                hit = await run_in_threadpool(_remote, service, query, default, named, media)
            else:
                job = Job(query, media, default, named, settings.max_rows, service.version)
                hit = await _pooled(request, service, job)
            service.remember(key, hit)
        body, content_type, truncated = hit
        if request.method == "GET":
            service.remember_raw(request.scope["query_string"], request.headers.get("accept", "").encode(),
                                 (body, content_type.encode(), tag.encode(), truncated))
        headers = {"ETag": tag, "Cache-Control": "no-cache"}
        if truncated:
            headers["X-Truncated"] = "true"
        return Response(body, media_type=content_type, headers=headers)

    def _remote(service: Service, query: str, default: list[str], named: list[str],
                media: str) -> tuple[bytes, str, bool]:
        import httpx

        assert isinstance(service.store, RemoteStore)
        try:
            body, ctype = service.store.raw_query(query, accept=media, default_graph=default, named_graphs=named)
        except httpx.TimeoutException:
            raise ApiError(503, "timeout", "the SPARQL server did not answer in time") from None
        return body, ctype, False

    async def _pooled(request: Request, service: Service, job: Job) -> tuple[bytes, str, bool]:
        """Run a query in a worker process, giving up (and stopping the worker) if the client leaves."""
        import asyncio
        import time

        pool = service.pool
        assert pool is not None
        deadline = time.monotonic() + settings.query_timeout
        worker = pool.acquire(0)  # an idle worker right away, without a thread hop
        while worker is None:  # wait for a worker, but not for a client who has gone
            worker = await run_in_threadpool(pool.acquire, 0.05)
            if worker is None and (await request.is_disconnected() or time.monotonic() > deadline):
                if time.monotonic() > deadline:
                    raise ApiError(503, "timeout", "every query worker stayed busy for the whole timeout",
                                   headers={"Retry-After": "1"})
                raise ApiError(400, "client_gone", "the client closed the connection")
        running = asyncio.ensure_future(run_in_threadpool(pool.execute, worker, job,
                                                          timeout=max(0.1, deadline - time.monotonic())))
        try:
            while not running.done():
                await asyncio.wait({running}, timeout=0.1)
                if not running.done() and await request.is_disconnected():
                    pool.discard(worker, job)  # the client left: stop its query now
            answer = running.result()
        except QueryTimeout as exc:
            raise ApiError(503, "timeout", f"{exc}; simplify the query or add a LIMIT",
                           headers={"Retry-After": "1"}) from None
        except QueryFailed as exc:
            raise ApiError(400, "bad_query", str(exc)) from None
        return answer.body, answer.content_type, answer.truncated

    def _apply_update(service: Service, text: str) -> None:
        from .reason import STALE, materialize
        from .store import insert_data

        try:
            service.store.update(text + " ;\n" + insert_data([STALE]))
        except (SyntaxError, ValueError, OSError) as exc:
            raise ApiError(400, "bad_update", str(exc)) from None
        materialize(service.store)
        service.changed()

    # ---------------------------------------------------------------- lookups

    @app.get("/api/responsibilities", tags=["lookups"], summary="Who is responsible for what: ranked duties")
    def responsibilities(
        request: Request,
        q: Annotated[str, Query(min_length=1, max_length=200, description="A keyword or a question, simplified "
                                "or traditional", examples=["谁负责扶贫资金管理监督？", "县级党委和政府有哪些职责？"])],
        limit: Annotated[int, Query(ge=1, le=200)] = 20,
    ) -> dict[str, Any]:
        service = _service(request)
        key = ("responsibilities", q, limit)
        if (hit := service.cached(key)) is not None:
            return hit
        hits = service.index().search(q, limit=limit)
        for h in hits:
            h.actor_id = lookups.actor_id(h.actor_id) if h.actor_id else None
            h.document_id = lookups.document_id(h.document_id)
        answer = {"query": q, "results": [h.to_json() for h in hits]}
        service.remember(key, answer)
        return answer

    @app.get("/api/actors", tags=["lookups"], summary="Actors, by level, kind or document")
    def actors(
        request: Request,
        level: Annotated[str | None, Query(max_length=40, examples=["county"])] = None,
        kind: Annotated[str | None, Query(max_length=80, examples=["government"])] = None,
        document: Annotated[str | None, Query(max_length=300, examples=["脱贫攻坚责任制实施办法"])] = None,
    ) -> dict[str, Any]:
        return {"actors": lookups.actors(_service(request).store, level=level, kind=kind, document_id_=document)}

    @app.get("/api/actors/{actor_id:path}/duties", tags=["lookups"],
             summary="An actor's duties, direct and inherited, each with its reason")
    def actor_duties(request: Request, actor_id: str,
                     inherited: Annotated[bool, Query()] = True) -> dict[str, Any]:
        store = _service(request).store
        if not lookups.actor_exists(store, actor_id):
            raise ApiError(404, "not_found", f"no actor {actor_id!r}")
        return {"actor": actor_id, "duties": lookups.actor_duties(store, actor_id, inherited=inherited)}

    @app.get("/api/actors/{actor_id:path}", tags=["lookups"], summary="One actor: level, kind, aliases, members")
    def actor(request: Request, actor_id: str) -> dict[str, Any]:
        return _found(lookups.actor(_service(request).store, actor_id), f"no actor {actor_id!r}")

    @app.get("/api/documents", tags=["lookups"], summary="The documents in the store")
    def documents(request: Request) -> dict[str, Any]:
        return {"documents": lookups.documents(_service(request).store)}

    @app.get("/api/documents/{doc_id}/articles/{number}", tags=["lookups"],
             summary="An article: text, original, duties, cited titles, aligned articles")
    def article(request: Request, doc_id: str, number: str) -> dict[str, Any]:
        return _found(lookups.article(_service(request).store, doc_id, number),
                      f"no article {number!r} in document {doc_id!r}")

    @app.get("/api/documents/{doc_id}", tags=["lookups"], summary="A document: dates, issuers, chapters, articles")
    def document(request: Request, doc_id: str) -> dict[str, Any]:
        return _found(lookups.document(_service(request).store, doc_id), f"no document {doc_id!r}")

    @app.get("/api/links", tags=["linking"], summary="A rule's articles aligned to the measure it implements")
    def links(request: Request,
              document: Annotated[str, Query(max_length=300, examples=["江北省脱贫攻坚责任制实施细则"])]
              ) -> dict[str, Any]:
        found = _comparison(request, document)
        return {"document": document, "based_on": found["based_on"],
                "links": [a.to_json() for a in found["alignments"]]}

    @app.get("/api/documents/{doc_id}/comparison", tags=["linking"],
             summary="A rule beside its measure: gaps, new articles, and changed duties")
    def comparison(request: Request, doc_id: str) -> dict[str, Any]:
        found = _comparison(request, doc_id)
        return {"document": doc_id, "based_on": found["based_on"],
                "alignments": [a.to_json() for a in found["alignments"]], **found["comparison"]}

    def _comparison(request: Request, doc_id: str) -> dict[str, Any]:
        from .link import align, compare

        store = _service(request).store
        doc = _found(lookups.document(store, doc_id), f"no document {doc_id!r}")
        if not doc["based_on"]:
            raise ApiError(404, "not_found", f"document {doc_id!r} implements no document in the store")
        measure = doc["based_on"][0]
        rule = lookups.link_articles(store, lookups.DOC_PREFIX + doc_id)
        central = lookups.link_articles(store, lookups.DOC_PREFIX + measure["id"])
        alignments = align(rule, central)
        return {"based_on": measure, "alignments": alignments, "comparison": compare(rule, central, alignments)}

    @app.get("/api/queries", tags=["stored queries"], summary="The stored queries, with their parameters")
    def queries() -> dict[str, Any]:
        return {"queries": [q.describe() for q in stored_queries.values()]}

    @app.get("/api/queries/{name}", tags=["stored queries"],
             summary="Run a stored query; its parameters are query-string parameters")
    def run_query(request: Request, name: str) -> dict[str, Any]:
        query = _found(stored_queries.get(name), f"no stored query {name!r}")
        values = {k: v for k, v in request.query_params.items()}
        try:
            columns, rows = query.run(_service(request).store, values)
        except QueryError as exc:
            raise ApiError(400, "bad_parameter", str(exc)) from None
        limit = settings.max_rows
        return {"query": name, "columns": columns, "truncated": len(rows) > limit,
                "rows": [{c: value(r[c]) for c in columns} for r in rows[:limit]]}

    @app.get("/healthz", tags=["service"], summary="Liveness: the store answers")
    def healthz(request: Request) -> dict[str, Any]:
        service = _service(request)
        service.store.ask("ASK WHERE { }")  # raises if the store cannot answer
        return {"status": "ok", "version": __version__, "store": service.store.location,
                "read_only": not settings.update_token}
