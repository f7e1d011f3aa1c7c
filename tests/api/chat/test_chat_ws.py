"""`/ws/chat/{id}` through real WebSocket connections (Litestar's test client)."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.exceptions import WebSocketDisconnect
from litestar.testing import TestClient

from hypehere.bootstrap.settings import Settings
from tests.api.chat.conftest import open_conversation, sign_up
from tests.api.chat.db import set_chat_settings
from tests.api.helpers import API, auth

pytestmark = pytest.mark.integration


def receive(session: Any) -> dict[str, Any]:
    """The next frame that is not a heartbeat."""
    while True:
        frame: dict[str, Any] = session.receive_json(timeout=10)
        if frame.get("type") != "ping":
            return frame


def close_code(session: Any) -> int:
    with pytest.raises(WebSocketDisconnect) as info:
        while True:
            session.receive_json(timeout=10)
    return int(info.value.code)


def test_message_is_acked_after_store_and_broadcast_to_the_other_side(
    ws_client: TestClient[Any],
) -> None:
    alice, alice_token = sign_up(ws_client)
    bob, bob_token = sign_up(ws_client)
    conversation_id = open_conversation(ws_client, alice_token, bob["id"])
    path = f"/ws/chat/{conversation_id}"
    with (
        ws_client.websocket_connect(f"{path}?token={alice_token}") as alice_ws,
        ws_client.websocket_connect(path, headers=auth(bob_token)) as bob_ws,
    ):
        alice_ws.send_json({"type": "message", "content": "hello bob", "client_id": "a-1"})
        ack = receive(alice_ws)
        assert ack["type"] == "ack"
        assert ack["client_id"] == "a-1"
        message = ack["message"]
        assert message["content"] == "hello bob"
        assert message["sender_id"] == alice["id"]
        assert message["conversation_id"] == conversation_id
        delivered = receive(bob_ws)
        assert delivered == {"type": "message", "message": message}
        # it was stored before the ack: history has it
        history = ws_client.get(
            f"{API}/conversations/{conversation_id}/messages", headers=auth(bob_token)
        ).json()
        assert [m["id"] for m in history["items"]] == [message["id"]]
        # one message shape (API.md `message`) for the ack, the broadcast and HTTP
        assert history["items"][0] == message
        assert list(message) == [
            "id", "conversation_id", "sender_id", "content", "client_id", "created_at"
        ]  # fmt: skip
        # a retry with the same client_id is acked with the same message, stored once,
        # and not broadcast again
        alice_ws.send_json({"type": "message", "content": "hello bob", "client_id": "a-1"})
        assert receive(alice_ws)["message"] == message
        bob_ws.send_json({"type": "message", "content": "hi alice", "client_id": "b-1"})
        assert receive(bob_ws)["type"] == "ack"
        assert receive(alice_ws)["message"]["content"] == "hi alice"
        # messages sent over HTTP reach both sockets
        ws_client.post(
            f"{API}/conversations/{conversation_id}/messages",
            json={"content": "via http"},
            headers=auth(alice_token),
        )
        assert receive(alice_ws)["message"]["content"] == "via http"
        assert receive(bob_ws)["message"]["content"] == "via http"
    history = ws_client.get(
        f"{API}/conversations/{conversation_id}/messages", headers=auth(bob_token)
    ).json()
    assert [m["content"] for m in history["items"]] == ["via http", "hi alice", "hello bob"]


def test_typing_is_broadcast_and_never_stored(ws_client: TestClient[Any]) -> None:
    alice, alice_token = sign_up(ws_client)
    bob, bob_token = sign_up(ws_client)
    conversation_id = open_conversation(ws_client, alice_token, bob["id"])
    path = f"/ws/chat/{conversation_id}"
    with (
        ws_client.websocket_connect(f"{path}?token={alice_token}") as alice_ws,
        ws_client.websocket_connect(f"{path}?token={bob_token}") as bob_ws,
    ):
        alice_ws.send_json({"type": "typing"})
        assert receive(bob_ws) == {"type": "typing", "user_id": alice["id"]}
    history = ws_client.get(
        f"{API}/conversations/{conversation_id}/messages", headers=auth(bob_token)
    ).json()
    assert history["items"] == []


def test_read_receipts_honor_send_read_receipts_both_ways(
    ws_client: TestClient[Any], backend_settings: Settings
) -> None:
    import asyncio

    db = backend_settings.effective_database_url
    alice, alice_token = sign_up(ws_client)
    bob, bob_token = sign_up(ws_client)
    conversation_id = open_conversation(ws_client, alice_token, bob["id"])
    path = f"/ws/chat/{conversation_id}"
    with (
        ws_client.websocket_connect(f"{path}?token={alice_token}") as alice_ws,
        ws_client.websocket_connect(f"{path}?token={bob_token}") as bob_ws,
    ):
        alice_ws.send_json({"type": "message", "content": "one", "client_id": "1"})
        message = receive(alice_ws)["message"]
        receive(bob_ws)
        bob_ws.send_json({"type": "read"})
        assert receive(alice_ws) == {
            "type": "read",
            "user_id": bob["id"],
            "last_read_message_id": message["id"],
        }
        # alice turns receipts off: she no longer receives bob's receipts...
        asyncio.run(set_chat_settings(db, alice["id"], send_read_receipts=False))
        alice_ws.send_json({"type": "message", "content": "two", "client_id": "2"})
        receive(alice_ws)
        receive(bob_ws)
        bob_ws.send_json({"type": "read"})
        # ...and sends none: bob sees no receipt when she reads
        alice_ws.send_json({"type": "read"})
        alice_ws.send_json({"type": "ping"})
        assert receive(alice_ws) == {"type": "pong"}
        bob_ws.send_json({"type": "ping"})
        assert receive(bob_ws) == {"type": "pong"}
    unread = ws_client.get(f"{API}/conversations", headers=auth(bob_token)).json()
    assert unread["items"][0]["unread_count"] == 0


def test_not_a_participant_is_closed_4403_and_no_token_4401(ws_client: TestClient[Any]) -> None:
    _, alice_token = sign_up(ws_client)
    bob, _ = sign_up(ws_client)
    _, eve_token = sign_up(ws_client)
    conversation_id = open_conversation(ws_client, alice_token, bob["id"])
    with ws_client.websocket_connect(f"/ws/chat/{conversation_id}?token={eve_token}") as ws:
        assert close_code(ws) == 4403
    with ws_client.websocket_connect(f"/ws/chat/{conversation_id}") as ws:
        assert close_code(ws) == 4401
    with ws_client.websocket_connect(f"/ws/chat/{conversation_id}?token=nonsense") as ws:
        assert close_code(ws) == 4401
    with ws_client.websocket_connect(f"/ws/chat/no-such-conversation?token={eve_token}") as ws:
        assert close_code(ws) == 4403


def test_invalid_frames_get_errors_and_the_socket_stays_open(ws_client: TestClient[Any]) -> None:
    _, alice_token = sign_up(ws_client, interface_language="en")
    bob, _ = sign_up(ws_client)
    conversation_id = open_conversation(ws_client, alice_token, bob["id"])
    with ws_client.websocket_connect(f"/ws/chat/{conversation_id}?token={alice_token}") as ws:
        ws.send_text("not json")
        assert receive(ws)["code"] == "malformed_frame"
        ws.send_json({"type": "dance"})
        assert receive(ws)["code"] == "unknown_frame"
        ws.send_json({"type": "message"})
        assert receive(ws)["code"] == "invalid_frame"
        ws.send_json({"type": "message", "content": "x" * 4001, "client_id": "big"})
        error = receive(ws)
        assert error["type"] == "error"
        assert error["code"] == "validation_error"
        ws.send_json({"type": "message", "content": "fine", "client_id": "ok"})
        assert receive(ws)["type"] == "ack"


def test_requests_folder_message_writes_an_outbox_event_marked_as_request(
    ws_client: TestClient[Any], backend_settings: Settings
) -> None:
    import asyncio

    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    db = backend_settings.effective_database_url
    alice, alice_token = sign_up(ws_client)
    bob, _ = sign_up(ws_client)
    carol, _ = sign_up(ws_client)
    asyncio.run(set_chat_settings(db, bob["id"], chat_policy="nobody_new"))
    to_bob = open_conversation(ws_client, alice_token, bob["id"])
    to_carol = open_conversation(ws_client, alice_token, carol["id"])
    for conversation_id in (to_bob, to_carol):
        with ws_client.websocket_connect(f"/ws/chat/{conversation_id}?token={alice_token}") as ws:
            ws.send_json({"type": "message", "content": "hi", "client_id": "x"})
            assert receive(ws)["type"] == "ack"

    async def events() -> list[Any]:
        engine = create_async_engine(db)
        try:
            async with engine.connect() as conn:
                rows = await conn.execute(
                    text("SELECT payload FROM outbox_events WHERE topic = 'chat.message_sent'")
                )
                return [row[0] for row in rows]
        finally:
            await engine.dispose()

    import json

    payloads = [p if isinstance(p, dict) else json.loads(p) for p in asyncio.run(events())]
    by_conversation = {p["conversation_id"]: p for p in payloads}
    assert by_conversation[to_bob]["is_request"] is True
    assert by_conversation[to_bob]["recipient_ids"] == [bob["id"]]
    assert by_conversation[to_bob]["sender_id"] == alice["id"]
    assert by_conversation[to_carol]["is_request"] is False
