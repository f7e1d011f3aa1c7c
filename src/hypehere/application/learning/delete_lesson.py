"""Staff: `DELETE /admin/learning/lessons/{id}` -> 204. The lesson, its expressions and
learners' progress in it go; review cards made from it stay (they hold their own text)."""

from __future__ import annotations

from hypehere.application.learning.admin_content import (
    AUDIT_LESSON,
    StaffContentCommand,
    StaffContentUseCase,
)
from hypehere.domain.learning.errors import LessonNotFoundError


class DeleteLessonCommand(StaffContentCommand, frozen=True, kw_only=True):
    lesson_id: str


class DeleteLesson(StaffContentUseCase):
    async def execute(self, cmd: DeleteLessonCommand) -> None:
        self._staff(cmd)
        async with self._uow:
            lesson = await self._reader.lesson(cmd.lesson_id)
            if lesson is None:
                raise LessonNotFoundError("The lesson was not found")
            await self._writer.delete_lesson(lesson.id)
            await self._audit.record(
                cmd.actor,
                "learning_lesson_delete",
                AUDIT_LESSON,
                lesson.id,
                self._clock.now(),
                detail=lesson.key,
            )
            await self._lessons_changed([lesson], set(lesson.languages))
