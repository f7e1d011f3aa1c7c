"""Account states end to end: ban/suspension (incl. expiry), deactivate, deletion + purge,
password change, staff-only admin endpoints, create-admin."""

from __future__ import annotations

from typing import Any

import pytest

from hypehere.adapters.memory.clock import FixedClock
from hypehere.application.moderation.lift_suspensions import (
    LiftSuspensions,
    LiftSuspensionsCommand,
)
from hypehere.application.users.create_admin import CreateAdmin, CreateAdminCommand
from hypehere.application.users.purge_deleted_accounts import (
    PurgeDeletedAccounts,
    PurgeDeletedAccountsCommand,
)
from hypehere.bootstrap.settings import Settings
from tests.api.helpers import (
    API,
    DEFAULT_PASSWORD,
    auth,
    make_staff,
    register,
    register_full,
)
from tests.api.helpers import login as login_as

pytestmark = pytest.mark.integration


async def _admin(client: Any, settings: Settings, role: str = "admin") -> str:
    user, token = await register(client)
    await make_staff(client, user["id"], role, database_url=settings.effective_database_url)
    return token


async def test_ban_after_token_issue_rejects_the_next_request(
    clocked_client: Any, backend_settings: Settings
) -> None:
    client = clocked_client
    admin = await _admin(client, backend_settings)
    victim = await register_full(client)
    token = victim["access_token"]
    assert (await client.get(f"{API}/users/me", headers=auth(token))).status_code == 200

    banned = await client.post(
        f"{API}/admin/users/{victim['user']['id']}/ban",
        headers=auth(admin),
        json={"reason": "spam"},
    )
    assert banned.status_code == 200, banned.text
    assert banned.json()["state"] == "banned"

    response = await client.get(f"{API}/users/me", headers=auth(token))
    assert response.status_code == 403
    assert response.json()["code"] == "account_banned"
    login = await client.post(
        f"{API}/auth/login", json={"email": victim["email"], "password": DEFAULT_PASSWORD}
    )
    assert login.status_code == 403 and login.json()["code"] == "account_banned"
    refresh = await client.post(
        f"{API}/auth/refresh", json={"refresh_token": victim["refresh_token"]}
    )
    assert refresh.status_code in (401, 403)
    assert (await client.get(f"{API}/users/{victim['user']['id']}")).status_code == 404

    unbanned = await client.post(
        f"{API}/admin/users/{victim['user']['id']}/unban", headers=auth(admin)
    )
    assert unbanned.status_code == 200
    # the ban ended the sessions: the old token stays dead, signing in again works
    assert (await client.get(f"{API}/users/me", headers=auth(token))).status_code == 401
    again = await login_as(client, victim["email"])
    assert (await client.get(f"{API}/users/me", headers=auth(again["access_token"]))).is_success


async def test_suspension_blocks_login_and_lifts_itself_at_request_time(
    clocked_client: Any, backend_settings: Settings, clock: FixedClock
) -> None:
    client = clocked_client
    admin = await _admin(client, backend_settings, role="moderator")
    victim = await register_full(client)
    user_id = victim["user"]["id"]
    suspended = await client.post(
        f"{API}/admin/users/{user_id}/suspend", headers=auth(admin), json={"days": 2, "reason": "x"}
    )
    assert suspended.status_code == 200, suspended.text
    until = suspended.json()["suspended_until"]
    assert until.endswith("Z")

    me = await client.get(f"{API}/users/me", headers=auth(victim["access_token"]))
    assert me.status_code == 403
    assert me.json()["code"] == "account_suspended"
    assert me.json()["suspended_until"] == until
    login = await client.post(
        f"{API}/auth/login", json={"email": victim["email"], "password": DEFAULT_PASSWORD}
    )
    assert login.status_code == 403
    assert login.json()["code"] == "account_suspended"
    assert login.json()["suspended_until"] == until

    clock.advance(days=2, seconds=1)
    login = await client.post(
        f"{API}/auth/login", json={"email": victim["email"], "password": DEFAULT_PASSWORD}
    )
    assert login.status_code == 200, login.text
    assert login.json()["user"]["state"] == "active"
    assert login.json()["user"]["suspended_until"] is None


async def test_lift_suspensions_job(
    clocked_client: Any, backend_settings: Settings, clock: FixedClock, run_use_case: Any
) -> None:
    client = clocked_client
    admin = await _admin(client, backend_settings)
    short = await register_full(client)
    long = await register_full(client)
    for victim, days in ((short, 1), (long, 5)):
        response = await client.post(
            f"{API}/admin/users/{victim['user']['id']}/suspend",
            headers=auth(admin),
            json={"days": days},
        )
        assert response.status_code == 200
    assert (await run_use_case(LiftSuspensions, LiftSuspensionsCommand())).lifted == 0
    clock.advance(days=1, minutes=1)
    assert (await run_use_case(LiftSuspensions, LiftSuspensionsCommand())).lifted == 1
    login = await client.post(
        f"{API}/auth/login", json={"email": short["email"], "password": DEFAULT_PASSWORD}
    )
    assert login.status_code == 200, login.text
    me = await client.get(f"{API}/users/me", headers=auth(login.json()["access_token"]))
    assert me.status_code == 200, me.text
    assert me.json()["state"] == "active"
    still = await client.post(
        f"{API}/auth/login", json={"email": long["email"], "password": DEFAULT_PASSWORD}
    )
    assert still.status_code == 403


async def test_staff_only_and_admin_only_endpoints(
    clocked_client: Any, backend_settings: Settings
) -> None:
    client = clocked_client
    member, member_token = await register(client)
    moderator = await _admin(client, backend_settings, role="moderator")
    admin = await _admin(client, backend_settings)
    url = f"{API}/admin/users/{member['id']}"
    assert (await client.post(f"{url}/ban", headers=auth(member_token))).status_code == 403
    assert (await client.post(f"{url}/ban")).status_code == 401
    denied = await client.post(f"{url}/role", headers=auth(moderator), json={"role": "admin"})
    assert denied.status_code == 403
    promoted = await client.post(f"{url}/role", headers=auth(admin), json={"role": "moderator"})
    assert promoted.status_code == 200 and promoted.json()["role"] == "moderator"
    bad = await client.post(f"{url}/role", headers=auth(admin), json={"role": "king"})
    assert bad.status_code == 422
    me = (await client.get(f"{API}/users/me", headers=auth(member_token))).json()
    assert me["role"] == "moderator"
    both = await client.post(f"{url}/suspend", headers=auth(admin), json={})
    assert both.status_code == 422
    missing = await client.post(
        f"{API}/admin/users/0190f0f0-0000-7000-8000-000000000000/ban", headers=auth(admin)
    )
    assert missing.status_code == 404


async def test_deactivate_hides_and_login_reactivates(clocked_client: Any) -> None:
    client = clocked_client
    user = await register_full(client)
    _, other = await register(client)
    uid = user["user"]["id"]
    assert (
        await client.post(f"{API}/users/me/deactivate", headers=auth(user["access_token"]))
    ).status_code == 204
    assert (await client.get(f"{API}/users/{uid}", headers=auth(other))).status_code == 404
    assert (await client.put(f"{API}/users/{uid}/follow", headers=auth(other))).status_code == 404
    gone = await client.get(f"{API}/users/me", headers=auth(user["access_token"]))
    assert gone.status_code == 401
    refresh = await client.post(
        f"{API}/auth/refresh", json={"refresh_token": user["refresh_token"]}
    )
    assert refresh.status_code == 401
    login = await client.post(
        f"{API}/auth/login", json={"email": user["email"], "password": DEFAULT_PASSWORD}
    )
    assert login.status_code == 200 and login.json()["user"]["state"] == "active"
    assert (await client.get(f"{API}/users/{uid}", headers=auth(other))).status_code == 200


async def test_deletion_is_cancelled_by_login_within_grace(
    clocked_client: Any, clock: FixedClock, run_use_case: Any
) -> None:
    client = clocked_client
    user = await register_full(client)
    await client.post(f"{API}/users/me/delete", headers=auth(user["access_token"]))
    clock.advance(days=29)
    login = await client.post(
        f"{API}/auth/login", json={"email": user["email"], "password": DEFAULT_PASSWORD}
    )
    assert login.status_code == 200 and login.json()["user"]["state"] == "active"
    clock.advance(days=5)
    assert (await run_use_case(PurgeDeletedAccounts, PurgeDeletedAccountsCommand())).purged == 0


async def test_deletion_purge_after_grace_period(
    clocked_client: Any, clock: FixedClock, run_use_case: Any
) -> None:
    client = clocked_client
    user = await register_full(client)
    friend_full = await register_full(client)
    friend = friend_full["user"]
    friend_token = friend_full["access_token"]
    uid = user["user"]["id"]
    await client.put(f"{API}/users/{friend['id']}/follow", headers=auth(user["access_token"]))
    await client.put(f"{API}/users/{uid}/follow", headers=auth(friend_token))
    assert (
        await client.post(f"{API}/users/me/delete", headers=auth(user["access_token"]))
    ).status_code == 204
    clock.advance(days=29)
    assert (await run_use_case(PurgeDeletedAccounts, PurgeDeletedAccountsCommand())).purged == 0
    clock.advance(days=1, seconds=1)
    assert (await run_use_case(PurgeDeletedAccounts, PurgeDeletedAccountsCommand())).purged == 1

    login = await client.post(
        f"{API}/auth/login", json={"email": user["email"], "password": DEFAULT_PASSWORD}
    )
    assert login.status_code == 401 and login.json()["code"] == "invalid_credentials"
    friend_token = (await login_as(client, friend_full["email"]))["access_token"]
    assert (await client.get(f"{API}/users/{uid}", headers=auth(friend_token))).status_code == 404
    me = (await client.get(f"{API}/users/me", headers=auth(friend_token))).json()
    assert me["follower_count"] == 0 and me["following_count"] == 0
    # The email is free again.
    again = await client.post(
        f"{API}/auth/register",
        json={
            "email": user["email"],
            "password": DEFAULT_PASSWORD,
            "nickname": "new",
            "native_language": "ko",
        },
    )
    assert again.status_code == 201


async def test_change_password(client: Any) -> None:
    user = await register_full(client)
    token = user["access_token"]
    url = f"{API}/users/me/password"
    wrong = await client.post(
        url, headers=auth(token), json={"old_password": "nope-nope", "new_password": "brand new pw"}
    )
    assert wrong.status_code == 403 and wrong.json()["code"] == "wrong_password"
    weak = await client.post(
        url, headers=auth(token), json={"old_password": DEFAULT_PASSWORD, "new_password": "short"}
    )
    assert weak.status_code == 422 and weak.json()["errors"][0]["field"] == "new_password"
    ok = await client.post(
        url,
        headers=auth(token),
        json={"old_password": DEFAULT_PASSWORD, "new_password": "brand new pw"},
    )
    assert ok.status_code == 204
    refresh = await client.post(
        f"{API}/auth/refresh", json={"refresh_token": user["refresh_token"]}
    )
    assert refresh.status_code == 401
    old = await client.post(
        f"{API}/auth/login", json={"email": user["email"], "password": DEFAULT_PASSWORD}
    )
    assert old.status_code == 401
    new = await client.post(
        f"{API}/auth/login", json={"email": user["email"], "password": "brand new pw"}
    )
    assert new.status_code == 200


async def test_create_admin_use_case(clocked_client: Any, run_use_case: Any) -> None:
    client = clocked_client
    result = await run_use_case(
        CreateAdmin, CreateAdminCommand("Boss@Example.com", "admin password 1")
    )
    assert result.created
    login = await client.post(
        f"{API}/auth/login", json={"email": "boss@example.com", "password": "admin password 1"}
    )
    assert login.json()["user"]["role"] == "admin"
    again = await run_use_case(CreateAdmin, CreateAdminCommand("boss@example.com", "whatever pw"))
    assert again.user_id == result.user_id and not again.created
