"""``/api/links`` and ``/api/documents/{id}/comparison``: a rule's articles aligned to the measure it
implements, and what it kept, changed and added."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from .core import JSON, lookup

router = APIRouter(tags=["linking"])


@router.get("/api/links", summary="A rule's articles aligned to the measure it implements",
            response_model=dict[str, Any])
async def links(request: Request,
                document: Annotated[str, Query(max_length=300, examples=["江北省脱贫攻坚责任制实施细则"])]
                ) -> Response:
    return Response(await lookup(request, "policygraph.payloads:payload_links", document), media_type=JSON)


@router.get("/api/documents/{doc_id}/comparison", response_model=dict[str, Any],
            summary="A rule beside its measure: gaps, new articles, and changed duties")
async def comparison(request: Request, doc_id: str) -> Response:
    return Response(await lookup(request, "policygraph.payloads:payload_comparison", doc_id), media_type=JSON)
