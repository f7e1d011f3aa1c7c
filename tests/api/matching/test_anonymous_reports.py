"""Reporting an anonymous partner end to end, on SQLite+memory and on PostgreSQL+Redis:
two matched users talk over `/ws/anonymous-chat`, one reports the conversation (the
partner is never shown to the reporter), staff see the report against the partner with
the transcript as evidence; a third user's report of it is 404."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from litestar.testing import TestClient

from hypehere.bootstrap.settings import Settings
from tests.api.chat.conftest import sign_up
from tests.api.chat.test_chat_ws import receive
from tests.api.helpers import API, auth, make_staff
from tests.api.matching.test_matching_ws import match, receive_type

pytestmark = pytest.mark.integration


def report(client: TestClient[Any], token: str, conversation_id: str) -> Any:
    return client.post(
        f"{API}/reports",
        json={
            "target_type": "anonymous_conversation",
            "target_id": conversation_id,
            "reason": "harassment",
            "details": "insults",
        },
        headers=auth(token),
    )


def test_reporting_an_anonymous_partner_attaches_the_transcript_for_staff(
    ws_client: TestClient[Any], backend_settings: Settings
) -> None:
    conversation_id, ko_id, ko_token, en_id, en_token = match(ws_client)
    path = f"/ws/anonymous-chat/{conversation_id}"
    with (
        ws_client.websocket_connect(f"{path}?token={ko_token}") as ko_ws,
        ws_client.websocket_connect(f"{path}?token={en_token}") as en_ws,
    ):
        assert receive(ko_ws) == {"type": "partner_joined"}
        ko_ws.send_json({"type": "message", "content": "annyeong", "client_id": "k1"})
        assert receive(ko_ws)["type"] == "ack"
        assert receive_type(en_ws, "message")["message"]["content"] == "annyeong"
        en_ws.send_json({"type": "message", "content": "you are awful", "client_id": "e1"})
        assert receive(en_ws)["type"] == "ack"
        assert receive_type(ko_ws, "message")["message"]["content"] == "you are awful"

    _, stranger = sign_up(ws_client)
    assert report(ws_client, stranger, conversation_id).status_code == 404
    filed = report(ws_client, ko_token, conversation_id)
    assert filed.status_code == 201, filed.text
    body = filed.json()
    assert body["target_type"] == "anonymous_conversation"
    assert body["target_id"] == conversation_id
    assert en_id not in filed.text  # the partner is never shown to the reporter
    assert report(ws_client, ko_token, conversation_id).status_code == 409

    moderator, staff_token = sign_up(ws_client)
    ws_client.blocking_portal.call(
        partial(
            make_staff,
            ws_client,
            moderator["id"],
            "moderator",
            database_url=backend_settings.effective_database_url,
        )
    )
    listed = ws_client.get(f"{API}/admin/reports?status=pending", headers=auth(staff_token))
    assert listed.status_code == 200, listed.text
    [seen] = [r for r in listed.json()["items"] if r["id"] == body["id"]]
    assert (seen["reporter_id"], seen["reported_user_id"]) == (ko_id, en_id)
    transcript = seen["evidence"]["transcript"]
    assert [(line["from"], line["content"]) for line in transcript] == [
        ("reporter", "annyeong"),
        ("reported", "you are awful"),
    ]
    assert all(set(line) == {"from", "content", "created_at"} for line in transcript)
