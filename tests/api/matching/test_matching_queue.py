"""The matching queue over HTTP, on SQLite+memory and on PostgreSQL+Redis: join, status,
leave, pairing of complementary users into an anonymous conversation, and the pairs that
are never made (blocked, barred, the same partner again)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from hypehere.application.matching.run_matcher import RunMatcher, RunMatcherCommand
from hypehere.bootstrap.settings import Settings
from tests.api.chat.db import block, execute
from tests.api.helpers import API, auth, register

pytestmark = pytest.mark.integration

QUEUE = f"{API}/matching/queue"


async def korean(client: Any) -> tuple[dict[str, Any], str]:
    return await register(
        client, native_language="ko", target_languages=[{"language": "en", "level": "B1"}]
    )


async def english(client: Any) -> tuple[dict[str, Any], str]:
    return await register(
        client, native_language="en", target_languages=[{"language": "ko", "level": "A2"}]
    )


async def join(client: Any, token: str, **body: Any) -> Any:
    return await client.post(QUEUE, json={"mode": "text", **body}, headers=auth(token))


async def run_matcher(client: Any) -> list[str]:
    """One matcher run in a request scope of the app's container (what a join triggers in
    the background), awaited so the test knows it ran."""

    async def run() -> list[str]:
        async with client.app.state.dishka_container() as request:
            matcher = await request.get(RunMatcher)
            return (await matcher.execute(RunMatcherCommand())).conversation_ids

    made: list[str] = client.blocking_portal.call(run)
    return made


async def settle_queue(client: Any, token: str) -> int:
    """Wait for the background matcher a join started: the status code of my queue entry
    once it stops changing (bounded number of polls, no timing assertions)."""
    status = (await client.get(QUEUE, headers=auth(token))).status_code
    for _ in range(200):
        if status == 404:
            return status
        await asyncio.sleep(0.01)
        status = (await client.get(QUEUE, headers=auth(token))).status_code
    return status


async def test_join_status_and_leave(client: Any) -> None:
    _, token = await korean(client)
    joined = await join(client, token)
    assert joined.status_code == 202, joined.text
    assert joined.json() == {"position": 1, "estimated_wait_seconds": 60}
    status = await client.get(QUEUE, headers=auth(token))
    assert status.status_code == 200
    assert status.json() == {"position": 1, "estimated_wait_seconds": 60}
    again = await join(client, token)
    assert again.status_code == 409
    assert again.json()["code"] == "already_queued"
    assert (await client.delete(QUEUE, headers=auth(token))).status_code == 204
    missing = await client.get(QUEUE, headers=auth(token))
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_queued"
    assert (await client.delete(QUEUE, headers=auth(token))).status_code == 204


async def test_positions_count_the_same_line_only(client: Any) -> None:
    _, first = await korean(client)
    _, second = await korean(client)
    _, other_line = await korean(client)
    assert (await join(client, first)).json()["position"] == 1
    assert (await join(client, second)).json()["position"] == 2
    video = await join(client, other_line, mode="video")
    assert video.json()["position"] == 1
    assert (await client.get(QUEUE, headers=auth(second))).json()["position"] == 2


async def test_validation(client: Any) -> None:
    _, token = await korean(client)
    assert (await client.post(QUEUE, json={"mode": "audio"}, headers=auth(token))).status_code in (
        400,
        422,
    )
    bad = await join(client, token, target_language="english")
    assert bad.status_code == 422
    assert (await client.post(QUEUE, json={"mode": "text"})).status_code == 401


async def test_complementary_users_are_paired_and_then_in_conversation(client: Any) -> None:
    _, ko_token = await korean(client)
    _, en_token = await english(client)
    assert (await join(client, ko_token)).status_code == 202
    assert (await join(client, en_token)).status_code == 202
    assert await settle_queue(client, ko_token) == 404
    assert await settle_queue(client, en_token) == 404
    busy = await join(client, ko_token)
    assert busy.status_code == 409
    assert busy.json()["code"] == "in_conversation"


async def test_languages_given_override_the_profile(client: Any) -> None:
    _, ko_token = await korean(client)
    _, ja_token = await register(
        client, native_language="ja", target_languages=[{"language": "fr", "level": "A1"}]
    )
    # The Japanese speaker learns Korean for this entry only: now they fit.
    assert (await join(client, ja_token, target_language="ko")).status_code == 202
    assert (await join(client, ko_token, target_language="ja")).status_code == 202
    assert await settle_queue(client, ko_token) == 404
    assert await settle_queue(client, ja_token) == 404


async def test_blocked_and_barred_users_are_never_paired(
    client: Any, backend_settings: Settings
) -> None:
    db = backend_settings.effective_database_url
    ko_user, ko_token = await korean(client)
    en_user, en_token = await english(client)
    await block(db, en_user["id"], ko_user["id"])
    await join(client, ko_token)
    await join(client, en_token)
    assert await run_matcher(client) == []
    assert (await client.get(QUEUE, headers=auth(ko_token))).status_code == 200
    assert (await client.get(QUEUE, headers=auth(en_token))).status_code == 200

    other, other_token = await english(client)
    await execute(db, "UPDATE users SET state = 'suspended' WHERE id = :id", id=other["id"])
    await join(client, other_token)
    assert await run_matcher(client) == []
    assert (await client.get(QUEUE, headers=auth(other_token))).status_code == 200
