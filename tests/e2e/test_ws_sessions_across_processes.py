"""Two real uvicorn processes sharing PostgreSQL and Redis: a `SessionsRevoked` published
by any process (here: the test process, through the Redis broker) closes the user's sockets
on both servers; the per-user socket cap counts sockets on both; a client that never sends
a frame stays connected (liveness is uvicorn's WebSocket protocol ping, answered by the
client library)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import httpx
import msgspec
import pytest
import redis.asyncio as aioredis
import websockets

from hypehere.adapters.redis.broker import RedisBroker
from hypehere.application.common.sessions import SessionsRevoked
from hypehere.application.common.topics import user_sessions_topic
from hypehere.bootstrap.providers.infrastructure import broker_channel_prefix
from tests.api.helpers import API, registration
from tests.conftest import flush_redis, truncate_all
from tests.e2e import server_env
from tests.e2e.test_chat_across_processes import Server, free_port, next_frame, sign_up

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def servers(
    postgres_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, Server]]:
    tmp_path = tmp_path_factory.mktemp("e2e-ws-sessions")
    asyncio.run(truncate_all(postgres_url))
    asyncio.run(flush_redis(redis_url))
    env = server_env(
        HYPEHERE_DATABASE_URL=postgres_url,
        HYPEHERE_REDIS_URL=redis_url,
        HYPEHERE_JWT_SECRET="e2e-secret-with-enough-entropy-0123456789abcdef",
        HYPEHERE_RATE_LIMIT_ENABLED="true",  # socket caps are rate limits
        HYPEHERE_WS_MAX_SOCKETS_PER_USER="2",
        HYPEHERE_WS_PING_INTERVAL_SECONDS="0.1",
        HYPEHERE_WS_PING_TIMEOUT_SECONDS="2",
        HYPEHERE_WS_HEARTBEAT_SECONDS="0.1",
        # The old silence timeout (close 4408): no such setting any more, so no effect.
        HYPEHERE_WS_IDLE_TIMEOUT_SECONDS="0.3",
        HYPEHERE_VAR_DIR=str(tmp_path),
        HYPEHERE_LOG_FORMAT="json",
        HYPEHERE_LOG_LEVEL="WARNING",
        HYPEHERE_EMBEDDED_WORKER="false",
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


async def _publish(redis_url: str, user_id: str, revoked: SessionsRevoked) -> None:
    client = aioredis.Redis.from_url(redis_url)
    try:
        broker = RedisBroker(client, prefix=broker_channel_prefix(client))
        await broker.publish(user_sessions_topic(user_id), msgspec.json.encode(revoked))
    finally:
        await client.aclose()


async def _close_code(socket: websockets.ClientConnection) -> int:
    with pytest.raises(websockets.ConnectionClosed) as info:
        while True:
            await asyncio.wait_for(socket.recv(), timeout=10)
    assert info.value.rcvd is not None
    return int(info.value.rcvd.code)


async def _pong(socket: websockets.ClientConnection) -> None:
    await socket.send(json.dumps({"type": "ping"}))
    assert json.loads(await asyncio.wait_for(socket.recv(), timeout=10)) == {"type": "pong"}


async def _revoked_everywhere(a: Server, b: Server, redis_url: str) -> None:
    alice, alice_token = await sign_up(a)
    _, bob_token = await sign_up(b)
    async with (
        websockets.connect(f"{a.ws}/ws/notifications?token={alice_token}") as on_a,
        websockets.connect(f"{b.ws}/ws/notifications?token={alice_token}") as on_b,
        websockets.connect(f"{b.ws}/ws/notifications?token={bob_token}") as bob,
    ):
        for socket in (on_a, on_b, bob):
            await next_frame(socket, "unread_count")
        revoked = SessionsRevoked(reason="account_banned", close_code=4403)
        await _publish(redis_url, alice["id"], revoked)
        assert await _close_code(on_a) == 4403
        assert await _close_code(on_b) == 4403
        await _pong(bob)


def test_sessions_revoked_closes_the_users_sockets_on_every_process(
    servers: tuple[Server, Server], redis_url: str
) -> None:
    a, b = servers
    asyncio.run(_revoked_everywhere(a, b, redis_url))


async def _cap_across(a: Server, b: Server) -> None:
    _, token = await sign_up(a)
    async with (
        websockets.connect(f"{a.ws}/ws/notifications?token={token}") as first,
        websockets.connect(f"{b.ws}/ws/notifications?token={token}") as second,
    ):
        await next_frame(first, "unread_count")
        await next_frame(second, "unread_count")
        async with websockets.connect(f"{a.ws}/ws/notifications?token={token}") as third:
            assert await _close_code(third) == 4429


def test_the_per_user_socket_cap_counts_sockets_on_every_process(
    servers: tuple[Server, Server],
) -> None:
    a, b = servers
    asyncio.run(_cap_across(a, b))


async def _silent(a: Server) -> None:
    _, token = await sign_up(a)
    async with websockets.connect(f"{a.ws}/ws/notifications?token={token}") as socket:
        await next_frame(socket, "unread_count")
        # Silent for many protocol ping intervals and far past the old silence timeout;
        # the client library answers the server's protocol pings by itself.
        await asyncio.sleep(1.5)
        await _pong(socket)


def test_a_silent_client_stays_connected(servers: tuple[Server, Server]) -> None:
    a, _ = servers
    asyncio.run(_silent(a))


async def test_a_logout_on_one_server_reaches_the_status_cache_of_the_other(
    servers: tuple[Server, Server],
) -> None:
    """Server B serves the user's requests from its account-status cache; a logout on
    server A reaches B through Redis (`users.accounts.status`), so B refuses the token."""
    a, b = servers
    async with httpx.AsyncClient(base_url=a.base) as http:
        registered = await http.post(f"{API}/auth/register", json=registration())
        assert registered.status_code == 201, registered.text
        body = registered.json()
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    async with httpx.AsyncClient(base_url=b.base, headers=headers) as on_b:
        for _ in range(3):  # warm B's cache (the status is then served from memory)
            assert (await on_b.get(f"{API}/users/me")).status_code == 200
        async with httpx.AsyncClient(base_url=a.base) as on_a:
            out = await on_a.post(
                f"{API}/auth/logout", json={"refresh_token": body["refresh_token"]}
            )
            assert out.status_code == 204
        status = 200
        for _ in range(100):  # pub/sub delivers to B in the background
            status = (await on_b.get(f"{API}/users/me")).status_code
            if status == 401:
                break
            await asyncio.sleep(0.05)
        assert status == 401
