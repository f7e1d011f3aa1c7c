"""Chat writes over HTTP spend the `post` budget (API.md "Conventions"), like POST /posts,
and room password attempts have their own budget per room and user; on SQLite+memory and
on PostgreSQL+Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from hypehere.bootstrap.settings import Settings
from tests.api.helpers import API, auth, register

pytestmark = pytest.mark.integration


def limited_settings(settings: Settings, **limits: Any) -> Settings:
    values: dict[str, Any] = {
        "rate_limit_enabled": True,
        "rate_limit_user_per_hour": 10_000,
        "rate_limit_anon_per_hour": 10_000,
        "rate_limit_auth_per_minute": 10_000,
        "rate_limit_post_per_minute": 10_000,
        "rate_limit_redis_timeout_seconds": 10,  # a loaded test box must not fail open
        **limits,
    }
    return settings.model_copy(update=values)


@pytest.fixture
async def app_client(backend_settings: Settings) -> AsyncIterator[Any]:
    from hypehere.bootstrap.app import create_app

    clients: list[AsyncTestClient[Any]] = []

    async def make(**limits: Any) -> AsyncTestClient[Any]:
        client: AsyncTestClient[Any] = AsyncTestClient(
            app=create_app(limited_settings(backend_settings, **limits))
        )
        await client.__aenter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.__aexit__(None, None, None)


def assert_rate_limited(response: Any) -> None:
    assert response.status_code == 429, response.text
    assert response.json()["code"] == "rate_limited"
    assert int(response.headers["retry-after"]) > 0


async def test_conversation_writes_spend_the_post_budget(app_client: Any) -> None:
    client = await app_client(rate_limit_post_per_minute=2)
    _, token = await register(client)
    other, _ = await register(client)
    third, _ = await register(client)
    opened = await client.post(
        f"{API}/conversations", json={"user_id": other["id"]}, headers=auth(token)
    )
    assert opened.status_code in (200, 201), opened.text
    url = f"{API}/conversations/{opened.json()['id']}/messages"
    sent = await client.post(url, json={"content": "hi"}, headers=auth(token))
    assert sent.status_code == 201, sent.text
    assert_rate_limited(await client.post(url, json={"content": "again"}, headers=auth(token)))
    assert_rate_limited(
        await client.post(
            f"{API}/conversations", json={"user_id": third["id"]}, headers=auth(token)
        )
    )
    # reads are not in the post budget
    assert (await client.get(url, headers=auth(token))).status_code == 200


async def test_room_writes_and_joins_spend_the_post_budget(app_client: Any) -> None:
    client = await app_client(rate_limit_post_per_minute=2)
    _, owner = await register(client)
    _, guest = await register(client)
    body = {"name": "Room", "language": "ko", "max_participants": 10}
    created = await client.post(f"{API}/rooms", json=body, headers=auth(owner))
    assert created.status_code == 201, created.text
    room_id = created.json()["id"]
    sent = await client.post(
        f"{API}/rooms/{room_id}/messages", json={"content": "hello"}, headers=auth(owner)
    )
    assert sent.status_code == 201, sent.text
    assert_rate_limited(await client.post(f"{API}/rooms", json=body, headers=auth(owner)))
    assert_rate_limited(
        await client.post(
            f"{API}/rooms/{room_id}/messages", json={"content": "more"}, headers=auth(owner)
        )
    )
    for _ in range(2):
        joined = await client.post(f"{API}/rooms/{room_id}/join", json={}, headers=auth(guest))
        assert joined.status_code == 200, joined.text
    assert_rate_limited(
        await client.post(f"{API}/rooms/{room_id}/join", json={}, headers=auth(guest))
    )


async def test_room_password_attempts_are_limited_per_room_and_user(app_client: Any) -> None:
    client = await app_client(rate_limit_room_password_attempts=2)
    _, owner = await register(client)
    _, guest = await register(client)
    _, other = await register(client)
    body = {"name": "Locked", "language": "ko", "max_participants": 10, "password": "secret"}
    room_id = (await client.post(f"{API}/rooms", json=body, headers=auth(owner))).json()["id"]
    url = f"{API}/rooms/{room_id}/join"
    for guess in ("one", "two"):
        wrong = await client.post(url, json={"password": guess}, headers=auth(guest))
        assert wrong.json()["code"] == "wrong_password"
    refused = await client.post(url, json={"password": "secret"}, headers=auth(guest))
    assert_rate_limited(refused)
    assert 800 < int(refused.headers["retry-after"]) <= 900
    assert refused.headers["content-type"].startswith("application/problem+json")
    # another user has a budget of their own on the same room
    joined = await client.post(url, json={"password": "secret"}, headers=auth(other))
    assert joined.status_code == 200, joined.text
