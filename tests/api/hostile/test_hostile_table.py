"""A hostile-input table over every operation of the app's own OpenAPI schema, on SQLite and
on PostgreSQL: each path parameter, query parameter and top-level JSON body field in turn
gets a bad value (wrong type, huge or negative number, 1e309, NUL, a lone surrogate, invalid
UTF-8, a 1 MiB string), and each body as a whole is replaced (empty, `[]` for `{}`, invalid
UTF-8, 10,000 levels deep, wrong content types). The rest of the request stays realistic:
a signed-in admin, and ids of a real user, post, comment, conversation and room, so the
authorized code paths are reached.

Asserted for every request: never a 5xx; a rejection is `application/problem+json` with a
`code`; and a rejection leaves the database as it was (the row count of every table).

The generator is deterministic (no randomness): a failure names the request to replay.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from hypehere.bootstrap.settings import Settings
from hypehere.domain.shared.ids import new_id
from tests.api.helpers import API, auth, login, make_staff, register, register_full
from tests.api.learning.conftest import curriculum  # noqa: F401 (a fixture)

pytestmark = pytest.mark.integration

MIB = 1 << 20
# A string that fits the 1 MiB body limit with its JSON around it, so it reaches validation.
BIG = "x" * (MIB - 4096)

# HTTP clients and servers cap a URL well below 1 MiB (httpx at 64 KiB, uvicorn's request
# line at less): a long URL part is as long as one gets through.
LONG_URL_PART = 16_000

# Hostile values of a path segment, already percent-encoded as they go on the wire.
PATH_VALUES = {
    "nul": "%00",
    "nul_inside": "0190f5c2-8a4e-7b21-9c3d-5e6f7a8b9c0d%00",
    "not_an_id": "not-an-id",
    "huge_number": str(2**64),
    "negative": "-1",
    "invalid_utf8": "%FF%FE",
    "lone_surrogate": "%ED%A0%80",
    "long": "x" * LONG_URL_PART,
}

# Hostile values of a query parameter, percent-encoded.
QUERY_VALUES = {
    "nul": "%00",
    "nul_inside": "a%00b",
    "wrong_type": "abc",
    "huge_number": str(2**64),
    "negative": "-1",
    "overflow_float": "1e309",
    "invalid_utf8": "%FF%FE",
    "lone_surrogate": "%ED%A0%80",
    "long": "x" * LONG_URL_PART,
}

# Hostile values of a JSON body field, as JSON text (a lone surrogate is only expressible
# escaped).
FIELD_VALUES = {
    "nul": '"a\\u0000b"',
    "lone_surrogate": '"\\ud800"',
    "huge_number": str(2**64),
    "negative": "-1",
    "overflow_float": "1e309",
    "one_mib": json.dumps(BIG),
    "wrong_type_object": '{"a": 1}',
    "wrong_type_list": "[1, 2]",
    "null": "null",
    "boolean": "true",
}

# Bodies replacing the whole body: (content type, bytes).
DEEP = b"[" * 10_000 + b"]" * 10_000
BODY_VALUES: dict[str, tuple[str, bytes]] = {
    "empty": ("application/json", b""),
    "list_for_object": ("application/json", b"[]"),
    "string": ("application/json", b'"x"'),
    "invalid_utf8": ("application/json", b'{"email": "\xff\xfe", "content": "\xff"}'),
    "deep": ("application/json", DEEP),
    "deep_object": ("application/json", b'{"a":' * 5000 + b"1" + b"}" * 5000),
    "truncated": ("application/json", b'{"content": "'),
    "text_plain": ("text/plain", b"hello"),
    "form": ("application/x-www-form-urlencoded", b"content=hello&user_id=%00"),
    "multipart": ("multipart/form-data; boundary=zz", b"--zz\r\nbroken"),
    "msgpack": ("application/x-msgpack", b"\xc1\xff\x00"),
}

# Operations that end the signed-in user's account: sending them would turn every later
# request into a 401 before the code under test is reached.
SKIP = {("POST", "/api/v1/users/me/deactivate"), ("POST", "/api/v1/users/me/delete")}


@dataclass(frozen=True)
class Probe:
    label: str
    method: str
    url: str
    content: bytes | None = None
    content_type: str | None = None


@dataclass
class World:
    """The realistic part of each request: ids of real rows, a valid value per field."""

    token: str
    path_values: dict[str, str]
    failures: list[str] = field(default_factory=list)


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str):
        resolved: dict[str, Any] = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
        return resolved
    for option in node.get("oneOf", []):
        if option.get("type") != "null":
            return _resolve(schema, option)
    return node


# A plausible value per body field name, else per type: keeps the other fields of a
# mutated body valid enough that the mutated one is what gets judged.
PLAUSIBLE: dict[str, Any] = {
    "content": "hello #hostile",
    "language": "en",
    "target_language": "ko",
    "native_language": "ko",
    "interface_language": "en",
    "nickname": "Hostile",
    "name": "Hostile room",
    "description": "",
    "max_participants": 5,
    "duration_minutes": 5,
    "role": "user",
    "days": 1,
    "password": "correct horse battery",
    "old_password": "wrong old password",
    "new_password": "another horse battery",
    "email": "hostile@example.com",
    "media_urls": [],
    "target_languages": [{"language": "en", "level": "B1"}],
    "kinds": {"follow": True},
    "ids": [],
}


def _plausible(schema: dict[str, Any], name: str, node: dict[str, Any], world: World) -> Any:
    if name in PLAUSIBLE:
        return PLAUSIBLE[name]
    if name == "user_id":
        return world.path_values["user_id"]
    node = _resolve(schema, node)
    kind = node.get("type")
    if kind == "integer":
        return 1
    if kind == "boolean":
        return True
    if kind == "array":
        return []
    if kind == "object":
        return {}
    return "hello"


def _base_body(schema: dict[str, Any], body_schema: dict[str, Any], world: World) -> dict[str, Any]:
    node = _resolve(schema, body_schema)
    props: dict[str, Any] = node.get("properties", {})
    return {name: _plausible(schema, name, prop, world) for name, prop in props.items()}


def _with_field(body: dict[str, Any], name: str, raw: str) -> bytes:
    """`body` as JSON text with field `name` set to the raw JSON text `raw`."""
    marker = "__hostile_marker__"
    return json.dumps({**body, name: marker}).replace(f'"{marker}"', raw).encode("utf-8")


def _fill(path: str, values: dict[str, str], query: str) -> str:
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    return path + (f"?{query}" if query else "")


def probes(schema: dict[str, Any], world: World) -> Iterator[Probe]:
    for path, item in schema["paths"].items():
        for method_lower, op in item.items():
            method = method_lower.upper()
            if method not in {"GET", "POST", "PUT", "PATCH", "DELETE"} or (method, path) in SKIP:
                continue
            params = op.get("parameters", [])
            path_names = [p["name"] for p in params if p["in"] == "path"]
            query_names = [p["name"] for p in params if p["in"] == "query"]
            real = {n: quote(world.path_values[n], safe="") for n in path_names}

            def url(overrides: dict[str, str], query: str = "") -> str:
                return _fill(path, {**real, **overrides}, query)  # noqa: B023 (used at once)

            body_content = op.get("requestBody", {}).get("content", {})
            body_schema = body_content.get("application/json", {}).get("schema")
            base = _base_body(schema, body_schema, world) if body_schema else None
            base_bytes = json.dumps(base).encode() if base is not None else None
            base_type = "application/json" if base is not None else None

            # Every operation, even one without parameters: an undeclared parameter.
            yield Probe(
                f"{method} {path} query unexpected=nul",
                method,
                url({}, "unexpected=%00"),
                base_bytes,
                base_type,
            )
            for name in path_names:
                for label, value in PATH_VALUES.items():
                    yield Probe(
                        f"{method} {path} path {name}={label}",
                        method,
                        url({name: value}),
                        base_bytes,
                        base_type,
                    )
            for name in query_names:
                for label, value in QUERY_VALUES.items():
                    yield Probe(
                        f"{method} {path} query {name}={label}",
                        method,
                        url({}, f"{name}={value}"),
                        base_bytes,
                        base_type,
                    )
            if base is None:
                if method != "GET":
                    for label in ("invalid_utf8", "deep", "text_plain"):
                        content_type, raw = BODY_VALUES[label]
                        yield Probe(
                            f"{method} {path} body={label}", method, url({}), raw, content_type
                        )
                continue
            for name in base:
                for label, raw_value in FIELD_VALUES.items():
                    yield Probe(
                        f"{method} {path} body {name}={label}",
                        method,
                        url({}),
                        _with_field(base, name, raw_value),
                        "application/json",
                    )
            for label, (content_type, raw) in BODY_VALUES.items():
                yield Probe(f"{method} {path} body={label}", method, url({}), raw, content_type)


async def table_counts(engine: AsyncEngine) -> dict[str, int]:
    """The row count of every application table, in one round trip."""
    import hypehere.adapters.sql.all_tables  # noqa: F401
    from hypehere.adapters.sql.metadata import metadata

    postgres = engine.dialect.name == "postgresql"
    parts = []
    for table in metadata.sorted_tables:
        name = f'"{table.schema}"."{table.name}"' if table.schema and postgres else table.name
        if not postgres and table.schema:
            continue  # SQLite keeps no separate schemas: such tables live elsewhere
        parts.append(f"SELECT '{table.fullname}' AS t, count(*) AS n FROM {name}")
    async with engine.connect() as conn:
        rows = (await conn.execute(text(" UNION ALL ".join(parts)))).all()
    return {str(t): int(n) for t, n in rows}


async def build_world(client: Any, settings: Settings) -> World:
    """A signed-in admin and the rows the path parameters point at."""
    me = await register_full(client)
    await make_staff(client, me["user"]["id"], database_url=settings.effective_database_url)
    token = (await login(client, me["email"], me["password"]))["access_token"]
    other, other_token = await register(client)
    post = await client.post(
        f"{API}/posts",
        json={"content": "hello #hostile", "language": "en"},
        headers=auth(other_token),
    )
    assert post.status_code == 201, post.text
    post_id = post.json()["id"]
    comment = await client.post(
        f"{API}/posts/{post_id}/comments", json={"content": "a comment"}, headers=auth(token)
    )
    assert comment.status_code == 201, comment.text
    conversation = await client.post(
        f"{API}/conversations", json={"user_id": other["id"]}, headers=auth(token)
    )
    assert conversation.status_code in (200, 201), conversation.text
    room = await client.post(
        f"{API}/rooms",
        json={"name": "Hostile", "language": "en", "max_participants": 10},
        headers=auth(token),
    )
    assert room.status_code == 201, room.text
    room_id = room.json()["id"]
    joined = await client.post(f"{API}/rooms/{room_id}/join", headers=auth(other_token))
    assert joined.status_code == 200, joined.text
    categories = await client.get(f"{API}/learning/categories", headers=auth(token))
    assert categories.status_code == 200, categories.text
    category_id = categories.json()["items"][0]["id"]
    lessons = await client.get(
        f"{API}/learning/categories/{category_id}/lessons", headers=auth(token)
    )
    assert lessons.status_code == 200, lessons.text
    report = await client.post(
        f"{API}/reports",
        json={"target_type": "post", "target_id": post_id, "reason": "spam"},
        headers=auth(token),
    )
    assert report.status_code == 201, report.text
    spec = await client.post(
        f"{API}/admin/specs",
        json={"title": "Hostile input", "body": "Never a 500.", "category": "api"},
        headers=auth(token),
    )
    assert spec.status_code == 201, spec.text
    # Strikes, appeals, corrections and held items need more story than this table needs:
    # ids in the issued form that point at nothing (the routes answer 404 for them).
    return World(
        token=token,
        path_values={
            "user_id": other["id"],
            "post_id": post_id,
            "comment_id": comment.json()["id"],
            "conversation_id": conversation.json()["id"],
            "room_id": room_id,
            "tag": "hostile",
            "category_id": category_id,
            "lesson_id": lessons.json()["items"][0]["id"],
            "report_id": report.json()["id"],
            "spec_id": spec.json()["id"],
            "strike_id": new_id(),
            "appeal_id": new_id(),
            "correction_id": new_id(),
            "item_id": new_id(),
        },
    )


@pytest.mark.usefixtures("curriculum")
async def test_hostile_input_table(client: Any, backend_settings: Settings) -> None:
    world = await build_world(client, backend_settings)
    schema = (await client.get(f"{API}/schema/openapi.json")).json()
    engine = create_async_engine(backend_settings.effective_database_url)
    sent = 0
    operations: set[str] = set()
    try:
        before = await table_counts(engine)
        for probe in probes(schema, world):
            headers = {**auth(world.token)}
            if probe.content_type is not None:
                headers["content-type"] = probe.content_type
            response = await client.request(
                probe.method, probe.url, content=probe.content, headers=headers
            )
            sent += 1
            operations.add(probe.label.split(" ", 2)[0] + " " + probe.label.split(" ", 2)[1])
            status = response.status_code
            if status >= 500:
                world.failures.append(f"{probe.label}: {status} {response.text[:200]}")
            if status < 400 or status >= 500:
                before = await table_counts(engine)
                continue
            if not response.headers.get("content-type", "").startswith("application/problem+json"):
                world.failures.append(f"{probe.label}: {status} not problem+json")
            elif not isinstance(response.json().get("code"), str):
                world.failures.append(f"{probe.label}: {status} without a code")
            after = await table_counts(engine)
            if after != before:
                changed = {t: (before.get(t), n) for t, n in after.items() if before.get(t) != n}
                world.failures.append(f"{probe.label}: {status} but the database changed {changed}")
                before = after
    finally:
        await engine.dispose()
    in_schema = {
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method in item
        if method.upper() in {"GET", "POST", "PUT", "PATCH", "DELETE"}
    }
    assert operations == {op for op in in_schema if tuple(op.split(" ")) not in SKIP}
    assert sent > 1000
    assert not world.failures, "\n".join(world.failures)
