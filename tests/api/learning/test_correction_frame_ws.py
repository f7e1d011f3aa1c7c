"""The chat `correction` frame: a participant who is a native speaker corrects a message
over the conversation's socket; everyone in the conversation gets the correction."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from tests.api.chat.conftest import open_conversation, sign_up
from tests.api.chat.conftest import ws_client as ws_client  # the fixture
from tests.api.helpers import API, auth

pytestmark = pytest.mark.integration


def receive(session: Any) -> dict[str, Any]:
    while True:
        frame: dict[str, Any] = session.receive_json(timeout=10)
        if frame.get("type") not in ("ping", "typing"):
            return frame


def test_a_correction_over_the_socket_reaches_the_conversation(
    ws_client: TestClient[Any],
) -> None:
    learner, learner_token = sign_up(
        ws_client, native_language="ko", target_languages=[{"language": "ja", "level": "A2"}]
    )
    native, native_token = sign_up(
        ws_client, native_language="ja", target_languages=[{"language": "ko", "level": "B1"}]
    )
    conversation_id = open_conversation(ws_client, learner_token, native["id"])
    message = ws_client.post(
        f"{API}/conversations/{conversation_id}/messages",
        json={"content": "きのう、ともだちとえいがをみたでした。"},
        headers=auth(learner_token),
    )
    assert message.status_code == 201, message.text
    message_id = message.json()["id"]
    path = f"/ws/chat/{conversation_id}"
    with (
        ws_client.websocket_connect(f"{path}?token={learner_token}") as learner_ws,
        ws_client.websocket_connect(f"{path}?token={native_token}") as native_ws,
    ):
        native_ws.send_json(
            {
                "type": "correction",
                "message_id": message_id,
                "corrected_text": "きのう、ともだちとえいがをみました。",
                "category": "grammar",
                "note": "みた and でした do not go together.",
            }
        )
        for ws in (learner_ws, native_ws):
            frame = receive(ws)
            assert frame["type"] == "correction", frame
            correction = frame["correction"]
            assert (correction["target_type"], correction["target_id"]) == ("message", message_id)
            assert (correction["corrector_id"], correction["author_id"]) == (
                native["id"],
                learner["id"],
            )
            assert correction["language"] == "ja"
        # Stored like any correction: the author sees it among the received ones.
        received = ws_client.get(f"{API}/corrections/received", headers=auth(learner_token))
        assert [c["id"] for c in received.json()["items"]] == [correction["id"]]
        # The author cannot correct their own message; the socket answers with an error.
        learner_ws.send_json(
            {
                "type": "correction",
                "message_id": message_id,
                "corrected_text": "きのう、えいがをみました。",
                "category": "grammar",
            }
        )
        error = receive(learner_ws)
        assert (error["type"], error["code"]) == ("error", "own_text")
        # A message of another conversation is not found from this socket.
        native_ws.send_json(
            {
                "type": "correction",
                "message_id": "not-in-this-conversation",
                "corrected_text": "x",
                "category": "grammar",
            }
        )
        error = receive(native_ws)
        assert (error["type"], error["code"]) == ("error", "not_found")
