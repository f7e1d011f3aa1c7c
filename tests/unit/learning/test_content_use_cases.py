"""Categories, lessons and one lesson served for a learner (use cases over fakes)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hypehere.application.common.actor import Actor
from hypehere.application.learning.get_lesson import GetLesson, GetLessonCommand
from hypehere.application.learning.list_categories import ListCategories, ListCategoriesCommand
from hypehere.application.learning.list_lessons import ListLessons, ListLessonsCommand
from hypehere.domain.learning.errors import (
    CategoryNotFoundError,
    LessonLanguageUnavailableError,
    LessonNotFoundError,
)
from hypehere.domain.learning.model import LessonProgress, content_id
from hypehere.domain.shared.pagination import InvalidCursorError, InvalidLimitError
from tests.unit.learning.fakes import World, world

pytestmark = pytest.mark.unit

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
STATION = content_id("category", "fixture-station")
CAFE = content_id("category", "fixture-cafe")
TICKETS = content_id("lesson", "fixture-station-tickets")
ORDER = content_id("lesson", "fixture-cafe-order")
ME = Actor(user_id="u-ko")


def _uses(w: World) -> tuple[ListCategories, ListLessons, GetLesson]:
    ports = (w.curriculum, w.progress, w.learners)
    return ListCategories(*ports), ListLessons(*ports), GetLesson(*ports)


async def test_categories_in_my_native_language_with_my_completions() -> None:
    w = await world()
    w.learner("u-ko", "ko", "en")
    await w.progress.save(
        LessonProgress("u-ko", ORDER, started_at=T0, updated_at=T0, score=90, completed_at=T0)
    )
    list_categories, _, _ = _uses(w)
    result = await list_categories.execute(ListCategoriesCommand(actor=ME, fallback_language="en"))
    assert [(c.key, c.title, c.lesson_count, c.lessons_completed) for c in result.items] == [
        ("fixture-station", "기차역", 1, 0),
        ("fixture-cafe", "카페", 1, 1),
    ]
    assert result.next_cursor is None


async def test_categories_page_with_a_cursor() -> None:
    w = await world()
    list_categories, _, _ = _uses(w)
    first = await list_categories.execute(
        ListCategoriesCommand(actor=ME, fallback_language="en", limit=1)
    )
    assert [c.key for c in first.items] == ["fixture-station"]
    assert first.next_cursor is not None
    second = await list_categories.execute(
        ListCategoriesCommand(actor=ME, fallback_language="en", limit=1, cursor=first.next_cursor)
    )
    assert [c.key for c in second.items] == ["fixture-cafe"]
    assert second.next_cursor is None
    with pytest.raises(InvalidLimitError):
        await list_categories.execute(
            ListCategoriesCommand(actor=ME, fallback_language="en", limit=0)
        )
    with pytest.raises(InvalidCursorError):
        await list_categories.execute(
            ListCategoriesCommand(actor=ME, fallback_language="en", cursor="garbled!")
        )


async def test_a_native_language_the_content_lacks_falls_back_to_the_request_language() -> None:
    w = await world()
    w.learner("u-fr", "fr", "ko")
    list_categories, _, _ = _uses(w)
    result = await list_categories.execute(
        ListCategoriesCommand(actor=Actor(user_id="u-fr"), fallback_language="ja")
    )
    assert [c.title for c in result.items] == ["駅で", "カフェで"]


async def test_lessons_of_a_category_with_my_progress() -> None:
    w = await world()
    w.learner("u-ko", "ko", "en")
    await w.progress.save(
        LessonProgress("u-ko", TICKETS, started_at=T0, updated_at=T0, seconds_spent=40)
    )
    _, list_lessons, _ = _uses(w)
    result = await list_lessons.execute(
        ListLessonsCommand(actor=ME, category_id=STATION, fallback_language="en")
    )
    (lesson,) = result.items
    assert (lesson.id, lesson.title, lesson.level, lesson.expression_count) == (
        TICKETS,
        "표 사기",
        "A1",
        2,
    )
    assert lesson.languages == ["en", "es", "ja", "ko"]
    assert (lesson.progress.status, lesson.progress.seconds_spent) == ("started", 40)
    with pytest.raises(CategoryNotFoundError):
        await list_lessons.execute(
            ListLessonsCommand(actor=ME, category_id="nope", fallback_language="en")
        )


async def test_a_lesson_for_a_korean_speaker_learning_japanese() -> None:
    w = await world()
    w.learner("u-ko", "ko", "ja", "en")
    _, _, get_lesson = _uses(w)
    lesson = await get_lesson.execute(
        GetLessonCommand(actor=ME, lesson_id=TICKETS, fallback_language="en")
    )
    assert (lesson.target_language, lesson.explanation_language) == ("ja", "ko")
    assert lesson.title == "표 사기"
    assert lesson.progress.status == "not_started"
    first = lesson.expressions[0]
    assert first.text == "釜山行きの切符を一枚ください。"
    assert first.romanization == "Pusan-yuki no kippu o ichimai kudasai."
    assert first.note == "매표소에서 목적지와 매수를 함께 말할 때 써요."
    assert [(v.word, v.reading, v.meaning) for v in first.vocabulary] == [("切符", "きっぷ", "표")]


async def test_target_language_overrides_and_english_has_no_romanization() -> None:
    w = await world()
    w.learner("u-ko", "ko", "ja")
    _, _, get_lesson = _uses(w)
    lesson = await get_lesson.execute(
        GetLessonCommand(actor=ME, lesson_id=TICKETS, fallback_language="en", target_language="es")
    )
    first = lesson.expressions[0]
    assert (first.text, first.romanization) == ("Un billete para Busan, por favor.", None)
    assert [(v.word, v.meaning) for v in first.vocabulary] == [("billete", "표")]


async def test_a_language_the_lesson_lacks_is_refused() -> None:
    w = await world()
    w.learner("u-ko", "ko", "fr")
    _, _, get_lesson = _uses(w)
    with pytest.raises(LessonLanguageUnavailableError) as caught:
        await get_lesson.execute(
            GetLessonCommand(actor=ME, lesson_id=TICKETS, fallback_language="en")
        )
    assert caught.value.field == "target_language"
    with pytest.raises(LessonLanguageUnavailableError):
        await get_lesson.execute(
            GetLessonCommand(
                actor=ME, lesson_id=TICKETS, fallback_language="en", target_language="de"
            )
        )
    with pytest.raises(LessonNotFoundError):
        await get_lesson.execute(
            GetLessonCommand(actor=ME, lesson_id="nope", fallback_language="en")
        )
