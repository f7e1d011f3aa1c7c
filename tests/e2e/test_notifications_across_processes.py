"""Two real uvicorn processes sharing PostgreSQL and Redis: Bob follows Alice through
process A (which also runs the outbox dispatcher), and Alice's `/ws/notifications` socket on
process B receives the notification and the new unread count through the Redis broker."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import websockets

from tests.api.helpers import API, auth
from tests.conftest import flush_redis, truncate_all
from tests.e2e import server_env
from tests.e2e.test_chat_across_processes import Server, free_port, next_frame, sign_up

pytestmark = pytest.mark.e2e


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
    )
    # Only A delivers the outbox, so the frame must cross from A to B through Redis.
    a = Server(free_port(), {**env, "HYPEHERE_EMBEDDED_WORKER": "true"}, tmp_path / "a.log")
    b = Server(free_port(), {**env, "HYPEHERE_EMBEDDED_WORKER": "false"}, tmp_path / "b.log")
    try:
        a.wait_ready()
        b.wait_ready()
        yield a, b
    finally:
        a.stop()
        b.stop()


async def _follow_across(a: Server, b: Server) -> None:
    alice, alice_token = await sign_up(b)
    bob, bob_token = await sign_up(a)
    async with websockets.connect(f"{b.ws}/ws/notifications?token={alice_token}") as socket:
        assert (await next_frame(socket, "unread_count"))["count"] == 0
        async with httpx.AsyncClient(base_url=a.base) as http:
            response = await http.put(f"{API}/users/{alice['id']}/follow", headers=auth(bob_token))
            assert response.status_code == 204, response.text
        pushed = (await next_frame(socket, "notification"))["notification"]
        assert pushed["kind"] == "follow"
        assert [actor["id"] for actor in pushed["actors"]] == [bob["id"]]
        assert (await next_frame(socket, "unread_count"))["count"] == 1
    async with httpx.AsyncClient(base_url=b.base) as http:
        listed = (await http.get(f"{API}/notifications", headers=auth(alice_token))).json()
    assert [n["id"] for n in listed["items"]] == [pushed["id"]]


def test_a_notification_reaches_a_socket_on_another_process(
    servers: tuple[Server, Server],
) -> None:
    a, b = servers
    asyncio.run(_follow_across(a, b))
