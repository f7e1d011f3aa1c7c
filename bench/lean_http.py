"""A minimal HTTP/1.1 keep-alive client for load generators that share the box with the
server (issue 19's timeline bench): one connection, one request at a time.

With httpx the timeline bench's generator spent 0.71-0.78 ms of CPU per request, 0.47 of
this 2-core box's cores at 600-675 pages/s: CPU taken from the server and PostgreSQL it
measures, and its own event loop's queueing was in every latency it recorded (p99 185-200
ms). With this client: 0.09-0.10 ms per request, 0.06 cores, and p99 87-99 ms for the same
server code (bench/RESULTS.md, `## timeline`, session 11). This client writes the request
bytes itself and reads the response by its `Content-Length` (or chunks); it does what the
benches need and nothing more: no redirects, no cookies, no TLS, no compression.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

import msgspec


class LeanResponse:
    __slots__ = ("content", "status_code")

    def __init__(self, status_code: int, content: bytes) -> None:
        self.status_code = status_code
        self.content = content

    def json(self) -> Any:
        return msgspec.json.decode(self.content)

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise RuntimeError(f"HTTP {self.status_code}: {self.content[:200]!r}")


class LeanClient:
    """`await client.get(path, params=..., headers=...)` over one kept-alive connection,
    opened on first use and again after the server closes it."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        if parts.scheme != "http" or parts.hostname is None:
            raise ValueError(f"LeanClient speaks plain http only, not {base_url!r}")
        self._host = parts.hostname
        self._port = parts.port or 80
        self._authority = f"{self._host}:{self._port}".encode()
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def get(
        self,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> LeanResponse:
        target = f"{path}?{urlencode(params)}" if params else path
        head = [f"GET {target} HTTP/1.1\r\nHost: ".encode(), self._authority, b"\r\n"]
        for name, value in (headers or {}).items():
            head.append(f"{name}: {value}\r\n".encode())
        head.append(b"\r\n")
        request = b"".join(head)
        for attempt in (1, 2):  # a kept-alive connection the server closed: once more
            if self._writer is None:
                self._reader, self._writer = await asyncio.open_connection(self._host, self._port)
            assert self._reader is not None
            try:
                self._writer.write(request)
                return await self._read_response(self._reader)
            except (ConnectionError, asyncio.IncompleteReadError):
                await self.aclose()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _read_response(self, reader: asyncio.StreamReader) -> LeanResponse:
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, _, header_block = head.partition(b"\r\n")
        status = int(status_line.split(b" ", 2)[1])
        length: int | None = None
        chunked = False
        close = False
        for line in header_block.split(b"\r\n"):
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                close = b"close" in value.lower()
        if chunked:
            body = await _read_chunks(reader)
        elif length is not None:
            body = await reader.readexactly(length)
        else:  # no framing: the body runs to the end of the connection
            body = await reader.read()
            close = True
        if close:
            await self.aclose()
        return LeanResponse(status, body)

    async def aclose(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()


async def _read_chunks(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")  # no trailers expected: the final CRLF
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)
