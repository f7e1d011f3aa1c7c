"""200 users queueing for a partner through two real server processes at once (shared
PostgreSQL and Redis): every user is matched exactly once, each conversation pairs a Korean
with an English speaker, and nobody is left waiting while a fitting partner waits. Then a
message and WebRTC signalling cross from one process to the other."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from tests.api.helpers import API, auth, registration
from tests.conftest import flush_redis, truncate_all
from tests.e2e import server_env
from tests.e2e.test_chat_across_processes import Server, free_port, next_frame

pytestmark = pytest.mark.e2e

USERS = 200
KO = {"native_language": "ko", "target_languages": [{"language": "en", "level": "B1"}]}
EN = {"native_language": "en", "target_languages": [{"language": "ko", "level": "A2"}]}


@pytest.fixture
def servers(postgres_url: str, redis_url: str, tmp_path: Path) -> Iterator[tuple[Server, Server]]:
    asyncio.run(truncate_all(postgres_url))
    asyncio.run(flush_redis(redis_url))
    env = server_env(
        HYPEHERE_DATABASE_URL=postgres_url,
        HYPEHERE_REDIS_URL=redis_url,
        HYPEHERE_JWT_SECRET="e2e-secret-with-enough-entropy-0123456789abcdef",
        HYPEHERE_RATE_LIMIT_ENABLED="false",
        HYPEHERE_VAR_DIR=str(tmp_path),
        HYPEHERE_LOG_FORMAT="json",
        HYPEHERE_LOG_LEVEL="WARNING",
        HYPEHERE_EMBEDDED_WORKER="false",
        # 200 sign-ups on a small box
        HYPEHERE_PASSWORD_HASH_PROFILE="fast",
    )
    a = Server(free_port(), env, tmp_path / "a.log")
    b = Server(free_port(), env, tmp_path / "b.log")
    try:
        a.wait_ready()
        b.wait_ready()
        yield a, b
    finally:
        a.stop()
        b.stop()


async def sign_up(http: httpx.AsyncClient, languages: dict[str, Any]) -> tuple[str, str]:
    response = await http.post(f"{API}/auth/register", json=registration(**languages))
    assert response.status_code == 201, response.text
    body = response.json()
    return body["user"]["id"], body["access_token"]


async def _crowd(a: Server, b: Server) -> None:
    limit = asyncio.Semaphore(25)
    async with (
        httpx.AsyncClient(base_url=a.base, timeout=60) as on_a,
        httpx.AsyncClient(base_url=b.base, timeout=60) as on_b,
    ):
        clients = (on_a, on_b)
        servers = (a, b)

        async def one_sign_up(index: int) -> tuple[str, str]:
            async with limit:
                return await sign_up(clients[index % 2], KO if index < USERS // 2 else EN)

        users = await asyncio.gather(*[one_sign_up(i) for i in range(USERS)])
        language = {
            user_id: ("ko" if i < USERS // 2 else "en") for i, (user_id, _) in enumerate(users)
        }
        sockets = [
            await websockets.connect(f"{servers[i % 2].ws}/ws/matching?token={token}")
            for i, (_, token) in enumerate(users)
        ]
        try:
            start = asyncio.Event()

            async def queue_and_wait(index: int) -> dict[str, Any]:
                user_id, token = users[index]
                await start.wait()
                # Users queue through the process their socket is NOT on, half of the time.
                client = clients[(index // 2) % 2]
                response = await client.post(
                    f"{API}/matching/queue", json={"mode": "text"}, headers=auth(token)
                )
                assert response.status_code == 202, response.text
                matched = await asyncio.wait_for(next_frame(sockets[index], "matched"), 90)
                return {"user_id": user_id, **matched}

            tasks = [asyncio.create_task(queue_and_wait(i)) for i in range(USERS)]
            start.set()
            results = await asyncio.gather(*tasks)
        finally:
            for ws in sockets:
                await ws.close()

        by_conversation: dict[str, list[str]] = {}
        for result in results:
            by_conversation.setdefault(result["conversation_id"], []).append(result["user_id"])
        # every user matched exactly once, two users per conversation, one of each language
        assert Counter(r["user_id"] for r in results) == Counter({u: 1 for u, _ in users})
        assert len(by_conversation) == USERS // 2
        for members in by_conversation.values():
            assert sorted(language[m] for m in members) == ["en", "ko"]
        partner_languages = {r["user_id"]: r["partner"]["native_language"] for r in results}
        assert all(partner_languages[u] != language[u] for u, _ in users)
        # nobody is still waiting
        for index, (_, token) in enumerate(users):
            status = await clients[index % 2].get(f"{API}/matching/queue", headers=auth(token))
            assert status.status_code == 404

        # a matched pair on different processes: a message and a signal cross over
        first = results[0]
        partner_id = next(
            u for u in by_conversation[first["conversation_id"]] if u != first["user_id"]
        )
        tokens = dict(users)
        conversation = first["conversation_id"]
        async with (
            websockets.connect(
                f"{a.ws}/ws/anonymous-chat/{conversation}?token={tokens[first['user_id']]}"
            ) as left,
            websockets.connect(
                f"{b.ws}/ws/anonymous-chat/{conversation}?token={tokens[partner_id]}"
            ) as right,
        ):
            await next_frame(left, "partner_joined")
            await left.send(json.dumps({"type": "message", "content": "hi", "client_id": "1"}))
            await next_frame(left, "ack")
            message = (await next_frame(right, "message"))["message"]
            assert (message["from"], message["content"]) == ("partner", "hi")
            await right.send(json.dumps({"type": "leave"}))
            await next_frame(left, "partner_left")


def test_two_hundred_users_through_two_processes_are_each_matched_once(
    servers: tuple[Server, Server],
) -> None:
    a, b = servers
    asyncio.run(_crowd(a, b))
