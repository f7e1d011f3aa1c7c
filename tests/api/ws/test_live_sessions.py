"""Session control on the real app (real token verifier, real membership use cases), on
SQLite+memory and PostgreSQL+Redis: the periodic re-verification closes a socket whose
account was suspended or whose room membership ended without an event, and the `auth`
frame accepts only a valid token of the same user."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest
from litestar.exceptions import WebSocketDisconnect
from litestar.testing import TestClient

from hypehere.bootstrap.settings import Settings
from tests.api.chat.conftest import sign_up
from tests.api.chat.db import execute
from tests.api.helpers import API, auth, make_staff

pytestmark = pytest.mark.integration


@pytest.fixture
def live_client(backend_settings: Settings) -> Iterator[TestClient[Any]]:
    from hypehere.bootstrap.app import create_app

    settings = backend_settings.model_copy(update={"ws_reverify_seconds": 0.05})
    with TestClient(app=create_app(settings), timeout=10) as client:
        yield client


def close_code(session: Any) -> int:
    with pytest.raises(WebSocketDisconnect) as info:
        while True:
            session.receive_json(timeout=10)
    return int(info.value.code)


def still_open(session: Any) -> bool:
    session.send_json({"type": "ping"})
    while True:
        frame = session.receive_json(timeout=10)
        if frame == {"type": "pong"}:
            return True


def test_a_suspended_account_is_closed_4403_by_the_reverification(
    live_client: TestClient[Any], backend_settings: Settings
) -> None:
    admin_user, admin = sign_up(live_client)
    user, token = sign_up(live_client)
    _, other = sign_up(live_client)
    promote = partial(make_staff, database_url=backend_settings.effective_database_url)
    live_client.blocking_portal.call(promote, live_client, admin_user["id"], "admin")
    with (
        live_client.websocket_connect(f"/ws/notifications?token={token}") as socket,
        live_client.websocket_connect(f"/ws/notifications?token={other}") as bystander,
    ):
        assert still_open(socket)
        suspended = live_client.post(
            f"{API}/admin/users/{user['id']}/suspend",
            headers=auth(admin),
            json={"days": 2, "reason": "x"},
        )
        assert suspended.status_code == 200, suspended.text
        assert close_code(socket) == 4403
        assert still_open(bystander)


def test_a_room_member_removed_without_an_event_is_closed_4403(
    live_client: TestClient[Any], backend_settings: Settings
) -> None:
    _, owner = sign_up(live_client)
    guest_user, guest = sign_up(live_client)
    room = live_client.post(
        f"{API}/rooms",
        json={"name": "Lounge", "language": "en", "max_participants": 10},
        headers=auth(owner),
    )
    assert room.status_code == 201, room.text
    room_id = room.json()["id"]
    joined = live_client.post(f"{API}/rooms/{room_id}/join", json={}, headers=auth(guest))
    assert joined.status_code == 200, joined.text
    path = f"/ws/open-chat/{room_id}"
    with (
        live_client.websocket_connect(f"{path}?token={owner}") as owner_ws,
        live_client.websocket_connect(f"{path}?token={guest}") as guest_ws,
    ):
        assert still_open(guest_ws)
        # The membership ends with no broker event (as if the kick's event were lost).
        remove = partial(
            execute,
            backend_settings.effective_database_url,
            "DELETE FROM room_members WHERE room_id = :r AND user_id = :u",
            r=room_id,
            u=guest_user["id"],
        )
        live_client.blocking_portal.call(remove)
        assert close_code(guest_ws) == 4403
        assert still_open(owner_ws)


def test_the_auth_frame_takes_a_fresh_token_of_the_same_user_only(
    live_client: TestClient[Any],
) -> None:
    _, token = sign_up(live_client)
    _, other = sign_up(live_client)
    with live_client.websocket_connect(f"/ws/notifications?token={token}") as socket:
        assert socket.receive_json(timeout=10)["type"] == "unread_count"
        socket.send_json({"type": "auth", "token": token})
        answer = socket.receive_json(timeout=10)
        assert answer["type"] == "auth_ok"
        assert "expires_at" in answer
        socket.send_json({"type": "auth", "token": other})
        error = socket.receive_json(timeout=10)
        assert error["type"] == "error"
        assert close_code(socket) == 4401
