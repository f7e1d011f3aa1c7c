"""The fail-closed tier end to end, on both deployments: a new account's first posts are
held until the classifier's verdict, and until then nobody but their author sees them on
any read path (the post, the feeds, the author's profile, hashtag pages, search, comments
and likes, corrections, notifications, the post count). A safe verdict releases the post
as if just written (notifications, search); a flagged one waits in the staff queue, hidden,
until staff approve it. And a post whose removal is overturned is indexed again."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from hypehere.bootstrap.app import create_app
from hypehere.bootstrap.settings import Settings
from tests.api.helpers import API, auth
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


@pytest.fixture
def held_client(backend_settings: Settings) -> Iterator[TestClient[Litestar]]:
    settings = backend_settings.model_copy(
        update={"moderation_hold_first_posts": 2, "moderation_new_account_days": 7}
    )
    with TestClient(app=create_app(settings)) as client:
        yield client


def write(client: TestClient[Litestar], token: str, content: str) -> dict[str, Any]:
    response = client.post(
        f"{API}/posts", json={"content": content, "language": "en"}, headers=auth(token)
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def correct(client: TestClient[Litestar], token: str, target_type: str, target_id: str) -> Any:
    return client.post(
        f"{API}/corrections",
        json={
            "target_type": target_type,
            "target_id": target_id,
            "corrected_text": "My first text",
            "category": "grammar",
        },
        headers=auth(token),
    )


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def seen_by(
    client: TestClient[Litestar], token: str | None, author_id: str, post_id: str
) -> dict[str, bool]:
    """Where `post_id` shows up for the holder of `token` (None: signed out)."""
    headers = auth(token) if token else {}
    found = {
        "post": client.get(f"{API}/posts/{post_id}", headers=headers).status_code == 200,
        "profile": post_id in ids(client.get(f"{API}/users/{author_id}/posts", headers=headers)),
        "hashtag": post_id in ids(client.get(f"{API}/hashtags/zebratag/posts", headers=headers)),
        "search": post_id
        in ids(
            client.get(f"{API}/search", params={"q": "zebracorn", "type": "posts"}, headers=headers)
        ),
    }
    if token:
        found["following"] = post_id in ids(client.get(f"{API}/feed/following", headers=headers))
        found["feed"] = post_id in ids(client.get(f"{API}/feed", headers=headers))
        found["comments"] = (
            client.get(f"{API}/posts/{post_id}/comments", headers=headers).status_code == 200
        )
    return found


def test_held_posts_are_seen_by_their_author_only_until_a_verdict(
    held_client: TestClient[Litestar], backend_settings: Settings
) -> None:
    client = held_client
    author, author_token = register(
        client,
        native_language="en",
        target_languages=[{"language": "ko", "level": "A2"}],
        interface_language="en",
    )
    mentioned, mentioned_token = register(client, native_language="ko")
    _follower, follower_token = register(client, native_language="ko")
    assert client.put(
        f"{API}/users/{author['id']}/follow", headers=auth(follower_token)
    ).status_code in (200, 204)
    mod = staff(client, backend_settings)
    drain(client)
    before = {t: len(notifications(client, t)) for t in (follower_token, mentioned_token)}

    fine = write(
        client,
        author_token,
        f"My first zebracorn post #zebratag, hello @{mentioned['handle']} I learn Korean",
    )
    scam = write(
        client, author_token, "zebracorn deals #zebratag: my kakao id is cash_king77 add me"
    )
    assert (fine["moderation"], scam["moderation"]) == ("held", "held")

    for post in (fine, scam):
        # the author sees the held post; nobody else does, on any path
        assert (
            client.get(f"{API}/posts/{post['id']}", headers=auth(author_token)).json()["moderation"]
            == "held"
        )
        assert post["id"] in ids(
            client.get(f"{API}/users/{author['id']}/posts", headers=auth(author_token))
        )
        for token in (follower_token, mentioned_token, mod, None):
            assert not any(seen_by(client, token, author["id"], post["id"]).values()), (
                token and token[-8:]
            )
        for path in ("like",):
            assert (
                client.put(
                    f"{API}/posts/{post['id']}/{path}", headers=auth(follower_token)
                ).status_code
                == 404
            )
        comment = client.post(
            f"{API}/posts/{post['id']}/comments",
            json={"content": "hi"},
            headers=auth(follower_token),
        )
        assert comment.status_code == 404
        correction = correct(client, follower_token, "post", post["id"])
        assert correction.status_code == 404, correction.text
    edit = client.patch(
        f"{API}/posts/{fine['id']}", json={"content": "changed"}, headers=auth(author_token)
    )
    assert (edit.status_code, edit.json()["code"]) == (409, "content_held")

    drain(client)  # the check: the rules find the first fine and flag the second

    released = seen_by(client, follower_token, author["id"], fine["id"])
    assert released == dict.fromkeys(released, True), released
    assert (
        client.get(f"{API}/posts/{fine['id']}", headers=auth(follower_token)).json()["moderation"]
        == "visible"
    )
    for token in (follower_token, mentioned_token, None):
        assert not any(seen_by(client, token, author["id"], scam["id"]).values()), token
    # announced as if just written, once: the follower's `post`, the mention
    new_for_follower = notifications(client, follower_token)[
        : len(notifications(client, follower_token)) - before[follower_token]
    ]
    assert [(n["kind"], n["target"]["id"]) for n in new_for_follower] == [("post", fine["id"])]
    new_for_mentioned = notifications(client, mentioned_token)[
        : len(notifications(client, mentioned_token)) - before[mentioned_token]
    ]
    assert [(n["kind"], n["target"]["id"]) for n in new_for_mentioned] == [("mention", fine["id"])]
    assert (
        client.get(f"{API}/users/{author['id']}", headers=auth(follower_token)).json()["post_count"]
        == 1
    )

    queue = client.get(f"{API}/admin/moderation/queue", headers=auth(mod)).json()["items"]
    assert [(i["content_id"], i["category"]) for i in queue] == [(scam["id"], "scam")]
    approved = client.post(f"{API}/admin/moderation/{queue[0]['id']}/approve", headers=auth(mod))
    assert approved.status_code == 200, approved.text
    drain(client)
    assert seen_by(client, follower_token, author["id"], scam["id"])["post"]
    assert scam["id"] in ids(client.get(f"{API}/feed/following", headers=auth(follower_token)))

    third = write(client, author_token, "My third post, not held any more")
    assert third["moderation"] == "visible"


def test_an_overturned_removal_is_searchable_again(
    app_client: TestClient[Litestar], backend_settings: Settings
) -> None:
    client = app_client
    _author, author_token = register(client)
    _reader, reader_token = register(client)
    mod_a, mod_b = staff(client, backend_settings), staff(client, backend_settings)
    post = write(client, author_token, "a quokkafish joke between friends")

    def found() -> list[str]:
        drain(client)
        return ids(
            client.get(
                f"{API}/search", params={"q": "quokkafish", "type": "posts"}, headers=auth(mod_a)
            )
        )

    assert found() == [post["id"]]
    report = client.post(
        f"{API}/reports",
        json={"target_type": "post", "target_id": post["id"], "reason": "harassment"},
        headers=auth(reader_token),
    )
    assert report.status_code == 201, report.text
    resolved = client.post(
        f"{API}/admin/reports/{report.json()['id']}/resolve",
        json={"action": "remove_content", "note": "insult"},
        headers=auth(mod_a),
    )
    assert resolved.status_code == 200, resolved.text
    assert found() == []
    overturn_only_strike(client, author_token, mod_b, "it was a joke")
    assert found() == [post["id"]]


def overturn_only_strike(
    client: TestClient[Litestar], user_token: str, moderator_token: str, appeal_text: str
) -> None:
    """The user appeals their one strike and a (second) moderator overturns it."""
    (strike,) = client.get(f"{API}/users/me/strikes", headers=auth(user_token)).json()["items"]
    appealed = client.post(
        f"{API}/users/me/strikes/{strike['id']}/appeal",
        json={"text": appeal_text},
        headers=auth(user_token),
    )
    assert appealed.status_code == 201, appealed.text
    overturned = client.post(
        f"{API}/admin/appeals/{appealed.json()['appeal']['id']}/overturn",
        json={"note": "banter"},
        headers=auth(moderator_token),
    )
    assert overturned.status_code == 200, overturned.text


@pytest.fixture
def comments_held_client(backend_settings: Settings) -> Iterator[TestClient[Litestar]]:
    settings = backend_settings.model_copy(
        update={"moderation_hold_first_comments": 2, "moderation_new_account_days": 7}
    )
    with TestClient(app=create_app(settings)) as client:
        yield client


def comment_on(
    client: TestClient[Litestar], token: str, post_id: str, content: str
) -> dict[str, Any]:
    response = client.post(
        f"{API}/posts/{post_id}/comments", json={"content": content}, headers=auth(token)
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_held_comments_are_seen_by_their_author_only_until_a_verdict(
    comments_held_client: TestClient[Litestar], backend_settings: Settings
) -> None:
    """A new account's first comments: hidden from the post's author, mentioned users,
    staff reading the post and signed-out readers (list, count, likes, corrections,
    notifications) until the check; a safe one is then announced as if just written, a
    flagged one waits for staff approval."""
    client = comments_held_client
    _poster, poster_token = register(client)
    mentioned, mentioned_token = register(client)
    _commenter, commenter_token = register(client)
    mod = staff(client, backend_settings)
    post = write(client, poster_token, "Tell me about your weekend")
    drain(client)
    before = {t: len(notifications(client, t)) for t in (poster_token, mentioned_token)}

    fine = comment_on(
        client, commenter_token, post["id"], f"I went hiking with @{mentioned['handle']}"
    )
    scam = comment_on(client, commenter_token, post["id"], "my kakao id is cash_king77 add me")
    assert (fine["moderation"], scam["moderation"]) == ("held", "held")

    def listed(token: str | None) -> list[str]:
        headers = auth(token) if token else {}
        return ids(client.get(f"{API}/posts/{post['id']}/comments", headers=headers))

    def count(token: str | None) -> int:
        headers = auth(token) if token else {}
        response = client.get(f"{API}/posts/{post['id']}", headers=headers)
        value: int = response.json()["comment_count"]
        return value

    assert listed(commenter_token) == [fine["id"], scam["id"]]
    for token in (poster_token, mentioned_token, mod, None):
        assert listed(token) == [] and count(token) == 0, token and token[-8:]
    for comment in (fine, scam):
        like = client.put(f"{API}/comments/{comment['id']}/like", headers=auth(poster_token))
        assert like.status_code == 404, like.text
        correction = correct(client, poster_token, "comment", comment["id"])
        assert correction.status_code == 404, correction.text

    drain(client)  # the check: the rules release the first and flag the second

    assert listed(poster_token) == [fine["id"]] and count(poster_token) == 1
    assert listed(None) == [fine["id"]]
    (shown,) = client.get(f"{API}/posts/{post['id']}/comments").json()["items"]
    assert shown["moderation"] == "visible"
    # announced as if just written, once: the post's author, the mentioned user
    new_for_poster = notifications(client, poster_token)[
        : len(notifications(client, poster_token)) - before[poster_token]
    ]
    assert [n["kind"] for n in new_for_poster] == ["comment"]
    new_for_mentioned = notifications(client, mentioned_token)[
        : len(notifications(client, mentioned_token)) - before[mentioned_token]
    ]
    assert [n["kind"] for n in new_for_mentioned] == ["mention"]

    queue = client.get(f"{API}/admin/moderation/queue", headers=auth(mod)).json()["items"]
    assert [(i["content_type"], i["content_id"], i["category"]) for i in queue] == [
        ("comment", scam["id"], "scam")
    ]
    approved = client.post(f"{API}/admin/moderation/{queue[0]['id']}/approve", headers=auth(mod))
    assert approved.status_code == 200, approved.text
    drain(client)
    assert listed(poster_token) == [fine["id"], scam["id"]] and count(None) == 2

    third = comment_on(client, commenter_token, post["id"], "A third one, not held any more")
    assert third["moderation"] == "visible"
    assert count(None) == 3


@pytest.fixture
def rooms_held_client(backend_settings: Settings) -> Iterator[TestClient[Litestar]]:
    settings = backend_settings.model_copy(update={"moderation_hold_room_titles": True})
    with TestClient(app=create_app(settings)) as client:
        yield client


def test_new_rooms_are_seen_and_joined_by_their_creator_only_until_checked(
    rooms_held_client: TestClient[Litestar], backend_settings: Settings
) -> None:
    """Every new room (any account, old or new) is held: not listed, not found, not
    joinable by anyone else (staff included) until its title is checked; a safe title
    releases it, a flagged one waits in the staff queue (approve releases it; remove keeps
    it its creator's only, for good: audited, a strike for the creator)."""
    client = rooms_held_client
    _creator, creator_token = register(client)
    _guest, guest_token = register(client)
    mod = staff(client, backend_settings)

    def room(name: str) -> dict[str, Any]:
        response = client.post(
            f"{API}/rooms",
            json={"name": name, "language": "en", "max_participants": 5},
            headers=auth(creator_token),
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    def found(token: str, room_id: str) -> dict[str, bool]:
        return {
            "listed": room_id in ids(client.get(f"{API}/rooms", headers=auth(token))),
            "get": client.get(f"{API}/rooms/{room_id}", headers=auth(token)).status_code == 200,
        }

    fine = room("English practice for beginners")
    scam = room("Easy money: my kakao id is cash_king77 add me")
    scam2 = room("Easy money too: my kakao id is cash_king77 add me")
    assert (fine["moderation"], scam["moderation"]) == ("held", "held")
    for r in (fine, scam, scam2):
        assert found(creator_token, r["id"]) == {"listed": True, "get": True}
        mine = client.get(f"{API}/rooms/{r['id']}", headers=auth(creator_token)).json()
        assert mine["moderation"] == "held"
        for token in (guest_token, mod):
            assert found(token, r["id"]) == {"listed": False, "get": False}
        joined = client.post(f"{API}/rooms/{r['id']}/join", headers=auth(guest_token))
        assert (joined.status_code, joined.json()["code"]) == (404, "not_found")
    reported = client.post(
        f"{API}/reports",
        json={"target_type": "room", "target_id": fine["id"], "reason": "spam"},
        headers=auth(guest_token),
    )
    assert reported.status_code == 422, reported.text  # rooms are not a report target

    drain(client)  # the check: the rules release the first and flag the second

    assert found(guest_token, fine["id"]) == {"listed": True, "get": True}
    shown = client.get(f"{API}/rooms/{fine['id']}", headers=auth(guest_token)).json()
    assert shown["moderation"] == "visible"
    assert (
        client.post(f"{API}/rooms/{fine['id']}/join", headers=auth(guest_token)).status_code == 200
    )
    assert found(guest_token, scam["id"]) == {"listed": False, "get": False}
    queue = client.get(f"{API}/admin/moderation/queue", headers=auth(mod)).json()["items"]
    flagged = {i["content_id"]: i for i in queue}
    assert sorted((i["content_type"], i["content_id"], i["category"]) for i in queue) == sorted(
        [("room", scam["id"], "scam"), ("room", scam2["id"], "scam")]
    )
    removed = client.post(
        f"{API}/admin/moderation/{flagged[scam['id']]['id']}/remove", headers=auth(mod)
    )
    assert removed.status_code == 200, removed.text
    assert found(guest_token, scam["id"]) == {"listed": False, "get": False}
    joined = client.post(f"{API}/rooms/{scam['id']}/join", headers=auth(guest_token))
    assert (joined.status_code, joined.json()["code"]) == (404, "not_found")
    mine = client.get(f"{API}/rooms/{scam['id']}", headers=auth(creator_token)).json()
    assert mine["moderation"] == "removed"  # its creator's only, and says why
    again = client.post(
        f"{API}/admin/moderation/{flagged[scam['id']]['id']}/approve", headers=auth(mod)
    )
    assert again.status_code == 409, again.text  # decided: the removal stands
    assert found(guest_token, scam["id"]) == {"listed": False, "get": False}
    log = client.get(f"{API}/admin/audit-log", params={"target_id": scam["id"]}, headers=auth(mod))
    assert [e["action"] for e in log.json()["items"]] == ["remove_room"]
    strikes = client.get(f"{API}/users/me/strikes", headers=auth(creator_token)).json()["items"]
    assert [(s["action"], s["excerpt"]) for s in strikes] == [("content_removed", scam["name"])]
    approved = client.post(
        f"{API}/admin/moderation/{flagged[scam2['id']]['id']}/approve", headers=auth(mod)
    )
    assert approved.status_code == 200, approved.text
    assert found(guest_token, scam2["id"]) == {"listed": True, "get": True}
    # the creator appeals the strike and a second moderator overturns it: the room is out
    overturn_only_strike(client, creator_token, staff(client, backend_settings), "a joke")
    assert found(guest_token, scam["id"]) == {"listed": True, "get": True}


@pytest.fixture
def messages_held_client(backend_settings: Settings) -> Iterator[TestClient[Litestar]]:
    settings = backend_settings.model_copy(
        update={"moderation_hold_first_messages": 2, "moderation_new_account_days": 7}
    )
    with TestClient(app=create_app(settings), timeout=10) as client:
        yield client


def next_frame(session: Any) -> dict[str, Any]:
    """The next frame that is not a heartbeat."""
    while True:
        frame: dict[str, Any] = session.receive_json(timeout=10)
        if frame.get("type") != "ping":
            return frame


def test_held_direct_messages_reach_the_recipient_only_when_released(
    messages_held_client: TestClient[Litestar], backend_settings: Settings
) -> None:
    """A new account's first messages: acked to the sender as held, not broadcast, not in
    the recipient's history or unread count; released, each is broadcast (through the
    broker, over `/ws/chat`) and counted as a new message. The recipient's socket gets the
    released message as its first frame: nothing held reached it before."""
    client = messages_held_client
    _alice, alice_token = register(client)
    bob, bob_token = register(client)
    mod = staff(client, backend_settings)
    conversation_id = open_conversation(client, alice_token, bob["id"])
    url = f"{API}/conversations/{conversation_id}"

    def bob_sees() -> tuple[list[str], int]:
        history = client.get(f"{url}/messages", headers=auth(bob_token)).json()["items"]
        unread = client.get(url, headers=auth(bob_token)).json()["unread_count"]
        return [m["content"] for m in history], unread

    def alice_sees() -> list[tuple[str, str]]:
        history = client.get(f"{url}/messages", headers=auth(alice_token)).json()["items"]
        return [(m["content"], m.get("moderation", "visible")) for m in history]

    path = f"/ws/chat/{conversation_id}"
    with (
        client.websocket_connect(path, headers=auth(alice_token)) as alice_ws,
        client.websocket_connect(path, headers=auth(bob_token)) as bob_ws,
    ):
        alice_ws.send_json({"type": "message", "content": "hello Bob, nice to meet you"})
        fine = next_frame(alice_ws)
        assert (fine["type"], fine["message"]["moderation"]) == ("ack", "held")
        scam = client.post(
            f"{url}/messages",
            json={"content": "my kakao id is cash_king77 add me", "client_id": "s-1"},
            headers=auth(alice_token),
        )
        assert scam.status_code == 201, scam.text
        assert scam.json()["moderation"] == "held"
        retried = client.post(
            f"{url}/messages",
            json={"content": "my kakao id is cash_king77 add me", "client_id": "s-1"},
            headers=auth(alice_token),
        )
        assert retried.json()["id"] == scam.json()["id"]  # idempotent while held
        assert bob_sees() == ([], 0)
        assert alice_sees() == [  # her own history: both, marked held
            ("my kakao id is cash_king77 add me", "held"),
            ("hello Bob, nice to meet you", "held"),
        ]

        drain(client)  # the check: the rules release the first and flag the second

        delivered = next_frame(bob_ws)
        assert delivered["type"] == "message"
        assert delivered["message"]["id"] == fine["message"]["id"]
        assert "moderation" not in delivered["message"]  # a normal message now
        assert next_frame(alice_ws)["message"]["id"] == fine["message"]["id"]  # her socket
        alice_ws.send_json({"type": "message", "content": "are you there?"})
        ack = next_frame(alice_ws)
        assert ack["type"] == "ack" and "moderation" not in ack["message"]  # third: not held
        assert next_frame(bob_ws)["message"]["content"] == "are you there?"
        assert bob_sees() == (["are you there?", "hello Bob, nice to meet you"], 2)
        assert alice_sees() == [
            ("my kakao id is cash_king77 add me", "held"),  # flagged: still hers only
            ("are you there?", "visible"),
            ("hello Bob, nice to meet you", "visible"),
        ]

        queue = client.get(f"{API}/admin/moderation/queue", headers=auth(mod)).json()["items"]
        assert [(i["content_type"], i["content_id"], i["category"]) for i in queue] == [
            ("message", scam.json()["id"], "scam")
        ]
        approved = client.post(
            f"{API}/admin/moderation/{queue[0]['id']}/approve", headers=auth(mod)
        )
        assert approved.status_code == 200, approved.text
        assert next_frame(bob_ws)["message"]["id"] == scam.json()["id"]
    history, unread = bob_sees()
    assert (history[0], unread) == ("my kakao id is cash_king77 add me", 3)


def test_a_block_made_while_a_message_is_held_stops_its_release(
    messages_held_client: TestClient[Litestar],
) -> None:
    """The recipient blocks the sender after the message was held: the safe verdict does
    not deliver it (withheld: not in the recipient's history or unread count, not queued,
    not re-checked), and it stays in its sender's own history only, marked held; lifting
    the block does not deliver it later."""
    client = messages_held_client
    alice, alice_token = register(client)
    bob, bob_token = register(client)
    url = f"{API}/conversations/{open_conversation(client, alice_token, bob['id'])}"
    sent = client.post(
        f"{url}/messages",
        json={"content": "hello Bob, nice to meet you"},
        headers=auth(alice_token),
    )
    assert sent.json()["moderation"] == "held"
    blocked = client.put(f"{API}/users/{alice['id']}/block", headers=auth(bob_token))
    assert blocked.status_code in (200, 204), blocked.text

    drain(client)  # the rules find nothing wrong: released, but not to Bob

    def sees(token: str) -> list[tuple[str, str]]:
        history = client.get(f"{url}/messages", headers=auth(token)).json()["items"]
        return [(m["content"], m.get("moderation", "visible")) for m in history]

    assert sees(bob_token) == []
    assert client.get(url, headers=auth(bob_token)).json()["unread_count"] == 0
    assert sees(alice_token) == [("hello Bob, nice to meet you", "held")]
    unblocked = client.delete(f"{API}/users/{alice['id']}/block", headers=auth(bob_token))
    assert unblocked.status_code in (200, 204), unblocked.text
    drain(client)
    assert sees(bob_token) == []
    assert sees(alice_token) == [("hello Bob, nice to meet you", "held")]


def open_conversation(client: TestClient[Litestar], token: str, other_id: str) -> str:
    """The id of `token`'s holder's conversation with `other_id` (opened now)."""
    opened = client.post(f"{API}/conversations", json={"user_id": other_id}, headers=auth(token))
    assert opened.status_code in (200, 201), opened.text
    conversation_id: str = opened.json()["id"]
    return conversation_id


def open_room(client: TestClient[Litestar], owner_token: str, *member_tokens: str) -> str:
    created = client.post(
        f"{API}/rooms",
        json={"name": "Korean and English exchange", "language": "en", "max_participants": 5},
        headers=auth(owner_token),
    )
    assert created.status_code == 201, created.text
    room_id: str = created.json()["id"]
    for token in member_tokens:
        joined = client.post(f"{API}/rooms/{room_id}/join", headers=auth(token))
        assert joined.status_code == 200, joined.text
    return room_id


def test_held_room_messages_reach_the_room_only_when_released(
    messages_held_client: TestClient[Litestar], backend_settings: Settings
) -> None:
    """A new account's first room messages (the same tier and setting as direct ones) are
    held: acked `moderation: held` to the sender, in nobody's history but the sender's
    (marked held) and on nobody else's socket; released, each is broadcast to the room and
    appended to its history. The other members' sockets get the released message as their
    first message frame: nothing held reached them before."""
    client = messages_held_client
    _alice, alice_token = register(client)
    _bob, bob_token = register(client)
    _carol, carol_token = register(client)
    mod = staff(client, backend_settings)
    room_id = open_room(client, bob_token, alice_token, carol_token)
    url = f"{API}/rooms/{room_id}/messages"

    def history(token: str) -> list[tuple[str, str]]:
        response = client.get(url, headers=auth(token))
        assert response.status_code == 200, response.text
        return [(m["content"], m.get("moderation", "visible")) for m in response.json()["items"]]

    def next_message(session: Any) -> dict[str, Any]:
        while (frame := next_frame(session))["type"] != "message":
            pass  # joined / left / typing
        return frame

    path = f"/ws/open-chat/{room_id}"
    with (
        client.websocket_connect(path, headers=auth(alice_token)) as alice_ws,
        client.websocket_connect(path, headers=auth(bob_token)) as bob_ws,
        client.websocket_connect(path, headers=auth(carol_token)) as carol_ws,
    ):
        alice_ws.send_json({"type": "message", "content": "hello everyone, nice to meet you"})
        fine = next_frame(alice_ws)
        assert (fine["type"], fine["message"]["moderation"]) == ("ack", "held")
        scam = client.post(
            url,
            json={"content": "my kakao id is cash_king77 add me", "client_id": "s-1"},
            headers=auth(alice_token),
        )
        assert scam.status_code == 201, scam.text
        assert scam.json()["moderation"] == "held"
        retried = client.post(
            url,
            json={"content": "my kakao id is cash_king77 add me", "client_id": "s-1"},
            headers=auth(alice_token),
        )
        assert retried.json()["id"] == scam.json()["id"]  # idempotent while held
        assert history(bob_token) == history(carol_token) == []
        assert history(alice_token) == [
            ("my kakao id is cash_king77 add me", "held"),
            ("hello everyone, nice to meet you", "held"),
        ]
        nothing = client.get(url, params={"after": fine["message"]["id"]}, headers=auth(bob_token))
        assert nothing.status_code == 404  # not even its id is known to the room

        drain(client)  # the check: the rules release the first and flag the second

        for ws in (bob_ws, carol_ws, alice_ws):  # alice's socket too
            delivered = next_message(ws)
            assert delivered["message"]["id"] == fine["message"]["id"]
            assert "moderation" not in delivered["message"]  # a normal message now
        alice_ws.send_json({"type": "message", "content": "is anyone learning Korean?"})
        ack = next_frame(alice_ws)
        assert ack["type"] == "ack" and "moderation" not in ack["message"]  # third: not held
        for ws in (bob_ws, carol_ws):
            assert next_message(ws)["message"]["content"] == "is anyone learning Korean?"
        assert history(bob_token) == [
            ("is anyone learning Korean?", "visible"),
            ("hello everyone, nice to meet you", "visible"),
        ]
        assert history(alice_token)[0] == ("my kakao id is cash_king77 add me", "held")

        queue = client.get(f"{API}/admin/moderation/queue", headers=auth(mod)).json()["items"]
        assert [(i["content_type"], i["content_id"], i["category"]) for i in queue] == [
            ("room_message", scam.json()["id"], "scam")
        ]
        approved = client.post(
            f"{API}/admin/moderation/{queue[0]['id']}/approve", headers=auth(mod)
        )
        assert approved.status_code == 200, approved.text
        assert next_message(carol_ws)["message"]["id"] == scam.json()["id"]
    assert history(carol_token)[0] == ("my kakao id is cash_king77 add me", "visible")
    assert len(history(alice_token)) == 3  # released: once, no longer held


def test_room_messages_are_scanned_after_delivery_and_flagged_ones_queued(
    app_client: TestClient[Litestar], backend_settings: Settings
) -> None:
    """Established accounts' room messages (the hold tier off here) are delivered at once
    and classified after the fact (fail-open, `chat.room_message_sent` through the outbox):
    a flagged one lands in the staff queue like a direct message."""
    client = app_client
    _alice, alice_token = register(client)
    _bob, bob_token = register(client)
    mod = staff(client, backend_settings)
    room_id = open_room(client, bob_token, alice_token)
    url = f"{API}/rooms/{room_id}/messages"
    sent = [
        client.post(url, json={"content": text}, headers=auth(alice_token)).json()
        for text in ("hi, I practise English here", "send me money via my kakao id cash_king77")
    ]
    assert [m.get("moderation", "visible") for m in sent] == ["visible", "visible"]
    shown = client.get(url, headers=auth(bob_token)).json()["items"]
    assert [m["id"] for m in shown] == [sent[1]["id"], sent[0]["id"]]  # delivered at once

    drain(client)

    queue = client.get(f"{API}/admin/moderation/queue", headers=auth(mod)).json()["items"]
    assert [(i["content_type"], i["content_id"], i["category"]) for i in queue] == [
        ("room_message", sent[1]["id"], "scam")
    ]
    assert queue[0]["excerpt"] == "send me money via my kakao id cash_king77"
    shown = client.get(url, headers=auth(bob_token)).json()["items"]
    assert len(shown) == 2  # fail-open: it stays where it was


def test_a_held_room_message_is_withheld_when_its_sender_is_out_of_the_room(
    messages_held_client: TestClient[Litestar],
) -> None:
    """Its sender left the room (and came back) or was banned while the message was held:
    the safe verdict does not deliver it (not in the room's history, not on the members'
    sockets) and it stays in its sender's own history only, held."""
    client = messages_held_client
    _alice, alice_token = register(client)
    bob, bob_token = register(client)
    _carol, carol_token = register(client)
    room_id = open_room(client, carol_token, alice_token, bob_token)
    url = f"{API}/rooms/{room_id}/messages"

    def history(token: str) -> list[tuple[str, str]]:
        response = client.get(url, headers=auth(token))
        assert response.status_code == 200, response.text
        return [(m["content"], m.get("moderation", "visible")) for m in response.json()["items"]]

    for token, text in ((alice_token, "hello from Alice"), (bob_token, "hello from Bob")):
        sent = client.post(url, json={"content": text}, headers=auth(token))
        assert sent.json()["moderation"] == "held", sent.text
    assert client.post(f"{API}/rooms/{room_id}/leave", headers=auth(alice_token)).status_code == 204
    rejoined = client.post(f"{API}/rooms/{room_id}/join", headers=auth(alice_token))
    assert rejoined.status_code == 200, rejoined.text
    banned = client.post(f"{API}/rooms/{room_id}/ban/{bob['id']}", headers=auth(carol_token))
    assert banned.status_code == 204, banned.text

    with client.websocket_connect(f"/ws/open-chat/{room_id}", headers=auth(carol_token)) as ws:
        drain(client)  # the rules find nothing wrong: released, but not to the room
        assert history(carol_token) == []
        assert history(alice_token) == [("hello from Alice", "held")]
        alice_ws_message = client.post(
            url, json={"content": "I am back"}, headers=auth(alice_token)
        ).json()
        drain(client)  # her second message (still held) is released: the room's first frame
        while (frame := next_frame(ws))["type"] != "message":
            pass  # joined / left
        assert frame["message"]["id"] == alice_ws_message["id"]
    assert history(carol_token) == [("I am back", "visible")]
