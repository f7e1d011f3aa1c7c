"""Users facts reach the outbox in the same transaction, with the shared topics/payloads."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from hypehere.bootstrap.settings import Settings
from tests.api.helpers import API, auth, register

pytestmark = pytest.mark.integration


async def outbox(settings: Settings) -> list[tuple[str, dict[str, Any]]]:
    engine = create_async_engine(settings.effective_database_url)
    try:
        async with engine.connect() as conn:
            rows = (
                await conn.execute(text("SELECT topic, payload FROM outbox_events ORDER BY id"))
            ).all()
    finally:
        await engine.dispose()
    return [
        (topic, payload if isinstance(payload, dict) else json.loads(payload))
        for topic, payload in rows
    ]


async def test_users_events_in_the_outbox(client: Any, backend_settings: Settings) -> None:
    alice, a_token = await register(
        client, nickname="Alice", target_languages=[{"language": "ja", "level": "A2"}]
    )
    bob, _ = await register(client)
    await client.put(f"{API}/users/{bob['id']}/follow", headers=auth(a_token))
    await client.put(f"{API}/users/{bob['id']}/follow", headers=auth(a_token))  # no 2nd event
    await client.patch(f"{API}/users/me", headers=auth(a_token), json={"bio": "hi"})
    await client.put(f"{API}/users/{bob['id']}/block", headers=auth(a_token))
    await client.delete(f"{API}/users/{bob['id']}/block", headers=auth(a_token))
    await client.post(f"{API}/users/me/deactivate", headers=auth(a_token))

    events = [e for e in await outbox(backend_settings) if e[0].startswith("users.")]
    assert [topic for topic, _ in events] == [
        "users.registered",
        "users.registered",
        "users.followed",
        "users.profile_updated",
        "users.unfollowed",
        "users.blocked",
        "users.unblocked",
        "users.state_changed",
    ]
    registered = events[0][1]
    assert registered == {
        "user_id": alice["id"],
        "handle": alice["handle"],
        "nickname": "Alice",
        "native_language": "ko",
        "target_languages": [{"language": "ja", "level": "A2"}],
    }
    assert events[2][1] == {"follower_id": alice["id"], "followee_id": bob["id"]}
    assert events[5][1] == {"blocker_id": alice["id"], "blocked_id": bob["id"]}
    assert events[7][1] == {"user_id": alice["id"], "state": "deactivated"}
