"""A WebSocket handshake counts against the HTTP rate-limit budgets (per user with a token,
per IP without), on the real app: over the budget the socket is accepted and closed 4429."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.exceptions import WebSocketDisconnect
from litestar.testing import TestClient

from tests.api.helpers import API, auth, registration
from tests.conftest import test_settings

pytestmark = pytest.mark.integration


@pytest.fixture
def limited_client(tmp_path: Path, sqlite_url: str) -> Iterator[TestClient[Any]]:
    from hypehere.bootstrap.app import create_app

    settings = test_settings(
        tmp_path,
        database_url=sqlite_url,
        rate_limit_enabled=True,
        rate_limit_user_per_hour=3,
        rate_limit_anon_per_hour=2,
    )
    with TestClient(app=create_app(settings), timeout=10) as client:
        yield client


def close_code(session: Any) -> int:
    with pytest.raises(WebSocketDisconnect) as info:
        while True:
            session.receive_json(timeout=10)
    return int(info.value.code)


def test_handshakes_count_against_the_users_budget(limited_client: TestClient[Any]) -> None:
    response = limited_client.post(f"{API}/auth/register", json=registration())
    assert response.status_code == 201, response.text
    token = response.json()["access_token"]
    for _ in range(2):
        assert limited_client.get(f"{API}/users/me", headers=auth(token)).status_code == 200
    with limited_client.websocket_connect(f"/ws/notifications?token={token}") as socket:
        assert socket.receive_json(timeout=10)["type"] == "unread_count"  # the 3rd request
    with limited_client.websocket_connect(f"/ws/notifications?token={token}") as socket:
        assert close_code(socket) == 4429
    assert limited_client.get(f"{API}/users/me", headers=auth(token)).status_code == 429


def test_anonymous_handshakes_count_against_the_ip_budget(
    limited_client: TestClient[Any],
) -> None:
    assert limited_client.post(f"{API}/auth/register", json=registration()).status_code == 201
    with limited_client.websocket_connect("/ws/notifications") as socket:
        assert close_code(socket) == 4401  # the 2nd anonymous request: counted, not allowed
    with limited_client.websocket_connect("/ws/notifications") as socket:
        assert close_code(socket) == 4429  # over the budget before authentication
