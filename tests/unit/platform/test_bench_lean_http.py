"""bench/lean_http.py, the load generator's HTTP client, against a scripted socket server:
the request it writes, both body framings, keep-alive, and a connection the server closed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bench.lean_http import LeanClient

RESPONSES = {
    b"/length": b'HTTP/1.1 200 OK\r\nContent-Length: 13\r\ncontent-type: x\r\n\r\n{"items": []}',
    b"/chunked": (
        b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n"
        b'4\r\n{"a"\r\n3;ext=1\r\n: 1\r\n1\r\n}\r\n0\r\n\r\n'
    ),
    b"/close": b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
    b"/drop": b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",  # then closes, unannounced
}


class Server:
    def __init__(self) -> None:
        self.requests: list[bytes] = []
        self.connections = 0
        self.port = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                self.requests.append(head)
                path = head.split(b" ")[1].split(b"?")[0]
                writer.write(RESPONSES[path])
                await writer.drain()
                if path in (b"/close", b"/drop"):
                    break
        except asyncio.IncompleteReadError:
            pass
        writer.close()


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    state = Server()
    listener = await asyncio.start_server(state.handle, "127.0.0.1", 0)
    state.port = listener.sockets[0].getsockname()[1]
    async with listener:
        yield state


async def test_writes_the_request_and_reads_a_length_framed_body(server: Server) -> None:
    client = LeanClient(f"http://127.0.0.1:{server.port}")
    response = await client.get(
        "/length", params={"limit": 20, "cursor": "a b&c"}, headers={"Authorization": "Bearer t"}
    )
    assert (response.status_code, response.json()) == (200, {"items": []})
    assert server.requests[0] == (
        b"GET /length?limit=20&cursor=a+b%26c HTTP/1.1\r\n"
        + f"Host: 127.0.0.1:{server.port}\r\n".encode()
        + b"Authorization: Bearer t\r\n\r\n"
    )
    await client.aclose()


async def test_reads_chunks_and_keeps_the_connection(server: Server) -> None:
    client = LeanClient(f"http://127.0.0.1:{server.port}")
    first = await client.get("/chunked")
    second = await client.get("/length")
    assert (first.status_code, first.json()) == (404, {"a": 1})
    assert second.status_code == 200
    assert server.connections == 1
    with pytest.raises(RuntimeError, match="HTTP 404"):
        first.raise_for_status()
    await client.aclose()


async def test_reconnects_after_the_server_closed_the_connection(server: Server) -> None:
    client = LeanClient(f"http://127.0.0.1:{server.port}")
    assert (await client.get("/close")).content == b"ok"
    assert (await client.get("/length")).status_code == 200
    assert server.connections == 2
    await client.aclose()


async def test_retries_once_on_a_kept_alive_connection_the_server_dropped(server: Server) -> None:
    client = LeanClient(f"http://127.0.0.1:{server.port}")
    assert (await client.get("/drop")).content == b"ok"
    await asyncio.sleep(0.05)  # the server's close reaches the client's socket
    assert (await client.get("/length")).status_code == 200
    assert server.connections == 2
    await client.aclose()


def test_refuses_what_it_does_not_speak() -> None:
    with pytest.raises(ValueError, match="plain http"):
        LeanClient("https://example.org")
