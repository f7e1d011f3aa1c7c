"""Notifications over HTTP and `/ws/notifications`, on SQLite+memory and Postgres+Redis.

Events arrive the way they do in production: rows in the outbox, delivered by the outbox
dispatcher (drained explicitly here, since tests run without the embedded worker)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.outbox.tables import OutboxEventRow
from hypehere.application.common.outbox import OutboxMessage
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.notifications.handlers import SUBSCRIPTIONS
from hypehere.bootstrap.app import create_app
from hypehere.bootstrap.settings import Settings
from hypehere.domain.shared.clock import SystemClock
from hypehere.domain.shared.ids import new_id
from hypehere.entrypoints.outbox.dispatcher import OutboxDispatcher
from tests.api.helpers import API, auth, make_staff, registration

pytestmark = pytest.mark.integration

WAIT = 10  # seconds: a safety net so a missing frame fails instead of hanging
HANDLERS = {row.handler_name: row.handler_type for row in SUBSCRIPTIONS}


@pytest.fixture
def app_client(backend_settings: Settings) -> Iterator[TestClient[Litestar]]:
    with TestClient(app=create_app(backend_settings)) as client:
        yield client


def register(client: TestClient[Litestar], **overrides: Any) -> tuple[dict[str, Any], str]:
    response = client.post(f"{API}/auth/register", json=registration(**overrides))
    assert response.status_code == 201, response.text
    body = response.json()
    return body["user"], body["access_token"]


def emit(client: TestClient[Litestar], topic: str, payload: dict[str, Any]) -> None:
    """Stage an event in the outbox and deliver everything due."""
    container = client.app.state.dishka_container

    async def run() -> None:
        async with container() as request:
            session = await request.get(AsyncSession)
            now = SystemClock().now()
            session.add(
                OutboxEventRow(
                    id=new_id(), topic=topic, payload=payload, occurred_at=now, available_at=now
                )
            )
            await session.commit()
        dispatcher = await container.get(OutboxDispatcher)
        await dispatcher.drain()

    client.blocking_portal.call(run)


def notifications(client: TestClient[Litestar], token: str, **params: Any) -> dict[str, Any]:
    response = client.get(f"{API}/notifications", headers=auth(token), params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_follow_reaches_the_socket_with_the_unread_count(app_client: TestClient[Litestar]) -> None:
    alice, alice_token = register(app_client, interface_language="en")
    bob, _ = register(app_client, nickname="Bob")
    with app_client.websocket_connect(f"/ws/notifications?token={alice_token}") as socket:
        assert socket.receive_json(timeout=WAIT) == {"type": "unread_count", "count": 0}
        emit(app_client, "users.followed", {"follower_id": bob["id"], "followee_id": alice["id"]})
        frame = socket.receive_json(timeout=WAIT)
        assert frame["type"] == "notification"
        pushed = frame["notification"]
        assert pushed["kind"] == "follow"
        assert [a["id"] for a in pushed["actors"]] == [bob["id"]]
        assert pushed["actor_count"] == 1
        assert pushed["target"] == {"type": "user", "id": alice["id"]}
        assert pushed["text"] == "Bob started following you."
        assert pushed["read"] is False
        assert socket.receive_json(timeout=WAIT) == {"type": "unread_count", "count": 1}
    listed = notifications(app_client, alice_token)
    assert [n["id"] for n in listed["items"]] == [pushed["id"]]
    assert listed["items"][0] == pushed


def test_two_likes_group_and_texts_follow_the_reader_language(
    app_client: TestClient[Litestar],
) -> None:
    en_user, en_token = register(app_client, interface_language="en")
    ko_user, ko_token = register(app_client, interface_language="ko")
    bob, _ = register(app_client, nickname="Bob")
    carol, _ = register(app_client, nickname="Carol")
    posts = {en_user["id"]: new_id(), ko_user["id"]: new_id()}
    for owner in (en_user, ko_user):
        for liker in (bob, carol):
            emit(
                app_client,
                "feed.post_liked",
                {
                    "post_id": posts[owner["id"]],
                    "post_author_id": owner["id"],
                    "user_id": liker["id"],
                },
            )
    en = notifications(app_client, en_token)["items"]
    ko = notifications(app_client, ko_token)["items"]
    assert len(en) == 1 and len(ko) == 1
    assert en[0]["kind"] == "like" and en[0]["actor_count"] == 2
    assert [a["nickname"] for a in en[0]["actors"]] == ["Carol", "Bob"]
    assert en[0]["target"] == {"type": "post", "id": posts[en_user["id"]]}
    assert en[0]["text"] == "Carol and 1 other liked your post."
    assert ko[0]["text"] == "Carol님 외 1명이 회원님의 게시물을 좋아합니다."
    # Accept-Language does not override the user's interface language.
    again = app_client.get(
        f"{API}/notifications", headers={**auth(ko_token), "Accept-Language": "en"}
    ).json()
    assert again["items"][0]["text"] == ko[0]["text"]


def test_mark_read_updates_the_count_everywhere(app_client: TestClient[Litestar]) -> None:
    alice, token = register(app_client)
    others = [register(app_client)[0] for _ in range(3)]
    for i, other in enumerate(others):
        emit(
            app_client,
            "feed.comment_created",
            {
                "comment_id": f"c{i}",
                "post_id": "p1",
                "post_author_id": alice["id"],
                "author_id": other["id"],
                "mentioned_user_ids": [],
            },
        )
    items = notifications(app_client, token)["items"]
    assert [n["kind"] for n in items] == ["comment"] * 3
    assert items[0]["target"] == {"type": "comment", "id": "c2", "post_id": "p1"}
    with app_client.websocket_connect("/ws/notifications", headers=auth(token)) as socket:
        assert socket.receive_json(timeout=WAIT) == {"type": "unread_count", "count": 3}
        response = app_client.post(
            f"{API}/notifications/read", headers=auth(token), json={"ids": [items[0]["id"]]}
        )
        assert response.status_code == 200
        assert response.json() == {"updated": 1, "unread_count": 2}
        assert socket.receive_json(timeout=WAIT) == {"type": "unread_count", "count": 2}
        socket.send_json({"type": "read", "all": True})
        assert socket.receive_json(timeout=WAIT) == {"type": "unread_count", "count": 0}
    unread = notifications(app_client, token, unread_only="true")
    assert unread == {"items": [], "next_cursor": None}
    assert all(n["read"] for n in notifications(app_client, token)["items"])


def test_pagination_and_list_errors(app_client: TestClient[Litestar]) -> None:
    alice, token = register(app_client)
    for i in range(5):
        other, _ = register(app_client)
        emit(app_client, "users.followed", {"follower_id": other["id"], "followee_id": alice["id"]})
        assert i >= 0
    # Follows of one user group into one notification.
    [grouped] = notifications(app_client, token)["items"]
    assert grouped["actor_count"] == 5 and len(grouped["actors"]) == 3
    for i in range(4):
        emit(
            app_client,
            "chat.message_sent",
            {
                "message_id": f"m{i}",
                "conversation_id": "conv",
                "sender_id": register(app_client)[0]["id"],
                "recipient_ids": [alice["id"]],
                "is_request": False,
            },
        )
    seen: list[str] = []
    cursor = None
    while True:
        page = notifications(app_client, token, limit=2, **({"cursor": cursor} if cursor else {}))
        seen += [n["id"] for n in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5
    assert (
        app_client.get(f"{API}/notifications", headers=auth(token), params={"limit": 0}).status_code
        == 422
    )
    bad = app_client.get(f"{API}/notifications", headers=auth(token), params={"cursor": "!!"})
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_cursor")
    assert app_client.get(f"{API}/notifications").status_code == 401
    bad_read = app_client.post(f"{API}/notifications/read", headers=auth(token), json={})
    assert bad_read.status_code == 422


def test_message_requests_and_muted_kinds_create_nothing(app_client: TestClient[Litestar]) -> None:
    alice, token = register(app_client, interface_language="en")
    bob, _ = register(app_client)
    settings = app_client.get(f"{API}/notifications/settings", headers=auth(token)).json()
    assert settings["kinds"]["like"] is True
    assert settings["channels"]["like"] == {"in_app": True, "push": True}
    patched = app_client.patch(
        f"{API}/notifications/settings",
        headers=auth(token),
        json={"kinds": {"like": False}, "channels": {"follow": {"push": False}}},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["kinds"]["like"] is False
    assert patched.json()["channels"]["follow"] == {"in_app": True, "push": False}
    assert (
        app_client.get(f"{API}/notifications/settings", headers=auth(token)).json()
        == patched.json()
    )
    emit(
        app_client,
        "feed.post_liked",
        {"post_id": "p", "post_author_id": alice["id"], "user_id": bob["id"]},
    )
    emit(
        app_client,
        "chat.message_sent",
        {
            "message_id": "m1",
            "conversation_id": "c1",
            "sender_id": bob["id"],
            "recipient_ids": [alice["id"]],
            "is_request": True,
        },
    )
    assert notifications(app_client, token)["items"] == []
    invalid = app_client.patch(
        f"{API}/notifications/settings", headers=auth(token), json={"kinds": {"nope": False}}
    )
    assert invalid.status_code == 422
    assert invalid.json()["code"] == "validation_error"
    assert invalid.json()["detail"] == "Unknown notification kind: nope."


def test_mentions_and_new_posts(app_client: TestClient[Litestar]) -> None:
    author, _ = register(app_client, nickname="Author")
    mentioned, mentioned_token = register(app_client, interface_language="en")
    emit(
        app_client,
        "feed.post_created",
        {
            "post_id": "p9",
            "author_id": author["id"],
            "language": "en",
            "hashtags": [],
            "mentioned_user_ids": [mentioned["id"]],
        },
    )
    [item] = notifications(app_client, mentioned_token)["items"]
    assert (item["kind"], item["text"]) == ("mention", "Author mentioned you in a post.")


def test_socket_needs_a_token(app_client: TestClient[Litestar]) -> None:
    from litestar.exceptions import WebSocketDisconnect

    with (
        app_client.websocket_connect("/ws/notifications") as socket,
        pytest.raises(WebSocketDisconnect) as closed,
    ):
        socket.receive_json(timeout=WAIT)
    assert closed.value.code == 4401


def drain(client: TestClient[Litestar]) -> None:
    container = client.app.state.dishka_container

    async def run() -> None:
        await (await container.get(OutboxDispatcher)).drain()

    client.blocking_portal.call(run)


def test_end_to_end_through_the_other_modules(app_client: TestClient[Litestar]) -> None:
    """Real follow/post/like/comment endpoints -> outbox -> notifications."""
    alice, alice_token = register(app_client, interface_language="en", nickname="Alice")
    bob, bob_token = register(app_client, nickname="Bob")
    _carol, carol_token = register(app_client, nickname="Carol")
    follow = app_client.put(f"{API}/users/{alice['id']}/follow", headers=auth(bob_token))
    assert follow.status_code == 204, follow.text
    with app_client.websocket_connect(f"/ws/notifications?token={alice_token}") as socket:
        assert socket.receive_json(timeout=WAIT) == {"type": "unread_count", "count": 0}
        drain(app_client)
        frame = socket.receive_json(timeout=WAIT)
        assert frame["notification"]["text"] == "Bob started following you."
        assert socket.receive_json(timeout=WAIT) == {"type": "unread_count", "count": 1}

    created = app_client.post(
        f"{API}/posts", headers=auth(alice_token), json={"content": "hello world", "language": "en"}
    )
    assert created.status_code == 201, created.text
    post_id = created.json()["id"]
    for token in (bob_token, carol_token):
        liked = app_client.put(f"{API}/posts/{post_id}/like", headers=auth(token))
        assert liked.status_code == 204, liked.text
    comment = app_client.post(
        f"{API}/posts/{post_id}/comments",
        headers=auth(carol_token),
        json={"content": f"nice @{bob['handle']}"},
    )
    assert comment.status_code == 201, comment.text
    drain(app_client)

    kinds = {n["kind"]: n for n in notifications(app_client, alice_token)["items"]}
    assert set(kinds) == {"follow", "like", "comment"}
    assert kinds["like"]["actor_count"] == 2
    assert kinds["like"]["text"] == "Carol and 1 other liked your post."
    assert kinds["comment"]["target"]["post_id"] == post_id
    bob_items = notifications(app_client, bob_token)["items"]
    # Bob follows Alice (her new post) and Carol mentioned him in her comment.
    assert sorted((n["kind"], n["target"]["type"]) for n in bob_items) == [
        ("mention", "comment"),
        ("post", "post"),
    ]
    assert notifications(app_client, carol_token)["items"] == []

    # Carol blocks Alice: Carol vanishes from Alice's notifications, and Alice's later
    # likes do not notify Carol.
    blocked = app_client.put(f"{API}/users/{alice['id']}/block", headers=auth(carol_token))
    assert blocked.status_code == 204, blocked.text
    liked = app_client.put(f"{API}/comments/{comment.json()['id']}/like", headers=auth(alice_token))
    assert liked.status_code in (204, 404), liked.text
    drain(app_client)
    kinds = {n["kind"]: n for n in notifications(app_client, alice_token)["items"]}
    assert set(kinds) == {"follow", "like"}
    assert [a["id"] for a in kinds["like"]["actors"]] == [bob["id"]]
    assert kinds["like"]["text"] == "Bob liked your post."
    assert notifications(app_client, carol_token)["items"] == []


def test_removal_by_moderation_notifies_the_author(
    app_client: TestClient[Litestar], backend_settings: Settings
) -> None:
    _author, author_token = register(app_client, interface_language="en")
    moderator, moderator_token = register(app_client)
    app_client.blocking_portal.call(
        partial(
            make_staff,
            app_client,
            moderator["id"],
            "moderator",
            database_url=backend_settings.effective_database_url,
        )
    )
    post = app_client.post(
        f"{API}/posts", headers=auth(author_token), json={"content": "spam spam", "language": "en"}
    )
    assert post.status_code == 201, post.text
    removed = app_client.post(
        f"{API}/admin/posts/{post.json()['id']}/remove", headers=auth(moderator_token)
    )
    assert removed.status_code == 200, removed.text
    drain(app_client)
    [item] = notifications(app_client, author_token)["items"]
    assert (item["kind"], item["actors"], item["actor_count"]) == ("moderation", [], 0)
    assert item["target"] == {"type": "post", "id": post.json()["id"]}
    assert item["text"] == "Your post was removed by moderation."


def test_redelivered_events_are_applied_once(app_client: TestClient[Litestar]) -> None:
    """The dispatcher's ledger normally stops a redelivery; even without it (a handler run
    again in a new transaction), the same event never adds a notification or an actor."""
    alice, token = register(app_client)
    bob, _ = register(app_client)
    carol, _ = register(app_client)
    container = client_container(app_client)
    post_id = new_id()
    messages = [
        OutboxMessage(
            id=new_id(),
            topic="feed.post_liked",
            payload={"post_id": post_id, "post_author_id": alice["id"], "user_id": liker["id"]},
            occurred_at=SystemClock().now(),
        )
        for liker in (bob, carol)
    ]
    follow = OutboxMessage(
        id=new_id(),
        topic="users.followed",
        payload={"follower_id": bob["id"], "followee_id": alice["id"]},
        occurred_at=SystemClock().now(),
    )

    async def deliver(handler_type: type[Any], message: OutboxMessage) -> None:
        async with container() as request:
            uow = await request.get(UnitOfWork)
            async with uow:
                await (await request.get(handler_type)).handle(message)

    for message in [messages[0], messages[1], messages[0], messages[1]]:
        app_client.blocking_portal.call(deliver, HANDLERS["notifications.post_like"], message)
    for _ in range(2):
        app_client.blocking_portal.call(deliver, HANDLERS["notifications.follow"], follow)
    items = {n["kind"]: n for n in notifications(app_client, token)["items"]}
    assert set(items) == {"like", "follow"}
    assert items["like"]["actor_count"] == 2
    assert items["follow"]["actor_count"] == 1


def test_redelivered_message_events_add_no_notification(app_client: TestClient[Litestar]) -> None:
    """What lets the dispatcher keep no ledger record for message notifications
    (`dedups_by_event`): an event delivered again, alone or in a batch, in a new transaction
    each time, adds nothing."""
    alice, token = register(app_client)
    bob, _ = register(app_client)
    container = client_container(app_client)
    events = [
        OutboxMessage(
            id=new_id(),
            topic="chat.message_sent",
            payload={
                "message_id": new_id(),
                "conversation_id": "conv",
                "sender_id": bob["id"],
                "recipient_ids": [alice["id"]],
                "is_request": False,
            },
            occurred_at=SystemClock().now(),
        )
        for _ in range(3)
    ]

    async def deliver(batch: list[OutboxMessage]) -> None:
        async with container() as request:
            uow = await request.get(UnitOfWork)
            handler: Any = await request.get(HANDLERS["notifications.message"])
            async with uow:
                if len(batch) == 1:
                    await handler.handle(batch[0])
                else:
                    await handler.handle_batch(batch)

    assert getattr(HANDLERS["notifications.message"], "dedups_by_event", False)
    for batch in ([events[0]], events, [events[1]], events[1:]):
        app_client.blocking_portal.call(deliver, batch)
    items = notifications(app_client, token)["items"]
    assert sorted(n["target"]["id"] for n in items) == sorted(
        e.payload["message_id"] for e in events
    )


def client_container(client: TestClient[Litestar]) -> Any:
    return client.app.state.dishka_container


def test_events_stored_before_the_upgrade_are_still_delivered(
    app_client: TestClient[Litestar],
) -> None:
    """Outbox rows in the JSON the producers write today (typed out here, as a database
    upgraded with undelivered events holds them) reach every notification handler."""
    alice, alice_token = register(app_client, interface_language="en")
    bob, _ = register(app_client, nickname="Bob")
    carol, carol_token = register(app_client)
    followed = app_client.put(f"{API}/users/{bob['id']}/follow", headers=auth(carol_token))
    assert followed.status_code == 204, followed.text
    drain(app_client)
    a, b, c = alice["id"], bob["id"], carol["id"]
    rows = [
        ("users.followed", f'{{"follower_id":"{b}","followee_id":"{a}"}}'),
        ("feed.post_liked", f'{{"post_id":"p1","post_author_id":"{a}","user_id":"{b}"}}'),
        (
            "feed.comment_liked",
            f'{{"comment_id":"c1","comment_author_id":"{a}","post_id":"p1","user_id":"{b}"}}',
        ),
        (
            "feed.comment_created",
            f'{{"comment_id":"c2","post_id":"p1","post_author_id":"{a}","author_id":"{b}",'
            f'"mentioned_user_ids":["{c}"]}}',
        ),
        (
            "feed.post_created",
            f'{{"post_id":"p2","author_id":"{b}","language":"en","hashtags":["study"],'
            f'"mentioned_user_ids":["{a}"]}}',
        ),
        (
            "chat.message_sent",
            f'{{"message_id":"m1","conversation_id":"k1","sender_id":"{b}",'
            f'"recipient_ids":["{a}"],"is_request":false}}',
        ),
        ("feed.post_removed", f'{{"post_id":"p3","author_id":"{a}"}}'),
        ("feed.comment_removed", f'{{"comment_id":"c3","post_id":"p2","author_id":"{a}"}}'),
    ]
    stage(app_client, rows)
    drain(app_client)
    items = notifications(app_client, alice_token)["items"]
    assert sorted(n["kind"] for n in items) == [
        "comment",
        "follow",
        "like",
        "like",
        "mention",
        "message",
        "moderation",
        "moderation",
    ]
    assert sorted(n["kind"] for n in notifications(app_client, carol_token)["items"]) == [
        "mention",
        "post",
    ]

    stage(app_client, [("users.blocked", f'{{"blocker_id":"{a}","blocked_id":"{b}"}}')])
    drain(app_client)
    items = notifications(app_client, alice_token)["items"]
    assert sorted(n["kind"] for n in items) == ["moderation", "moderation"]


def stage(client: TestClient[Litestar], rows: list[tuple[str, str]]) -> None:
    """Commit outbox rows with the given topics and JSON payloads (not yet delivered)."""
    container = client.app.state.dishka_container

    async def run() -> None:
        async with container() as request:
            session = await request.get(AsyncSession)
            now = SystemClock().now()
            for topic, payload in rows:
                session.add(
                    OutboxEventRow(
                        id=new_id(),
                        topic=topic,
                        payload=msgspec.json.decode(payload),
                        occurred_at=now,
                        available_at=now,
                    )
                )
            await session.commit()

    client.blocking_portal.call(run)
