"""``/api/queries``: the stored queries (``resources/queries/*.rq``) and running one with parameters."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..queries import NamedQuery, load_queries
from .core import JSON, ApiError, lookup, service

router = APIRouter(tags=["stored queries"])


@cache
def _stored() -> dict[str, NamedQuery]:
    return load_queries()  # read once per process, not on every request


@router.get("/api/queries", summary="The stored queries, with their parameters")
def queries() -> dict[str, Any]:
    return {"queries": [q.describe() for q in _stored().values()]}


@router.get("/api/queries/{name}", response_model=dict[str, Any],
            summary="Run a stored query; its parameters are query-string parameters")
async def run_query(request: Request, name: str) -> Response:
    if name not in _stored():
        raise ApiError(404, "not_found", f"no stored query {name!r}")
    values = tuple(sorted(request.query_params.items()))
    limit = service(request).settings.max_rows
    return Response(await lookup(request, "policygraph.payloads:payload_stored", name, values, limit),
                    media_type=JSON)
