"""``/healthz``: the store answers (and can be written, when updates are allowed)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import Response

from .. import __version__
from .core import JSON, service

router = APIRouter(tags=["service"])


@router.get("/healthz", summary="Liveness: the store answers (and can be written, when updates are allowed)")
def healthz(request: Request) -> Response:
    current = service(request)
    current.store.ask("ASK WHERE { }")  # raises if the store cannot answer
    token = current.settings.update_token
    writable = getattr(current.store, "writable", lambda: True)() if token else None
    body = {"status": "ok" if writable is not False else "unwritable", "version": __version__,
            "store": current.store.location, "read_only": not token, "writable": writable,
            "relayed": current.relayed, "cached": len(current.raw)}  # GET /sparql answers in the raw cache
    return Response(json.dumps(body), status_code=200 if writable is not False else 503, media_type=JSON)
