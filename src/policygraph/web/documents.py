"""``/api/documents``: the documents in the store, one document, one article."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from .core import JSON, lookup

router = APIRouter(tags=["lookups"])


@router.get("/api/documents", summary="The documents in the store", response_model=dict[str, Any])
async def documents(request: Request) -> Response:
    return Response(await lookup(request, "policygraph.payloads:payload_documents"), media_type=JSON)


@router.get("/api/documents/{doc_id}/articles/{number}", response_model=dict[str, Any],
            summary="An article: text, original, duties, cited titles, aligned articles")
async def article(request: Request, doc_id: str, number: str) -> Response:
    return Response(await lookup(request, "policygraph.payloads:payload_article", doc_id, number), media_type=JSON)


@router.get("/api/documents/{doc_id}", response_model=dict[str, Any],
            summary="A document: dates, issuers, chapters, articles")
async def document(request: Request, doc_id: str) -> Response:
    return Response(await lookup(request, "policygraph.payloads:payload_document", doc_id), media_type=JSON)
