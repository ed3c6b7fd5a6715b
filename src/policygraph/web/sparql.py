"""``/sparql``: the SPARQL 1.1 Protocol (query by GET or POST, update by POST with the token).

Nothing here reads a request's SPARQL text: the query workers parse it (see work.py). Relative IRIs
resolve against the endpoint's URL; a protocol dataset of an update is handled in dataset_update.py.
"""

from __future__ import annotations

import itertools
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from ..endpoint import GRAPH_TYPES, Refused, negotiate, service_description
from ..errors import StoreError
from ..pool import Job, UpdateCheck
from ..store import LocalStore, RemoteStore, insert_data
from .core import ApiError, Service, check_token, decode, etag, new_generation, pooled, service

router = APIRouter(tags=["SPARQL"])
FORM = "application/x-www-form-urlencoded"
_REHEARSALS = itertools.count()  # names of the store copies updates are rehearsed on


@dataclass
class Operation:
    """What a request asks: a query or an update (or neither: the service description) and its parameters."""

    query: str | None = None
    update: str | None = None
    fields: dict[str, list[str]] = field(default_factory=dict)


@router.api_route("/sparql", methods=["GET", "POST", "PUT", "DELETE", "PATCH"], response_class=Response,
                  summary="SPARQL 1.1 Protocol endpoint (query by GET or POST; update by POST with a token)")
async def sparql(request: Request) -> Response:
    if request.method not in ("GET", "POST"):
        raise ApiError(405, "method_not_allowed", "the SPARQL protocol uses GET and POST",
                       headers={"Allow": "GET, POST"})
    asked = await _read(request)
    if asked.query is None and asked.update is None and request.method == "GET":
        return _description(request)
    if asked.query is not None and asked.update is not None:
        raise ApiError(400, "bad_request", "send either a query or an update, not both")
    for name in ("query", "update"):
        if len(asked.fields.get(name, [])) > 1:
            raise ApiError(400, "bad_request", f"send one {name}, not {len(asked.fields[name])} ({name}= repeated)")
    if asked.update is not None:
        check_token(service(request).settings, request.headers.get("authorization"))
        await _update(request, asked.update, _iris(asked.fields, "using-graph-uri"),
                      _iris(asked.fields, "using-named-graph-uri"))
        return Response(status_code=204)
    if not asked.query:
        raise ApiError(400, "bad_request", "missing query (or update) parameter")
    return await _answer(request, asked.query, _iris(asked.fields, "default-graph-uri"),
                         _iris(asked.fields, "named-graph-uri"))


async def _read(request: Request) -> Operation:
    """The query or update of a GET (URL) or POST (form, or a SPARQL body by its media type)."""
    url = _multi(parse_qsl(decode(request.url.query.encode("latin-1"), "query string"), keep_blank_values=True))
    if request.method == "GET":
        if "update" in url:
            raise ApiError(405, "method_not_allowed", "a SPARQL update must be sent with POST",
                           headers={"Allow": "POST"})
        return Operation(query=url["query"][0] if "query" in url else None, fields=url)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if ctype == FORM:
        form = _multi(parse_qsl(decode(body, "form body"), keep_blank_values=True))
        return Operation(form.get("query", [None])[0], form.get("update", [None])[0], form)
    if ctype == "application/sparql-query":
        return Operation(query=decode(body, "query"), fields=url)
    if ctype == "application/sparql-update":
        return Operation(update=decode(body, "update"), fields=url)
    raise ApiError(415, "unsupported_media_type", "POST a query as application/sparql-query, an update "
                   "as application/sparql-update, or either as an HTML form (query= or update=)")


def _multi(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in pairs:
        out.setdefault(k, []).append(v)
    return out


def _iris(fields: dict[str, list[str]], name: str) -> list[str]:
    """Graph IRIs of a protocol parameter, each checked as an IRI by the engine's own term parser."""
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


def _description(request: Request) -> Response:
    media = negotiate(request.headers.get("accept"), {"text/turtle": 1, **GRAPH_TYPES})
    text = service_description(_base(request), updates=bool(service(request).settings.update_token))
    if media not in (None, "text/turtle"):
        triples = [ox.Triple(t.subject, t.predicate, t.object)
                   for t in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)]
        return Response(ox.serialize(triples, format=GRAPH_TYPES[media]), media_type=media)
    return Response(text, media_type="text/turtle; charset=utf-8")


async def _answer(request: Request, query: str, default: list[str], named: list[str]) -> Response:
    current = service(request)
    accept = request.headers.get("accept")
    base = _base(request)
    key = ("sparql", query, tuple(default), tuple(named), accept, base)
    tag = etag(key, current.generation)
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers={"ETag": tag})
    hit = current.cached(key)
    if hit is None:
        job = Job(query, accept, default, named, current.version, base)
        if isinstance(current.store, RemoteStore):
            await pooled(request, job)  # the checks only: the server answers
            hit = await run_in_threadpool(_remote, current, query, default, named, accept)
        else:
            answer = await pooled(request, job)
            hit = (answer.body, answer.content_type, answer.truncated)
        current.remember(key, hit, len(hit[0]))
    body, content_type, truncated = hit
    if request.method == "GET":
        current.remember_raw(request.scope["query_string"], request.headers.get("accept", "").encode(),
                             request.headers.get("host", "").encode(),
                             request.headers.get("x-forwarded-proto", "").encode(),
                             (body, content_type.encode(), tag.encode(), truncated))
    headers = {"ETag": tag, "Cache-Control": "no-cache"}
    if truncated:
        headers["X-Truncated"] = "true"
    return Response(body, media_type=content_type, headers=headers)


def _remote(current: Service, query: str, default: list[str], named: list[str],
            accept: str | None) -> tuple[bytes, str, bool]:
    import httpx

    assert isinstance(current.store, RemoteStore)
    try:
        body, ctype = current.store.raw_query(query, accept=accept or "application/sparql-results+json",
                                              default_graph=default, named_graphs=named)
    except httpx.TimeoutException:
        raise ApiError(503, "timeout", "the SPARQL server did not answer in time") from None
    except StoreError:
        raise ApiError(502, "upstream_error", "the SPARQL server behind this endpoint refused or failed the "
                       "query") from None
    if len(body) > current.settings.max_answer_bytes:
        raise ApiError(502, "upstream_error", "the SPARQL server's answer is larger than this endpoint passes on")
    return body, ctype, False


async def _update(request: Request, text: str, using: list[str], using_named: list[str]) -> None:
    """Check the update on a worker (nesting, SERVICE/LOAD, the engine's parser, a rehearsal on a copy), then
    let the writer thread (which has no network unless allow_service names endpoints) run it."""
    current = service(request)
    check = UpdateCheck(text, current.version, None, _base(request), using, using_named)
    await _rehearse(request, current, check)
    await current.writer.run(lambda: _apply(current, check))


def _write(current: Service, check: UpdateCheck) -> None:
    """The update, the stale-inferences marker and a new generation (the store's version), in one
    transaction; an update with a protocol dataset is rdflib's (dataset_update.py), after the marker."""
    from ..reason import STALE

    state = insert_data([STALE]) + " ;\n" + new_generation()
    if check.dataset:
        from ..dataset_update import apply

        assert isinstance(current.store, LocalStore)
        current.store.update(state)
        current.store.write(lambda store: apply(store, check.text, check.base, check.using, check.using_named))
    elif isinstance(current.store, LocalStore):
        current.store.update(check.text + " ;\n" + state, base_iri=check.base)
    else:
        current.store.update(check.text + " ;\n" + state)


def _apply(current: Service, check: UpdateCheck) -> None:
    from ..reason import materialize

    try:
        _write(current, check)
    except (SyntaxError, ValueError, Refused) as exc:
        raise ApiError(400, "bad_update", str(exc)) from None
    except (OSError, StoreError):
        raise ApiError(503, "store_unwritable", "the update could not be written (the store's disk may "
                       "be full); nothing was written", headers={"Retry-After": "5"}) from None
    current.changed()
    try:
        materialize(current.store)
    except (OSError, StoreError):  # the update is in; its inferences are marked stale, redone later
        raise ApiError(503, "store_unwritable", "the update was written but its inferences could not be "
                       "(the store's disk may be full); they are recomputed by the next write",
                       headers={"Retry-After": "5"}) from None
    current.changed()


async def _rehearse(request: Request, current: Service, check: UpdateCheck) -> None:
    """Check the update on a worker; for the embedded store, run it there first on a checkpoint of the
    store (hard links, made for this update and removed after), under the worker's limits."""
    if not isinstance(current.store, LocalStore):
        if check.dataset:
            raise ApiError(400, "bad_request", "using-graph-uri and using-named-graph-uri are supported on the "
                           "embedded store only: write USING <…> in the update")
        await pooled(request, check)
        return
    store = current.store
    copy = Path(store.location).with_name(f".{Path(store.location).name}.rehearsal-{next(_REHEARSALS)}")
    try:
        await run_in_threadpool(store.checkpoint, copy)
    except (OSError, RuntimeError, StoreError):
        shutil.rmtree(copy, ignore_errors=True)
        raise ApiError(503, "store_unwritable", "the update could not be prepared (the store's disk may be "
                       "full); nothing was written", headers={"Retry-After": "5"}) from None
    try:
        check.rehearsal = str(copy)
        await pooled(request, check)
    finally:
        await run_in_threadpool(shutil.rmtree, copy, True)
