"""Staff: `POST /admin/learning/categories` a category document (with its lessons, or none
yet) -> 201 the document as stored."""

from __future__ import annotations

from typing import Any

from hypehere.application.learning.admin_content import (
    AUDIT_CATEGORY,
    StaffContentCommand,
    StaffContentUseCase,
    check,
    parsed,
)
from hypehere.domain.learning.curriculum import category_document, parse_category
from hypehere.domain.learning.errors import CategoryExistsError, LessonExistsError


class CreateCategoryCommand(StaffContentCommand, frozen=True, kw_only=True):
    document: dict[str, Any]


class CreateCategory(StaffContentUseCase):
    async def execute(self, cmd: CreateCategoryCommand) -> dict[str, Any]:
        self._staff(cmd)
        category = parsed(parse_category, cmd.document, source="document")
        check([category])
        async with self._uow:
            if await self._reader.category(category.id) is not None:
                raise CategoryExistsError(f"A category with key {category.key!r} exists")
            for lesson in category.lessons:
                if await self._reader.lesson(lesson.id) is not None:
                    raise LessonExistsError(f"A lesson with key {lesson.key!r} exists")
            await self._writer.upsert([category])
            await self._audit.record(
                cmd.actor,
                "learning_category_create",
                AUDIT_CATEGORY,
                category.id,
                self._clock.now(),
                detail=f"{category.key}: {len(category.lessons)} lessons",
            )
            if category.lessons:
                languages = {x for lesson in category.lessons for x in lesson.languages}
                await self._lessons_changed(category.lessons, languages)
        return category_document(category)
