"""Bad input that used to answer 500 (issue 14), on SQLite and on PostgreSQL: bodies that are
not UTF-8 or nest 10,000 levels deep, NUL and other non-ids in path and body ids, garbled
and forged cursors, and field validation failures reported as `validation_error` with the
specific reason per field."""

from __future__ import annotations

import base64
import time
from typing import Any

import pytest

from hypehere.domain.shared.pagination import encode_cursor
from tests.api.helpers import API, auth, register

pytestmark = pytest.mark.integration

JSON = {"content-type": "application/json"}
A_VALID_UNKNOWN_ID = "0190f5c2-8a4e-7b21-9c3d-5e6f7a8b9c0d"


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    return body


def field_errors(body: dict[str, Any]) -> dict[str, str]:
    """field -> the field error's own code."""
    return {error["field"]: error["code"] for error in body["errors"]}


async def world(client: Any) -> dict[str, Any]:
    me, token = await register(client)
    other, other_token = await register(client)
    post = await client.post(
        f"{API}/posts", json={"content": "hello #hostile", "language": "en"}, headers=auth(token)
    )
    assert post.status_code == 201, post.text
    conversation = await client.post(
        f"{API}/conversations", json={"user_id": other["id"]}, headers=auth(token)
    )
    assert conversation.status_code == 201, conversation.text
    room = await client.post(
        f"{API}/rooms",
        json={"name": "Room", "language": "en", "max_participants": 5},
        headers=auth(token),
    )
    assert room.status_code == 201, room.text
    return {
        "me": me,
        "token": token,
        "other": other,
        "other_token": other_token,
        "post_id": post.json()["id"],
        "conversation_id": conversation.json()["id"],
        "room_id": room.json()["id"],
    }


async def test_a_body_that_is_not_utf8_is_400(client: Any) -> None:
    _, token = await register(client)
    for path in [
        "/auth/register",
        "/auth/login",
        "/posts",
        "/conversations",
        "/rooms",
        "/users/me",
    ]:
        method = "PATCH" if path == "/users/me" else "POST"
        response = await client.request(
            method,
            f"{API}{path}",
            content=b'{"email": "\xff\xfe"}',
            headers={**JSON, **auth(token)},
        )
        assert_problem(response, 400, "malformed_request")


async def test_deeply_nested_json_is_400(client: Any) -> None:
    _, token = await register(client)
    for body in [
        b"[" * 10_000 + b"]" * 10_000,
        b"[" * 10_000,
        b'{"content":' * 10_000 + b'"x"' + b"}" * 10_000,
    ]:
        response = await client.post(f"{API}/posts", content=body, headers={**JSON, **auth(token)})
        assert_problem(response, 400, "malformed_request")


async def test_a_path_id_that_is_not_an_id_is_404(client: Any) -> None:
    w = await world(client)
    headers = auth(w["token"])
    for bad_id in [
        "%00",
        f"{A_VALID_UNKNOWN_ID}%00",
        "not-an-id",
        "-1",
        A_VALID_UNKNOWN_ID.upper(),
    ]:
        paths = [
            ("GET", f"/posts/{bad_id}"),
            ("GET", f"/posts/{bad_id}/comments"),
            ("PUT", f"/posts/{bad_id}/like"),
            ("GET", f"/users/{bad_id}"),
            ("GET", f"/users/{bad_id}/posts"),
            ("PUT", f"/users/{bad_id}/follow"),
            ("GET", f"/rooms/{bad_id}"),
            ("POST", f"/rooms/{w['room_id']}/admins/{bad_id}"),
            ("GET", f"/conversations/{bad_id}"),
            ("GET", f"/conversations/{bad_id}/messages"),
            ("DELETE", f"/comments/{bad_id}"),
            ("POST", f"/admin/users/{bad_id}/unban"),
        ]
        for method, path in paths:
            response = await client.request(method, f"{API}{path}", headers=headers)
            assert response.status_code == 404, (method, path, response.text)
            assert_problem(response, 404, "not_found")


async def test_nul_in_a_hashtag_is_404(client: Any) -> None:
    response = await client.get(f"{API}/hashtags/a%00b/posts")
    assert_problem(response, 404, "not_found")


async def test_a_body_id_that_is_not_an_id_is_422(client: Any) -> None:
    _, token = await register(client)
    for user_id in ["\x00", f"{A_VALID_UNKNOWN_ID}\x00", "nope", "", 12]:
        response = await client.post(
            f"{API}/conversations", json={"user_id": user_id}, headers=auth(token)
        )
        body = assert_problem(response, 422, "validation_error")
        assert field_errors(body) == {"user_id": "validation_error"}


async def test_notification_ids_are_validated_as_ids(client: Any) -> None:
    _, token = await register(client)
    response = await client.post(
        f"{API}/notifications/read", json={"ids": [A_VALID_UNKNOWN_ID, "\x00"]}, headers=auth(token)
    )
    body = assert_problem(response, 422, "validation_error")
    assert list(field_errors(body)) == ["ids[1]"]


async def test_nul_in_any_body_string_is_422_naming_the_field(client: Any) -> None:
    w = await world(client)
    headers = auth(w["token"])
    room = {"name": "n", "language": "en", "max_participants": 5}
    messages = f"/conversations/{w['conversation_id']}/messages"
    level = {"target_languages": [{"language": "en", "level": "B\x00"}]}
    cases = [
        ("POST", messages, {"content": "hi", "client_id": "a\x00"}, "client_id"),
        ("POST", f"/rooms/{w['room_id']}/messages", {"content": "a\x00b"}, "content"),
        ("PATCH", "/users/me", {"bio": "a\x00b"}, "bio"),
        ("PATCH", "/users/me", level, "target_languages[0].level"),
        ("POST", "/rooms", {**room, "description": "\x00"}, "description"),
        ("POST", "/rooms", {**room, "password": "\x00"}, "password"),
        ("PATCH", "/notifications/settings", {"kinds": {"fol\x00low": True}}, "kinds"),
        ("POST", "/auth/login", {"email": "a\x00@example.com", "password": "x"}, "email"),
    ]
    for method, path, payload, field in cases:
        response = await client.request(method, f"{API}{path}", json=payload, headers=headers)
        body = assert_problem(response, 422, "validation_error")
        assert list(field_errors(body)) == [field], (path, body)


async def test_nul_in_a_query_parameter_is_422_naming_it(client: Any) -> None:
    w = await world(client)
    for path, name in [("/search?q=a%00b", "q"), ("/feed/following?language=e%00n", "language")]:
        response = await client.get(f"{API}{path}", headers=auth(w["token"]))
        body = assert_problem(response, 422, "validation_error")
        assert list(field_errors(body)) == [name]
    after = await client.get(
        f"{API}/conversations/{w['conversation_id']}/messages?after=%00", headers=auth(w["token"])
    )
    assert_problem(after, 422, "validation_error")


def _forged(json_text: bytes) -> str:
    return base64.urlsafe_b64encode(json_text).decode().rstrip("=")


GARBLED_CURSORS = [
    "%00",
    "abc%00def",
    "!!!",
    encode_cursor(("2026-01-01T00:00:00+00:00", "a\x00b")),
    encode_cursor(("\x00", "\x00")),
    encode_cursor((2**64, 2**64)),
    encode_cursor((-1, -1)),
    encode_cursor(("x" * 300, "y")),
    encode_cursor(("not-a-time", 1)),
    encode_cursor((1, "a")),
    encode_cursor((True, None)),
    _forged(b"[1e309, 1e309]"),
    _forged(b'["\\ud800", "\\ud800"]'),
    _forged(b"[NaN, Infinity]"),
]


async def test_garbled_or_forged_cursors_are_400_everywhere(client: Any) -> None:
    w = await world(client)
    lists = [
        "/search?q=hello",
        "/feed",
        "/feed/following",
        f"/users/{w['me']['id']}/posts",
        f"/users/{w['me']['id']}/followers",
        "/users/me/blocks",
        "/users/partners",
        f"/posts/{w['post_id']}/comments",
        "/hashtags/hostile/posts",
        "/conversations",
        f"/conversations/{w['conversation_id']}/messages",
        "/rooms",
        f"/rooms/{w['room_id']}/messages",
        "/notifications",
    ]
    for cursor in GARBLED_CURSORS:
        for path in lists:
            url = f"{API}{path}{'&' if '?' in path else '?'}cursor={cursor}"
            response = await client.get(url, headers=auth(w["token"]))
            assert response.status_code == 400, (path, cursor, response.text)
            assert_problem(response, 400, "invalid_cursor")
    first_page = await client.get(f"{API}/rooms?cursor=", headers=auth(w["token"]))
    assert first_page.status_code == 200, first_page.text  # an empty cursor: the first page


async def test_search_cursor_with_a_huge_timestamp_is_400(client: Any) -> None:
    in_three_days = int(time.time() * 1000) + 3 * 24 * 3600 * 1000
    for as_of_ms in [10**20, 2**62, 253_402_300_800_000, in_three_days]:
        response = await client.get(
            f"{API}/search", params={"q": "hello", "cursor": encode_cursor((as_of_ms, 0))}
        )
        assert_problem(response, 400, "invalid_cursor")


async def test_invalid_language_is_a_validation_error_with_the_reason_per_field(
    client: Any,
) -> None:
    from tests.api.helpers import registration

    register_response = await client.post(
        f"{API}/auth/register", json=registration(native_language="zz")
    )
    body = assert_problem(register_response, 422, "validation_error")
    assert field_errors(body) == {"native_language": "invalid_language"}

    _, token = await register(client)
    post = await client.post(
        f"{API}/posts", json={"content": "hello", "language": "zz"}, headers=auth(token)
    )
    body = assert_problem(post, 422, "validation_error")
    assert field_errors(body) == {"language": "invalid_language"}

    search = await client.get(f"{API}/search", params={"q": "hello", "language": "zz"})
    body = assert_problem(search, 422, "validation_error")
    assert field_errors(body) == {"language": "invalid_language"}


async def test_schema_and_rule_field_errors_carry_a_code(client: Any) -> None:
    _, token = await register(client)
    wrong_type = await client.post(f"{API}/posts", json={"content": 5}, headers=auth(token))
    body = assert_problem(wrong_type, 422, "validation_error")
    assert field_errors(body) == {"content": "validation_error"}
    empty = await client.post(f"{API}/posts", json={"content": "  "}, headers=auth(token))
    body = assert_problem(empty, 422, "validation_error")
    assert field_errors(body) == {"content": "validation_error"}


async def test_a_one_mib_free_text_is_422_or_413(client: Any) -> None:
    _, token = await register(client)
    room = {"name": "n", "language": "en", "max_participants": 5}
    registration = {
        "email": "big@example.com",
        "password": "x" * 12,
        "native_language": "ko",
        "nickname": "n",
    }
    cases: list[tuple[str, str, dict[str, Any], str]] = [
        ("POST", "/posts", {"language": "en"}, "content"),
        ("POST", "/rooms", room, "name"),
        ("POST", "/rooms", room, "description"),
        ("POST", "/rooms", room, "password"),
        ("PATCH", "/users/me", {}, "bio"),
        ("POST", "/auth/register", registration, "nickname"),
    ]
    for method, path, base, field in cases:
        for size in ((1 << 20) - 4096, 1 << 20):
            payload = {**base, field: "x" * size}
            response = await client.request(
                method, f"{API}{path}", json=payload, headers=auth(token)
            )
            assert response.status_code in (413, 422), (path, field, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
