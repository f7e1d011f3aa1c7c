"""`/learning/categories`, `/learning/categories/{id}/lessons`, `/learning/lessons/{id}` over
HTTP on both deployments (the fixture curriculum is loaded after the tables are emptied)."""

from __future__ import annotations

from typing import Any

from hypehere.domain.learning.model import content_id
from tests.api.helpers import API, auth, register
from tests.api.learning.conftest import STATION, TICKETS


async def test_categories_then_lessons_then_a_lesson(client: Any, curriculum: None) -> None:
    _, token = await register(
        client, native_language="ko", target_languages=[{"language": "ja", "level": "A2"}]
    )
    response = await client.get(f"{API}/learning/categories", headers=auth(token))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["next_cursor"] is None
    assert [
        (c["key"], c["title"], c["lesson_count"], c["lessons_completed"]) for c in body["items"]
    ] == [
        ("fixture-station", "기차역", 1, 0),
        ("fixture-cafe", "카페", 1, 0),
    ]
    assert body["items"][0]["id"] == STATION

    response = await client.get(f"{API}/learning/categories/{STATION}/lessons", headers=auth(token))
    assert response.status_code == 200, response.text
    (lesson,) = response.json()["items"]
    assert (lesson["id"], lesson["title"], lesson["level"], lesson["expression_count"]) == (
        TICKETS,
        "표 사기",
        "A1",
        2,
    )
    assert lesson["progress"] == {
        "status": "not_started",
        "score": None,
        "seconds_spent": 0,
        "started_at": None,
        "completed_at": None,
    }

    response = await client.get(f"{API}/learning/lessons/{TICKETS}", headers=auth(token))
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["target_language"], body["explanation_language"]) == ("ja", "ko")
    first = body["expressions"][0]
    assert first == {
        "id": content_id("expression", "fixture-station-tickets-1"),
        "key": "fixture-station-tickets-1",
        "position": 1,
        "text": "釜山行きの切符を一枚ください。",
        "romanization": "Pusan-yuki no kippu o ichimai kudasai.",
        "note": "매표소에서 목적지와 매수를 함께 말할 때 써요.",
        "vocabulary": [
            {"word": "切符", "reading": "きっぷ", "part_of_speech": "noun", "meaning": "표"}
        ],
    }


async def test_target_language_override_and_refusal(client: Any, curriculum: None) -> None:
    _, token = await register(
        client, native_language="es", target_languages=[{"language": "ko", "level": "A1"}]
    )
    response = await client.get(
        f"{API}/learning/lessons/{TICKETS}?target_language=en", headers=auth(token)
    )
    assert response.status_code == 200, response.text
    first = response.json()["expressions"][1]
    assert (first["text"], first["romanization"]) == ("Which platform does it leave from?", None)
    assert first["note"].startswith("Una forma cortés")
    assert first["vocabulary"][0]["meaning"] == "andén"

    response = await client.get(
        f"{API}/learning/lessons/{TICKETS}?target_language=de", headers=auth(token)
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    # a field's own reason is in its `errors[]` entry (API.md: 422 lists the bad fields)
    assert (problem["code"], problem["requested_language"]) == ("validation_error", "de")
    assert problem["errors"][0]["field"] == "target_language"
    assert problem["errors"][0]["code"] == "lesson_language_unavailable"


async def test_not_found_bad_pages_and_anonymous(client: Any, curriculum: None) -> None:
    _, token = await register(client)
    for path in (f"{API}/learning/lessons/nope", f"{API}/learning/categories/nope/lessons"):
        response = await client.get(path, headers=auth(token))
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "not_found"
    response = await client.get(f"{API}/learning/categories?limit=101", headers=auth(token))
    assert response.status_code == 422
    response = await client.get(f"{API}/learning/categories?cursor=!!", headers=auth(token))
    assert (response.status_code, response.json()["code"]) == (400, "invalid_cursor")
    response = await client.get(f"{API}/learning/categories?limit=1", headers=auth(token))
    page = response.json()
    assert [c["key"] for c in page["items"]] == ["fixture-station"]
    response = await client.get(
        f"{API}/learning/categories?limit=1&cursor={page['next_cursor']}", headers=auth(token)
    )
    assert [c["key"] for c in response.json()["items"]] == ["fixture-cafe"]
    assert (await client.get(f"{API}/learning/categories")).status_code == 401
