"""`GET /learning/reviews/due`: my cards due now, the most overdue first."""

from __future__ import annotations

from datetime import datetime

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.learning.ports import ReviewCardRepository
from hypehere.domain.learning.reviews import ReviewCard
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.pagination import InvalidCursorError, PageRequest, encode_cursor

CURSOR_ARITY = 2  # (due_at ISO string, id)


class ListDueReviewsCommand(msgspec.Struct, frozen=True):
    actor: Actor
    limit: int | None = None
    cursor: str | None = None


class CardView(msgspec.Struct, frozen=True):
    id: str
    source: str
    front: str
    back: str
    language: str
    due_at: datetime
    state: str

    @classmethod
    def of(cls, card: ReviewCard) -> CardView:
        return cls(
            id=card.id,
            source=card.source.value,
            front=card.front,
            back=card.back,
            language=card.language,
            due_at=card.schedule.due_at,
            state=card.schedule.state.value,
        )


class ListDueReviewsResult(msgspec.Struct, frozen=True):
    items: list[CardView]
    next_cursor: str | None


def _after(page: PageRequest) -> tuple[datetime, str] | None:
    if page.cursor is None:
        return None
    due, id_ = page.cursor
    try:
        return datetime.fromisoformat(str(due)), str(id_)
    except ValueError as exc:
        raise InvalidCursorError("The cursor is not valid") from exc


class ListDueReviews:
    def __init__(self, cards: ReviewCardRepository, clock: Clock) -> None:
        self._cards = cards
        self._clock = clock

    async def execute(self, cmd: ListDueReviewsCommand) -> ListDueReviewsResult:
        page = PageRequest.of(cmd.limit, cmd.cursor, arity=CURSOR_ARITY)
        after = _after(page)
        if after is not None and after[0].tzinfo is None:
            raise InvalidCursorError("The cursor is not valid")
        rows = await self._cards.due(
            cmd.actor.user_id, self._clock.now(), limit=page.limit + 1, after=after
        )
        items = rows[: page.limit]
        next_cursor = (
            encode_cursor((items[-1].schedule.due_at.isoformat(), items[-1].id))
            if len(rows) > page.limit
            else None
        )
        return ListDueReviewsResult(items=[CardView.of(c) for c in items], next_cursor=next_cursor)
