"""`GET /learning/categories`: the situations, each with how far I got."""

from __future__ import annotations

import msgspec

from hypehere.application.learning.content import (
    CURSOR_ARITY,
    ContentUseCase,
    ReadContentPage,
)
from hypehere.domain.shared.pagination import PageRequest


class ListCategoriesCommand(ReadContentPage, frozen=True, kw_only=True):
    pass


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


class ListCategories(ContentUseCase):
    async def execute(self, cmd: ListCategoriesCommand) -> ListCategoriesResult:
        page = PageRequest.of(cmd.limit, cmd.cursor, arity=CURSOR_ARITY)
        categories = await self._curriculum.categories(page)
        _, reader = await self._learner(cmd)
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
