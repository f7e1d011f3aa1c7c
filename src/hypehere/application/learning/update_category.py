"""Staff: `PATCH /admin/learning/categories/{id}` {position?, title?, description?} -> the
category document (its key, hence its id, never changes)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypehere.application.learning.admin_content import (
    AUDIT_CATEGORY,
    StaffContentCommand,
    StaffContentUseCase,
    check,
    parsed,
)
from hypehere.domain.learning.curriculum import category_document, parse_category


class UpdateCategoryCommand(StaffContentCommand, frozen=True, kw_only=True):
    category_id: str
    position: int | None = None
    title: dict[str, str] | None = None
    description: dict[str, str] | None = None


class UpdateCategory(StaffContentUseCase):
    async def execute(self, cmd: UpdateCategoryCommand) -> dict[str, Any]:
        self._staff(cmd)
        async with self._uow:
            old = await self._category(cmd.category_id)
            head = category_document(old)["category"]
            changed = []
            for name in ("position", "title", "description"):
                value = getattr(cmd, name)
                if value is not None and value != head[name]:
                    head[name] = value
                    changed.append(name)
            category = parsed(parse_category, {"category": head, "lessons": []})
            check([replace(category, lessons=())])
            if changed:
                await self._writer.upsert([category])
                await self._audit.record(
                    cmd.actor,
                    "learning_category_update",
                    AUDIT_CATEGORY,
                    category.id,
                    self._clock.now(),
                    detail=", ".join(changed),
                )
        return category_document(category)
