"""What every socket is told once the broker is back after an outage
(`ConnectionRegistry.resync_all`, registered with `Broker.on_reconnect`): chat sockets get
`resync` with the last message id they were sent (an ack or a broadcast), notifications
sockets get `resync` and a fresh unread count."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from hypehere.entrypoints.ws.gateway import ConnectionRegistry
from tests.api.chat.conftest import open_conversation, sign_up
from tests.api.chat.test_chat_ws import receive
from tests.api.helpers import API, auth


def on_registry(client: TestClient[Any], what: str) -> None:
    """Call `ConnectionRegistry.<what>()` in the app's loop, as the broker's callbacks do."""
    container = client.app.state.dishka_container

    async def run() -> None:
        registry = await container.get(ConnectionRegistry)
        getattr(registry, what)()

    client.blocking_portal.call(run)


def resync_all(client: TestClient[Any]) -> None:
    on_registry(client, "resync_all")


def test_chat_sockets_are_told_where_to_catch_up(ws_client: TestClient[Any]) -> None:
    _alice, alice_token = sign_up(ws_client)
    bob, bob_token = sign_up(ws_client)
    conversation_id = open_conversation(ws_client, alice_token, bob["id"])
    path = f"/ws/chat/{conversation_id}"
    with (
        ws_client.websocket_connect(f"{path}?token={alice_token}") as alice_ws,
        ws_client.websocket_connect(f"{path}?token={bob_token}") as bob_ws,
    ):
        resync_all(ws_client)  # nothing sent yet
        assert receive(alice_ws) == {"type": "resync", "last_message_id": None}
        assert receive(bob_ws) == {"type": "resync", "last_message_id": None}

        alice_ws.send_json({"type": "message", "content": "one", "client_id": "a-1"})
        first = receive(alice_ws)["message"]
        assert receive(bob_ws)["message"] == first
        alice_ws.send_json({"type": "typing"})  # not a message: does not move the mark
        assert receive(bob_ws)["type"] == "typing"
        resync_all(ws_client)
        # the sender's mark is its ack, the listener's the broadcast
        assert receive(alice_ws) == {"type": "resync", "last_message_id": first["id"]}
        assert receive(bob_ws) == {"type": "resync", "last_message_id": first["id"]}

        # what the client then asks for: everything after that id (nothing yet)
        after = ws_client.get(
            f"{API}/conversations/{conversation_id}/messages",
            params={"after": first["id"]},
            headers=auth(bob_token),
        ).json()
        assert after["items"] == []

        # An outage begins (frames may be lost from now on); a later message still arrives
        # (others before it may not have): the resync points at what came before the outage.
        on_registry(ws_client, "outage_started")
        alice_ws.send_json({"type": "message", "content": "two", "client_id": "a-2"})
        second = receive(alice_ws)["message"]
        assert receive(bob_ws)["message"] == second
        resync_all(ws_client)
        assert receive(bob_ws) == {"type": "resync", "last_message_id": first["id"]}
        assert receive(alice_ws) == {"type": "resync", "last_message_id": first["id"]}
        resync_all(ws_client)  # the next outage starts from the new mark
        assert receive(bob_ws) == {"type": "resync", "last_message_id": second["id"]}


def test_notifications_sockets_get_resync_and_a_fresh_unread_count(
    ws_client: TestClient[Any],
) -> None:
    _user, token = sign_up(ws_client)
    with ws_client.websocket_connect(f"/ws/notifications?token={token}") as socket:
        assert receive(socket) == {"type": "unread_count", "count": 0}
        resync_all(ws_client)
        assert receive(socket) == {"type": "resync"}
        assert receive(socket) == {"type": "unread_count", "count": 0}
