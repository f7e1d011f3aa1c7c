"""The account-status cache over HTTP (both deployments): once a user's status is cached
(requests served without reading it), a ban, suspension, password change, logout or role
change still takes effect on the very next request; on PostgreSQL + Redis also in a second
app (another process's cache, invalidated through Redis pub/sub)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from hypehere.application.users.account_status_cache import AccountStatusCache
from hypehere.bootstrap.settings import Settings
from tests.api.helpers import API, DEFAULT_PASSWORD, auth, make_staff, register, register_full

pytestmark = pytest.mark.integration


async def _cache(client: Any) -> AccountStatusCache:
    cache: AccountStatusCache = await client.app.state.dishka_container.get(AccountStatusCache)
    for _ in range(500):  # the listener's probe has to come back through the broker
        if cache.enabled:
            return cache
        await asyncio.sleep(0.01)
    raise AssertionError("the account-status cache never came on")


async def _warm(client: Any, token: str) -> AccountStatusCache:
    """Two requests; the second is served from the cache (a hit, no status read)."""
    cache = await _cache(client)
    assert (await client.get(f"{API}/users/me", headers=auth(token))).status_code == 200
    hits = cache.hits
    assert (await client.get(f"{API}/users/me", headers=auth(token))).status_code == 200
    assert cache.hits == hits + 1
    return cache


async def _admin(client: Any, settings: Settings) -> str:
    user, token = await register(client)
    await make_staff(client, user["id"], "admin", database_url=settings.effective_database_url)
    return token


async def _status(client: Any, token: str) -> tuple[int, str]:
    response = await client.get(f"{API}/users/me", headers=auth(token))
    return response.status_code, response.json().get("code", "")


@pytest.mark.parametrize(
    ("action", "body", "expected"),
    [
        ("ban", {"reason": "abuse"}, (403, "account_banned")),
        ("suspend", {"days": 1, "reason": "spam"}, (403, "account_suspended")),
    ],
)
async def test_a_staff_action_takes_effect_on_the_next_request(
    client: Any,
    backend_settings: Settings,
    action: str,
    body: dict[str, Any],
    expected: tuple[int, str],
) -> None:
    admin = await _admin(client, backend_settings)
    user, token = await register(client)
    await _warm(client, token)
    acted = await client.post(
        f"{API}/admin/users/{user['id']}/{action}", headers=auth(admin), json=body
    )
    assert acted.status_code == 200, acted.text
    assert await _status(client, token) == expected


async def test_a_password_change_takes_effect_on_the_next_request(client: Any) -> None:
    me = await register_full(client)
    await _warm(client, me["access_token"])
    await asyncio.sleep(0.002)  # the new cut-off must fall after the token's issue time
    changed = await client.post(
        f"{API}/users/me/password",
        headers=auth(me["access_token"]),
        json={"old_password": DEFAULT_PASSWORD, "new_password": "a brand new passphrase"},
    )
    assert changed.status_code == 204, changed.text
    assert await _status(client, me["access_token"]) == (401, "invalid_token")


async def test_a_logout_takes_effect_on_the_next_request(client: Any) -> None:
    me = await register_full(client)
    await _warm(client, me["access_token"])
    out = await client.post(f"{API}/auth/logout", json={"refresh_token": me["refresh_token"]})
    assert out.status_code == 204
    assert await _status(client, me["access_token"]) == (401, "invalid_token")


async def test_a_demoted_moderator_loses_staff_access_on_the_next_request(
    client: Any, backend_settings: Settings
) -> None:
    admin = await _admin(client, backend_settings)
    other_user, other = await register(client)
    await make_staff(
        client, other_user["id"], "moderator", database_url=backend_settings.effective_database_url
    )
    cache = await _warm(client, other)
    listed = await client.get(f"{API}/admin/reports", headers=auth(other))
    assert listed.status_code == 200, listed.text
    assert cache.hits > 0
    # the admin makes the moderator a member again
    demoted = await client.post(
        f"{API}/admin/users/{other_user['id']}/role", headers=auth(admin), json={"role": "user"}
    )
    assert demoted.status_code == 200, demoted.text
    refused = await client.get(f"{API}/admin/reports", headers=auth(other))
    assert refused.status_code == 403


@pytest.fixture
async def second_client(backend_settings: Settings, backend: str) -> AsyncIterator[Any]:
    """Another app on the same PostgreSQL and Redis: a second server process."""
    if backend != "postgres":
        pytest.skip("the embedded deployment is one process")
    from litestar.testing import AsyncTestClient

    from hypehere.bootstrap.app import create_app

    async with AsyncTestClient(app=create_app(backend_settings)) as other:
        yield other


async def test_a_ban_reaches_the_cache_of_another_process(
    client: Any, second_client: Any, backend_settings: Settings
) -> None:
    admin = await _admin(client, backend_settings)
    user, token = await register(client)
    remote = await _warm(second_client, token)
    assert user["id"] in remote
    banned = await client.post(
        f"{API}/admin/users/{user['id']}/ban", headers=auth(admin), json={"reason": "abuse"}
    )
    assert banned.status_code == 200, banned.text
    for _ in range(500):  # Redis pub/sub delivers in the background
        if user["id"] not in remote:
            break
        await asyncio.sleep(0.01)
    assert await _status(second_client, token) == (403, "account_banned")


async def test_a_broker_outage_empties_the_cache(client: Any) -> None:
    """What the broker's outage callbacks do (the Redis adapter calls them on a lost link):
    everything cached is dropped and the cache stays off until its probe comes back."""
    _, token = await register(client)
    cache = await _warm(client, token)
    cache.disable()  # what `on_disconnect` does
    assert len(cache) == 0
    hits = cache.hits
    assert (await client.get(f"{API}/users/me", headers=auth(token))).status_code == 200
    assert cache.hits == hits
