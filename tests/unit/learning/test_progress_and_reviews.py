"""Progress, stats and reviews (use cases over fakes, with the real FSRS scheduler)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hypehere.application.common.actor import Actor
from hypehere.application.learning.get_stats import GetStats, GetStatsCommand
from hypehere.application.learning.list_due_reviews import ListDueReviews, ListDueReviewsCommand
from hypehere.application.learning.record_progress import RecordProgress, RecordProgressCommand
from hypehere.application.learning.submit_review import SubmitReview, SubmitReviewCommand
from hypehere.domain.learning.errors import (
    InvalidProgressError,
    LessonLanguageUnavailableError,
    LessonNotFoundError,
    ReviewCardNotFoundError,
)
from hypehere.domain.learning.model import content_id
from hypehere.domain.shared.errors import InvalidInputError
from tests.unit.learning.fakes import World, world

pytestmark = pytest.mark.unit

TICKETS = content_id("lesson", "fixture-station-tickets")
ORDER = content_id("lesson", "fixture-cafe-order")
ME = Actor(user_id="u-ko")


def record(w: World) -> RecordProgress:
    return RecordProgress(
        w.uow, w.curriculum, w.progress, w.learners, w.activity, w.cards, w.outbox, w.clock
    )


def stats(w: World) -> GetStats:
    return GetStats(w.progress, w.activity, w.learners, w.cards, w.clock)


def session(lesson_id: str = TICKETS, **kw: object) -> RecordProgressCommand:
    values: dict[str, object] = {
        "actor": ME,
        "lesson_id": lesson_id,
        "completed": True,
        "score": 80,
        "seconds_spent": 120,
        "fallback_language": "en",
    }
    values.update(kw)
    return RecordProgressCommand(**values)  # type: ignore[arg-type]


async def test_sessions_keep_the_best_score_add_time_and_complete_once() -> None:
    w = await world()
    w.learner("u-ko", "ko", "ja")
    first = await record(w).execute(session(completed=False, score=60, seconds_spent=100))
    assert (first.progress.status, first.progress.score, first.cards_created) == (
        "started",
        60,
        0,
    )
    assert w.activity.marked == {}  # not completed: not a streak day
    w.clock.advance(minutes=10)
    done = await record(w).execute(session(score=90, seconds_spent=200))
    assert (done.progress.status, done.progress.score, done.progress.seconds_spent) == (
        "completed",
        90,
        300,
    )
    assert done.progress.completed_at == w.clock.now()
    assert done.cards_created == 2
    cards = sorted(w.cards.cards.values(), key=lambda c: c.source_id)
    by_expression = {c.source_id: c for c in cards}
    card = by_expression[content_id("expression", "fixture-station-tickets-1")]
    assert (card.front, card.back, card.language, card.source.value) == (
        "부산행 표 한 장 주세요.",
        "釜山行きの切符を一枚ください。",
        "ja",
        "expression",
    )
    assert card.schedule.due_at == w.clock.now()
    again = await record(w).execute(session(score=70, seconds_spent=30))
    assert (again.progress.score, again.progress.seconds_spent, again.cards_created) == (
        90,
        330,
        0,
    )
    assert again.progress.completed_at == done.progress.completed_at
    assert len(w.cards.cards) == 2
    assert w.uow.commits == 3


async def test_bad_sessions_are_refused() -> None:
    w = await world()
    w.learner("u-ko", "ko", "ja")
    with pytest.raises(InvalidProgressError) as caught:
        await record(w).execute(session(score=101))
    assert caught.value.field == "score"
    with pytest.raises(InvalidProgressError):
        await record(w).execute(session(seconds_spent=-1))
    with pytest.raises(LessonNotFoundError):
        await record(w).execute(session(lesson_id="nope"))
    with pytest.raises(LessonLanguageUnavailableError):
        await record(w).execute(session(target_language="de"))
    assert w.progress.rows == {} and w.cards.cards == {}


async def test_stats_count_streak_days_in_my_time_zone() -> None:
    w = await world()
    w.learner("u-ko", "ko", "ja", timezone="Asia/Seoul")
    # 2026-03-01 23:30 in Seoul is 14:30 UTC; then 00:30 the next local day.
    w.clock.set(datetime(2026, 3, 1, 14, 30, tzinfo=UTC))
    await record(w).execute(session(seconds_spent=90))
    w.clock.set(datetime(2026, 3, 1, 15, 30, tzinfo=UTC))
    await record(w).execute(session(lesson_id=ORDER, seconds_spent=95))
    await record(w).execute(session(lesson_id=ORDER, seconds_spent=0))  # same local day
    result = await stats(w).execute(GetStatsCommand(actor=ME))
    assert (result.lessons_completed, result.expressions_learned, result.minutes) == (2, 3, 3)
    assert (result.current_streak, result.longest_streak, result.streak_freezes_left) == (2, 2, 1)
    assert result.reviews_due == 3
    # Two days later (local): one missed day, bridged by this week's freeze.
    w.clock.set(datetime(2026, 3, 3, 16, 0, tzinfo=UTC))  # 2026-03-04 01:00 in Seoul
    result = await stats(w).execute(GetStatsCommand(actor=ME))
    assert (result.current_streak, result.streak_freezes_left) == (2, 0)


async def test_reviews_due_then_graded() -> None:
    w = await world()
    w.learner("u-ko", "ko", "ja", retention=0.9)
    await record(w).execute(session())
    due = await ListDueReviews(w.cards, w.clock).execute(ListDueReviewsCommand(actor=ME, limit=1))
    (card,) = due.items
    assert (card.state, card.language, card.source) == ("learning", "ja", "expression")
    assert due.next_cursor is not None
    rest = await ListDueReviews(w.cards, w.clock).execute(
        ListDueReviewsCommand(actor=ME, cursor=due.next_cursor)
    )
    assert len(rest.items) == 1 and rest.items[0].id != card.id
    submit = SubmitReview(w.uow, w.cards, w.scheduler, w.learners, w.activity, w.outbox, w.clock)
    w.clock.advance(days=1)
    graded = await submit.execute(SubmitReviewCommand(actor=ME, card_id=card.id, grade="good"))
    assert graded.due_at > w.clock.now()
    stored = w.cards.cards[card.id]
    assert stored.reps == 1 and stored.schedule.last_review_at == w.clock.now()
    remaining = await ListDueReviews(w.cards, w.clock).execute(ListDueReviewsCommand(actor=ME))
    assert [c.id for c in remaining.items] == [rest.items[0].id]
    # The review made today a streak day too.
    assert w.clock.now().date() in w.activity.marked["u-ko"]
    with pytest.raises(ReviewCardNotFoundError):
        await submit.execute(
            SubmitReviewCommand(actor=Actor(user_id="someone-else"), card_id=card.id, grade="good")
        )
    with pytest.raises(InvalidInputError):
        await submit.execute(SubmitReviewCommand(actor=ME, card_id=card.id, grade="perfect"))
    w.clock.advance(days=400)
    assert (await stats(w).execute(GetStatsCommand(actor=ME))).reviews_due == 2
    assert timedelta(0) < graded.due_at - (w.clock.now() - timedelta(days=400))
