"""Staff: `POST /admin/learning/categories/{id}/lessons` (create: 409 `lesson_exists`) and
`PATCH /admin/learning/lessons/{id}` (replace: the lesson document's key must be the
lesson's) with a lesson document -> the lesson document as stored. Replacing deletes the
expressions the document no longer has."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypehere.application.learning.admin_content import (
    AUDIT_LESSON,
    StaffContentCommand,
    StaffContentUseCase,
    check,
    parsed,
)
from hypehere.domain.learning.curriculum import lesson_document, parse_lesson
from hypehere.domain.learning.errors import (
    CurriculumContentInvalidError,
    LessonExistsError,
    LessonNotFoundError,
)


class SaveLessonCommand(StaffContentCommand, frozen=True, kw_only=True):
    document: dict[str, Any]
    category_id: str | None = None  # create in this category
    lesson_id: str | None = None  # replace this lesson


class SaveLesson(StaffContentUseCase):
    async def execute(self, cmd: SaveLessonCommand) -> dict[str, Any]:
        self._staff(cmd)
        async with self._uow:
            previous = None
            if cmd.lesson_id is not None:
                previous = await self._reader.lesson(cmd.lesson_id)
                if previous is None:
                    raise LessonNotFoundError("The lesson was not found")
                category_id = previous.category_id
            else:
                category_id = cmd.category_id or ""
            category = await self._category(category_id)
            lesson = parsed(parse_lesson, cmd.document, category.key, source="document")
            if previous is not None and lesson.key != previous.key:
                raise CurriculumContentInvalidError(
                    f"The key is {previous.key!r}: a lesson's key never changes", field="key"
                )
            if previous is None and await self._reader.lesson(lesson.id) is not None:
                raise LessonExistsError(f"A lesson with key {lesson.key!r} exists")
            check([replace(category, lessons=(lesson,))])
            await self._writer.upsert([replace(category, lessons=(lesson,))])
            removed = await self._writer.remove_expressions_except(
                lesson.id, [e.key for e in lesson.expressions]
            )
            verb = "create" if previous is None else "update"
            await self._audit.record(
                cmd.actor,
                f"learning_lesson_{verb}",
                AUDIT_LESSON,
                lesson.id,
                self._clock.now(),
                detail=f"{lesson.key}: {len(lesson.expressions)} expressions"
                + (f", {removed} removed" if removed else ""),
            )
            languages = set(lesson.languages) | (previous.languages if previous else set())
            await self._lessons_changed([lesson], languages)
        return lesson_document(lesson)
