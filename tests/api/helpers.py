"""Helpers every module's API tests can use: sign up users and authenticate requests.

user, token = await register(client)                      # a fresh unique user
user, token = await register(client, native_language="en",
                             target_languages=[{"language": "ko", "level": "A2"}])
await client.get("/api/v1/users/me", headers=auth(token))
"""

from __future__ import annotations

import itertools
import uuid
from typing import Any

API = "/api/v1"
DEFAULT_PASSWORD = "correct horse battery"

_counter = itertools.count(1)


def auth(token: str) -> dict[str, str]:
    """The Authorization header for an access token."""
    return {"Authorization": f"Bearer {token}"}


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}{next(_counter)}_{uuid.uuid4().hex[:8]}@example.com"


def registration(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "email": unique_email(),
        "password": DEFAULT_PASSWORD,
        "nickname": "Tester",
        "native_language": "ko",
        "target_languages": [{"language": "en", "level": "B1"}],
    }
    body.update(overrides)
    return body


async def register(client: Any, **overrides: Any) -> tuple[dict[str, Any], str]:
    """Register a user (fields overridable) and return (the /users/me JSON, access token)."""
    response = await client.post(f"{API}/auth/register", json=registration(**overrides))
    assert response.status_code == 201, response.text
    body = response.json()
    return body["user"], body["access_token"]


async def register_full(client: Any, **overrides: Any) -> dict[str, Any]:
    """Register and return the whole response (user, access_token, refresh_token, ...),
    plus the `password` and `email` used, for tests that log in again."""
    payload = registration(**overrides)
    response = await client.post(f"{API}/auth/register", json=payload)
    assert response.status_code == 201, response.text
    return {**response.json(), "email": payload["email"], "password": payload["password"]}


async def login(client: Any, email: str, password: str = DEFAULT_PASSWORD) -> dict[str, Any]:
    response = await client.post(f"{API}/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def make_staff(
    client: Any, user_id: str, role: str = "admin", *, database_url: str | None = None
) -> None:
    """Promote a user directly in the database (for staff-only endpoint tests).

    Pass the backend's database URL (`backend_settings.effective_database_url`)."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    assert database_url is not None, "pass database_url=backend_settings.effective_database_url"
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text("UPDATE users SET role = :role WHERE id = :id"), {"role": role, "id": user_id}
            )
    finally:
        await engine.dispose()
    await forget_status(client, user_id)


async def forget_status(client: Any, user_id: str) -> None:
    """A test that changes an account behind the use cases' back (straight in the database)
    drops what the app's process cached of its status, as the use cases do."""
    from hypehere.application.common.account_caches import AccountCaches

    container = getattr(getattr(client, "app", None), "state", None)
    if container is None or not hasattr(container, "dishka_container"):
        return
    caches = await container.dishka_container.get(AccountCaches)
    caches.invalidate(user_id)
