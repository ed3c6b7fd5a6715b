"""``/api/responsibilities``: staff questions in plain Chinese, answered with ranked duties."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from .core import JSON, lookup

router = APIRouter(tags=["lookups"])


@router.get("/api/responsibilities", summary="Who is responsible for what: ranked duties",
            response_model=dict[str, Any])
async def responsibilities(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=200, description="A keyword or a question, simplified "
                            "or traditional", examples=["谁负责扶贫资金管理监督？", "县级党委和政府有哪些职责？"])],
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Response:
    return Response(await lookup(request, "policygraph.payloads:payload_responsibilities", q, limit),
                    media_type=JSON)
