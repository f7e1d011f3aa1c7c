"""Automatic moderation end to end: a new post is scanned after publication (outbox ->
rules classifier), flagged posts wait in `/admin/moderation/queue` with their verdict, and
staff approve or remove them."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from hypehere.bootstrap.settings import Settings
from tests.api.helpers import API, auth
from tests.api.moderation.test_moderation_notifications import (
    app_client as app_client,  # the fixture
)
from tests.api.moderation.test_moderation_notifications import drain, register, staff

pytestmark = pytest.mark.integration


def post(client: TestClient[Litestar], token: str, content: str) -> str:
    response = client.post(
        f"{API}/posts", json={"content": content, "language": "en"}, headers=auth(token)
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_flagged_posts_wait_for_staff(
    app_client: TestClient[Litestar], backend_settings: Settings
) -> None:
    client = app_client
    _author, author_token = register(client, interface_language="en")
    mod = staff(client, backend_settings)
    fine = post(client, author_token, "Today I practised my Korean with a friend")
    scam = post(client, author_token, "Earn fast! add my telegram: @quickcash77 now")
    spam = post(client, author_token, "win win win win win win win")
    drain(client)
    queue = client.get(f"{API}/admin/moderation/queue", headers=auth(mod))
    assert queue.status_code == 200, queue.text
    items: list[dict[str, Any]] = queue.json()["items"]
    assert [(i["content_id"], i["category"], i["model"]) for i in items] == [
        (scam, "scam", "rules"),
        (spam, "spam", "rules"),
    ]
    assert {"confidence", "reason", "prompt_version", "excerpt"} <= set(items[0])
    clear = client.get(
        f"{API}/admin/moderation/queue", params={"status": "clear"}, headers=auth(mod)
    )
    assert [i["content_id"] for i in clear.json()["items"]] == [fine]
    member = client.get(f"{API}/admin/moderation/queue", headers=auth(author_token))
    assert member.status_code == 403

    removed = client.post(f"{API}/admin/moderation/{items[0]['id']}/remove", headers=auth(mod))
    assert removed.status_code == 200, removed.text
    assert removed.json()["status"] == "removed"
    assert client.get(f"{API}/posts/{scam}", headers=auth(mod)).json()["removed"] is True
    approved = client.post(f"{API}/admin/moderation/{items[1]['id']}/approve", headers=auth(mod))
    assert approved.json()["status"] == "approved"
    again = client.post(f"{API}/admin/moderation/{items[1]['id']}/remove", headers=auth(mod))
    assert (again.status_code, again.json()["code"]) == (409, "invalid_item_state")
    assert client.post(f"{API}/admin/moderation/nope/remove", headers=auth(mod)).status_code == 404
    strikes = client.get(f"{API}/users/me/strikes", headers=auth(author_token)).json()["items"]
    assert [s["action"] for s in strikes] == ["content_removed"]


def test_direct_messages_are_scanned_after_delivery(
    app_client: TestClient[Litestar], backend_settings: Settings
) -> None:
    client = app_client
    _sender, sender_token = register(client)
    recipient, _recipient_token = register(client)
    mod = staff(client, backend_settings)
    started = client.post(
        f"{API}/conversations", json={"user_id": recipient["id"]}, headers=auth(sender_token)
    )
    assert started.status_code in (200, 201), started.text
    conversation = started.json()["id"]
    sent = []
    for content in ("Shall we practise Korean tomorrow?", "my kakao id is cash_king77, add me"):
        response = client.post(
            f"{API}/conversations/{conversation}/messages",
            json={"content": content},
            headers=auth(sender_token),
        )
        assert response.status_code == 201, response.text
        sent.append(response.json()["id"])
    drain(client)
    queue = client.get(f"{API}/admin/moderation/queue", headers=auth(mod)).json()["items"]
    assert [(i["content_type"], i["content_id"], i["category"]) for i in queue] == [
        ("message", sent[1], "scam")
    ]
    clear = client.get(
        f"{API}/admin/moderation/queue", params={"status": "clear"}, headers=auth(mod)
    ).json()["items"]
    assert [(i["content_type"], i["content_id"]) for i in clear] == [("message", sent[0])]
    approved = client.post(f"{API}/admin/moderation/{queue[0]['id']}/approve", headers=auth(mod))
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    # a chat message can be removed too (test_removed_messages.py): not once approved
    removed = client.post(f"{API}/admin/moderation/{queue[0]['id']}/remove", headers=auth(mod))
    assert (removed.status_code, removed.json()["code"]) == (409, "invalid_item_state")
