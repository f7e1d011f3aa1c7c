"""The OpenAPI document: committed `openapi.json` is the app's, and it says what the server does
(security per operation, problem+json errors, readable operation ids, closed request bodies,
`Allow` listing every method of a path)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

import msgspec
import pytest
from litestar.testing import TestClient

from hypehere.bootstrap.app import create_app, package_version
from hypehere.entrypoints.http.openapi import BEARER
from tests.conftest import test_settings
from tools.export_openapi import OUTPUT, document, rendered

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return document()


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, op)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def test_committed_openapi_json_is_the_apps(schema: dict[str, Any]) -> None:
    committed = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
    assert committed == rendered(schema), (
        "openapi.json differs from the app's OpenAPI document: run `make openapi` and commit it"
    )


def test_version_is_the_packages(schema: dict[str, Any]) -> None:
    assert schema["info"]["version"] == package_version() != "0.0.0"


def test_bearer_scheme_and_security_per_operation(schema: dict[str, Any]) -> None:
    assert schema["components"]["securitySchemes"][BEARER] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": schema["components"]["securitySchemes"][BEARER]["description"],
    }
    security = {f"{m} {p}": op.get("security") for m, p, op in operations(schema)}
    assert security["POST /api/v1/posts"] == [{BEARER: []}]
    assert security["GET /api/v1/posts/{post_id}"] == [{}, {BEARER: []}]
    assert security["POST /api/v1/auth/login"] is None
    assert security["GET /health/live"] is None
    for label, required in security.items():
        responses = schema["paths"][label.split(" ", 1)[1]][label.split(" ")[0].lower()]
        if required:
            assert "401" in responses["responses"], label


def test_operation_ids_are_readable_and_unique(schema: dict[str, Any]) -> None:
    ids = {f"{m} {p}": op["operationId"] for m, p, op in operations(schema)}
    assert len(set(ids.values())) == len(ids)
    assert ids["POST /api/v1/auth/login"] == "auth_login"
    assert ids["POST /api/v1/posts"] == "posts_create"
    assert ids["PUT /api/v1/users/{user_id}/follow"] == "users_follow"
    assert ids["GET /api/v1/search"] == "search"
    for op_id in ids.values():
        assert op_id.replace("_", "").isalpha() and op_id.islower(), op_id


def test_errors_are_problem_json(schema: dict[str, Any]) -> None:
    for method, path, op in operations(schema):
        assert op.get("summary"), f"{method} {path}"
        for status, response in op["responses"].items():
            if int(status) >= 400:
                assert list(response["content"]) == ["application/problem+json"], (method, path)
        statuses = set(op["responses"])
        if "{" in path:
            assert "404" in statuses, f"{method} {path}"
        if "requestBody" in op:
            assert {"400", "413", "422"} <= statuses, f"{method} {path}"
        if path.startswith("/api/v1/"):
            assert {"429", "503"} <= statuses, f"{method} {path}"


def test_input_bounds(schema: dict[str, Any]) -> None:
    for method, path, op in operations(schema):
        for parameter in op.get("parameters", []):
            options = parameter["schema"].get("oneOf", [parameter["schema"]])
            typed = [o for o in options if o.get("type") not in (None, "null")]
            if parameter["name"] == "limit":
                assert typed[0]["minimum"] == 1 and typed[0]["maximum"] == 100, (method, path)
            if parameter["name"] == "cursor":
                assert typed[0]["pattern"] == "^[A-Za-z0-9_-]*$", (method, path)
    register = schema["components"]["schemas"]["RegisterIn"]
    assert register["additionalProperties"] is False
    native = register["properties"]["native_language"]
    assert "ko" in native["enum"] and "xx" not in native["enum"]
    level = schema["components"]["schemas"]["TargetLanguageIn"]["properties"]["level"]
    assert level["enum"] == ["A1", "A2", "B1", "B2", "C1", "C2"]


def _structs(annotation: Any) -> list[type[msgspec.Struct]]:
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        return [annotation]
    return (
        [s for arg in get_args(annotation) for s in _structs(arg)] if get_origin(annotation) else []
    )


def test_every_request_body_is_closed_in_the_server_too(tmp_path: Path) -> None:
    """The document says `additionalProperties: false`; the server must refuse unknown fields
    too: every request Struct (and each it nests) has `forbid_unknown_fields`."""
    app = create_app(test_settings(tmp_path, database_url=f"sqlite+aiosqlite:///{tmp_path}/d"))
    seen: set[type[msgspec.Struct]] = set()
    pending: list[type[msgspec.Struct]] = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            data = handler.parsed_fn_signature.parameters.get("data")
            if data is not None:
                pending.extend(_structs(data.annotation))
    assert len(pending) > 20
    while pending:
        struct = pending.pop()
        if struct in seen:
            continue
        seen.add(struct)
        assert struct.__struct_config__.forbid_unknown_fields, struct.__name__
        for hint in get_type_hints(struct, include_extras=True).values():
            pending.extend(_structs(hint))


def test_options_allow_lists_every_method_of_the_path(tmp_path: Path) -> None:
    app = create_app(test_settings(tmp_path, database_url=f"sqlite+aiosqlite:///{tmp_path}/d"))
    with TestClient(app) as client:
        some_id = "0190f5c2-8a4e-7b21-9c3d-5e6f7a8b9c0d"
        allow = client.options(f"/api/v1/users/{some_id}/block").headers["allow"]
        assert allow == "DELETE, OPTIONS, PUT"
        assert client.options("/api/v1/matching/queue").headers["allow"] == (
            "DELETE, GET, OPTIONS, POST"
        )


def test_unknown_body_fields_are_refused(tmp_path: Path) -> None:
    app = create_app(test_settings(tmp_path, database_url=f"sqlite+aiosqlite:///{tmp_path}/d"))
    with TestClient(app) as client:
        response = client.post(
            "/api/v1/auth/login", json={"email": "a@example.com", "password": "x", "extra": 1}
        )
        assert response.status_code == 422, response.text
        assert json.loads(response.text)["code"] == "validation_error"
