"""Staff: `GET /admin/learning/categories/{id}` -> the category document with every lesson
and expression in every language (what `POST`/`PATCH` take back)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypehere.application.learning.admin_content import StaffContentCommand, StaffContentUseCase
from hypehere.domain.learning.curriculum import category_document
from hypehere.domain.shared.pagination import PageRequest

_PAGE = 100


class GetCategoryDocumentCommand(StaffContentCommand, frozen=True, kw_only=True):
    category_id: str


class GetCategoryDocument(StaffContentUseCase):
    async def execute(self, cmd: GetCategoryDocumentCommand) -> dict[str, Any]:
        self._staff(cmd)
        async with self._uow:
            category = await self._category(cmd.category_id)
            lessons = []
            cursor: str | None = None
            while True:
                page = await self._reader.lessons(
                    cmd.category_id, PageRequest.of(_PAGE, cursor, arity=2)
                )
                for summary in page.items:
                    lesson = await self._reader.lesson(summary.id)
                    if lesson is not None:
                        lessons.append(lesson)
                if page.next_cursor is None:
                    break
                cursor = page.next_cursor
        return category_document(replace(category, lessons=tuple(lessons)))
