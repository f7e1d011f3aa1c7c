"""The HTTP error contract (API.md "Conventions"), through a test-only route added to a real
app: malformed bodies, validation errors, oversized bodies, unexpected exceptions; plus invalid
settings at start and CORS."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar import Controller, post
from litestar.exceptions import InternalServerException, ServiceUnavailableException
from litestar.testing import AsyncTestClient
from litestar.types import ControllerRouterHandler

from hypehere.bootstrap import app as app_module
from hypehere.bootstrap.settings import load_settings
from tests.conftest import test_settings as make_settings

pytestmark = pytest.mark.integration

SECRET_DETAIL = "db password is hunter2 at 10.1.2.3"


class ThingIn(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    count: int
    tags: list[str] = []


class _Routes(Controller):
    path = "/_test"

    @post("/things", status_code=201)
    async def create(self, data: ThingIn) -> dict[str, Any]:
        return {"name": data.name, "count": data.count}

    @post("/boom")
    async def boom(self) -> None:
        raise RuntimeError(SECRET_DETAIL)

    @post("/http-500")
    async def http_500(self) -> None:
        raise InternalServerException(detail=SECRET_DETAIL)

    @post("/http-503")
    async def http_503(self) -> None:
        raise ServiceUnavailableException(detail=SECRET_DETAIL)


@pytest.fixture
async def client(
    tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[AsyncTestClient[Any]]:
    original: Callable[[], Sequence[ControllerRouterHandler]] = app_module.api_handlers
    monkeypatch.setattr(app_module, "api_handlers", lambda: [*original(), _Routes])
    app = app_module.create_app(make_settings(tmp_path, database_url=sqlite_url))
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["title"]
    assert body["detail"]
    return body


def error_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_valid_body_is_accepted(client: Any) -> None:
    response = await client.post("/api/v1/_test/things", json={"name": "a", "count": 1})
    assert response.status_code == 201
    assert response.json() == {"name": "a", "count": 1}


async def test_malformed_json_is_400(client: Any, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        response = await client.post(
            "/api/v1/_test/things",
            content=b'{"name": "a", "count": ',
            headers={"content-type": "application/json"},
        )
    assert_problem(response, 400, "malformed_request")
    assert not error_records(caplog)
    assert not [r for r in caplog.records if r.exc_info]


async def test_validation_error_is_422_listing_fields(
    client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        wrong_type = await client.post("/api/v1/_test/things", json={"name": "a", "count": "many"})
        missing = await client.post("/api/v1/_test/things", json={"count": 1})
        nested = await client.post(
            "/api/v1/_test/things", json={"name": "a", "count": 1, "tags": ["ok", 3]}
        )
    body = assert_problem(wrong_type, 422, "validation_error")
    assert [e["field"] for e in body["errors"]] == ["count"]
    assert body["errors"][0]["message"]
    body = assert_problem(missing, 422, "validation_error")
    assert [e["field"] for e in body["errors"]] == ["name"]
    body = assert_problem(nested, 422, "validation_error")
    assert [e["field"] for e in body["errors"]] == ["tags[1]"]
    assert not error_records(caplog)


async def test_wrong_json_shape_is_422(client: Any) -> None:
    response = await client.post("/api/v1/_test/things", json=[1, 2])
    body = assert_problem(response, 422, "validation_error")
    assert body["errors"]


async def test_body_over_the_limit_is_413(client: Any, caplog: pytest.LogCaptureFixture) -> None:
    big = b'{"name": "' + b"x" * (app_module.MAX_BODY_BYTES + 10) + b'", "count": 1}'
    with caplog.at_level(logging.INFO):
        response = await client.post(
            "/api/v1/_test/things", content=big, headers={"content-type": "application/json"}
        )
    assert_problem(response, 413, "payload_too_large")
    assert not error_records(caplog)


async def test_unknown_method_is_405_problem(client: Any) -> None:
    response = await client.get("/api/v1/_test/things")
    assert_problem(response, 405, "method_not_allowed")


async def test_unexpected_exception_is_a_bare_500_and_one_error_line(
    client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        response = await client.post("/api/v1/_test/boom", headers={"X-Request-ID": "req-500"})
    body = assert_problem(response, 500, "internal_error")
    text = response.text
    for leak in ("hunter2", "RuntimeError", "Traceback", ".py"):
        assert leak not in text
    assert set(body) <= {"type", "title", "status", "detail", "code", "instance"}
    assert response.headers["x-request-id"] == "req-500"

    errors = error_records(caplog)
    assert len(errors) == 1
    record = errors[0]
    assert isinstance(record.msg, dict)
    assert record.msg["event"] == "unhandled_error"
    assert record.msg["request_id"] == "req-500"
    assert record.exc_info or record.msg.get("exc_info")  # the one place a traceback belongs


async def test_server_side_http_exceptions_hide_their_detail(
    client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        internal = await client.post("/api/v1/_test/http-500")
        unavailable = await client.post("/api/v1/_test/http-503")
    assert_problem(internal, 500, "internal_error")
    assert_problem(unavailable, 503, "service_unavailable")
    assert "hunter2" not in internal.text + unavailable.text
    assert [r.msg["event"] for r in error_records(caplog)] == ["unhandled_error"]  # type: ignore[index]


def test_invalid_setting_fails_at_start_naming_the_variable(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HYPEHERE_")}
    env.update(HYPEHERE_PORT="abc", HYPEHERE_VAR_DIR=str(tmp_path))
    hypehere = Path(sys.executable).parent / "hypehere"
    result = subprocess.run(
        [str(hypehere), "migrate"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "HYPEHERE_PORT" in result.stderr
    assert "Traceback" not in result.stderr


async def test_cors_when_origins_are_configured(tmp_path: Path, sqlite_url: str) -> None:
    settings = make_settings(
        tmp_path,
        database_url=sqlite_url,
        cors_origins="https://app.hypehere.example, https://admin.hypehere.example",
    )
    assert settings.cors_origins == [
        "https://app.hypehere.example",
        "https://admin.hypehere.example",
    ]
    origin = {"Origin": "https://app.hypehere.example"}
    async with AsyncTestClient(app=app_module.create_app(settings)) as client:
        simple = await client.get("/health/live", headers=origin)
        preflight = await client.options(
            "/api/v1/schema/openapi.json",
            headers={**origin, "Access-Control-Request-Method": "GET"},
        )
        stranger = await client.get("/health/live", headers={"Origin": "https://evil.example"})
    assert simple.headers["access-control-allow-origin"] == "https://app.hypehere.example"
    assert preflight.status_code in (200, 204)
    assert preflight.headers["access-control-allow-origin"] == "https://app.hypehere.example"
    assert "GET" in preflight.headers["access-control-allow-methods"]
    assert "access-control-allow-origin" not in stranger.headers


def test_cors_origins_come_from_the_environment_comma_separated(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HYPEHERE_CORS_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("HYPEHERE_VAR_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)  # no stray .env
    assert load_settings().cors_origins == ["https://a.example", "https://b.example"]


async def test_no_cors_headers_by_default(tmp_path: Path, sqlite_url: str) -> None:
    settings = make_settings(tmp_path, database_url=sqlite_url)
    async with AsyncTestClient(app=app_module.create_app(settings)) as client:
        response = await client.get("/health/live", headers={"Origin": "https://app.example"})
    assert "access-control-allow-origin" not in response.headers
