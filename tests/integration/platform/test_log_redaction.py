"""Access tokens never reach the logs: a real uvicorn server logs a WebSocket handshake
with `?token=` in the query (uvicorn.error: `WebSocket /ws/...?token=... [accepted]`) and
HTTP requests with query strings (the access log); structlog events can carry them too."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator

import pytest
import structlog
import uvicorn
import websockets
from litestar import Litestar, WebSocket, get, websocket

from hypehere.bootstrap import logging as app_logging
from hypehere.bootstrap.settings import LogFormat

pytestmark = pytest.mark.integration

TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzZWNyZXQifQ.c2lnbmF0dXJlLXNlY3JldA"


@websocket("/ws/probe")
async def probe(socket: WebSocket[object, object, object]) -> None:
    await socket.accept()
    await socket.close()


@get("/probe")
async def probe_http() -> str:
    return "ok"


@pytest.fixture
def json_logs() -> Iterator[io.StringIO]:
    """The app's logging configuration, its one handler writing into a buffer."""
    previous = app_logging._configured
    app_logging._configured = None
    app_logging.configure_logging(LogFormat.JSON, "INFO")
    handler = logging.getLogger().handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    output = io.StringIO()
    handler.setStream(output)
    access = logging.getLogger("uvicorn.access")
    access.setLevel(logging.INFO)  # the access log is off by default: turn it on to see it
    yield output
    access.setLevel(logging.WARNING)
    app_logging._configured = None
    if previous is not None:
        app_logging.configure_logging(*previous)


async def test_a_websocket_handshake_and_a_request_log_no_token(json_logs: io.StringIO) -> None:
    app = Litestar([probe, probe_http], logging_config=None)  # as create_app does
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None))
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:  # noqa: ASYNC110 (uvicorn has no started event)
            await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        async with websockets.connect(f"ws://127.0.0.1:{port}/ws/probe?token={TOKEN}") as ws:
            with pytest.raises(websockets.ConnectionClosed):
                await ws.recv()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            f"GET /probe?lang=en&access_token={TOKEN} HTTP/1.1\r\nHost: x\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        await reader.read()
        writer.close()
        log = structlog.get_logger("hypehere.test")
        log.info("handshake", path=f"/ws/chat?token={TOKEN}", header=f"Bearer {TOKEN}")
        try:
            raise ValueError(f"bad url /ws/chat?token={TOKEN}")
        except ValueError:
            log.exception("handshake_failed")
    finally:
        server.should_exit = True
        await serving

    err = json_logs.getvalue()
    events = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    text = "\n".join(str(event) for event in events)
    assert TOKEN not in err
    assert any("WebSocket /ws/probe?token=[redacted]" in e["event"] for e in events), text
    assert any("/probe?lang=en&access_token=[redacted]" in e["event"] for e in events), text
    handshake = next(e for e in events if e["event"] == "handshake")
    assert handshake["path"] == "/ws/chat?token=[redacted]"
    assert handshake["header"] == "Bearer [redacted]"
    failed = next(e for e in events if e["event"] == "handshake_failed")
    assert "token=[redacted]" in failed["exception"]


def test_redact_leaves_other_text_alone() -> None:
    assert app_logging.redact("GET /posts?cursor=abc&limit=20") == "GET /posts?cursor=abc&limit=20"
    assert app_logging.redact("/ws/chat?token=a.b.c&x=1") == "/ws/chat?token=[redacted]&x=1"
    assert app_logging.redact("refresh_token%3Dabc%26x") == "refresh_token%3D[redacted]"
