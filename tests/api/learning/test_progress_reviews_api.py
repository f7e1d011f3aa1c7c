"""`POST /learning/lessons/{id}/progress`, `GET /learning/stats`, `GET /learning/reviews/due`
and `POST /learning/reviews` over HTTP on both deployments."""

from __future__ import annotations

from typing import Any

from tests.api.helpers import API, auth, register
from tests.api.learning.conftest import TICKETS


async def test_progress_stats_and_reviews(client: Any, curriculum: None) -> None:
    _, token = await register(
        client, native_language="ko", target_languages=[{"language": "ja", "level": "A2"}]
    )
    stats = (await client.get(f"{API}/learning/stats", headers=auth(token))).json()
    assert stats == {
        "lessons_completed": 0,
        "expressions_learned": 0,
        "minutes": 0,
        "current_streak": 0,
        "longest_streak": 0,
        "streak_freezes_left": 1,
        "reviews_due": 0,
    }
    url = f"{API}/learning/lessons/{TICKETS}/progress"
    response = await client.post(
        url, json={"completed": False, "score": 40, "seconds_spent": 100}, headers=auth(token)
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "started"
    response = await client.post(
        url, json={"completed": True, "score": 90, "seconds_spent": 80}, headers=auth(token)
    )
    body = response.json()
    assert (body["status"], body["score"], body["seconds_spent"], body["cards_created"]) == (
        "completed",
        90,
        180,
        2,
    )
    # Again the same day: the streak day is counted once, no new cards.
    response = await client.post(
        url, json={"completed": True, "score": 50, "seconds_spent": 0}, headers=auth(token)
    )
    assert (response.json()["score"], response.json()["cards_created"]) == (90, 0)
    stats = (await client.get(f"{API}/learning/stats", headers=auth(token))).json()
    assert stats == {
        "lessons_completed": 1,
        "expressions_learned": 2,
        "minutes": 3,
        "current_streak": 1,
        "longest_streak": 1,
        "streak_freezes_left": 1,
        "reviews_due": 2,
    }
    lessons = await client.get(f"{API}/learning/lessons/{TICKETS}", headers=auth(token))
    assert lessons.json()["progress"]["status"] == "completed"

    due = await client.get(f"{API}/learning/reviews/due?limit=5", headers=auth(token))
    assert due.status_code == 200, due.text
    cards = due.json()["items"]
    assert {c["back"] for c in cards} == {"釜山行きの切符を一枚ください。", "何番線から出ますか。"}
    assert {(c["source"], c["language"], c["state"]) for c in cards} == {
        ("expression", "ja", "learning")
    }
    card = next(c for c in cards if c["back"] == "何番線から出ますか。")
    assert card["front"] == "몇 번 승강장에서 타요?"
    response = await client.post(
        f"{API}/learning/reviews",
        json={"card_id": card["id"], "grade": "easy"},
        headers=auth(token),
    )
    assert response.status_code == 200, response.text
    reviewed = response.json()
    assert reviewed["id"] == card["id"]
    assert reviewed["due_at"] > card["due_at"]
    assert reviewed["state"] == "review"
    due = (await client.get(f"{API}/learning/reviews/due", headers=auth(token))).json()
    assert [c["id"] for c in due["items"]] == [c["id"] for c in cards if c["id"] != card["id"]]
    assert (await client.get(f"{API}/learning/stats", headers=auth(token))).json()[
        "reviews_due"
    ] == 1


async def test_bad_input_is_4xx(client: Any, curriculum: None) -> None:
    _, token = await register(
        client, native_language="ko", target_languages=[{"language": "ja", "level": "A2"}]
    )
    url = f"{API}/learning/lessons/{TICKETS}/progress"
    response = await client.post(
        url, json={"completed": True, "score": 101, "seconds_spent": 1}, headers=auth(token)
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "score"
    response = await client.post(url, json={"completed": True}, headers=auth(token))
    assert response.status_code in (400, 422), response.text
    response = await client.post(
        f"{API}/learning/lessons/nope/progress",
        json={"completed": True, "score": 1, "seconds_spent": 1},
        headers=auth(token),
    )
    assert response.status_code == 404
    response = await client.post(
        f"{API}/learning/reviews", json={"card_id": "nope", "grade": "good"}, headers=auth(token)
    )
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    response = await client.get(f"{API}/learning/reviews/due?limit=0", headers=auth(token))
    assert response.status_code == 422
    response = await client.get(f"{API}/learning/reviews/due?cursor=zz", headers=auth(token))
    assert (response.status_code, response.json()["code"]) == (400, "invalid_cursor")


async def test_someone_elses_card_is_not_found(client: Any, curriculum: None) -> None:
    _, owner = await register(
        client, native_language="ko", target_languages=[{"language": "ja", "level": "A2"}]
    )
    _, other = await register(client)
    await client.post(
        f"{API}/learning/lessons/{TICKETS}/progress",
        json={"completed": True, "score": 70, "seconds_spent": 60},
        headers=auth(owner),
    )
    card = (await client.get(f"{API}/learning/reviews/due", headers=auth(owner))).json()["items"][0]
    response = await client.post(
        f"{API}/learning/reviews",
        json={"card_id": card["id"], "grade": "good"},
        headers=auth(other),
    )
    assert response.status_code == 404
    response = await client.post(
        f"{API}/learning/reviews", json={"card_id": card["id"], "grade": "meh"}, headers=auth(owner)
    )
    assert response.status_code == 422
