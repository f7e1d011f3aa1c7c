"""`/ws/matching` and `/ws/anonymous-chat/{id}` through real WebSocket connections, on
SQLite+memory and on PostgreSQL+Redis: queue positions, the match, relayed messages,
partner presence, WebRTC signalling, the reveal, leaving, and 4403 for anyone else."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from hypehere.application.matching.transcript_ports import AnonymousTranscripts, TranscriptEntry
from hypehere.bootstrap.settings import Settings
from hypehere.entrypoints.outbox.dispatcher import OutboxDispatcher
from tests.api.chat.conftest import sign_up
from tests.api.chat.test_chat_ws import close_code, receive
from tests.api.helpers import API, auth

pytestmark = pytest.mark.integration

KO = {"native_language": "ko", "target_languages": [{"language": "en", "level": "B1"}]}
EN = {"native_language": "en", "target_languages": [{"language": "ko", "level": "A2"}]}


def receive_type(session: Any, kind: str, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The next frame of type `kind`, skipping frames of the types in `skip`."""
    while True:
        frame = receive(session)
        if frame["type"] == kind:
            return frame
        assert frame["type"] in skip, frame


def queue(client: TestClient[Any], token: str, mode: str = "text") -> None:
    response = client.post(f"{API}/matching/queue", json={"mode": mode}, headers=auth(token))
    assert response.status_code == 202, response.text


def match(client: TestClient[Any], mode: str = "text") -> tuple[str, str, str, str, str]:
    """Queue a Korean and an English speaker with `/ws/matching` open; the conversation
    id and both users' ids and tokens."""
    ko, ko_token = sign_up(client, **KO)
    en, en_token = sign_up(client, **EN)
    with (
        client.websocket_connect(f"/ws/matching?token={ko_token}") as ko_ws,
        client.websocket_connect(f"/ws/matching?token={en_token}") as en_ws,
    ):
        queue(client, ko_token, mode)
        position = receive(ko_ws)
        assert position == {"type": "queue_position", "position": 1, "estimated_wait_seconds": 60}
        queue(client, en_token, mode)
        ko_matched = receive_type(ko_ws, "matched", skip=("queue_position",))
        en_matched = receive_type(en_ws, "matched", skip=("queue_position",))
    assert ko_matched["conversation_id"] == en_matched["conversation_id"]
    assert ko_matched["partner"] == {
        "native_language": "en",
        "target_languages": [{"language": "ko", "level": "A2"}],
    }
    assert en_matched["partner"]["native_language"] == "ko"
    assert set(ko_matched) == {"type", "conversation_id", "partner"}
    return ko_matched["conversation_id"], ko["id"], ko_token, en["id"], en_token


def test_match_chat_reveal_and_leave(ws_client: TestClient[Any]) -> None:
    conversation_id, ko_id, ko_token, en_id, en_token = match(ws_client)
    path = f"/ws/anonymous-chat/{conversation_id}"
    with ws_client.websocket_connect(f"{path}?token={ko_token}") as ko_ws:
        with ws_client.websocket_connect(f"{path}?token={en_token}") as en_ws:
            assert receive(ko_ws) == {"type": "partner_joined"}
            ko_ws.send_json({"type": "message", "content": "annyeong", "client_id": "k1"})
            ack = receive(ko_ws)
            assert ack["type"] == "ack" and ack["client_id"] == "k1"
            assert ack["message"]["from"] == "me"
            delivered = receive(en_ws)
            assert delivered["type"] == "message"
            message = delivered["message"]
            assert message["from"] == "partner"
            assert message["content"] == "annyeong"
            assert message["id"] == ack["message"]["id"]
            assert message["conversation_id"] == conversation_id
            assert "sender_id" not in message
            # WebRTC signalling is for video conversations only
            en_ws.send_json({"type": "webrtc.offer", "payload": {"sdp": "v=0"}})
            assert receive(en_ws)["code"] == "video_only"
            # the reveal: a request, a decline, a request, an accept
            ko_ws.send_json({"type": "reveal_request"})
            assert receive(en_ws) == {"type": "reveal_request"}
            en_ws.send_json({"type": "reveal_decline"})
            assert receive(ko_ws) == {"type": "reveal_declined"}
            ko_ws.send_json({"type": "reveal_request"})
            assert receive(en_ws) == {"type": "reveal_request"}
            en_ws.send_json({"type": "reveal_accept"})
            en_revealed = receive(en_ws)
            ko_revealed = receive(ko_ws)
            assert en_revealed["type"] == ko_revealed["type"] == "revealed"
            assert (en_revealed["me"]["id"], en_revealed["partner"]["id"]) == (en_id, ko_id)
            assert (ko_revealed["me"]["id"], ko_revealed["partner"]["id"]) == (ko_id, en_id)
            assert ko_revealed["partner"]["handle"]
            en_ws.send_json({"type": "reveal_accept"})  # a repeated accept is ignored
            en_ws.send_json({"type": "message", "content": "hello", "client_id": "e1"})
            assert receive(en_ws)["type"] == "ack"
            after = receive(ko_ws)["message"]
            assert (after["from"], after["sender_id"]) == ("partner", en_id)
            # once revealed, the HTTP view shows the public profile
            view = ws_client.get(
                f"{API}/anonymous-conversations/{conversation_id}", headers=auth(ko_token)
            ).json()
            assert view["revealed"] is True
            assert view["partner"]["id"] == en_id
            en_ws.send_json({"type": "leave"})
            assert close_code(en_ws) == 1000
        assert receive(ko_ws) == {"type": "partner_left"}
        ko_ws.send_json({"type": "leave"})
        assert close_code(ko_ws) == 1000
    ended = ws_client.get(
        f"{API}/anonymous-conversations/{conversation_id}", headers=auth(ko_token)
    ).json()
    assert ended["ended_at"] is not None
    with ws_client.websocket_connect(f"{path}?token={ko_token}") as again:
        assert close_code(again) == 4403


def test_video_signalling_is_relayed_verbatim_to_the_partner_only(
    ws_client: TestClient[Any],
) -> None:
    conversation_id, _, ko_token, _, en_token = match(ws_client, "video")
    path = f"/ws/anonymous-chat/{conversation_id}"
    with (
        ws_client.websocket_connect(f"{path}?token={ko_token}") as ko_ws,
        ws_client.websocket_connect(f"{path}?token={en_token}") as en_ws,
    ):
        assert receive(ko_ws) == {"type": "partner_joined"}
        payload = {"sdp": "v=0\r\no=- 46117317 2 IN IP4 127.0.0.1", "nested": [1, {"a": None}]}
        ko_ws.send_json({"type": "webrtc.offer", "payload": payload})
        assert receive(en_ws) == {"type": "webrtc.offer", "payload": payload}
        en_ws.send_json({"type": "webrtc.answer", "payload": "opaque"})
        assert receive(ko_ws) == {"type": "webrtc.answer", "payload": "opaque"}
        en_ws.send_json({"type": "webrtc.ice_candidate", "payload": {"candidate": "c"}})
        assert receive(ko_ws) == {"type": "webrtc.ice_candidate", "payload": {"candidate": "c"}}
        ko_ws.send_json({"type": "webrtc.offer", "payload": "x" * 20000})
        assert receive(ko_ws)["code"] == "payload_too_large"
        ko_ws.send_json({"type": "ping"})
        assert receive(ko_ws) == {"type": "pong"}  # nothing was relayed to me meanwhile


def test_a_third_user_is_closed_4403(ws_client: TestClient[Any]) -> None:
    conversation_id, *_ = match(ws_client)
    _, stranger = sign_up(ws_client)
    with ws_client.websocket_connect(
        f"/ws/anonymous-chat/{conversation_id}?token={stranger}"
    ) as ws:
        assert close_code(ws) == 4403
    with ws_client.websocket_connect(f"/ws/anonymous-chat/{conversation_id}") as ws:
        assert close_code(ws) == 4401


@pytest.fixture
def quick_grace_client(backend_settings: Settings) -> Iterator[TestClient[Any]]:
    from hypehere.bootstrap.app import create_app

    settings = backend_settings.model_copy(update={"matching_socket_grace_seconds": 0.05})
    with TestClient(app=create_app(settings), timeout=10) as client:
        yield client


def test_an_entry_goes_once_its_last_matching_socket_is_gone(
    quick_grace_client: TestClient[Any],
) -> None:
    client = quick_grace_client
    _, token = sign_up(client, **KO)
    with client.websocket_connect(f"/ws/matching?token={token}") as first:
        with client.websocket_connect(f"/ws/matching?token={token}") as second:
            queue(client, token)
            assert receive(first)["type"] == "queue_position"
            assert receive(second)["type"] == "queue_position"
        # one socket is still open: the entry stays past the grace period
        time.sleep(0.2)
        first.send_json({"type": "ping"})
        assert receive(first) == {"type": "pong"}
        assert client.get(f"{API}/matching/queue", headers=auth(token)).status_code == 200
    status = 200
    for _ in range(500):  # bounded polling for the background check, no timing assertion
        status = client.get(f"{API}/matching/queue", headers=auth(token)).status_code
        if status == 404:
            break
        time.sleep(0.01)
    assert status == 404


def test_leaving_is_for_good(ws_client: TestClient[Any]) -> None:
    conversation_id, _, ko_token, _, en_token = match(ws_client)
    path = f"/ws/anonymous-chat/{conversation_id}"
    left = ws_client.post(
        f"{API}/anonymous-conversations/{conversation_id}/leave", headers=auth(ko_token)
    )
    assert left.status_code == 204
    with ws_client.websocket_connect(f"{path}?token={ko_token}") as ws:
        assert close_code(ws) == 4403
    with ws_client.websocket_connect(f"{path}?token={en_token}") as ws:
        ws.send_json({"type": "message", "content": "anyone?", "client_id": "e1"})
        assert receive(ws)["type"] == "ack"  # the partner is gone; nothing is delivered


def test_another_process_drops_an_entry_whose_socket_closed_here(
    backend: str, backend_settings: Settings
) -> None:
    """The process that held the socket keeps a 30 s timer; another process (grace 0.05 s,
    same PostgreSQL and Redis) drops the entry from the close recorded in the queue store,
    as it would if the first process had died."""
    if backend != "postgres":
        pytest.skip("the embedded default is one process: there is no other to take over")
    from hypehere.application.matching.expire_queue import (
        ExpireQueue,
        ExpireQueueCommand,
        ExpireQueueResult,
    )
    from hypehere.bootstrap.app import create_app

    quick = backend_settings.model_copy(update={"matching_socket_grace_seconds": 0.05})
    with (
        TestClient(app=create_app(backend_settings), timeout=10) as here,
        TestClient(app=create_app(quick), timeout=10) as there,
    ):
        _, token = sign_up(here, **KO)
        with here.websocket_connect(f"/ws/matching?token={token}") as socket:
            queue(here, token)
            assert receive(socket)["type"] == "queue_position"

        async def expire() -> ExpireQueueResult:
            async with there.app.state.dishka_container() as request:
                use_case = await request.get(ExpireQueue)
                return await use_case.execute(ExpireQueueCommand())

        dropped = 0
        for _ in range(500):  # bounded polling for the close to be recorded, no timing
            dropped = there.blocking_portal.call(expire).disconnected
            if dropped:
                break
            time.sleep(0.01)
        assert dropped == 1
        assert here.get(f"{API}/matching/queue", headers=auth(token)).status_code == 404


def test_a_flagged_first_message_is_not_relayed(ws_client: TestClient[Any]) -> None:
    """Each participant's first message is classified before it is relayed: a flagged one
    reaches nobody (the sender gets `message_rejected`), and the next one is checked as
    their first again. The partner's first frame is the safe message: nothing before."""
    conversation_id, _ko_id, ko_token, _en_id, en_token = match(ws_client)
    path = f"/ws/anonymous-chat/{conversation_id}"
    with (
        ws_client.websocket_connect(f"{path}?token={ko_token}") as ko_ws,
        ws_client.websocket_connect(f"{path}?token={en_token}") as en_ws,
    ):
        assert receive(ko_ws) == {"type": "partner_joined"}
        ko_ws.send_json(
            {"type": "message", "content": "my kakao id is cash_king77 add me", "client_id": "k1"}
        )
        assert receive(ko_ws) == {
            "type": "message_rejected",
            "client_id": "k1",
            "reason": "flagged",
        }
        ko_ws.send_json(
            {"type": "message", "content": "hello, nice to meet you", "client_id": "k2"}
        )
        assert receive(ko_ws)["type"] == "ack"
        delivered = receive(en_ws)
        assert (delivered["type"], delivered["message"]["content"]) == (
            "message",
            "hello, nice to meet you",
        )


def test_a_leave_closes_my_other_sockets_on_the_conversation(ws_client: TestClient[Any]) -> None:
    """Leaving is for good: the socket that left and my other one close, my partner is told
    once, and stays."""
    conversation_id, _, ko_token, _, en_token = match(ws_client)
    path = f"/ws/anonymous-chat/{conversation_id}"
    with (
        ws_client.websocket_connect(f"{path}?token={en_token}") as en_ws,
        ws_client.websocket_connect(f"{path}?token={ko_token}") as ko_first,
    ):
        assert receive(en_ws) == {"type": "partner_joined"}
        with ws_client.websocket_connect(f"{path}?token={ko_token}") as ko_second:
            assert receive(en_ws) == {"type": "partner_joined"}
            ko_first.send_json({"type": "leave"})
            assert close_code(ko_first) == 1000
            assert close_code(ko_second) == 1000
        assert receive(en_ws) == {"type": "partner_left"}
        en_ws.send_json({"type": "message", "content": "still here", "client_id": "e1"})
        assert receive(en_ws)["type"] == "ack"


def test_a_block_made_during_the_chat_ends_it(ws_client: TestClient[Any]) -> None:
    """The sockets keep what they know of the conversation (no database read per message):
    a block made meanwhile still ends it for both, at once."""
    conversation_id, ko_id, ko_token, _, en_token = match(ws_client)
    path = f"/ws/anonymous-chat/{conversation_id}"
    with (
        ws_client.websocket_connect(f"{path}?token={ko_token}") as ko_ws,
        ws_client.websocket_connect(f"{path}?token={en_token}") as en_ws,
    ):
        assert receive(ko_ws) == {"type": "partner_joined"}
        ko_ws.send_json({"type": "message", "content": "annyeong", "client_id": "k1"})
        assert receive(ko_ws)["type"] == "ack"
        assert receive(en_ws)["message"]["content"] == "annyeong"
        blocked = ws_client.put(f"{API}/users/{ko_id}/block", headers=auth(en_token))
        assert blocked.status_code in (200, 204), blocked.text

        async def drain() -> None:
            dispatcher = await ws_client.app.state.dishka_container.get(OutboxDispatcher)
            await dispatcher.drain()

        ws_client.blocking_portal.call(drain)
        for ws in (ko_ws, en_ws):
            assert receive(ws) == {"type": "ended", "reason": "blocked"}
            assert close_code(ws) == 1000
    with ws_client.websocket_connect(f"{path}?token={ko_token}") as again:
        assert close_code(again) == 4403


def test_the_transcript_holds_every_relayed_message_in_order(
    ws_client: TestClient[Any],
) -> None:
    conversation_id, ko_id, ko_token, en_id, en_token = match(ws_client)
    path = f"/ws/anonymous-chat/{conversation_id}"
    sent: list[tuple[str, str]] = []
    with (
        ws_client.websocket_connect(f"{path}?token={ko_token}") as ko_ws,
        ws_client.websocket_connect(f"{path}?token={en_token}") as en_ws,
    ):
        assert receive(ko_ws) == {"type": "partner_joined"}
        for turn in range(3):
            for user_id, ws, partner_ws in ((ko_id, ko_ws, en_ws), (en_id, en_ws, ko_ws)):
                burst = [f"{user_id[:4]}-{turn}-{i}" for i in range(5)]
                for content in burst:  # sent back to back, acks read afterwards
                    ws.send_json({"type": "message", "content": content, "client_id": content})
                    sent.append((user_id, content))
                assert [receive(ws)["client_id"] for _ in burst] == burst
                relayed = [receive_type(partner_ws, "message")["message"] for _ in burst]
                assert [m["content"] for m in relayed] == burst

    async def read() -> list[TranscriptEntry]:
        transcripts = await ws_client.app.state.dishka_container.get(AnonymousTranscripts)
        return list(await transcripts.read(conversation_id))

    entries = ws_client.blocking_portal.call(read)
    assert [(e.sender_id, e.content) for e in entries] == sent
