"""Anonymous conversations over HTTP, on SQLite+memory and on PostgreSQL+Redis: what a
participant sees of the partner, 404 for anyone else, leaving, and a block ending it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from hypehere.bootstrap.settings import Settings
from hypehere.entrypoints.outbox.dispatcher import OutboxDispatcher
from tests.api.helpers import API, auth, register
from tests.api.matching.test_matching_queue import QUEUE, english, join, korean, settle_queue

pytestmark = pytest.mark.integration


async def conversation_of(database_url: str, user_id: str) -> str:
    """The user's anonymous conversation (the matcher commits it just after the queue
    entries leave: a bounded number of polls)."""
    engine = create_async_engine(database_url)
    found = None
    try:
        for _ in range(200):
            async with engine.connect() as conn:
                found = await conn.scalar(
                    text("SELECT conversation_id FROM anonymous_members WHERE user_id = :id"),
                    {"id": user_id},
                )
            if found is not None:
                break
            await asyncio.sleep(0.01)
    finally:
        await engine.dispose()
    assert found is not None
    return str(found)


async def matched_pair(client: Any, database_url: str) -> tuple[str, str, str, dict[str, Any]]:
    ko_user, ko_token = await korean(client)
    _, en_token = await english(client)
    await join(client, ko_token)
    await join(client, en_token, mode="text")
    assert await settle_queue(client, ko_token) == 404
    return await conversation_of(database_url, ko_user["id"]), ko_token, en_token, ko_user


async def test_participants_see_only_the_partners_languages(
    client: Any, backend_settings: Settings
) -> None:
    conversation_id, ko_token, en_token, _ = await matched_pair(
        client, backend_settings.effective_database_url
    )
    mine = await client.get(
        f"{API}/anonymous-conversations/{conversation_id}", headers=auth(ko_token)
    )
    assert mine.status_code == 200, mine.text
    body = mine.json()
    assert body["id"] == conversation_id
    assert body["kind"] == "anonymous"
    assert body["mode"] == "text"
    assert body["revealed"] is False
    assert body["ended_at"] is None
    assert body["partner"] == {
        "native_language": "en",
        "target_languages": [{"language": "ko", "level": "A2"}],
    }
    theirs = await client.get(
        f"{API}/anonymous-conversations/{conversation_id}", headers=auth(en_token)
    )
    assert theirs.json()["partner"]["native_language"] == "ko"
    _, stranger = await register(client)
    hidden = await client.get(
        f"{API}/anonymous-conversations/{conversation_id}", headers=auth(stranger)
    )
    assert hidden.status_code == 404
    assert (
        await client.post(
            f"{API}/anonymous-conversations/{conversation_id}/leave", headers=auth(stranger)
        )
    ).status_code == 404
    assert (
        await client.get(f"{API}/anonymous-conversations/nope", headers=auth(ko_token))
    ).status_code == 404


async def test_it_ends_when_both_have_left(client: Any, backend_settings: Settings) -> None:
    conversation_id, ko_token, en_token, _ = await matched_pair(
        client, backend_settings.effective_database_url
    )
    url = f"{API}/anonymous-conversations/{conversation_id}"
    assert (await join(client, en_token)).json()["code"] == "in_conversation"
    assert (await client.post(f"{url}/leave", headers=auth(ko_token))).status_code == 204
    assert (await client.get(url, headers=auth(ko_token))).json()["ended_at"] is None
    # I left: I may queue again while my partner is still in it; they may not
    assert (await join(client, ko_token)).status_code == 202
    assert (await client.delete(QUEUE, headers=auth(ko_token))).status_code == 204
    assert (await join(client, en_token)).json()["code"] == "in_conversation"
    assert (await client.post(f"{url}/leave", headers=auth(ko_token))).status_code == 204
    assert (await client.post(f"{url}/leave", headers=auth(en_token))).status_code == 204
    assert (await client.get(url, headers=auth(en_token))).json()["ended_at"] is not None
    assert (await join(client, en_token)).status_code == 202
    assert (await client.delete(QUEUE, headers=auth(en_token))).status_code == 204


async def test_a_block_ends_the_conversation(client: Any, backend_settings: Settings) -> None:
    conversation_id, ko_token, en_token, ko_user = await matched_pair(
        client, backend_settings.effective_database_url
    )
    blocked = await client.put(f"{API}/users/{ko_user['id']}/block", headers=auth(en_token))
    assert blocked.status_code in (200, 204), blocked.text

    async def drain() -> None:
        dispatcher = await client.app.state.dishka_container.get(OutboxDispatcher)
        await dispatcher.drain()

    client.blocking_portal.call(drain)
    url = f"{API}/anonymous-conversations/{conversation_id}"
    assert (await client.get(url, headers=auth(ko_token))).json()["ended_at"] is not None
