"""Ending sessions over HTTP (both deployments): logout ends its own session's access
tokens at once and leaves other devices signed in, a password change ends every one,
sessions have an absolute lifetime; staff act only on accounts of a lower role."""

from __future__ import annotations

from typing import Any

import pytest

from hypehere.adapters.memory.clock import FixedClock
from hypehere.bootstrap.settings import Settings
from tests.api.helpers import API, DEFAULT_PASSWORD, auth, make_staff, register, register_full
from tests.api.helpers import login as login_as

pytestmark = pytest.mark.integration


async def _me(client: Any, token: str) -> int:
    response = await client.get(f"{API}/users/me", headers=auth(token))
    if response.status_code == 401:
        assert response.json()["code"] == "invalid_token"
    return int(response.status_code)


async def test_logout_ends_its_session_at_once_and_only_it(client: Any) -> None:
    phone = await register_full(client)
    laptop = await login_as(client, phone["email"])
    assert await _me(client, phone["access_token"]) == 200
    out = await client.post(f"{API}/auth/logout", json={"refresh_token": phone["refresh_token"]})
    assert out.status_code == 204
    assert await _me(client, phone["access_token"]) == 401
    assert await _me(client, laptop["access_token"]) == 200
    refreshed = await client.post(
        f"{API}/auth/refresh", json={"refresh_token": laptop["refresh_token"]}
    )
    assert refreshed.status_code == 200


async def test_a_password_change_ends_every_session_at_once(
    clocked_client: Any, clock: FixedClock
) -> None:
    client = clocked_client
    phone = await register_full(client)
    laptop = await login_as(client, phone["email"])
    clock.advance(seconds=1)
    changed = await client.post(
        f"{API}/users/me/password",
        headers=auth(laptop["access_token"]),
        json={"old_password": DEFAULT_PASSWORD, "new_password": "a brand new passphrase"},
    )
    assert changed.status_code == 204, changed.text
    assert await _me(client, phone["access_token"]) == 401
    assert await _me(client, laptop["access_token"]) == 401
    again = await login_as(client, phone["email"], "a brand new passphrase")
    assert await _me(client, again["access_token"]) == 200


async def test_a_session_ends_after_its_absolute_lifetime(
    clocked_client: Any, clock: FixedClock
) -> None:
    client = clocked_client
    refresh_token = (await register_full(client))["refresh_token"]
    for _ in range(4):  # rotating every 20 days never extends the session past 90 days
        clock.advance(days=20)
        response = await client.post(f"{API}/auth/refresh", json={"refresh_token": refresh_token})
        assert response.status_code == 200, response.text
        refresh_token = response.json()["refresh_token"]
    clock.advance(days=10)
    response = await client.post(f"{API}/auth/refresh", json={"refresh_token": refresh_token})
    assert response.status_code == 401


async def _staff(client: Any, settings: Settings, role: str) -> tuple[str, str]:
    user, token = await register(client)
    await make_staff(client, user["id"], role, database_url=settings.effective_database_url)
    return user["id"], token


ACTIONS = {
    "suspend": {"days": 1},
    "unsuspend": None,
    "ban": {"reason": "x"},
    "unban": None,
    "role": {"role": "user"},
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
async def test_staff_act_only_on_lower_roles_and_never_on_themselves(
    client: Any, backend_settings: Settings, action: str
) -> None:
    _, admin = await _staff(client, backend_settings, "admin")
    other_admin, _ = await _staff(client, backend_settings, "admin")
    moderator_id, moderator = await _staff(client, backend_settings, "moderator")
    other_moderator, _ = await _staff(client, backend_settings, "moderator")
    body = ACTIONS[action]

    async def act(token: str, target: str) -> tuple[int, str]:
        response = await client.post(
            f"{API}/admin/users/{target}/{action}", headers=auth(token), json=body
        )
        return response.status_code, response.json().get("code", "") if response.content else ""

    if action == "role":  # an admin-only action: a moderator is refused before any rank check
        assert await act(moderator, other_moderator) == (403, "forbidden")
    else:
        assert await act(moderator, other_admin) == (403, "insufficient_role")
        assert await act(moderator, other_moderator) == (403, "insufficient_role")
        assert await act(moderator, moderator_id) == (403, "cannot_act_on_self")
    assert await act(admin, other_admin) == (403, "insufficient_role")
    admin_id = (await client.get(f"{API}/users/me", headers=auth(admin))).json()["id"]
    assert await act(admin, admin_id) == (403, "cannot_act_on_self")
    # nothing changed: the staff accounts are still visible (not banned) and signed in
    for target in (other_admin, other_moderator):
        assert (await client.get(f"{API}/users/{target}")).status_code == 200
    assert await _me(client, moderator) == 200


async def test_an_admin_acts_on_a_moderator(client: Any, backend_settings: Settings) -> None:
    _, admin = await _staff(client, backend_settings, "admin")
    moderator_id, moderator = await _staff(client, backend_settings, "moderator")
    banned = await client.post(
        f"{API}/admin/users/{moderator_id}/ban", headers=auth(admin), json={"reason": "abuse"}
    )
    assert banned.status_code == 200, banned.text
    assert banned.json()["state"] == "banned"
    response = await client.get(f"{API}/users/me", headers=auth(moderator))
    assert (response.status_code, response.json()["code"]) == (403, "account_banned")
