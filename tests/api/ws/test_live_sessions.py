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


@pytest.fixture
def control_client(backend_settings: Settings) -> Iterator[TestClient[Any]]:
    """Re-verification far away: only the SessionsRevoked control frame can close a socket."""
    from hypehere.bootstrap.app import create_app

    settings = backend_settings.model_copy(update={"ws_reverify_seconds": 3600})
    with TestClient(app=create_app(settings), timeout=10) as client:
        yield client


def log_in(client: TestClient[Any], email: str, password: str) -> dict[str, Any]:
    response = client.post(f"{API}/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_logout_closes_only_the_sockets_of_that_session_4401(
    control_client: TestClient[Any],
) -> None:
    from tests.api.chat.conftest import registration

    details = registration()
    registered = control_client.post(f"{API}/auth/register", json=details)
    assert registered.status_code == 201, registered.text
    phone = registered.json()
    laptop = log_in(control_client, details["email"], details["password"])
    with (
        control_client.websocket_connect(
            f"/ws/notifications?token={phone['access_token']}"
        ) as phone_socket,
        control_client.websocket_connect(
            f"/ws/notifications?token={laptop['access_token']}"
        ) as laptop_socket,
    ):
        assert still_open(phone_socket) and still_open(laptop_socket)
        out = control_client.post(
            f"{API}/auth/logout", json={"refresh_token": phone["refresh_token"]}
        )
        assert out.status_code == 204, out.text
        assert close_code(phone_socket) == 4401
        assert still_open(laptop_socket)


def test_a_password_change_closes_every_socket_of_the_user_4401(
    control_client: TestClient[Any],
) -> None:
    from tests.api.chat.conftest import registration

    details = registration()
    registered = control_client.post(f"{API}/auth/register", json=details)
    assert registered.status_code == 201, registered.text
    token = registered.json()["access_token"]
    with control_client.websocket_connect(f"/ws/notifications?token={token}") as socket:
        assert still_open(socket)
        changed = control_client.post(
            f"{API}/users/me/password",
            headers=auth(token),
            json={"old_password": details["password"], "new_password": "a-new-long-passphrase-42"},
        )
        assert changed.status_code == 204, changed.text
        assert close_code(socket) == 4401
