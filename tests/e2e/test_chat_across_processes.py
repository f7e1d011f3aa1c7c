"""Two real uvicorn processes (`hypehere serve`) on different ports sharing PostgreSQL and
Redis: clients connected to different processes talk to each other, and a client that drops
and reconnects mid-stream catches up with `?after=` without losing or duplicating a message.
"""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from tests.api.helpers import API, auth, registration
from tests.conftest import flush_redis, truncate_all
from tests.e2e import server_env

pytestmark = pytest.mark.e2e

HYPEHERE = str(Path(sys.executable).parent / "hypehere")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, port: int, env: dict[str, str], log: Path) -> None:
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.ws = f"ws://127.0.0.1:{port}"
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [HYPEHERE, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, deadline_seconds: float = 60) -> None:
        deadline = time.monotonic() + deadline_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server on {self.port} exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.base}/health/ready", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server on {self.port} never became ready")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def _start_pair(
    postgres_url: str, redis_url: str, tmp_path: Path
) -> Iterator[tuple[Server, Server]]:
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


@pytest.fixture(scope="module")
def servers(
    postgres_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, Server]]:
    """Two processes shared by the tests of this module that leave them running."""
    yield from _start_pair(postgres_url, redis_url, tmp_path_factory.mktemp("e2e-chat"))


@pytest.fixture
def own_servers(
    postgres_url: str, redis_url: str, tmp_path: Path
) -> Iterator[tuple[Server, Server]]:
    """A fresh pair for a test that stops one of them."""
    yield from _start_pair(postgres_url, redis_url, tmp_path)


async def sign_up(server: Server) -> tuple[dict[str, Any], str]:
    async with httpx.AsyncClient(base_url=server.base) as http:
        response = await http.post(f"{API}/auth/register", json=registration())
        assert response.status_code == 201, response.text
        body = response.json()
        return body["user"], body["access_token"]


async def frames(ws: Any) -> AsyncIterator[dict[str, Any]]:
    async for raw in ws:
        frame: dict[str, Any] = json.loads(raw)
        if frame.get("type") == "ping":
            await ws.send(json.dumps({"type": "pong"}))
            continue
        yield frame


async def next_frame(ws: Any, kind: str) -> dict[str, Any]:
    async def find() -> dict[str, Any]:
        async for frame in frames(ws):
            if frame["type"] == kind:
                return frame
        raise AssertionError(f"socket closed before a {kind!r} frame")

    return await asyncio.wait_for(find(), timeout=15)


async def _exchange(a: Server, b: Server) -> None:
    alice, alice_token = await sign_up(a)
    bob, bob_token = await sign_up(b)
    async with httpx.AsyncClient(base_url=a.base) as http:
        response = await http.post(
            f"{API}/conversations", json={"user_id": bob["id"]}, headers=auth(alice_token)
        )
        conversation_id = response.json()["id"]
    async with (
        websockets.connect(f"{a.ws}/ws/chat/{conversation_id}?token={alice_token}") as on_a,
        websockets.connect(
            f"{b.ws}/ws/chat/{conversation_id}", additional_headers=auth(bob_token)
        ) as on_b,
    ):
        await on_a.send(json.dumps({"type": "message", "content": "from A", "client_id": "a1"}))
        ack = await next_frame(on_a, "ack")
        received = await next_frame(on_b, "message")
        assert received["message"] == ack["message"]
        assert received["message"]["sender_id"] == alice["id"]
        await on_b.send(json.dumps({"type": "message", "content": "from B", "client_id": "b1"}))
        await next_frame(on_b, "ack")
        reply = await next_frame(on_a, "message")
        assert reply["message"]["content"] == "from B"
        await on_b.send(json.dumps({"type": "typing"}))
        assert (await next_frame(on_a, "typing"))["user_id"] == bob["id"]
        await on_b.send(json.dumps({"type": "read"}))
        read = await next_frame(on_a, "read")
        assert read["user_id"] == bob["id"]
        assert read["last_read_message_id"] == reply["message"]["id"]


def test_clients_on_different_processes_talk(servers: tuple[Server, Server]) -> None:
    a, b = servers
    asyncio.run(_exchange(a, b))


async def _reconnect_mid_stream(a: Server, b: Server, total: int) -> None:
    _, alice_token = await sign_up(a)
    bob, bob_token = await sign_up(b)
    async with httpx.AsyncClient(base_url=a.base) as http:
        response = await http.post(
            f"{API}/conversations", json={"user_id": bob["id"]}, headers=auth(alice_token)
        )
        conversation_id = response.json()["id"]
    sent: list[str] = []
    seen: list[str] = []
    drop_after = total // 3
    reconnected = asyncio.Event()
    listening = asyncio.Event()

    async def sender() -> None:
        async with websockets.connect(
            f"{a.ws}/ws/chat/{conversation_id}?token={alice_token}"
        ) as ws:
            await listening.wait()
            for index in range(total):
                await ws.send(
                    json.dumps(
                        {"type": "message", "content": f"m{index}", "client_id": f"c{index}"}
                    )
                )
                sent.append((await next_frame(ws, "ack"))["message"]["id"])
                if index == drop_after + 5:
                    # keep sending while bob is away for a while, then let him come back
                    await reconnected.wait()

    async def receiver() -> None:
        url = f"{b.ws}/ws/chat/{conversation_id}?token={bob_token}"
        async with websockets.connect(url) as ws:
            listening.set()
            while len(seen) < drop_after:
                seen.append((await next_frame(ws, "message"))["message"]["id"])
        # disconnected: messages keep flowing on process A meanwhile
        await asyncio.sleep(0)
        async with websockets.connect(url) as ws, httpx.AsyncClient(base_url=b.base) as http:
            # subscribed first (the handshake completes after the subscription), then
            # catch up over HTTP; frames already fetched are skipped by id
            cursor_params: dict[str, Any] = {"after": seen[-1], "limit": 100}
            while True:
                page = (
                    await http.get(
                        f"{API}/conversations/{conversation_id}/messages",
                        params=cursor_params,
                        headers=auth(bob_token),
                    )
                ).json()
                for message in page["items"]:
                    if message["id"] not in seen:
                        seen.append(message["id"])
                if not page["next_cursor"]:
                    break
                cursor_params = {"cursor": page["next_cursor"], "limit": 100}
            reconnected.set()
            while len(seen) < total:
                message_id = (await next_frame(ws, "message"))["message"]["id"]
                if message_id not in seen:
                    seen.append(message_id)

    await asyncio.wait_for(asyncio.gather(sender(), receiver()), timeout=120)
    assert len(sent) == total
    assert seen == sent  # nothing lost, nothing twice, in order


def test_reconnect_mid_stream_loses_and_duplicates_nothing(
    servers: tuple[Server, Server],
) -> None:
    a, b = servers
    asyncio.run(_reconnect_mid_stream(a, b, total=60))


async def _shutdown_closes_with_1001(a: Server, b: Server) -> None:
    _, alice_token = await sign_up(a)
    bob, bob_token = await sign_up(b)
    async with httpx.AsyncClient(base_url=a.base) as http:
        response = await http.post(
            f"{API}/conversations", json={"user_id": bob["id"]}, headers=auth(alice_token)
        )
        conversation_id = response.json()["id"]
    async with websockets.connect(f"{b.ws}/ws/chat/{conversation_id}?token={bob_token}") as ws:
        b.process.send_signal(signal.SIGTERM)
        with pytest.raises(websockets.ConnectionClosed) as info:
            await asyncio.wait_for(ws.recv(), timeout=20)
            while True:
                await asyncio.wait_for(ws.recv(), timeout=20)
        assert info.value.rcvd is not None
        assert info.value.rcvd.code == 1001


def test_graceful_shutdown_closes_sockets_with_1001(own_servers: tuple[Server, Server]) -> None:
    a, b = own_servers
    asyncio.run(_shutdown_closes_with_1001(a, b))
