"""The web page: one HTML shell, its script and style, the bundled CodeMirror, and the ontology's pages."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, Response

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
router = APIRouter(include_in_schema=False)


def mount_static(app: FastAPI) -> None:
    """``/static``: a mount, which an APIRouter cannot carry."""
    from fastapi.staticfiles import StaticFiles

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")


@router.get("/")
def index() -> FileResponse:
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")


@router.get("/ontology")
def ontology_page() -> Response:
    from ..ontodoc import render

    return Response(render(), media_type="text/html; charset=utf-8")


@router.get("/ontology.ttl")
def ontology_turtle() -> Response:
    from ..ontology import ONTOLOGY_FILE

    return Response(ONTOLOGY_FILE.read_bytes(), media_type="text/turtle; charset=utf-8")
