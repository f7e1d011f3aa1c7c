"""The error contract: problem+json with a stable code, no stack traces for client errors."""

from __future__ import annotations

import logging
from typing import Any

import pytest

pytestmark = pytest.mark.integration


async def test_unknown_path_is_problem_json_404(
    client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        response = await client.get("/api/v1/does-not-exist")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "not_found"
    assert body["status"] == 404
    assert {"title", "detail"} <= body.keys()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_detail_is_localized_by_accept_language(client: Any) -> None:
    en = (await client.get("/nope", headers={"Accept-Language": "en-US,en;q=0.9"})).json()
    ko = (await client.get("/nope")).json()
    assert en["code"] == ko["code"] == "not_found"
    assert en["detail"] != ko["detail"]


async def test_health(client: Any) -> None:
    assert (await client.get("/health/live")).json() == {"status": "ok"}
    ready = await client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"]["ok"] is True


async def test_request_id_is_echoed(client: Any) -> None:
    response = await client.get("/health/live", headers={"X-Request-ID": "abc123"})
    assert response.headers["x-request-id"] == "abc123"


async def test_openapi_and_metrics(client: Any) -> None:
    schema = await client.get("/api/v1/schema/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "HypeHere API"
    await client.get("/health/live")
    metrics = await client.get("/metrics")
    assert metrics.status_code == 200
    assert "hypehere_requests_total" in metrics.text
