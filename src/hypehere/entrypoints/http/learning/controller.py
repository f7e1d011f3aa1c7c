"""`/learning`: situation categories, their lessons, one lesson for me, my progress and
stats, and my reviews."""

from __future__ import annotations

from typing import Any

from dishka import FromDishka
from dishka.integrations.litestar import inject
from litestar import Controller, Request, get, post

from hypehere.application.common.actor import Actor
from hypehere.application.learning.get_error_profile import (
    GetErrorProfile,
    GetErrorProfileCommand,
)
from hypehere.application.learning.get_lesson import GetLesson, GetLessonCommand
from hypehere.application.learning.get_stats import GetStats, GetStatsCommand
from hypehere.application.learning.list_categories import (
    ListCategories,
    ListCategoriesCommand,
)
from hypehere.application.learning.list_due_reviews import (
    ListDueReviews,
    ListDueReviewsCommand,
)
from hypehere.application.learning.list_lessons import ListLessons, ListLessonsCommand
from hypehere.application.learning.record_progress import (
    RecordProgress,
    RecordProgressCommand,
)
from hypehere.application.learning.submit_review import SubmitReview, SubmitReviewCommand
from hypehere.entrypoints.http.errors import request_language
from hypehere.entrypoints.http.learning.correction_schemas import ErrorProfileOut
from hypehere.entrypoints.http.learning.schemas import (
    CardOut,
    CardPageOut,
    CategoryOut,
    CategoryPageOut,
    LessonOut,
    LessonPageOut,
    LessonProgressOut,
    LessonSummaryOut,
    ProgressIn,
    ReviewIn,
    StatsOut,
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
        p = result.progress
        return LessonProgressOut(
            lesson_id=result.lesson_id,
            status=p.status,
            score=p.score,
            seconds_spent=p.seconds_spent,
            started_at=p.started_at,
            completed_at=p.completed_at,
            cards_created=result.cards_created,
        )

    @get("/stats")
    @inject
    async def stats(self, actor: Actor, uc: FromDishka[GetStats]) -> StatsOut:
        return StatsOut.of(await uc.execute(GetStatsCommand(actor=actor)))

    @get("/reviews/due")
    @inject
    async def due_reviews(
        self,
        actor: Actor,
        uc: FromDishka[ListDueReviews],
        limit: int | None = None,
        cursor: str | None = None,
    ) -> CardPageOut:
        result = await uc.execute(ListDueReviewsCommand(actor=actor, limit=limit, cursor=cursor))
        return CardPageOut(
            items=[CardOut.of(c) for c in result.items], next_cursor=result.next_cursor
        )

    @post("/reviews", status_code=200)
    @inject
    async def review(self, actor: Actor, data: ReviewIn, uc: FromDishka[SubmitReview]) -> CardOut:
        card = await uc.execute(
            SubmitReviewCommand(actor=actor, card_id=data.card_id, grade=data.grade)
        )
        return CardOut.of(card)

    @get("/errors")
    @inject
    async def errors(
        self, actor: Actor, uc: FromDishka[GetErrorProfile], language: str | None = None
    ) -> ErrorProfileOut:
        return ErrorProfileOut.of(
            await uc.execute(GetErrorProfileCommand(actor=actor, language=language))
        )
