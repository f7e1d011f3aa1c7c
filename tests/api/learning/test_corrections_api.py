"""`/corrections` and `/learning/errors` over HTTP on both deployments: posts (declared
language), comments and chat messages (detected language), who may correct, accept."""

from __future__ import annotations

from typing import Any

from hypehere.entrypoints.outbox.dispatcher import OutboxDispatcher
from tests.api.helpers import API, auth, register


async def _deliver_outbox(client: Any) -> None:
    """Deliver every due outbox event, in the app's event loop (the test client's portal)."""

    async def run() -> None:
        await (await client.app.state.dishka_container.get(OutboxDispatcher)).drain()

    client.blocking_portal.call(run)


async def _people(client: Any) -> dict[str, tuple[dict[str, Any], str]]:
    return {
        "learner": await register(
            client, native_language="ko", target_languages=[{"language": "ja", "level": "A2"}]
        ),
        "native": await register(
            client, native_language="ja", target_languages=[{"language": "ko", "level": "B1"}]
        ),
        "other": await register(
            client, native_language="ko", target_languages=[{"language": "ja", "level": "B1"}]
        ),
    }


async def test_correct_a_post_then_accept(client: Any) -> None:
    people = await _people(client)
    (learner, learner_token), (native, native_token) = people["learner"], people["native"]
    post = await client.post(
        f"{API}/posts",
        json={"content": "私は昨日学校を行きました。", "language": "ja"},
        headers=auth(learner_token),
    )
    assert post.status_code == 201, post.text
    post_id = post.json()["id"]
    body = {
        "target_type": "post",
        "target_id": post_id,
        "corrected_text": "私は昨日学校に行きました。",
        "category": "grammar",
        "note": "行く takes に for a destination.",
    }
    response = await client.post(f"{API}/corrections", json=body, headers=auth(native_token))
    assert response.status_code == 201, response.text
    correction = response.json()
    assert correction["spans"] == [{"start": 6, "end": 7, "original": "を", "replacement": "に"}]
    assert (correction["language"], correction["author_id"], correction["corrector_id"]) == (
        "ja",
        learner["id"],
        native["id"],
    )
    again = await client.post(f"{API}/corrections", json=body, headers=auth(native_token))
    assert (again.status_code, again.json()["code"]) == (409, "correction_exists")
    other = await client.post(f"{API}/corrections", json=body, headers=auth(people["other"][1]))
    assert (other.status_code, other.json()["code"]) == (403, "not_native_speaker")
    own = await client.post(f"{API}/corrections", json=body, headers=auth(learner_token))
    assert own.status_code == 403

    listed = await client.get(
        f"{API}/corrections?target_type=post&target_id={post_id}", headers=auth(people["other"][1])
    )
    assert [c["id"] for c in listed.json()["items"]] == [correction["id"]]
    received = await client.get(f"{API}/corrections/received", headers=auth(learner_token))
    assert [c["id"] for c in received.json()["items"]] == [correction["id"]]

    url = f"{API}/corrections/{correction['id']}/accept"
    response = await client.post(url, headers=auth(native_token))
    assert (response.status_code, response.json()["code"]) == (403, "not_author")
    response = await client.post(url, headers=auth(learner_token))
    assert response.status_code == 200, response.text
    accepted = response.json()
    assert accepted["correction"]["accepted_at"] is not None
    assert (accepted["card"]["source"], accepted["card"]["back"]) == (
        "correction",
        "私は昨日学校に行きました。",
    )
    response = await client.post(url, headers=auth(learner_token))
    assert (response.status_code, response.json()["code"]) == (409, "correction_accepted")

    # The outbox event: a correction notification to the corrector, +1 on their profile.
    await _deliver_outbox(client)
    notes = (await client.get(f"{API}/notifications", headers=auth(native_token))).json()
    (note,) = [n for n in notes["items"] if n["kind"] == "correction"]
    assert [a["id"] for a in note["actors"]] == [learner["id"]]
    assert note["target"]["type"] == "post" and note["target"]["id"] == post_id
    profile = (await client.get(f"{API}/users/{native['id']}", headers=auth(learner_token))).json()
    assert profile["corrections_accepted"] == 1
    await _deliver_outbox(client)  # nothing left: counted once
    profile = (await client.get(f"{API}/users/{native['id']}", headers=auth(learner_token))).json()
    assert profile["corrections_accepted"] == 1
    due = (await client.get(f"{API}/learning/reviews/due", headers=auth(learner_token))).json()
    assert [c["id"] for c in due["items"]] == [accepted["card"]["id"]]

    errors = await client.get(f"{API}/learning/errors?language=ja", headers=auth(learner_token))
    assert errors.status_code == 200, errors.text
    (week,) = errors.json()["weeks"]
    assert (week["counts"]["grammar"], week["total"]) == (1, 1)
    errors = await client.get(f"{API}/learning/errors?language=zz", headers=auth(learner_token))
    assert errors.status_code == 422


async def test_comments_and_messages_use_the_detected_language(client: Any) -> None:
    people = await _people(client)
    (_, learner_token), (native, native_token) = people["learner"], people["native"]
    post = await client.post(
        f"{API}/posts",
        json={"content": "안녕하세요!", "language": "ko"},
        headers=auth(native_token),
    )
    comment = await client.post(
        f"{API}/posts/{post.json()['id']}/comments",
        json={"content": "はじめまして、よろしくおねがいします。わたしはがくせいだ。"},
        headers=auth(learner_token),
    )
    assert comment.status_code == 201, comment.text
    response = await client.post(
        f"{API}/corrections",
        json={
            "target_type": "comment",
            "target_id": comment.json()["id"],
            "corrected_text": "はじめまして、よろしくおねがいします。わたしはがくせいです。",
            "category": "politeness",
        },
        headers=auth(native_token),
    )
    assert response.status_code == 201, response.text
    assert response.json()["language"] == "ja"
    assert [(s["original"], s["replacement"]) for s in response.json()["spans"]] == [("だ", "です")]

    conversation = await client.post(
        f"{API}/conversations", json={"user_id": native["id"]}, headers=auth(learner_token)
    )
    assert conversation.status_code in (200, 201), conversation.text
    conversation_id = conversation.json()["id"]
    message = await client.post(
        f"{API}/conversations/{conversation_id}/messages",
        json={"content": "きのう、ともだちとえいがをみたでした。"},
        headers=auth(learner_token),
    )
    assert message.status_code == 201, message.text
    body = {
        "target_type": "message",
        "target_id": message.json()["id"],
        "corrected_text": "きのう、ともだちとえいがをみました。",
        "category": "grammar",
    }
    # Someone outside the conversation cannot see the message.
    outsider = await register(
        client, native_language="ja", target_languages=[{"language": "en", "level": "B1"}]
    )
    response = await client.post(f"{API}/corrections", json=body, headers=auth(outsider[1]))
    assert response.status_code == 404
    response = await client.post(f"{API}/corrections", json=body, headers=auth(native_token))
    assert response.status_code == 201, response.text
    assert response.json()["language"] == "ja"


async def test_bad_requests(client: Any) -> None:
    _, token = await register(client)
    for body, status in (
        (
            {"target_type": "user", "target_id": "x", "corrected_text": "y", "category": "grammar"},
            422,
        ),
        ({"target_type": "post", "target_id": "x", "corrected_text": "y", "category": "tone"}, 422),
        (
            {"target_type": "post", "target_id": "x", "corrected_text": "y", "category": "grammar"},
            404,
        ),
    ):
        response = await client.post(f"{API}/corrections", json=body, headers=auth(token))
        assert response.status_code == status, response.text
    response = await client.post(f"{API}/corrections/nope/accept", headers=auth(token))
    assert response.status_code == 404
    response = await client.get(
        f"{API}/corrections?target_type=post&target_id=nope", headers=auth(token)
    )
    assert response.status_code == 404
