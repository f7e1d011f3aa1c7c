"""Login and register carry the `auth` rate limit (per IP and per email)."""

from __future__ import annotations

from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from hypehere.bootstrap.app import create_app
from tests.api.helpers import API
from tests.conftest import test_settings as make_settings

pytestmark = pytest.mark.integration


async def test_login_is_rate_limited(tmp_path: Path, sqlite_url: str) -> None:
    settings = make_settings(
        tmp_path, database_url=sqlite_url, rate_limit_enabled=True, rate_limit_auth_per_minute=3
    )
    app = create_app(settings)
    async with AsyncTestClient(app=app) as client:
        statuses = []
        for _ in range(5):
            response = await client.post(
                f"{API}/auth/login", json={"email": "x@example.com", "password": "whatever1"}
            )
            statuses.append(response.status_code)
        assert statuses[:3] == [401, 401, 401]
        assert statuses[3:] == [429, 429]
        assert response.json()["code"] == "rate_limited"
        assert "retry-after" in {k.lower() for k in response.headers}
