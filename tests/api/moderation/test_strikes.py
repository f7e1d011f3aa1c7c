"""Strikes and appeals end to end: `/users/me/strikes*`, `/account-standing/strikes*` for
locked-out accounts, and `/admin/appeals*`."""

from __future__ import annotations

from typing import Any

import pytest

from hypehere.bootstrap.settings import Settings
from tests.api.helpers import API, DEFAULT_PASSWORD, auth, make_staff, register

pytestmark = pytest.mark.integration


async def _staff(client: Any, settings: Settings) -> tuple[str, str]:
    user, token = await register(client)
    await make_staff(client, user["id"], "moderator", database_url=settings.effective_database_url)
    return user["id"], token


async def _reported_and_resolved(
    client: Any, author_token: str, reader_token: str, staff_token: str, **resolve: Any
) -> str:
    post = await client.post(
        f"{API}/posts", json={"content": "hello world, you fool"}, headers=auth(author_token)
    )
    assert post.status_code == 201, post.text
    post_id = str(post.json()["id"])
    report = await client.post(
        f"{API}/reports",
        json={"target_type": "post", "target_id": post_id, "reason": "harassment"},
        headers=auth(reader_token),
    )
    assert report.status_code == 201, report.text
    resolved = await client.post(
        f"{API}/admin/reports/{report.json()['id']}/resolve",
        json={"note": "insult", **resolve},
        headers=auth(staff_token),
    )
    assert resolved.status_code == 200, resolved.text
    return post_id


async def test_strike_appeal_and_overturn(client: Any, backend_settings: Settings) -> None:
    author, author_token = await register(client)
    _, reader_token = await register(client)
    _, mod_a = await _staff(client, backend_settings)
    mod_b_id, mod_b = await _staff(client, backend_settings)
    post_id = await _reported_and_resolved(
        client, author_token, reader_token, mod_a, action="remove_content"
    )
    listed = await client.get(f"{API}/users/me/strikes", headers=auth(author_token))
    assert listed.status_code == 200, listed.text
    (strike,) = listed.json()["items"]
    assert (strike["action"], strike["reason"], strike["excerpt"], strike["appeal"]) == (
        "content_removed",
        "harassment",
        "hello world, you fool",
        None,
    )
    assert set(strike) >= {"id", "explanation", "created_at"}
    # the user's interface language (ko by default), then another one
    assert strike["explanation"] == "괴롭힘 관련 규칙을 위반하여 콘텐츠가 삭제되었습니다."
    patched = await client.patch(
        f"{API}/users/me", json={"interface_language": "en"}, headers=auth(author_token)
    )
    assert patched.status_code == 200, patched.text
    english = await client.get(f"{API}/users/me/strikes", headers=auth(author_token))
    assert english.json()["items"][0]["explanation"] == (
        "Your content was removed because it broke our rules on harassment."
    )
    assert (await client.get(f"{API}/users/me/strikes", headers=auth(reader_token))).json()[
        "items"
    ] == []

    appealed = await client.post(
        f"{API}/users/me/strikes/{strike['id']}/appeal",
        json={"text": "I was joking with a friend"},
        headers=auth(author_token),
    )
    assert appealed.status_code == 201, appealed.text
    appeal = appealed.json()["appeal"]
    assert appeal["status"] == "pending"
    twice = await client.post(
        f"{API}/users/me/strikes/{strike['id']}/appeal",
        json={"text": "again"},
        headers=auth(author_token),
    )
    assert (twice.status_code, twice.json()["code"]) == (409, "appeal_exists")
    foreign = await client.post(
        f"{API}/users/me/strikes/{strike['id']}/appeal",
        json={"text": "mine?"},
        headers=auth(reader_token),
    )
    assert foreign.status_code == 404

    queue = await client.get(f"{API}/admin/appeals", headers=auth(mod_b))
    assert [a["id"] for a in queue.json()["items"]] == [appeal["id"]]
    assert queue.json()["items"][0]["user_id"] == author["id"]
    assert (await client.get(f"{API}/admin/appeals", headers=auth(author_token))).status_code == 403
    same = await client.post(
        f"{API}/admin/appeals/{appeal['id']}/overturn", json={"note": "mine"}, headers=auth(mod_a)
    )
    assert (same.status_code, same.json()["code"]) == (403, "same_moderator")
    overturned = await client.post(
        f"{API}/admin/appeals/{appeal['id']}/overturn", json={"note": "banter"}, headers=auth(mod_b)
    )
    assert overturned.status_code == 200, overturned.text
    assert (overturned.json()["status"], overturned.json()["decided_by"]) == (
        "overturned",
        mod_b_id,
    )
    post = await client.get(f"{API}/posts/{post_id}", headers=auth(reader_token))
    assert post.json()["removed"] is False
    again = await client.post(
        f"{API}/admin/appeals/{appeal['id']}/uphold", json={"note": "x"}, headers=auth(mod_a)
    )
    assert (again.status_code, again.json()["code"]) == (409, "invalid_appeal_state")
    log = await client.get(
        f"{API}/admin/audit-log", params={"target_id": appeal["id"]}, headers=auth(mod_a)
    )
    assert [e["action"] for e in log.json()["items"]] == ["appeal_overturn"]


async def test_a_suspended_user_reads_strikes_and_appeals_with_credentials(
    client: Any, backend_settings: Settings
) -> None:
    author, author_token = await register(client)
    _, reader_token = await register(client)
    _, mod_a = await _staff(client, backend_settings)
    await _reported_and_resolved(
        client, author_token, reader_token, mod_a, action="suspend", suspend_days=3
    )
    me = await client.get(f"{API}/users/me", headers=auth(author_token))
    assert me.status_code in (401, 403)
    login = await client.post(
        f"{API}/auth/login", json={"email": author["email"], "password": DEFAULT_PASSWORD}
    )
    assert (login.status_code, login.json()["code"]) == (403, "account_suspended")
    creds = {"email": author["email"], "password": DEFAULT_PASSWORD}
    listed = await client.post(f"{API}/account-standing/strikes", json=creds)
    assert listed.status_code == 200, listed.text
    (strike,) = listed.json()["items"]
    assert (strike["action"], strike["reason"]) == ("suspension", "harassment")
    wrong = await client.post(
        f"{API}/account-standing/strikes", json={**creds, "password": "not the password"}
    )
    assert (wrong.status_code, wrong.json()["code"]) == (401, "invalid_credentials")
    appealed = await client.post(
        f"{API}/account-standing/strikes/{strike['id']}/appeal",
        json={**creds, "text": "it was a misunderstanding"},
    )
    assert appealed.status_code == 201, appealed.text
    assert appealed.json()["appeal"]["status"] == "pending"
    _, mod_b = await _staff(client, backend_settings)
    queue = await client.get(f"{API}/admin/appeals", headers=auth(mod_b))
    (appeal,) = queue.json()["items"]
    lifted = await client.post(
        f"{API}/admin/appeals/{appeal['id']}/overturn", json={"note": "ok"}, headers=auth(mod_b)
    )
    assert lifted.status_code == 200, lifted.text
    back = await client.post(
        f"{API}/auth/login", json={"email": author["email"], "password": DEFAULT_PASSWORD}
    )
    assert back.status_code == 200, back.text
