"""`/learning`: situation categories, their lessons, and one lesson for me."""

from __future__ import annotations

from typing import Any

from dishka import FromDishka
from dishka.integrations.litestar import inject
from litestar import Controller, Request, get

from hypehere.application.common.actor import Actor
from hypehere.application.learning.get_lesson import GetLesson, GetLessonCommand
from hypehere.application.learning.list_categories import (
    ListCategories,
    ListCategoriesCommand,
)
from hypehere.application.learning.list_lessons import ListLessons, ListLessonsCommand
from hypehere.entrypoints.http.errors import request_language
from hypehere.entrypoints.http.learning.schemas import (
    CategoryOut,
    CategoryPageOut,
    LessonOut,
    LessonPageOut,
    LessonSummaryOut,
)


class LearningController(Controller):
    path = "/learning"
    tags = ["learning"]

    @get("/categories")
    @inject
    async def list_categories(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        uc: FromDishka[ListCategories],
        limit: int | None = None,
        cursor: str | None = None,
    ) -> CategoryPageOut:
        result = await uc.execute(
            ListCategoriesCommand(
                actor=actor,
                fallback_language=request_language(request),
                limit=limit,
                cursor=cursor,
            )
        )
        return CategoryPageOut(
            items=[CategoryOut.of(c) for c in result.items], next_cursor=result.next_cursor
        )

    @get("/categories/{category_id:str}/lessons")
    @inject
    async def list_lessons(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        category_id: str,
        uc: FromDishka[ListLessons],
        limit: int | None = None,
        cursor: str | None = None,
    ) -> LessonPageOut:
        result = await uc.execute(
            ListLessonsCommand(
                actor=actor,
                category_id=category_id,
                fallback_language=request_language(request),
                limit=limit,
                cursor=cursor,
            )
        )
        return LessonPageOut(
            items=[LessonSummaryOut.of(x) for x in result.items], next_cursor=result.next_cursor
        )

    @get("/lessons/{lesson_id:str}")
    @inject
    async def get_lesson(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        lesson_id: str,
        uc: FromDishka[GetLesson],
        target_language: str | None = None,
    ) -> LessonOut:
        result = await uc.execute(
            GetLessonCommand(
                actor=actor,
                lesson_id=lesson_id,
                fallback_language=request_language(request),
                target_language=target_language,
            )
        )
        return LessonOut.of(result)
