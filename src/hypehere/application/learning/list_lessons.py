"""`GET /learning/categories/{id}/lessons`: a situation's lessons, each with my progress."""

from __future__ import annotations

import msgspec

from hypehere.application.learning.content import (
    CURSOR_ARITY,
    ContentUseCase,
    LessonHead,
    ReadContentPage,
)
from hypehere.application.learning.views import ProgressView
from hypehere.domain.learning.errors import CategoryNotFoundError
from hypehere.domain.shared.pagination import PageRequest


class ListLessonsCommand(ReadContentPage, frozen=True, kw_only=True):
    category_id: str


class LessonSummaryView(LessonHead, frozen=True):
    languages: list[str]
    expression_count: int
    progress: ProgressView


class ListLessonsResult(msgspec.Struct, frozen=True):
    items: list[LessonSummaryView]
    next_cursor: str | None


class ListLessons(ContentUseCase):
    async def execute(self, cmd: ListLessonsCommand) -> ListLessonsResult:
        page = PageRequest.of(cmd.limit, cmd.cursor, arity=CURSOR_ARITY)
        if await self._curriculum.category(cmd.category_id) is None:
            raise CategoryNotFoundError("The category was not found")
        lessons = await self._curriculum.lessons(cmd.category_id, page)
        _, reader = await self._learner(cmd)
        progress = await self._progress.progress_of(
            cmd.actor.user_id, [lesson.id for lesson in lessons.items]
        )
        return ListLessonsResult(
            items=[
                LessonSummaryView(
                    id=lesson.id,
                    key=lesson.key,
                    category_id=lesson.category_id,
                    position=lesson.position,
                    level=lesson.level,
                    title=reader.text(lesson.title),
                    description=reader.text(lesson.description),
                    languages=sorted(lesson.languages),
                    expression_count=lesson.expression_count,
                    progress=ProgressView.of(progress.get(lesson.id)),
                )
                for lesson in lessons.items
            ],
            next_cursor=lessons.next_cursor,
        )
