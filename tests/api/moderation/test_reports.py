"""`POST /reports` and the staff queue `/admin/reports*`, end to end on SQLite and
PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from hypehere.application.moderation.get_report_counts import (
    GetReportCounts,
    GetReportCountsCommand,
)
from hypehere.bootstrap.app import create_app
from hypehere.bootstrap.container import make_container
from hypehere.bootstrap.settings import Settings
from tests.api.helpers import API, auth, make_staff, register
from tests.conftest import test_settings as make_settings

pytestmark = pytest.mark.integration


async def _staff(client: Any, settings: Settings, role: str = "moderator") -> tuple[str, str]:
    user, token = await register(client)
    await make_staff(client, user["id"], role, database_url=settings.effective_database_url)
    return user["id"], token


async def _post(client: Any, token: str, content: str = "hello world") -> str:
    response = await client.post(f"{API}/posts", json={"content": content}, headers=auth(token))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _report(client: Any, token: str, **body: Any) -> Any:
    return await client.post(f"{API}/reports", json=body, headers=auth(token))


async def _me(client: Any, token: str) -> dict[str, Any]:
    response = await client.get(f"{API}/users/me", headers=auth(token))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_file_report_rules(client: Any) -> None:
    author, author_token = await register(client)
    _, reader_token = await register(client)
    post_id = await _post(client, author_token)
    created = await _report(
        client, reader_token, target_type="post", target_id=post_id, reason="spam", details="ad"
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["status"], body["target_id"], body["reason"], body["details"]) == (
        "pending",
        post_id,
        "spam",
        "ad",
    )
    assert "reported_user_id" not in body and "reporter_id" not in body
    again = await _report(
        client, reader_token, target_type="post", target_id=post_id, reason="hate"
    )
    assert (again.status_code, again.json()["code"]) == (409, "report_exists")
    own = await _report(client, author_token, target_type="post", target_id=post_id, reason="spam")
    assert (own.status_code, own.json()["code"]) == (422, "cannot_report_self")
    me = await _report(
        client, author_token, target_type="user", target_id=author["id"], reason="spam"
    )
    assert me.status_code == 422
    missing = await _report(
        client, reader_token, target_type="post", target_id="nope", reason="spam"
    )
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    bad = await _report(client, reader_token, target_type="post", target_id=post_id, reason="meh")
    assert (bad.status_code, bad.json()["code"]) == (422, "validation_error")
    anonymous = await client.post(
        f"{API}/reports", json={"target_type": "post", "target_id": post_id, "reason": "spam"}
    )
    assert anonymous.status_code == 401


async def test_blocked_content_and_foreign_messages_are_not_found(client: Any) -> None:
    alice, alice_token = await register(client)
    bob, bob_token = await register(client)
    _, carol_token = await register(client)
    post_id = await _post(client, alice_token)
    blocked = await client.put(f"{API}/users/{bob['id']}/block", headers=auth(alice_token))
    assert blocked.status_code in (200, 204), blocked.text
    hidden = await _report(client, bob_token, target_type="post", target_id=post_id, reason="spam")
    assert hidden.status_code == 404
    hidden_user = await _report(
        client, bob_token, target_type="user", target_id=alice["id"], reason="spam"
    )
    assert hidden_user.status_code == 404
    # a message: only participants of its conversation may report it
    dave, dave_token = await register(client)
    started = await client.post(
        f"{API}/conversations", json={"user_id": dave["id"]}, headers=auth(carol_token)
    )
    assert started.status_code in (200, 201), started.text
    conversation_id = started.json()["id"]
    sent = await client.post(
        f"{API}/conversations/{conversation_id}/messages",
        json={"content": "send me money"},
        headers=auth(carol_token),
    )
    assert sent.status_code == 201, sent.text
    message_id = sent.json()["id"]
    outsider = await _report(
        client, alice_token, target_type="message", target_id=message_id, reason="spam"
    )
    assert outsider.status_code == 404
    ok = await _report(
        client, dave_token, target_type="message", target_id=message_id, reason="spam"
    )
    assert ok.status_code == 201, ok.text


async def test_queue_decisions_and_report_counts(client: Any, backend_settings: Settings) -> None:
    author, author_token = await register(client)
    _, reader_token = await register(client)
    staff_id, staff_token = await _staff(client, backend_settings)
    spam_post = await _post(client, author_token, "buy cheap followers")
    violent_post = await _post(client, author_token, "something violent")
    spam = (
        await _report(client, reader_token, target_type="post", target_id=spam_post, reason="spam")
    ).json()
    violent = (
        await _report(
            client, reader_token, target_type="post", target_id=violent_post, reason="violence"
        )
    ).json()
    member = await client.get(f"{API}/admin/reports", headers=auth(reader_token))
    assert member.status_code == 403
    queue = await client.get(f"{API}/admin/reports", headers=auth(staff_token))
    assert queue.status_code == 200, queue.text
    items = queue.json()["items"]
    assert [i["id"] for i in items] == [violent["id"], spam["id"]]  # severity first
    assert items[0]["reported_user_id"] == author["id"]
    paged = await client.get(f"{API}/admin/reports", params={"limit": 1}, headers=auth(staff_token))
    assert [i["id"] for i in paged.json()["items"]] == [violent["id"]]
    rest = await client.get(
        f"{API}/admin/reports",
        params={"limit": 1, "cursor": paged.json()["next_cursor"]},
        headers=auth(staff_token),
    )
    assert [i["id"] for i in rest.json()["items"]] == [spam["id"]]
    assert (
        await client.get(f"{API}/admin/reports", params={"limit": 0}, headers=auth(staff_token))
    ).status_code == 422
    garbled = await client.get(
        f"{API}/admin/reports", params={"cursor": "!!"}, headers=auth(staff_token)
    )
    assert (garbled.status_code, garbled.json()["code"]) == (400, "invalid_cursor")

    review = await client.post(
        f"{API}/admin/reports/{violent['id']}/review", headers=auth(staff_token)
    )
    assert review.status_code == 200, review.text
    assert (review.json()["status"], review.json()["assignee_id"]) == ("reviewing", staff_id)
    removed = await client.post(
        f"{API}/admin/reports/{violent['id']}/resolve",
        json={"action": "remove_content", "note": "graphic"},
        headers=auth(staff_token),
    )
    assert removed.status_code == 200, removed.text
    assert removed.json()["action"] == "remove_content"
    post = await client.get(f"{API}/posts/{violent_post}", headers=auth(reader_token))
    assert post.json()["removed"] is True
    resolved = await client.get(
        f"{API}/admin/reports", params={"status": "resolved"}, headers=auth(staff_token)
    )
    assert [i["id"] for i in resolved.json()["items"]] == [violent["id"]]
    again = await client.post(
        f"{API}/admin/reports/{violent['id']}/resolve",
        json={"action": "none", "note": "x"},
        headers=auth(staff_token),
    )
    assert (again.status_code, again.json()["code"]) == (409, "invalid_report_state")
    dismissed = await client.post(
        f"{API}/admin/reports/{violent['id']}/dismiss",
        json={"note": "on second look, fine"},
        headers=auth(staff_token),
    )
    assert dismissed.json()["status"] == "dismissed"
    reopened = await client.post(
        f"{API}/admin/reports/{violent['id']}/reopen", headers=auth(staff_token)
    )
    assert reopened.json()["status"] == "pending"
    missing = await client.post(f"{API}/admin/reports/nope/review", headers=auth(staff_token))
    assert missing.status_code == 404
    no_days = await client.post(
        f"{API}/admin/reports/{spam['id']}/resolve",
        json={"action": "suspend", "note": "spam"},
        headers=auth(staff_token),
    )
    assert (no_days.status_code, no_days.json()["code"]) == (422, "validation_error")
    suspended = await client.post(
        f"{API}/admin/reports/{spam['id']}/resolve",
        json={"action": "suspend", "suspend_days": 2, "note": "spam"},
        headers=auth(staff_token),
    )
    assert suspended.status_code == 200, suspended.text
    login = await client.get(f"{API}/users/me", headers=auth(author_token))
    assert login.status_code in (401, 403)
    # spam: resolved (suspend); violent: resolved, dismissed, reopened (uncounted)
    assert await _report_counts(backend_settings, author["id"]) == (1, 1)


async def _report_counts(settings: Settings, user_id: str) -> tuple[int, int]:
    """(report_count, active_report_count) through the use case on the same database (no
    route serves them)."""
    container = make_container(settings, web=False)
    try:
        async with container() as request:
            uc = await request.get(GetReportCounts)
            counts = await uc.execute(GetReportCountsCommand(user_id))
    finally:
        await container.close()
    return counts.report_count, counts.active_report_count


async def test_reporting_uses_the_posting_rate_limit(tmp_path: Path, sqlite_url: str) -> None:
    settings = make_settings(
        tmp_path, database_url=sqlite_url, rate_limit_enabled=True, rate_limit_post_per_minute=2
    )
    async with AsyncTestClient(app=create_app(settings)) as client:
        _, token = await register(client)
        statuses = [
            (
                await _report(client, token, target_type="post", target_id=f"p{i}", reason="spam")
            ).status_code
            for i in range(3)
        ]
        assert statuses == [404, 404, 429]
