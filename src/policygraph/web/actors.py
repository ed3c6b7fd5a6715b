"""``/api/actors``: the actors, one actor, and an actor's duties (direct and inherited, with reasons)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from .core import JSON, lookup

router = APIRouter(tags=["lookups"])


@router.get("/api/actors", summary="Actors, by level, kind or document", response_model=dict[str, Any])
async def actors(
    request: Request,
    level: Annotated[str | None, Query(max_length=40, examples=["county"])] = None,
    kind: Annotated[str | None, Query(max_length=80, examples=["government"])] = None,
    document: Annotated[str | None, Query(max_length=300, examples=["脱贫攻坚责任制实施办法"])] = None,
) -> Response:
    return Response(await lookup(request, "policygraph.payloads:payload_actors", level, kind, document),
                    media_type=JSON)


@router.get("/api/actors/{actor_id:path}/duties", response_model=dict[str, Any],
            summary="An actor's duties, direct and inherited, each with its reason")
async def actor_duties(request: Request, actor_id: str, inherited: Annotated[bool, Query()] = True) -> Response:
    return Response(await lookup(request, "policygraph.payloads:payload_actor_duties", actor_id, inherited),
                    media_type=JSON)


@router.get("/api/actors/{actor_id:path}", response_model=dict[str, Any],
            summary="One actor: level, kind, aliases, members")
async def actor(request: Request, actor_id: str) -> Response:
    return Response(await lookup(request, "policygraph.payloads:payload_actor", actor_id), media_type=JSON)
