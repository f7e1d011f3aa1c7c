"""Learners' progress per lesson (SQL)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.learning.tables import activity_days_t, lessons_t, progress_t
from hypehere.application.learning.ports import ProgressTotals
from hypehere.domain.learning.model import LessonProgress
from hypehere.domain.shared.clock import ensure_utc


def _insert(session: AsyncSession, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def _to_domain(row: Any) -> LessonProgress:
    return LessonProgress(
        user_id=row.user_id,
        lesson_id=row.lesson_id,
        started_at=ensure_utc(row.started_at),
        updated_at=ensure_utc(row.updated_at),
        score=row.score,
        seconds_spent=row.seconds_spent,
        completed_at=ensure_utc(row.completed_at) if row.completed_at else None,
    )


class SqlProgressRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def progress_of(
        self, user_id: str, lesson_ids: Sequence[str]
    ) -> dict[str, LessonProgress]:
        if not lesson_ids:
            return {}
        async with translate_errors():
            rows = (
                await self._session.execute(
                    select(progress_t).where(
                        progress_t.c.user_id == user_id,
                        progress_t.c.lesson_id.in_(list(lesson_ids)),
                    )
                )
            ).all()
        return {row.lesson_id: _to_domain(row) for row in rows}

    async def completed_per_category(
        self, user_id: str, category_ids: Sequence[str]
    ) -> dict[str, int]:
        counts = dict.fromkeys(category_ids, 0)
        if not category_ids:
            return counts
        async with translate_errors():
            rows = (
                await self._session.execute(
                    select(lessons_t.c.category_id, func.count())
                    .join(progress_t, progress_t.c.lesson_id == lessons_t.c.id)
                    .where(
                        progress_t.c.user_id == user_id,
                        progress_t.c.completed_at.is_not(None),
                        lessons_t.c.category_id.in_(list(category_ids)),
                    )
                    .group_by(lessons_t.c.category_id)
                )
            ).all()
        counts.update({category_id: int(count) for category_id, count in rows})
        return counts

    async def save(self, progress: LessonProgress) -> None:
        dialect = self._session.get_bind().dialect.name
        values = {
            "user_id": progress.user_id,
            "lesson_id": progress.lesson_id,
            "score": progress.score,
            "seconds_spent": progress.seconds_spent,
            "started_at": progress.started_at,
            "updated_at": progress.updated_at,
            "completed_at": progress.completed_at,
        }
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(progress_t)
        statement = insert.values(values)
        statement = statement.on_conflict_do_update(
            index_elements=[progress_t.c.user_id, progress_t.c.lesson_id],
            set_={k: statement.excluded[k] for k in values if k not in ("user_id", "lesson_id")},
        )
        async with translate_errors():
            await self._session.execute(statement)

    async def totals(self, user_id: str) -> ProgressTotals:
        completed = progress_t.c.completed_at.is_not(None)
        statement = (
            select(
                func.count(lessons_t.c.id).filter(completed),
                func.coalesce(func.sum(lessons_t.c.expression_count).filter(completed), 0),
                func.coalesce(func.sum(progress_t.c.seconds_spent), 0),
            )
            .select_from(progress_t)
            .join(lessons_t, lessons_t.c.id == progress_t.c.lesson_id)
            .where(progress_t.c.user_id == user_id)
        )
        async with translate_errors():
            lessons, expressions, seconds = (await self._session.execute(statement)).one()
        return ProgressTotals(
            lessons_completed=int(lessons),
            expressions_learned=int(expressions),
            seconds_spent=int(seconds),
        )


class SqlActivityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def mark_day(self, user_id: str, day: date) -> None:
        statement = (
            _insert(self._session, activity_days_t)
            .values(user_id=user_id, day=day)
            .on_conflict_do_nothing(index_elements=["user_id", "day"])
        )
        async with translate_errors():
            await self._session.execute(statement)

    async def days(self, user_id: str) -> list[date]:
        async with translate_errors():
            rows = await self._session.execute(
                select(activity_days_t.c.day)
                .where(activity_days_t.c.user_id == user_id)
                .order_by(activity_days_t.c.day)
            )
        return list(rows.scalars())
