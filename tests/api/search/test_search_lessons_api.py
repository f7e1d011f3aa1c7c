"""GET /search?type=lessons end to end on both deployments: the fixture curriculum is loaded
with the `load-curriculum` use case (as `hypehere learning load-curriculum` does), its
`learning.lessons_changed` event is drained into the index, and lessons are found by title,
expression text and romanization in the searcher's languages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypehere.application.learning.load_curriculum import (
    LoadCurriculum,
    LoadCurriculumCommand,
    LoadCurriculumResult,
)
from hypehere.domain.learning.model import content_id
from tests.api.helpers import register
from tests.api.search.test_search_api import drain, ids, search
from tests.fixtures.curriculum import FIXTURE_CURRICULUM

TICKETS = content_id("lesson", "fixture-station-tickets")
CAFE = content_id("lesson", "fixture-cafe-order")


def load_curriculum(client: Any, directory: Path = FIXTURE_CURRICULUM) -> LoadCurriculumResult:
    async def run() -> LoadCurriculumResult:
        async with client.app.state.dishka_container() as request:
            use_case = await request.get(LoadCurriculum)
            return await use_case.execute(
                LoadCurriculumCommand(location=str(directory), check=False)
            )

    result: LoadCurriculumResult = client.blocking_portal.call(run)
    return result


async def test_lessons_are_found_in_the_searchers_languages(client: Any) -> None:
    load_curriculum(client)
    _, token = await register(
        client, native_language="ko", target_languages=[{"language": "ja", "level": "A2"}]
    )
    assert ids(await search(client, token, q="切符", type="lessons")) == []  # not indexed yet
    await drain(client)

    page = await search(client, token, q="切符", type="lessons")
    assert ids(page) == [TICKETS]
    (lesson,) = page["items"]
    assert lesson == {
        "id": TICKETS,
        "key": "fixture-station-tickets",
        "category_id": content_id("category", "fixture-station"),
        "position": 1,
        "level": "A1",
        "title": "표 사기",  # the searcher's native language
        "description": "매표소에서 쓰는 표현",
        "languages": ["en", "es", "ja", "ko"],
        "expression_count": 2,
    }
    assert ids(await search(client, token, q="kippu", type="lessons")) == [TICKETS]  # romaji
    assert ids(await search(client, token, q="라테", type="lessons")) == [CAFE]  # native text
    # Spanish is none of this searcher's languages, unless asked for
    assert ids(await search(client, token, q="billete", type="lessons")) == []
    spanish = await search(client, token, q="billete", type="lessons", language="es")
    assert ids(spanish) == [TICKETS]
    # anonymous: every language; titles in the request's language
    anonymous = await client.get(
        "/api/v1/search",
        params={"q": "billete", "type": "lessons"},
        headers={"Accept-Language": "es"},
    )
    assert anonymous.status_code == 200, anonymous.text
    assert [(i["id"], i["title"]) for i in anonymous.json()["items"]] == [
        (TICKETS, "Comprar un billete")
    ]


async def test_a_lesson_found_in_several_languages_is_shown_once(client: Any) -> None:
    load_curriculum(client)
    await drain(client)
    _, token = await register(
        client, native_language="en", target_languages=[{"language": "es", "level": "B1"}]
    )
    # "Busan" is in the English and the Spanish text of the same lesson
    assert ids(await search(client, token, q="busan", type="lessons")) == [TICKETS]
    # paging one lesson at a time through hits in four languages: each lesson once
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(5):
        params: dict[str, Any] = {"q": "a", "type": "lessons", "limit": 1}
        if cursor:
            params["cursor"] = cursor
        page = await search(client, **params)
        seen.extend(ids(page))
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted([TICKETS, CAFE])
    assert cursor is None


async def test_load_curriculum_is_idempotent_and_reindexes_changes(
    client: Any, tmp_path: Path
) -> None:
    first = load_curriculum(client)
    assert sorted(first.lessons_created) == ["fixture-cafe-order", "fixture-station-tickets"]
    assert first.changed
    again = load_curriculum(client)
    assert not again.changed
    assert (again.lessons_created, again.lessons_updated, again.unchanged_lessons) == ([], [], 2)
    await drain(client)
    _, token = await register(
        client, native_language="en", target_languages=[{"language": "ko", "level": "A1"}]
    )
    assert ids(await search(client, token, q="platform", type="lessons")) == [TICKETS]

    # Edit a copy of the files: the station lesson loses its platform expression and is
    # renamed; the café file is gone (its lesson is kept and reported).
    station = (FIXTURE_CURRICULUM / "01_station.yaml").read_text(encoding="utf-8")
    head, _platform = station.split("      - key: fixture-station-tickets-2")
    (tmp_path / "01_station.yaml").write_text(
        head.replace("Buying a ticket", "Buying a train ticket"), encoding="utf-8"
    )
    changed = load_curriculum(client, tmp_path)
    assert changed.lessons_updated == ["fixture-station-tickets"]
    assert changed.expressions_removed == 1
    assert changed.not_in_files == ["category fixture-cafe", "lesson fixture-cafe-order"]
    await drain(client)
    assert ids(await search(client, token, q="platform", type="lessons")) == []
    page = await search(client, token, q="train", type="lessons")
    assert [(i["id"], i["title"], i["expression_count"]) for i in page["items"]] == [
        (TICKETS, "Buying a train ticket", 1)
    ]
    assert ids(await search(client, token, q="latte", type="lessons")) == [CAFE]  # kept
    assert not load_curriculum(client, tmp_path).changed
