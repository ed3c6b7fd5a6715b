"""Fuzzing the running API from its OpenAPI schema (schemathesis): no 5xx, every error in the one JSON shape.

A bounded number of examples per operation runs in `make test`; `bench/bench_fuzz.py` runs the longer profile.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from .servers import policygraph_server, store_with

EXAMPLES = int(os.environ.get("POLICYGRAPH_FUZZ_EXAMPLES", "30"))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Iterator[str]:
    store_dir = store_with(tmp_path_factory.mktemp("fuzz") / "store", seed_path)
    with policygraph_server(store_dir, query_timeout="2") as base:
        yield base


@pytest.fixture(scope="module")
def api_schema(server: str) -> Any:
    return schemathesis.openapi.from_url(server + "/openapi.json")


def error_shape(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx/5xx answer is {"error": {"status", "code", "message"}} with the response's status."""
    if response.status_code < 400:
        return None
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"status", "code", "message"}, body
    assert body["error"]["status"] == response.status_code, body
    return None


# The schema's operations (checked against the live schema below, so a new route cannot be missed).
OPERATIONS = [
    "GET /sparql", "POST /sparql", "PUT /sparql", "DELETE /sparql", "PATCH /sparql",
    "GET /api/responsibilities", "GET /api/actors", "GET /api/actors/{actor_id}/duties",
    "GET /api/actors/{actor_id}", "GET /api/documents", "GET /api/documents/{doc_id}/articles/{number}",
    "GET /api/documents/{doc_id}", "GET /api/links", "GET /api/documents/{doc_id}/comparison",
    "GET /api/queries", "GET /api/queries/{name}", "GET /healthz",
    "GET /api/documents/{doc_id}/implementations", "GET /api/documents/{doc_id}/implementations.csv",
]


def test_every_operation_is_fuzzed(api_schema: Any) -> None:
    live = {op.ok().label for op in api_schema.get_all_operations()}
    assert live == set(OPERATIONS)


@pytest.mark.parametrize("label", OPERATIONS)
def test_api_never_fails_and_errors_have_one_shape(api_schema: Any, label: str) -> None:
    operation = next(op.ok() for op in api_schema.get_all_operations() if op.ok().label == label)

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def fuzz(case: Any) -> None:
        case.call_and_validate(checks=[not_a_server_error, error_shape])

    fuzz()
