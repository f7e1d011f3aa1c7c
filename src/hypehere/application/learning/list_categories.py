"""`GET /learning/categories`: the situations, each with how far I got."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.learning.ports import (
    CurriculumReader,
    LearnerDirectory,
    ProgressRepository,
)
from hypehere.application.learning.views import Reader
from hypehere.domain.shared.pagination import PageRequest

CURSOR_ARITY = 2  # (position, id)


class ListCategoriesCommand(msgspec.Struct, frozen=True):
    actor: Actor
    fallback_language: str
    limit: int | None = None
    cursor: str | None = None


class CategoryView(msgspec.Struct, frozen=True):
    id: str
    key: str
    position: int
    title: str
    description: str
    lesson_count: int
    lessons_completed: int


class ListCategoriesResult(msgspec.Struct, frozen=True):
    items: list[CategoryView]
    next_cursor: str | None


class ListCategories:
    def __init__(
        self,
        curriculum: CurriculumReader,
        progress: ProgressRepository,
        learners: LearnerDirectory,
    ) -> None:
        self._curriculum = curriculum
        self._progress = progress
        self._learners = learners

    async def execute(self, cmd: ListCategoriesCommand) -> ListCategoriesResult:
        page = PageRequest.of(cmd.limit, cmd.cursor, arity=CURSOR_ARITY)
        categories = await self._curriculum.categories(page)
        reader = Reader.of(await self._learners.learner(cmd.actor.user_id), cmd.fallback_language)
        done = await self._progress.completed_per_category(
            cmd.actor.user_id, [c.id for c in categories.items]
        )
        return ListCategoriesResult(
            items=[
                CategoryView(
                    id=c.id,
                    key=c.key,
                    position=c.position,
                    title=reader.text(c.title),
                    description=reader.text(c.description),
                    lesson_count=c.lesson_count,
                    lessons_completed=done.get(c.id, 0),
                )
                for c in categories.items
            ],
            next_cursor=categories.next_cursor,
        )
