"""The corpus view: how every stored rule implements one measure, article by article.

``/api/documents/{id}/implementations`` answers, for the measure ``id`` (one stored version), the matrix
of its articles × the stored rules based on it — each cell carried over, changed (a duty's modality or
bearer differs) or absent, with the rule's articles that apply it — and per rule its coverage figures and
the articles it added. ``….csv`` is the same matrix as CSV. Both read the stored query
``resources/queries/implementations.rq`` and ``implementations-added.rq`` (the measure's title and IRI bound,
never formatted in), so the queries, the API, the CSV and the page agree by construction.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from pyoxigraph import Literal

from . import lookups
from .queries import get_query
from .store import Store, plain

STATUSES = ("carried over", "changed", "absent")
_PRIORITY = {"absent": 0, "carried over": 1, "changed": 2}


def _numeric(number: str) -> tuple[int, str]:
    head = number.split("_")[0]
    return (int(head) if head.isdigit() else 0, number)
TITLE = "SELECT ?doc ?title WHERE { ?doc a pg:Regulation ; eli:title ?title }"


def payload_implementations(store: Store, doc_id: str) -> dict[str, Any]:
    """The matrix and per-rule coverage for the measure ``doc_id``; 404 when it is not stored."""
    from .payloads import found as _found

    doc = lookups.node(lookups.DOC_PREFIX + doc_id)
    found = plain(store.select(TITLE, doc=doc)) if doc else []
    title = _found(found[0]["title"] if found and doc else None, f"no document {doc_id!r}")
    assert doc is not None
    rows = []
    for name, kind in (("implementations", "measure"), ("implementations-added", "rule")):
        # The title is the stored queries' parameter; binding the measure's IRI too keeps to this version.
        found = plain(store.select(get_query(name).text, measure_param=Literal(title), measure=doc))
        rows += [{**r, "kind": kind, "status": r.get("status", "new")} for r in found]
    return matrix(doc_id, title, rows)


def matrix(doc_id: str, title: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Rows of the stored query (one per link) → {"measure", "rules": [...coverage], "articles": [...cells]}."""
    rules: dict[str, dict[str, Any]] = {}
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    numbers: dict[str, int] = {}
    for r in rows:
        rule_id = lookups.document_id(r["rule"])
        rule = rules.setdefault(rule_id, {"id": rule_id, "title": r["rule_title"], "new_articles": []})
        if r["kind"] == "rule":
            if r["article"] not in rule["new_articles"]:
                rule["new_articles"] = sorted([*rule["new_articles"], r["article"]], key=_numeric)
            continue
        numbers[r["article"]] = int(r["n"])
        cell = cells.setdefault((r["article"], rule_id), {"status": "absent", "rule_articles": []})
        if _PRIORITY[r["status"]] > _PRIORITY[cell["status"]]:  # one changed link makes the cell changed
            cell["status"] = r["status"]
        if r.get("rule_article") and r["rule_article"] not in cell["rule_articles"]:
            cell["rule_articles"] = sorted([*cell["rule_articles"], r["rule_article"]], key=_numeric)
    for rule_id, rule in rules.items():
        for status in STATUSES:
            rule[status.replace(" ", "_")] = sum(c["status"] == status for (_, r), c in cells.items() if r == rule_id)
        rule["articles"] = len(numbers)
        rule["coverage"] = round((rule["carried_over"] + rule["changed"]) / len(numbers), 3) if numbers else 0.0
    ordered = sorted(numbers, key=numbers.__getitem__)
    return {"measure": {"id": doc_id, "title": title}, "statuses": list(STATUSES),
            "rules": sorted(rules.values(), key=lambda r: r["title"]),
            "articles": [{"number": n, "cells": {r: c for (a, r), c in cells.items() if a == n}} for n in ordered]}


def to_csv(payload: dict[str, Any]) -> str:
    """One line per article of the measure, one column per rule: the status and the rule's articles."""
    out = io.StringIO()
    writer = csv.writer(out)
    rules = payload["rules"]
    writer.writerow(["article", *(r["title"] for r in rules)])
    for a in payload["articles"]:
        cells = [a["cells"].get(r["id"], {"status": "absent", "rule_articles": []}) for r in rules]
        writer.writerow([a["number"], *(f"{c['status']}" + (f" ({','.join(c['rule_articles'])})"
                                                             if c["rule_articles"] else "") for c in cells)])
    writer.writerow(["coverage", *(f"{r['coverage']:.3f}" for r in rules)])
    writer.writerow(["new articles", *(",".join(r["new_articles"]) for r in rules)])
    return out.getvalue()


async def _payload(request: Request, doc_id: str) -> bytes:
    """The JSON, from the service's cache or a query worker (in process for a remote store)."""
    from .web.core import lookup

    return await lookup(request, "policygraph.implementations:payload_implementations", doc_id)


def register(app: FastAPI) -> None:
    @app.get("/api/documents/{doc_id}/implementations.csv", tags=["linking"], response_class=Response,
             summary="The implementations matrix as CSV: articles × rules, with coverage and new articles")
    async def implementations_csv(request: Request, doc_id: str) -> Response:
        payload = json.loads(await _payload(request, doc_id))
        return Response(to_csv(payload), media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": "attachment; filename=implementations.csv"})

    @app.get("/api/documents/{doc_id}/implementations", tags=["linking"], response_model=dict[str, Any],
             summary="How every stored rule implements this measure: articles × rules (carried over, changed, "
                     "absent) and per-rule coverage and added articles")
    async def implementations(request: Request, doc_id: str) -> Response:
        return Response(await _payload(request, doc_id), media_type="application/json")
