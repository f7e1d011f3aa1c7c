"""`/admin/learning/...` (staff: moderator or admin): lesson content management.

Content is written in the curriculum file format (see `application/learning/admin_content.py`):
- `GET /admin/learning/categories/{id}`: the category document, every lesson and expression
  in every language;
- `POST /admin/learning/categories` a category document (lessons optional) -> 201;
- `PATCH /admin/learning/categories/{id}` {position?, title?, description?};
- `DELETE /admin/learning/categories/{id}` -> 204 (409 `category_not_empty`);
- `POST /admin/learning/categories/{id}/lessons` a lesson document -> 201;
- `PATCH /admin/learning/lessons/{id}` a lesson document (same key) replaces the lesson
  and its expressions (expressions are edited through their lesson);
- `DELETE /admin/learning/lessons/{id}` -> 204 (learners' progress in it goes too).
Content breaking the curriculum rules is 422 `curriculum_invalid`; every change is in
`/admin/audit-log` (target_type category | lesson)."""

from __future__ import annotations

from typing import Any

import msgspec
from dishka import FromDishka
from dishka.integrations.litestar import inject
from litestar import Controller, delete, get, patch, post
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from hypehere.application.common.actor import Actor
from hypehere.application.learning.create_category import CreateCategory, CreateCategoryCommand
from hypehere.application.learning.delete_category import DeleteCategory, DeleteCategoryCommand
from hypehere.application.learning.delete_lesson import DeleteLesson, DeleteLessonCommand
from hypehere.application.learning.get_category_document import (
    GetCategoryDocument,
    GetCategoryDocumentCommand,
)
from hypehere.application.learning.save_lesson import SaveLesson, SaveLessonCommand
from hypehere.application.learning.update_category import UpdateCategory, UpdateCategoryCommand

Document = dict[str, Any]


class CategoryPatchIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    position: int | None = None
    title: dict[str, str] | None = None
    description: dict[str, str] | None = None


class AdminLearningController(Controller):
    path = "/admin/learning"
    tags = ["admin"]

    @get("/categories/{category_id:str}")
    @inject
    async def get_category(
        self, category_id: str, actor: Actor, uc: FromDishka[GetCategoryDocument]
    ) -> Document:
        """The category document: every lesson and expression in every language."""
        return await uc.execute(GetCategoryDocumentCommand(actor=actor, category_id=category_id))

    @post("/categories", status_code=HTTP_201_CREATED)
    @inject
    async def create_category(
        self, actor: Actor, data: Document, uc: FromDishka[CreateCategory]
    ) -> Document:
        """A category document {category: {key, position, title, description}, lessons}."""
        return await uc.execute(CreateCategoryCommand(actor=actor, document=data))

    @patch("/categories/{category_id:str}", status_code=HTTP_200_OK)
    @inject
    async def update_category(
        self,
        category_id: str,
        actor: Actor,
        data: CategoryPatchIn,
        uc: FromDishka[UpdateCategory],
    ) -> Document:
        """Change the position, title or description (texts in every language)."""
        return await uc.execute(
            UpdateCategoryCommand(
                actor=actor,
                category_id=category_id,
                position=data.position,
                title=data.title,
                description=data.description,
            )
        )

    @delete("/categories/{category_id:str}", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def delete_category(
        self, category_id: str, actor: Actor, uc: FromDishka[DeleteCategory]
    ) -> None:
        """Delete an empty category (409 `category_not_empty` while it has lessons)."""
        await uc.execute(DeleteCategoryCommand(actor=actor, category_id=category_id))

    @post("/categories/{category_id:str}/lessons", status_code=HTTP_201_CREATED)
    @inject
    async def create_lesson(
        self, category_id: str, actor: Actor, data: Document, uc: FromDishka[SaveLesson]
    ) -> Document:
        """A lesson document {key, position, level, title, description, expressions}."""
        return await uc.execute(
            SaveLessonCommand(actor=actor, category_id=category_id, document=data)
        )

    @patch("/lessons/{lesson_id:str}", status_code=HTTP_200_OK)
    @inject
    async def replace_lesson(
        self, lesson_id: str, actor: Actor, data: Document, uc: FromDishka[SaveLesson]
    ) -> Document:
        """Replace the lesson and its expressions with this lesson document (same key)."""
        return await uc.execute(SaveLessonCommand(actor=actor, lesson_id=lesson_id, document=data))

    @delete("/lessons/{lesson_id:str}", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def delete_lesson(
        self, lesson_id: str, actor: Actor, uc: FromDishka[DeleteLesson]
    ) -> None:
        """Delete the lesson, its expressions and learners' progress in it."""
        await uc.execute(DeleteLessonCommand(actor=actor, lesson_id=lesson_id))
