"""Staff: `DELETE /admin/learning/categories/{id}` -> 204; 409 `category_not_empty` while
it has lessons (delete them first: that deletes learners' progress, so one at a time)."""

from __future__ import annotations

from hypehere.application.learning.admin_content import (
    AUDIT_CATEGORY,
    StaffContentCommand,
    StaffContentUseCase,
)
from hypehere.domain.learning.errors import CategoryNotEmptyError


class DeleteCategoryCommand(StaffContentCommand, frozen=True, kw_only=True):
    category_id: str


class DeleteCategory(StaffContentUseCase):
    async def execute(self, cmd: DeleteCategoryCommand) -> None:
        self._staff(cmd)
        async with self._uow:
            category = await self._category(cmd.category_id)
            summary = await self._reader.category(cmd.category_id)
            if summary is not None and summary.lesson_count:
                raise CategoryNotEmptyError("Delete the category's lessons first")
            await self._writer.delete_category(cmd.category_id)
            await self._audit.record(
                cmd.actor,
                "learning_category_delete",
                AUDIT_CATEGORY,
                cmd.category_id,
                self._clock.now(),
                detail=category.key,
            )
