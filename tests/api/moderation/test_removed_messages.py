"""Staff remove chat messages, on both deployments: a delivered direct or room message is
replaced for everyone by a placeholder (`removed: true`, no text) in the history and the
inbox, the sockets in the conversation or room get a `message_removed` frame, the removal is
audited, its sender gets a strike (and a `moderation` notification), and the decision stays
as a label; a held one (the fail-closed tier) is rejected: never delivered, its sender alone
sees the placeholder (and it stops waiting for a check: the held-messages contract). An
overturned appeal brings a removed message back."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from hypehere.bootstrap.settings import Settings
from tests.api.helpers import API, auth
from tests.api.moderation.test_held_content import (
    messages_held_client as messages_held_client,  # the fixture
)
from tests.api.moderation.test_held_content import (
    next_frame,
    open_conversation,
    open_room,
    overturn_only_strike,
)
from tests.api.moderation.test_moderation_notifications import (
    app_client as app_client,  # the fixture
)
from tests.api.moderation.test_moderation_notifications import (
    drain,
    notifications,
    register,
    staff,
)

pytestmark = pytest.mark.integration


def shown(client: TestClient[Litestar], url: str, token: str) -> list[tuple[str, str, bool]]:
    """A history as `token`'s holder reads it: (content, moderation, removed)."""
    response = client.get(url, headers=auth(token))
    assert response.status_code == 200, response.text
    return [
        (m["content"], m.get("moderation", "visible"), m.get("removed", False))
        for m in response.json()["items"]
    ]


def queued(client: TestClient[Litestar], mod: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = client.get(
        f"{API}/admin/moderation/queue", headers=auth(mod)
    ).json()["items"]
    return items


def audited(client: TestClient[Litestar], mod: str, target_id: str) -> list[str]:
    log = client.get(f"{API}/admin/audit-log", params={"target_id": target_id}, headers=auth(mod))
    assert log.status_code == 200, log.text
    return [i["action"] for i in log.json()["items"]]


def strikes(client: TestClient[Litestar], token: str) -> list[tuple[str, str | None]]:
    items = client.get(f"{API}/users/me/strikes", headers=auth(token)).json()["items"]
    return [(s["action"], s["excerpt"]) for s in items]


def test_a_reported_direct_message_is_removed_for_everyone_until_an_appeal_wins(
    app_client: TestClient[Litestar], backend_settings: Settings
) -> None:
    client = app_client
    _alice, alice_token = register(client)
    bob, bob_token = register(client)
    mod_a, mod_b = staff(client, backend_settings), staff(client, backend_settings)
    opened = client.post(
        f"{API}/conversations", json={"user_id": bob["id"]}, headers=auth(alice_token)
    )
    assert opened.status_code in (200, 201), opened.text
    conversation_url = f"{API}/conversations/{opened.json()['id']}"
    url = f"{conversation_url}/messages"
    for content in ("hello Bob", "you are an idiot"):
        sent = client.post(url, json={"content": content}, headers=auth(alice_token))
        assert sent.status_code == 201, sent.text
    insult = sent.json()
    drain(client)
    notified = len(notifications(client, alice_token))
    report = client.post(
        f"{API}/reports",
        json={"target_type": "message", "target_id": insult["id"], "reason": "harassment"},
        headers=auth(bob_token),
    )
    assert report.status_code == 201, report.text

    path = f"/ws/chat/{opened.json()['id']}"
    with (
        client.websocket_connect(path, headers=auth(alice_token)) as alice_ws,
        client.websocket_connect(path, headers=auth(bob_token)) as bob_ws,
    ):
        resolved = client.post(
            f"{API}/admin/reports/{report.json()['id']}/resolve",
            json={"action": "remove_content", "note": "insult"},
            headers=auth(mod_a),
        )
        assert resolved.status_code == 200, resolved.text
        for ws in (bob_ws, alice_ws):
            frame = next_frame(ws)
            assert frame["type"] == "message_removed"
            assert (frame["message"]["id"], frame["message"]["content"]) == (insult["id"], "")
            assert frame["message"]["removed"] is True

    expected = [("", "visible", True), ("hello Bob", "visible", False)]
    assert shown(client, url, bob_token) == shown(client, url, alice_token) == expected
    last = client.get(conversation_url, headers=auth(bob_token)).json()["last_message"]
    assert (last["id"], last["content"], last["removed"]) == (insult["id"], "", True)
    assert audited(client, mod_a, insult["id"]) == ["remove_message"]
    assert strikes(client, alice_token) == [("content_removed", "you are an idiot")]
    drain(client)
    kinds = [n["kind"] for n in notifications(client, alice_token)[: -notified or None]]
    assert kinds == ["moderation"]  # told once, through the strike

    overturn_only_strike(client, alice_token, mod_b, "it was a joke between friends")
    assert shown(client, url, bob_token) == [
        ("you are an idiot", "visible", False),
        ("hello Bob", "visible", False),
    ]


def test_a_flagged_room_message_is_removed_for_the_room(
    app_client: TestClient[Litestar], backend_settings: Settings
) -> None:
    """Scanned after delivery (fail-open) and flagged: `remove` in the staff queue replaces
    it in every member's history and tells the room's sockets."""
    client = app_client
    _alice, alice_token = register(client)
    _bob, bob_token = register(client)
    mod = staff(client, backend_settings)
    room_id = open_room(client, bob_token, alice_token)
    url = f"{API}/rooms/{room_id}/messages"
    sent = client.post(
        url,
        json={"content": "send me money via my kakao id cash_king77"},
        headers=auth(alice_token),
    ).json()
    drain(client)
    (item,) = queued(client, mod)
    assert (item["content_type"], item["content_id"]) == ("room_message", sent["id"])

    with client.websocket_connect(f"/ws/open-chat/{room_id}", headers=auth(bob_token)) as ws:
        removed = client.post(f"{API}/admin/moderation/{item['id']}/remove", headers=auth(mod))
        assert removed.status_code == 200, removed.text
        assert removed.json()["status"] == "removed"  # the decision, kept as a label
        while (frame := next_frame(ws))["type"] != "message_removed":
            pass  # joined
        assert (frame["message"]["id"], frame["message"]["room_id"]) == (sent["id"], room_id)
        assert (frame["message"]["content"], frame["message"]["removed"]) == ("", True)

    assert (
        shown(client, url, bob_token) == shown(client, url, alice_token) == [("", "visible", True)]
    )
    assert queued(client, mod) == []
    assert audited(client, mod, sent["id"]) == ["remove_room_message"]
    assert strikes(client, alice_token) == [
        ("content_removed", "send me money via my kakao id cash_king77")
    ]
    again = client.post(f"{API}/admin/moderation/{item['id']}/remove", headers=auth(mod))
    assert (again.status_code, again.json()["code"]) == (409, "invalid_item_state")


def test_removing_held_messages_rejects_them(
    messages_held_client: TestClient[Litestar], backend_settings: Settings
) -> None:
    """A new account's flagged first messages, direct and in a room: `remove` rejects them.
    Never delivered (the other side's socket gets the next released message as its first
    frame, no `message_removed`), in nobody's history but their sender's, as placeholders."""
    client = messages_held_client
    _alice, alice_token = register(client)
    bob, bob_token = register(client)
    mod = staff(client, backend_settings)
    opened = client.post(
        f"{API}/conversations", json={"user_id": bob["id"]}, headers=auth(alice_token)
    )
    assert opened.status_code in (200, 201), opened.text
    dm_url = f"{API}/conversations/{opened.json()['id']}/messages"
    room_id = open_room(client, bob_token, alice_token)
    room_url = f"{API}/rooms/{room_id}/messages"
    scam = "my kakao id is cash_king77 add me"
    held = [
        client.post(target, json={"content": scam}, headers=auth(alice_token)).json()
        for target in (dm_url, room_url)
    ]
    assert [m["moderation"] for m in held] == ["held", "held"]
    drain(client)  # the check flags both
    items = queued(client, mod)
    assert sorted((i["content_type"], i["content_id"]) for i in items) == sorted(
        [("message", held[0]["id"]), ("room_message", held[1]["id"])]
    )

    with (
        client.websocket_connect(f"/ws/chat/{opened.json()['id']}", headers=auth(bob_token)) as dm,
        client.websocket_connect(f"/ws/open-chat/{room_id}", headers=auth(bob_token)) as room,
    ):
        for item in items:
            removed = client.post(f"{API}/admin/moderation/{item['id']}/remove", headers=auth(mod))
            assert removed.status_code == 200, removed.text
        for url in (dm_url, room_url):
            assert shown(client, url, bob_token) == []
            assert shown(client, url, alice_token) == [("", "held", True)]
        drain(client)  # nothing more comes of them
        assert shown(client, dm_url, bob_token) == [] and queued(client, mod) == []
        assert (
            client.get(
                f"{API}/conversations/{opened.json()['id']}", headers=auth(bob_token)
            ).json()["unread_count"]
            == 0
        )
        # the next (second, still held) messages are fine: released, they are the first
        # frames the other side gets
        fine = [
            client.post(
                target, json={"content": "hello, nice to meet you"}, headers=auth(alice_token)
            ).json()
            for target in (dm_url, room_url)
        ]
        drain(client)
        assert next_frame(dm)["message"]["id"] == fine[0]["id"]
        while (frame := next_frame(room))["type"] != "message":
            assert frame["type"] != "message_removed"
        assert frame["message"]["id"] == fine[1]["id"]
    assert [a for h in held for a in audited(client, mod, h["id"])] == [
        "remove_message",
        "remove_room_message",
    ]
    assert [s[0] for s in strikes(client, alice_token)] == ["content_removed"] * 2
    assert shown(client, dm_url, alice_token) == [
        ("", "held", True),
        ("hello, nice to meet you", "visible", False),
    ]


def test_a_retry_of_a_rejected_held_message_is_answered_with_it_not_delivered(
    messages_held_client: TestClient[Litestar], backend_settings: Settings
) -> None:
    """A client that sends again a held message moderation rejected (same `client_id`, an
    offline queue replaying) gets the rejected placeholder back, direct and in a room, even
    once the sender's held quota is used up: the retry is the same message, not a new one
    delivered past the tier."""
    client = messages_held_client
    _alice, alice_token = register(client)
    bob, bob_token = register(client)
    mod = staff(client, backend_settings)
    dm_url = f"{API}/conversations/{open_conversation(client, alice_token, bob['id'])}/messages"
    room_url = f"{API}/rooms/{open_room(client, bob_token, alice_token)}/messages"
    scam = {"content": "my kakao id is cash_king77 add me", "client_id": "offline-1"}
    held = [
        client.post(url, json=scam, headers=auth(alice_token)).json() for url in (dm_url, room_url)
    ]
    assert [m["moderation"] for m in held] == ["held", "held"]
    drain(client)  # the check flags both
    for item in queued(client, mod):
        removed = client.post(f"{API}/admin/moderation/{item['id']}/remove", headers=auth(mod))
        assert removed.status_code == 200, removed.text
    for url in (dm_url, room_url):
        # the second (last) held place is used, and released: the quota is spent
        fine = client.post(url, json={"content": "hello there"}, headers=auth(alice_token))
        assert fine.json()["moderation"] == "held", fine.text
    drain(client)
    for url, original in zip((dm_url, room_url), held, strict=True):
        retried = client.post(url, json=scam, headers=auth(alice_token))
        assert retried.status_code in (200, 201), retried.text
        body = retried.json()
        assert (body["id"], body.get("removed"), body["content"]) == (original["id"], True, "")
        assert shown(client, url, bob_token) == [("hello there", "visible", False)]
        assert shown(client, url, alice_token) == [
            ("", "held", True),
            ("hello there", "visible", False),
        ]
