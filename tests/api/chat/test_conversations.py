"""1:1 conversations over HTTP, on SQLite+memory and on PostgreSQL+Redis."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import event

from hypehere.bootstrap.settings import Settings
from tests.api.chat.db import block, follow, set_chat_settings
from tests.api.helpers import API, auth, register

pytestmark = pytest.mark.integration


async def start(client: Any, token: str, user_id: str) -> Any:
    return await client.post(f"{API}/conversations", json={"user_id": user_id}, headers=auth(token))


async def send(client: Any, token: str, conversation_id: str, content: str, **extra: Any) -> Any:
    return await client.post(
        f"{API}/conversations/{conversation_id}/messages",
        json={"content": content, **extra},
        headers=auth(token),
    )


async def listing(client: Any, token: str, folder: str = "inbox", **params: Any) -> Any:
    response = await client.get(
        f"{API}/conversations", params={"folder": folder, **params}, headers=auth(token)
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_get_or_create_returns_one_conversation_per_pair(client: Any) -> None:
    alice, alice_token = await register(client)
    bob, bob_token = await register(client)
    first = await start(client, alice_token, bob["id"])
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["kind"] == "direct"
    assert body["folder"] == "inbox"
    assert body["other_user"]["id"] == bob["id"]
    assert body["last_message"] is None
    assert body["unread_count"] == 0
    again = await start(client, alice_token, bob["id"])
    reverse = await start(client, bob_token, alice["id"])
    assert again.status_code == 200
    assert again.json()["id"] == reverse.json()["id"] == body["id"]
    assert reverse.json()["other_user"]["id"] == alice["id"]


async def test_simultaneous_creates_yield_one_conversation(client: Any) -> None:
    alice, alice_token = await register(client)
    bob, bob_token = await register(client)
    responses = await asyncio.gather(
        *[start(client, alice_token, bob["id"]) for _ in range(4)],
        *[start(client, bob_token, alice["id"]) for _ in range(4)],
    )
    assert all(r.status_code in (200, 201) for r in responses), [r.text for r in responses]
    assert len({r.json()["id"] for r in responses}) == 1
    assert sum(r.status_code == 201 for r in responses) == 1


async def test_validation_and_missing_users(client: Any) -> None:
    alice, token = await register(client)
    assert (await start(client, token, alice["id"])).json()["code"] == "cannot_chat_with_self"
    missing = await start(client, token, "01900000-0000-7000-8000-000000000000")
    assert missing.status_code == 404
    unauthenticated = await client.post(f"{API}/conversations", json={"user_id": alice["id"]})
    assert unauthenticated.status_code == 401


async def test_blocked_pairs_cannot_create_or_message(
    client: Any, backend_settings: Settings
) -> None:
    db = backend_settings.effective_database_url
    alice, alice_token = await register(client)
    bob, bob_token = await register(client)
    conversation = (await start(client, alice_token, bob["id"])).json()
    await block(db, bob["id"], alice["id"])
    refused = await start(client, alice_token, bob["id"])
    assert refused.status_code == 403
    assert refused.json()["code"] == "blocked"
    assert (await start(client, bob_token, alice["id"])).json()["code"] == "blocked"
    message = await send(client, alice_token, conversation["id"], "hi")
    assert message.status_code == 403
    assert message.json()["code"] == "blocked"


async def test_messages_are_idempotent_by_client_id_and_totally_ordered(client: Any) -> None:
    alice, alice_token = await register(client)
    bob, bob_token = await register(client)
    conversation_id = (await start(client, alice_token, bob["id"])).json()["id"]
    first = await send(client, alice_token, conversation_id, "  hello  ", client_id="c-1")
    assert first.status_code == 201, first.text
    message = first.json()
    assert message["content"] == "hello"
    assert message["client_id"] == "c-1"
    assert message["sender_id"] == alice["id"]
    assert message["conversation_id"] == conversation_id
    assert message["created_at"].endswith("Z")
    retry = await send(client, alice_token, conversation_id, "hello", client_id="c-1")
    assert retry.json() == message
    # concurrent retries of a new client_id store one message
    racing = await asyncio.gather(
        *[send(client, bob_token, conversation_id, "race", client_id="r-1") for _ in range(5)]
    )
    assert len({r.json()["id"] for r in racing}) == 1
    for index in range(3):
        await send(client, bob_token, conversation_id, f"m{index}", client_id=f"b-{index}")
    history = (
        await client.get(f"{API}/conversations/{conversation_id}/messages", headers=auth(bob_token))
    ).json()
    contents = [m["content"] for m in history["items"]]
    assert contents == ["m2", "m1", "m0", "race", "hello"]


async def test_content_limits(client: Any) -> None:
    _, alice_token = await register(client)
    bob, _ = await register(client)
    conversation_id = (await start(client, alice_token, bob["id"])).json()["id"]
    assert (await send(client, alice_token, conversation_id, "   ")).status_code == 422
    assert (await send(client, alice_token, conversation_id, "x" * 4001)).status_code == 422
    assert (await send(client, alice_token, conversation_id, "x" * 4000)).status_code == 201


async def test_strangers_cannot_read_or_write(client: Any) -> None:
    _, alice_token = await register(client)
    bob, _ = await register(client)
    _, eve_token = await register(client)
    conversation_id = (await start(client, alice_token, bob["id"])).json()["id"]
    base = f"{API}/conversations/{conversation_id}"
    assert (await client.get(base, headers=auth(eve_token))).status_code == 404
    assert (await client.get(f"{base}/messages", headers=auth(eve_token))).status_code == 404
    assert (await send(client, eve_token, conversation_id, "hi")).status_code == 404
    assert (await client.post(f"{base}/read", headers=auth(eve_token))).status_code == 404


async def test_history_pages_backwards_and_catches_up_with_after(client: Any) -> None:
    _, alice_token = await register(client)
    bob, bob_token = await register(client)
    conversation_id = (await start(client, alice_token, bob["id"])).json()["id"]
    ids = []
    for index in range(7):
        ids.append((await send(client, alice_token, conversation_id, f"m{index}")).json()["id"])
    url = f"{API}/conversations/{conversation_id}/messages"
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get(url, params=params, headers=auth(bob_token))).json()
        seen.extend(m["id"] for m in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(ids))
    caught_up = (
        await client.get(url, params={"after": ids[2], "limit": 3}, headers=auth(bob_token))
    ).json()
    assert [m["id"] for m in caught_up["items"]] == ids[3:6]
    rest = (
        await client.get(url, params={"cursor": caught_up["next_cursor"]}, headers=auth(bob_token))
    ).json()
    assert [m["id"] for m in rest["items"]] == ids[6:]
    assert rest["next_cursor"] is None
    bad = await client.get(url, params={"cursor": "garbage!"}, headers=auth(bob_token))
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_cursor"
    assert (await client.get(url, params={"limit": 0}, headers=auth(bob_token))).status_code == 422
    assert (
        await client.get(url, params={"limit": 101}, headers=auth(bob_token))
    ).status_code == 422


async def test_unread_counts_read_marks_leave_and_automatic_readd(client: Any) -> None:
    _alice, alice_token = await register(client)
    bob, bob_token = await register(client)
    conversation_id = (await start(client, alice_token, bob["id"])).json()["id"]
    for index in range(3):
        await send(client, alice_token, conversation_id, f"m{index}")
    [item] = (await listing(client, bob_token))["items"]
    assert item["unread_count"] == 3
    assert item["last_message"]["content"] == "m2"
    assert (await listing(client, alice_token))["items"][0]["unread_count"] == 0
    read = await client.post(f"{API}/conversations/{conversation_id}/read", headers=auth(bob_token))
    assert read.status_code == 204
    assert (await listing(client, bob_token))["items"][0]["unread_count"] == 0
    await send(client, alice_token, conversation_id, "m3")
    assert (await listing(client, bob_token))["items"][0]["unread_count"] == 1
    # bob leaves: gone from his list, history kept
    left = await client.post(
        f"{API}/conversations/{conversation_id}/leave", headers=auth(bob_token)
    )
    assert left.status_code == 204
    assert (await listing(client, bob_token))["items"] == []
    # a new message re-adds him; only messages after he left count as unread
    await send(client, alice_token, conversation_id, "come back")
    [item] = (await listing(client, bob_token))["items"]
    assert item["unread_count"] == 1
    assert item["last_message"]["content"] == "come back"
    history = (
        await client.get(f"{API}/conversations/{conversation_id}/messages", headers=auth(bob_token))
    ).json()
    assert len(history["items"]) == 5


async def test_chat_policy_routes_new_conversations_to_requests(
    client: Any, backend_settings: Settings
) -> None:
    db = backend_settings.effective_database_url
    _alice, alice_token = await register(client)
    bob, bob_token = await register(client)
    carol, carol_token = await register(client)
    await set_chat_settings(db, bob["id"], chat_policy="following")
    await follow(db, bob["id"], carol["id"])
    stranger = (await start(client, alice_token, bob["id"])).json()
    friend = (await start(client, carol_token, bob["id"])).json()
    assert stranger["folder"] == "inbox"  # the opener's own folder
    await send(client, alice_token, stranger["id"], "hi, stranger here")
    await send(client, carol_token, friend["id"], "hi, friend here")
    inbox = await listing(client, bob_token, "inbox")
    requests = await listing(client, bob_token, "requests")
    assert [c["id"] for c in inbox["items"]] == [friend["id"]]
    assert [c["id"] for c in requests["items"]] == [stranger["id"]]
    assert requests["items"][0]["folder"] == "requests"
    accepted = await client.post(
        f"{API}/conversations/{stranger['id']}/accept", headers=auth(bob_token)
    )
    assert accepted.status_code == 204
    assert {c["id"] for c in (await listing(client, bob_token, "inbox"))["items"]} == {
        friend["id"],
        stranger["id"],
    }
    assert (await listing(client, bob_token, "requests"))["items"] == []
    # nobody_new: even people I follow land in requests
    dave, _ = await register(client)
    await set_chat_settings(db, dave["id"], chat_policy="nobody_new")
    assert (await start(client, alice_token, dave["id"])).status_code == 201
    bad_folder = await client.get(
        f"{API}/conversations", params={"folder": "spam"}, headers=auth(bob_token)
    )
    assert bad_folder.status_code in (400, 422)


async def test_declining_a_request_is_leaving_it(client: Any, backend_settings: Settings) -> None:
    db = backend_settings.effective_database_url
    _, alice_token = await register(client)
    bob, bob_token = await register(client)
    await set_chat_settings(db, bob["id"], chat_policy="nobody_new")
    conversation_id = (await start(client, alice_token, bob["id"])).json()["id"]
    await send(client, alice_token, conversation_id, "hello?")
    assert len((await listing(client, bob_token, "requests"))["items"]) == 1
    await client.post(f"{API}/conversations/{conversation_id}/leave", headers=auth(bob_token))
    assert (await listing(client, bob_token, "requests"))["items"] == []
    await send(client, alice_token, conversation_id, "hello again?")
    [item] = (await listing(client, bob_token, "requests"))["items"]
    assert item["unread_count"] == 1


async def test_list_is_ordered_by_activity_and_pages_without_duplicates(client: Any) -> None:
    me, my_token = await register(client)
    conversation_ids = []
    for _ in range(5):
        _other, other_token = await register(client)
        conversation_id = (await start(client, other_token, me["id"])).json()["id"]
        await send(client, other_token, conversation_id, "hi")
        conversation_ids.append(conversation_id)
    await send(client, my_token, conversation_ids[0], "bump")
    expected = [conversation_ids[0], *reversed(conversation_ids[1:])]
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = await listing(client, my_token, **params)
        seen.extend(c["id"] for c in page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == expected


async def test_listing_a_page_is_one_query(client: Any, backend_settings: Settings) -> None:
    """The list query joins participants, the other user, the last message and the unread
    count: the number of statements does not grow with the number of conversations."""
    me, my_token = await register(client)
    for _ in range(6):
        _other, other_token = await register(client)
        conversation_id = (await start(client, other_token, me["id"])).json()["id"]
        await send(client, other_token, conversation_id, "hi")
    container = client.app.state.dishka_container
    from sqlalchemy.ext.asyncio import AsyncEngine

    engine = await container.get(AsyncEngine)
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "conversation" in statement.lower():
            statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        page = await listing(client, my_token, limit=5)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert len(page["items"]) == 5
    assert all(item["other_user"] and item["last_message"] for item in page["items"])
    assert len(statements) == 1, statements
