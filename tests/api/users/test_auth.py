"""Register, log in, refresh (rotation + reuse detection), log out, /users/me, bearer auth."""

from __future__ import annotations

from typing import Any

import jwt
import pytest

from tests.api.helpers import API, DEFAULT_PASSWORD, auth, login, register, register_full

pytestmark = pytest.mark.integration


async def test_register_returns_user_and_tokens(client: Any) -> None:
    response = await client.post(
        f"{API}/auth/register",
        json={
            "email": "  Mina.Kim+lang@Example.COM ",
            "password": DEFAULT_PASSWORD,
            "nickname": "미나",
            "native_language": "ko",
            "target_languages": [
                {"language": "en", "level": "B2"},
                {"language": "ja", "level": "A1"},
            ],
            "interface_language": "en",
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert body["access_token"] and body["refresh_token"]
    user = body["user"]
    assert user["email"] == "mina.kim+lang@example.com"
    assert user["handle"] == "mina_kim"
    assert user["nickname"] == "미나"
    assert user["target_languages"] == [
        {"language": "en", "level": "B2"},
        {"language": "ja", "level": "A1"},
    ]
    assert user["interface_language"] == "en"
    assert user["role"] == "user" and user["state"] == "active"
    assert user["privacy"] == {"show_followers_list": "everyone", "show_following_list": "everyone"}
    assert user["follower_count"] == user["following_count"] == user["post_count"] == 0
    assert user["created_at"].endswith("Z")
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["sub"] == user["id"] and claims["role"] == "user"
    assert {"exp", "iat", "jti"} <= claims.keys()


async def test_duplicate_email_is_409_case_insensitive(client: Any) -> None:
    await register(client, email="dup@example.com")
    response = await client.post(
        f"{API}/auth/register",
        json={
            "email": "DUP@example.com",
            "password": DEFAULT_PASSWORD,
            "nickname": "x",
            "native_language": "en",
        },
    )
    assert response.status_code == 409
    assert response.json()["code"] == "email_taken"


async def test_handle_collision_gets_numeric_suffix(client: Any) -> None:
    first, _ = await register(client, email="sam@a.example")
    second, _ = await register(client, email="sam@b.example")
    third, _ = await register(client, email="SAM@c.example")
    assert [first["handle"], second["handle"], third["handle"]] == ["sam", "sam2", "sam3"]


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "x" * 400 + "@example.com"}, "email"),
        ({"password": "short"}, "password"),
        ({"nickname": ""}, "nickname"),
        ({"nickname": "n" * 31}, "nickname"),
        ({"native_language": "xx"}, "native_language"),
        ({"target_languages": [{"language": "ko", "level": "B1"}]}, "target_languages[0].language"),
        ({"target_languages": [{"language": "en", "level": "D1"}]}, "target_languages[0].level"),
        ({"interface_language": "fr"}, "interface_language"),
    ],
)
async def test_register_rejects_bad_fields_with_422_naming_the_field(
    client: Any, override: dict[str, Any], field: str
) -> None:
    body = {
        "email": "ok@example.com",
        "password": DEFAULT_PASSWORD,
        "nickname": "ok",
        "native_language": "ko",
        **override,
    }
    response = await client.post(f"{API}/auth/register", json=body)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "validation_error"
    assert any(field in error["field"] for error in problem["errors"]), problem


async def test_password_equal_to_email_is_rejected(client: Any) -> None:
    response = await client.post(
        f"{API}/auth/register",
        json={
            "email": "same@example.com",
            "password": "Same@Example.com",
            "nickname": "x",
            "native_language": "ko",
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "password"


async def test_six_target_languages_are_too_many(client: Any) -> None:
    targets = [{"language": code, "level": "A1"} for code in ("en", "ja", "es", "fr", "de", "it")]
    response = await client.post(
        f"{API}/auth/register",
        json={
            "email": "many@example.com",
            "password": DEFAULT_PASSWORD,
            "nickname": "x",
            "native_language": "ko",
            "target_languages": targets,
        },
    )
    assert response.status_code == 422


async def test_login_and_me(client: Any) -> None:
    created = await register_full(client)
    body = await login(client, created["email"].upper(), created["password"])
    assert body["user"]["id"] == created["user"]["id"]
    me = await client.get(f"{API}/users/me", headers=auth(body["access_token"]))
    assert me.status_code == 200
    assert me.json()["email"] == created["email"]


async def test_wrong_password_and_unknown_email_are_the_same_401(client: Any) -> None:
    created = await register_full(client)
    wrong = await client.post(
        f"{API}/auth/login", json={"email": created["email"], "password": "not the password"}
    )
    unknown = await client.post(
        f"{API}/auth/login", json={"email": "nobody@example.com", "password": "whatever1"}
    )
    garbled = await client.post(
        f"{API}/auth/login", json={"email": "garbled", "password": "whatever1"}
    )
    for response in (wrong, unknown, garbled):
        assert response.status_code == 401
        assert response.json()["code"] == "invalid_credentials"
    assert wrong.json()["detail"] == unknown.json()["detail"]


async def test_me_requires_a_valid_token(client: Any) -> None:
    _, token = await register(client)
    assert (await client.get(f"{API}/users/me")).status_code == 401
    bad_signature = jwt.encode(
        jwt.decode(token, options={"verify_signature": False}),
        "another-secret-that-is-long-enough-for-hs256",
        "HS256",
    )
    for header in ("Bearer garbage", f"Bearer {bad_signature}", f"Bearer {token}x"):
        response = await client.get(f"{API}/users/me", headers={"Authorization": header})
        assert response.status_code == 401, header


async def test_expired_token_is_401(client: Any) -> None:
    _, token = await register(client)
    claims = jwt.decode(token, options={"verify_signature": False})
    claims["exp"] = claims["iat"] - 1
    expired = jwt.encode(claims, "test-secret-with-enough-entropy-0123456789abcdef", "HS256")
    response = await client.get(f"{API}/users/me", headers=auth(expired))
    assert response.status_code == 401


async def test_refresh_rotates_and_reuse_revokes_the_family(client: Any) -> None:
    created = await register_full(client)
    first = created["refresh_token"]
    rotated = await client.post(f"{API}/auth/refresh", json={"refresh_token": first})
    assert rotated.status_code == 200, rotated.text
    second = rotated.json()["refresh_token"]
    assert second != first
    me = await client.get(f"{API}/users/me", headers=auth(rotated.json()["access_token"]))
    assert me.status_code == 200

    replay = await client.post(f"{API}/auth/refresh", json={"refresh_token": first})
    assert replay.status_code == 401
    assert replay.json()["code"] == "invalid_refresh_token"
    # The legitimate newest token died with its family.
    after = await client.post(f"{API}/auth/refresh", json={"refresh_token": second})
    assert after.status_code == 401


async def test_reuse_only_revokes_its_own_family(client: Any) -> None:
    created = await register_full(client)
    other_login = await login(client, created["email"], created["password"])
    await client.post(f"{API}/auth/refresh", json={"refresh_token": created["refresh_token"]})
    await client.post(f"{API}/auth/refresh", json={"refresh_token": created["refresh_token"]})
    still = await client.post(
        f"{API}/auth/refresh", json={"refresh_token": other_login["refresh_token"]}
    )
    assert still.status_code == 200


async def test_logout_revokes_the_refresh_token(client: Any) -> None:
    created = await register_full(client)
    out = await client.post(f"{API}/auth/logout", json={"refresh_token": created["refresh_token"]})
    assert out.status_code == 204
    again = await client.post(
        f"{API}/auth/logout", json={"refresh_token": created["refresh_token"]}
    )
    assert again.status_code == 204
    refused = await client.post(
        f"{API}/auth/refresh", json={"refresh_token": created["refresh_token"]}
    )
    assert refused.status_code == 401


async def test_garbage_refresh_token_is_401(client: Any) -> None:
    response = await client.post(f"{API}/auth/refresh", json={"refresh_token": "nope"})
    assert response.status_code == 401


async def test_concurrent_registrations_of_one_email_create_one_account(client: Any) -> None:
    import asyncio

    body = {
        "email": "race@example.com",
        "password": DEFAULT_PASSWORD,
        "nickname": "racer",
        "native_language": "ko",
    }
    responses = await asyncio.gather(
        *(client.post(f"{API}/auth/register", json=body) for _ in range(5))
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 409, 409, 409, 409], [r.text for r in responses]
    assert all(r.json()["code"] == "email_taken" for r in responses if r.status_code == 409)


async def test_concurrent_registrations_get_distinct_handles(client: Any) -> None:
    import asyncio

    responses = await asyncio.gather(
        *(
            client.post(
                f"{API}/auth/register",
                json={
                    "email": f"same.name@host{i}.example",
                    "password": DEFAULT_PASSWORD,
                    "nickname": "n",
                    "native_language": "ko",
                },
            )
            for i in range(4)
        )
    )
    assert [r.status_code for r in responses] == [201] * 4, [r.text for r in responses]
    handles = {r.json()["user"]["handle"] for r in responses}
    assert len(handles) == 4
    assert all(h.startswith("same_name") for h in handles)
