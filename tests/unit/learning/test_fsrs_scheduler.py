"""FSRS scheduling (the `fsrs` package behind the ReviewScheduler port): properties over
generated review histories."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import fsrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hypehere.adapters.fsrs.scheduler import FsrsScheduler
from hypehere.domain.learning.reviews import CardState, Grade, Schedule

pytestmark = pytest.mark.unit

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
MAX_INTERVAL = timedelta(days=36500)
SCHEDULER = FsrsScheduler()
GRADES = st.sampled_from(list(Grade))
RETENTIONS = st.floats(min_value=0.70, max_value=0.97)
# How late (or early) after its due time a card is reviewed.
DELAYS = st.integers(min_value=-3600, max_value=30 * 86400).map(lambda s: timedelta(seconds=s))


def _review_on_time(
    schedule: Schedule, grade: Grade, retention: float
) -> tuple[Schedule, datetime]:
    now = max(schedule.due_at, schedule.last_review_at or schedule.due_at)
    return SCHEDULER.review(schedule, grade, now, desired_retention=retention), now


@given(history=st.lists(st.tuples(GRADES, DELAYS), max_size=25), retention=RETENTIONS)
def test_due_is_never_in_the_past_after_a_review(
    history: list[tuple[Grade, timedelta]], retention: float
) -> None:
    schedule = Schedule.new(T0)
    now = T0
    for grade, delay in history:
        now = max(now, schedule.due_at + delay)
        schedule = SCHEDULER.review(schedule, grade, now, desired_retention=retention)
        assert schedule.due_at > now
        assert schedule.last_review_at == now


@given(prefix=st.lists(GRADES, max_size=8), retention=RETENTIONS)
def test_intervals_grow_with_good_answers(prefix: list[Grade], retention: float) -> None:
    schedule, now = Schedule.new(T0), T0
    for grade in prefix:
        schedule, now = _review_on_time(schedule, grade, retention)
    intervals, stabilities, states = [], [], []
    for _ in range(30):
        schedule, now = _review_on_time(schedule, Grade.GOOD, retention)
        intervals.append(schedule.due_at - now)
        stabilities.append(schedule.stability)
        states.append(schedule.state)
    assert schedule.state is CardState.REVIEW
    # Intervals never shrink with good answers (they are whole days: a memory made weak by
    # many lapses gets 1 day for a dozen answers at 0.97) and end longer than they began in
    # review; the memory's stability grows with every good answer in review.
    assert all(b >= a for a, b in itertools.pairwise(intervals))
    review = [
        (i, st)
        for i, st, state in zip(intervals, stabilities, states, strict=True)
        if state is CardState.REVIEW
    ]
    assert review[-1][0] > review[0][0] or review[0][0] == MAX_INTERVAL
    assert all(
        b[1] is not None and a[1] is not None and b[1] > a[1] for a, b in itertools.pairwise(review)
    )


@given(goods=st.integers(min_value=2, max_value=8), retention=RETENTIONS)
def test_again_shrinks_the_interval(goods: int, retention: float) -> None:
    schedule, now = Schedule.new(T0), T0
    for _ in range(goods):
        schedule, now = _review_on_time(schedule, Grade.GOOD, retention)
    before = schedule.due_at - now
    assert schedule.state is CardState.REVIEW
    lapsed, then = _review_on_time(schedule, Grade.AGAIN, retention)
    assert lapsed.state is CardState.RELEARNING
    assert lapsed.due_at - then < before
    assert lapsed.stability is not None and schedule.stability is not None
    assert lapsed.stability < schedule.stability


def test_higher_retention_reviews_sooner() -> None:
    def interval(retention: float) -> timedelta:
        schedule, now = Schedule.new(T0), T0
        for _ in range(4):
            schedule, now = _review_on_time(schedule, Grade.GOOD, retention)
        return schedule.due_at - now

    assert interval(0.97) < interval(0.9) < interval(0.7)


@given(history=st.lists(st.tuples(GRADES, DELAYS), max_size=15), retention=RETENTIONS)
def test_the_adapter_equals_the_package(
    history: list[tuple[Grade, timedelta]], retention: float
) -> None:
    """Our state round trip (domain Schedule <-> fsrs.Card) loses nothing: the same history
    through `fsrs.Scheduler` directly gives the same card."""
    reference = fsrs.Scheduler(desired_retention=round(retention, 4), enable_fuzzing=False)
    card = fsrs.Card(due=T0)
    schedule, now = Schedule.new(T0), T0
    ratings = {
        Grade.AGAIN: fsrs.Rating.Again,
        Grade.HARD: fsrs.Rating.Hard,
        Grade.GOOD: fsrs.Rating.Good,
        Grade.EASY: fsrs.Rating.Easy,
    }
    for grade, delay in history:
        now = max(now, schedule.due_at + delay)
        schedule = SCHEDULER.review(schedule, grade, now, desired_retention=retention)
        card, _ = reference.review_card(card, ratings[grade], review_datetime=now)
        assert (schedule.due_at, schedule.stability, schedule.difficulty, schedule.step) == (
            card.due,
            card.stability,
            card.difficulty,
            card.step,
        )
