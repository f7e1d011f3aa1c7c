"""Review cards and their FSRS schedules (SQL)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.learning.tables import review_cards_t
from hypehere.domain.learning.reviews import CardSource, CardState, ReviewCard, Schedule
from hypehere.domain.shared.clock import ensure_utc


def _schedule_columns(schedule: Schedule) -> dict[str, Any]:
    return {
        "state": schedule.state.value,
        "due_at": schedule.due_at,
        "step": schedule.step,
        "stability": schedule.stability,
        "difficulty": schedule.difficulty,
        "last_review_at": schedule.last_review_at,
    }


def _to_domain(row: Any) -> ReviewCard:
    return ReviewCard(
        id=row.id,
        user_id=row.user_id,
        source=CardSource(row.source),
        source_id=row.source_id,
        front=row.front,
        back=row.back,
        language=row.language,
        schedule=Schedule(
            state=CardState(row.state),
            due_at=ensure_utc(row.due_at),
            step=row.step,
            stability=row.stability,
            difficulty=row.difficulty,
            last_review_at=ensure_utc(row.last_review_at) if row.last_review_at else None,
        ),
        created_at=ensure_utc(row.created_at),
        reps=row.reps,
        lapses=row.lapses,
    )


class SqlReviewCardRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_many(self, cards: Sequence[ReviewCard]) -> int:
        if not cards:
            return 0
        dialect = self._session.get_bind().dialect.name
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(review_cards_t)
        statement = (
            insert.values(
                [
                    {
                        "id": c.id,
                        "user_id": c.user_id,
                        "source": c.source.value,
                        "source_id": c.source_id,
                        "front": c.front,
                        "back": c.back,
                        "language": c.language,
                        **_schedule_columns(c.schedule),
                        "reps": c.reps,
                        "lapses": c.lapses,
                        "created_at": c.created_at,
                    }
                    for c in cards
                ]
            )
            .on_conflict_do_nothing(index_elements=["user_id", "source", "source_id"])
            .returning(review_cards_t.c.id)
        )
        async with translate_errors():
            return len((await self._session.execute(statement)).all())

    async def get(self, card_id: str) -> ReviewCard | None:
        async with translate_errors():
            row = (
                await self._session.execute(
                    select(review_cards_t).where(review_cards_t.c.id == card_id)
                )
            ).first()
        return _to_domain(row) if row else None

    async def save(self, card: ReviewCard) -> None:
        async with translate_errors():
            await self._session.execute(
                update(review_cards_t)
                .where(review_cards_t.c.id == card.id)
                .values(**_schedule_columns(card.schedule), reps=card.reps, lapses=card.lapses)
            )

    async def due(
        self, user_id: str, now: datetime, *, limit: int, after: tuple[datetime, str] | None
    ) -> list[ReviewCard]:
        c = review_cards_t.c
        statement = select(review_cards_t).where(c.user_id == user_id, c.due_at <= now)
        if after is not None:
            due, id_ = after
            statement = statement.where(or_(c.due_at > due, and_(c.due_at == due, c.id > id_)))
        statement = statement.order_by(c.due_at, c.id).limit(limit)
        async with translate_errors():
            rows = (await self._session.execute(statement)).all()
        return [_to_domain(r) for r in rows]

    async def count_due(self, user_id: str, now: datetime) -> int:
        c = review_cards_t.c
        async with translate_errors():
            count = (
                await self._session.execute(
                    select(func.count()).where(c.user_id == user_id, c.due_at <= now)
                )
            ).scalar_one()
        return int(count)
