"""Open rooms over HTTP and `/ws/open-chat/{id}`, on SQLite+memory and PostgreSQL+Redis."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from litestar.testing import TestClient

from tests.api.chat.conftest import sign_up
from tests.api.chat.test_chat_ws import close_code, receive
from tests.api.helpers import API, auth, register

pytestmark = pytest.mark.integration


def room_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Korean practice",
        "description": "Beginners welcome",
        "language": "ko",
        "max_participants": 10,
    }
    body.update(overrides)
    return body


async def create_room(client: Any, token: str, **overrides: Any) -> dict[str, Any]:
    response = await client.post(f"{API}/rooms", json=room_body(**overrides), headers=auth(token))
    assert response.status_code == 201, response.text
    room: dict[str, Any] = response.json()
    return room


async def join(client: Any, token: str, room_id: str, password: str | None = None) -> Any:
    body = {"password": password} if password is not None else {}
    return await client.post(f"{API}/rooms/{room_id}/join", json=body, headers=auth(token))


async def test_create_list_and_get_rooms(client: Any) -> None:
    me, token = await register(client)
    room = await create_room(client, token, password="secret")
    assert room["name"] == "Korean practice"
    assert room["has_password"] is True
    assert "password" not in room and "password_hash" not in room
    assert room["participant_count"] == 1
    assert room["created_by"] == me["id"]
    assert room["max_participants"] == 10
    await create_room(client, token, language="ja", name="Japanese")
    everything = (await client.get(f"{API}/rooms", headers=auth(token))).json()
    assert {r["language"] for r in everything["items"]} == {"ko", "ja"}
    korean = await client.get(f"{API}/rooms", params={"language": "ko"}, headers=auth(token))
    assert [r["id"] for r in korean.json()["items"]] == [room["id"]]
    fetched = (await client.get(f"{API}/rooms/{room['id']}", headers=auth(token))).json()
    assert fetched == room
    for bad in ({"max_participants": 1}, {"max_participants": 501}, {"language": "xx"}):
        response = await client.post(f"{API}/rooms", json=room_body(**bad), headers=auth(token))
        assert response.status_code == 422, response.text
    missing = await client.get(
        f"{API}/rooms/01900000-0000-7000-8000-000000000000", headers=auth(token)
    )
    assert missing.status_code == 404


async def test_join_checks_the_password_and_leaving_frees_the_seat(client: Any) -> None:
    _, owner = await register(client)
    _, guest = await register(client)
    room = await create_room(client, owner, password="secret", max_participants=2)
    wrong = await join(client, guest, room["id"], "nope")
    assert wrong.status_code == 403
    assert wrong.json()["code"] == "wrong_password"
    assert (await join(client, guest, room["id"])).json()["code"] == "wrong_password"
    joined = await join(client, guest, room["id"], "secret")
    assert joined.status_code == 200
    assert joined.json()["participant_count"] == 2
    again = await join(client, guest, room["id"], "secret")  # already in: no second seat
    assert again.json()["participant_count"] == 2
    _, third = await register(client)
    full = await join(client, third, room["id"], "secret")
    assert full.status_code == 409
    assert full.json()["code"] == "room_full"
    left = await client.post(f"{API}/rooms/{room['id']}/leave", headers=auth(guest))
    assert left.status_code == 204
    assert (await join(client, third, room["id"], "secret")).status_code == 200
    not_member = await client.post(f"{API}/rooms/{room['id']}/leave", headers=auth(guest))
    assert not_member.status_code == 403


async def test_join_and_leave_need_no_body(client: Any) -> None:
    _, owner = await register(client)
    _, guest = await register(client)
    room = await create_room(client, owner)
    joined = await client.post(f"{API}/rooms/{room['id']}/join", headers=auth(guest))
    assert joined.status_code == 200, joined.text
    assert joined.json()["participant_count"] == 2


async def test_concurrent_joins_never_overfill_a_room(client: Any) -> None:
    _, owner = await register(client)
    room = await create_room(client, owner, max_participants=4)
    tokens = [(await register(client))[1] for _ in range(10)]
    responses = await asyncio.gather(*[join(client, token, room["id"]) for token in tokens])
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * 3 + [409] * 7, [r.text for r in responses]
    fetched = (await client.get(f"{API}/rooms/{room['id']}", headers=auth(owner))).json()
    assert fetched["participant_count"] == 4


async def test_admins_kick_and_ban(client: Any) -> None:
    owner_user, owner = await register(client)
    helper_user, helper = await register(client)
    troll_user, troll = await register(client)
    spammer_user, spammer = await register(client)
    room = await create_room(client, owner)
    room_id = room["id"]
    for token in (helper, troll, spammer):
        assert (await join(client, token, room_id)).status_code == 200
    # members cannot moderate until an admin grants it
    denied = await client.post(
        f"{API}/rooms/{room_id}/kick/{troll_user['id']}",
        json={"duration_minutes": 5},
        headers=auth(helper),
    )
    assert denied.status_code == 403
    assert denied.json()["code"] == "not_room_admin"
    granted = await client.post(
        f"{API}/rooms/{room_id}/admins/{helper_user['id']}", headers=auth(owner)
    )
    assert granted.status_code == 204
    kicked = await client.post(
        f"{API}/rooms/{room_id}/kick/{troll_user['id']}",
        json={"duration_minutes": 5},
        headers=auth(helper),
    )
    assert kicked.status_code == 204
    rejoin = await join(client, troll, room_id)
    assert rejoin.status_code == 403
    assert rejoin.json()["code"] == "kicked"
    assert rejoin.json()["until"]
    history = await client.get(f"{API}/rooms/{room_id}/messages", headers=auth(troll))
    assert history.status_code == 403
    banned = await client.post(
        f"{API}/rooms/{room_id}/ban/{spammer_user['id']}", headers=auth(owner)
    )
    assert banned.status_code == 204
    assert (await join(client, spammer, room_id)).json()["code"] == "banned_from_room"
    # nobody removes the creator
    creator = await client.post(
        f"{API}/rooms/{room_id}/ban/{owner_user['id']}", headers=auth(helper)
    )
    assert creator.status_code == 403
    fetched = (await client.get(f"{API}/rooms/{room_id}", headers=auth(owner))).json()
    assert fetched["participant_count"] == 2
    bad = await client.post(
        f"{API}/rooms/{room_id}/kick/{troll_user['id']}",
        json={"duration_minutes": 0},
        headers=auth(owner),
    )
    assert bad.status_code == 422


async def test_room_history_is_for_members(client: Any) -> None:
    _, owner = await register(client)
    _, outsider = await register(client)
    room = await create_room(client, owner)
    url = f"{API}/rooms/{room['id']}/messages"
    sent = []
    for index in range(3):
        response = await client.post(
            url, json={"content": f"m{index}", "client_id": f"c{index}"}, headers=auth(owner)
        )
        assert response.status_code == 201, response.text
        sent.append(response.json())
    retry = await client.post(url, json={"content": "m0", "client_id": "c0"}, headers=auth(owner))
    assert retry.json() == sent[0]
    history = (await client.get(url, headers=auth(owner))).json()
    assert [m["content"] for m in history["items"]] == ["m2", "m1", "m0"]
    after = (await client.get(url, params={"after": sent[0]["id"]}, headers=auth(owner))).json()
    assert [m["content"] for m in after["items"]] == ["m1", "m2"]
    refused = await client.get(url, headers=auth(outsider))
    assert refused.status_code == 403
    assert refused.json()["code"] == "not_room_member"
    assert (
        await client.post(url, json={"content": "hi"}, headers=auth(outsider))
    ).status_code == 403


def test_room_socket_events_kicks_and_bans(ws_client: TestClient[Any]) -> None:
    owner_user, owner = sign_up(ws_client)
    guest_user, guest = sign_up(ws_client)
    late_user, late = sign_up(ws_client)
    _outsider_user, outsider = sign_up(ws_client)
    room = ws_client.post(f"{API}/rooms", json=room_body(), headers=auth(owner)).json()
    room_id = room["id"]
    assert (
        ws_client.post(f"{API}/rooms/{room_id}/join", json={}, headers=auth(guest)).status_code
        == 200
    )
    path = f"/ws/open-chat/{room_id}"
    with ws_client.websocket_connect(f"{path}?token={outsider}") as ws:
        assert close_code(ws) == 4403
    with (
        ws_client.websocket_connect(f"{path}?token={owner}") as owner_ws,
        ws_client.websocket_connect(f"{path}?token={guest}") as guest_ws,
    ):
        owner_ws.send_json({"type": "message", "content": "welcome", "client_id": "w"})
        ack = receive(owner_ws)
        assert ack["type"] == "ack"
        assert ack["message"]["content"] == "welcome"
        assert ack["message"]["room_id"] == room_id
        assert ack["message"]["conversation_id"] == room_id
        assert receive(guest_ws) == {"type": "message", "message": ack["message"]}
        guest_ws.send_json({"type": "typing"})
        assert receive(owner_ws) == {"type": "typing", "user_id": guest_user["id"]}
        ws_client.post(f"{API}/rooms/{room_id}/join", json={}, headers=auth(late))
        joined = {"type": "joined", "user_id": late_user["id"], "participant_count": 3}
        assert receive(owner_ws) == joined
        assert receive(guest_ws) == joined
        # members cannot kick; the error frame keeps the socket open
        guest_ws.send_json({"type": "kick", "user_id": owner_user["id"], "duration_minutes": 5})
        assert receive(guest_ws)["code"] == "not_room_admin"
        owner_ws.send_json({"type": "kick", "user_id": guest_user["id"], "duration_minutes": 5})
        kicked = receive(owner_ws)
        assert kicked["type"] == "kicked"
        assert kicked["user_id"] == guest_user["id"]
        assert kicked["until"]
        assert receive(guest_ws)["type"] == "kicked"
        assert close_code(guest_ws) == 4403
        with ws_client.websocket_connect(f"{path}?token={late}") as late_ws:
            ws_client.post(f"{API}/rooms/{room_id}/ban/{late_user['id']}", headers=auth(owner))
            assert receive(late_ws) == {
                "type": "banned",
                "user_id": late_user["id"],
                "by": owner_user["id"],
            }
            assert close_code(late_ws) == 4403
        assert receive(owner_ws)["type"] == "banned"
        # leaving is announced too
        second_user, second = sign_up(ws_client)
        ws_client.post(f"{API}/rooms/{room_id}/join", json={}, headers=auth(second))
        assert receive(owner_ws)["type"] == "joined"
        ws_client.post(f"{API}/rooms/{room_id}/leave", headers=auth(second))
        assert receive(owner_ws) == {
            "type": "left",
            "user_id": second_user["id"],
            "participant_count": 1,
        }
    with ws_client.websocket_connect(f"{path}?token={guest}") as ws:
        assert close_code(ws) == 4403
