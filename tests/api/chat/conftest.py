"""A synchronous Litestar TestClient for WebSocket tests: HTTP and every socket share one
event loop (the client's portal), on SQLite+memory and on PostgreSQL+Redis."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from hypehere.bootstrap.settings import Settings
from tests.api.helpers import API, auth, registration


@pytest.fixture
def ws_client(backend_settings: Settings) -> Iterator[TestClient[Any]]:
    from hypehere.bootstrap.app import create_app

    with TestClient(app=create_app(backend_settings), timeout=10) as client:
        yield client


def sign_up(client: TestClient[Any], **overrides: Any) -> tuple[dict[str, Any], str]:
    response = client.post(f"{API}/auth/register", json=registration(**overrides))
    assert response.status_code == 201, response.text
    body = response.json()
    return body["user"], body["access_token"]


def open_conversation(client: TestClient[Any], token: str, user_id: str) -> str:
    response = client.post(f"{API}/conversations", json={"user_id": user_id}, headers=auth(token))
    assert response.status_code in (200, 201), response.text
    return str(response.json()["id"])
