"""Hostile input over the chat and room sockets (issue 14), on SQLite+memory and on
PostgreSQL+Redis: ids in the path that are not ids, frames that are not UTF-8 or nest
10,000 levels deep, NUL in frame strings and ids. Each gets a close 4403 or an error frame,
never an internal error, and the socket stays usable."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.exceptions import WebSocketDisconnect
from litestar.testing import TestClient

from tests.api.chat.conftest import open_conversation, sign_up
from tests.api.helpers import API, auth

pytestmark = pytest.mark.integration


def receive(session: Any) -> dict[str, Any]:
    while True:
        frame: dict[str, Any] = session.receive_json(timeout=10)
        if frame.get("type") != "ping":
            return frame


def close_code(session: Any) -> int:
    with pytest.raises(WebSocketDisconnect) as info:
        while True:
            session.receive_json(timeout=10)
    return int(info.value.code)


def test_a_socket_path_id_that_is_not_an_id_is_closed_4403(ws_client: TestClient[Any]) -> None:
    _, token = sign_up(ws_client)
    for path in ["/ws/chat/%00", "/ws/chat/a%00b", "/ws/open-chat/%00", "/ws/open-chat/x"]:
        with ws_client.websocket_connect(f"{path}?token={token}") as ws:
            assert close_code(ws) == 4403


def test_bad_chat_frames_get_error_frames_and_the_socket_stays_open(
    ws_client: TestClient[Any],
) -> None:
    _, alice_token = sign_up(ws_client, interface_language="en")
    bob, _ = sign_up(ws_client)
    conversation_id = open_conversation(ws_client, alice_token, bob["id"])
    with ws_client.websocket_connect(f"/ws/chat/{conversation_id}?token={alice_token}") as ws:
        ws.send_bytes(b'{"type": "message", "content": "\xff\xfe"}')
        assert receive(ws)["code"] == "malformed_frame"
        ws.send_text("[" * 10_000 + "]" * 10_000)
        assert receive(ws)["code"] == "malformed_frame"
        ws.send_json({"type": "message", "content": "hi", "client_id": "a\x00"})
        assert receive(ws)["code"] == "validation_error"
        ws.send_json({"type": "message", "content": "a\x00b", "client_id": "c"})
        assert receive(ws)["code"] == "validation_error"
        ws.send_json({"type": "message", "content": "fine", "client_id": "ok"})
        assert receive(ws)["type"] == "ack"


def test_room_frames_with_ids_that_are_not_ids_are_invalid_frames(
    ws_client: TestClient[Any],
) -> None:
    _, token = sign_up(ws_client, interface_language="en")
    room = ws_client.post(
        f"{API}/rooms",
        json={"name": "Room", "language": "en", "max_participants": 5},
        headers=auth(token),
    )
    assert room.status_code == 201, room.text
    with ws_client.websocket_connect(f"/ws/open-chat/{room.json()['id']}?token={token}") as ws:
        ws.send_json({"type": "kick", "user_id": "\x00", "duration_minutes": 5})
        assert receive(ws)["code"] == "invalid_frame"
        ws.send_json({"type": "ban", "user_id": "not-an-id"})
        assert receive(ws)["code"] == "invalid_frame"
        ws.send_json({"type": "message", "content": "still here", "client_id": "ok"})
        assert receive(ws)["type"] == "ack"
