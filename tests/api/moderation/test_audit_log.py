"""`GET /admin/audit-log`: staff actions on accounts, content and reports, end to end."""

from __future__ import annotations

from typing import Any

import pytest

from hypehere.bootstrap.settings import Settings
from tests.api.helpers import API, auth, make_staff, register

pytestmark = pytest.mark.integration


async def test_staff_actions_land_in_the_audit_log(client: Any, backend_settings: Settings) -> None:
    mod, mod_token = await register(client)
    await make_staff(
        client, mod["id"], "moderator", database_url=backend_settings.effective_database_url
    )
    admin, admin_token = await register(client)
    await make_staff(
        client, admin["id"], "admin", database_url=backend_settings.effective_database_url
    )
    author, author_token = await register(client)
    _, reader_token = await register(client)

    post = await client.post(
        f"{API}/posts", json={"content": "hello world, buy now"}, headers=auth(author_token)
    )
    assert post.status_code == 201, post.text
    post_id = post.json()["id"]
    suspended = await client.post(
        f"{API}/admin/users/{author['id']}/suspend",
        json={"days": 1, "reason": "flooding"},
        headers=auth(mod_token),
    )
    assert suspended.status_code == 200, suspended.text
    await client.post(f"{API}/admin/users/{author['id']}/unsuspend", headers=auth(mod_token))
    removed = await client.post(f"{API}/admin/posts/{post_id}/remove", headers=auth(mod_token))
    assert removed.status_code == 200, removed.text
    role = await client.post(
        f"{API}/admin/users/{mod['id']}/role", json={"role": "moderator"}, headers=auth(admin_token)
    )
    assert role.status_code == 200, role.text
    report = await client.post(
        f"{API}/reports",
        json={"target_type": "user", "target_id": author["id"], "reason": "spam"},
        headers=auth(reader_token),
    )
    assert report.status_code == 201, report.text
    dismissed = await client.post(
        f"{API}/admin/reports/{report.json()['id']}/dismiss",
        json={"note": "not spam"},
        headers=auth(admin_token),
    )
    assert dismissed.status_code == 200, dismissed.text

    log = await client.get(f"{API}/admin/audit-log", headers=auth(mod_token))
    assert log.status_code == 200, log.text
    items = log.json()["items"]
    assert [(i["action"], i["actor_id"], i["target_id"]) for i in items] == [
        ("report_dismiss", admin["id"], report.json()["id"]),
        ("set_role", admin["id"], mod["id"]),
        ("remove_post", mod["id"], post_id),
        ("unsuspend", mod["id"], author["id"]),
        ("suspend", mod["id"], author["id"]),
    ]
    assert items[0]["reason"] == "not spam" and items[4]["reason"] == "flooding"
    assert items[1]["detail"] == "role=moderator"
    assert set(items[0]) >= {
        "id",
        "actor_id",
        "action",
        "target_type",
        "target_id",
        "reason",
        "created_at",
    }

    by_admin = await client.get(
        f"{API}/admin/audit-log", params={"actor_id": admin["id"]}, headers=auth(mod_token)
    )
    assert [i["action"] for i in by_admin.json()["items"]] == ["report_dismiss", "set_role"]
    on_author = await client.get(
        f"{API}/admin/audit-log",
        params={"target_id": author["id"], "limit": 1},
        headers=auth(mod_token),
    )
    assert [i["action"] for i in on_author.json()["items"]] == ["unsuspend"]
    nxt = await client.get(
        f"{API}/admin/audit-log",
        params={"target_id": author["id"], "limit": 1, "cursor": on_author.json()["next_cursor"]},
        headers=auth(mod_token),
    )
    assert [i["action"] for i in nxt.json()["items"]] == ["suspend"]
    assert nxt.json()["next_cursor"] is None
    member = await client.get(f"{API}/admin/audit-log", headers=auth(reader_token))
    assert member.status_code == 403
    garbled = await client.get(
        f"{API}/admin/audit-log", params={"cursor": "x"}, headers=auth(mod_token)
    )
    assert (garbled.status_code, garbled.json()["code"]) == (400, "invalid_cursor")
    for method in ("put", "patch", "delete"):
        response = await getattr(client, method)(
            f"{API}/admin/audit-log", headers=auth(admin_token)
        )
        assert response.status_code == 405
