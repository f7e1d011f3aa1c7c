"""`/learning`: situation categories, their lessons, one lesson for me, my progress and
stats, and my reviews."""

from __future__ import annotations

from typing import Any

from dishka import FromDishka
from dishka.integrations.litestar import inject
from litestar import Controller, Request, get, post

from hypehere.application.common.actor import Actor
from hypehere.application.learning.get_error_profile import (
    ErrorProfile,
    GetErrorProfile,
    GetErrorProfileCommand,
)
from hypehere.application.learning.get_lesson import GetLesson, GetLessonCommand, LessonView
from hypehere.application.learning.get_stats import GetStats, GetStatsCommand, StatsResult
from hypehere.application.learning.list_categories import (
    ListCategories,
    ListCategoriesCommand,
    ListCategoriesResult,
)
from hypehere.application.learning.list_due_reviews import (
    CardView,
    ListDueReviews,
    ListDueReviewsCommand,
    ListDueReviewsResult,
)
from hypehere.application.learning.list_lessons import (
    ListLessons,
    ListLessonsCommand,
    ListLessonsResult,
)
from hypehere.application.learning.record_progress import (
    RecordProgress,
    RecordProgressCommand,
)
from hypehere.application.learning.submit_review import SubmitReview, SubmitReviewCommand
from hypehere.entrypoints.http.errors import request_language
from hypehere.entrypoints.http.learning.schemas import LessonProgressOut, ProgressIn, ReviewIn


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
    ) -> ListCategoriesResult:
        return await uc.execute(
            ListCategoriesCommand(
                actor=actor,
                fallback_language=request_language(request),
                limit=limit,
                cursor=cursor,
            )
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
    ) -> ListLessonsResult:
        return await uc.execute(
            ListLessonsCommand(
                actor=actor,
                category_id=category_id,
                fallback_language=request_language(request),
                limit=limit,
                cursor=cursor,
            )
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
    ) -> LessonView:
        return await uc.execute(
            GetLessonCommand(
                actor=actor,
                lesson_id=lesson_id,
                fallback_language=request_language(request),
                target_language=target_language,
            )
        )

    @post("/lessons/{lesson_id:str}/progress", status_code=200)
    @inject
    async def record_progress(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        lesson_id: str,
        data: ProgressIn,
        uc: FromDishka[RecordProgress],
    ) -> LessonProgressOut:
        result = await uc.execute(
            RecordProgressCommand(
                actor=actor,
                lesson_id=lesson_id,
                completed=data.completed,
                score=data.score,
                seconds_spent=data.seconds_spent,
                target_language=data.target_language,
                fallback_language=request_language(request),
            )
        )
        return LessonProgressOut.of(result)

    @get("/stats")
    @inject
    async def stats(self, actor: Actor, uc: FromDishka[GetStats]) -> StatsResult:
        return await uc.execute(GetStatsCommand(actor=actor))

    @get("/reviews/due")
    @inject
    async def due_reviews(
        self,
        actor: Actor,
        uc: FromDishka[ListDueReviews],
        limit: int | None = None,
        cursor: str | None = None,
    ) -> ListDueReviewsResult:
        return await uc.execute(ListDueReviewsCommand(actor=actor, limit=limit, cursor=cursor))

    @post("/reviews", status_code=200)
    @inject
    async def review(self, actor: Actor, data: ReviewIn, uc: FromDishka[SubmitReview]) -> CardView:
        return await uc.execute(
            SubmitReviewCommand(actor=actor, card_id=data.card_id, grade=data.grade)
        )

    @get("/errors")
    @inject
    async def errors(
        self, actor: Actor, uc: FromDishka[GetErrorProfile], language: str | None = None
    ) -> ErrorProfile:
        return await uc.execute(GetErrorProfileCommand(actor=actor, language=language))
