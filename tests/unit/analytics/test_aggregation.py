"""Aggregation rules on in-memory adapters: percentiles, per-language-pair anonymous chat
figures, report time to decision, cohort retention (day 1/7/30) over a backfill, the
idempotent rerun, and the activity-log rows the outbox events map to."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hypehere.adapters.memory.analytics import (
    InMemoryActivityCounts,
    InMemoryActivityLog,
    InMemoryDailyStats,
    InMemoryVisitorCounter,
)
from hypehere.adapters.memory.clock import FixedClock
from hypehere.adapters.memory.uow import InMemoryUnitOfWork
from hypehere.application.analytics import handlers
from hypehere.application.analytics.backfill import Backfill, BackfillCommand
from hypehere.application.analytics.rollup_day import RollupDay, RollupDayCommand
from hypehere.application.common.outbox import OutboxMessage
from hypehere.domain.analytics.activity import (
    ActivityEvent,
    ActivityKind,
    Cohort,
    MatchingDay,
    matching_by_pair,
    median,
    percentile,
)
from hypehere.domain.analytics.model import InvalidDateRangeError
from hypehere.domain.matching.events import PartnersMatched
from hypehere.domain.moderation.events import ReportDecided
from hypehere.domain.shared.events import DomainEvent
from hypehere.domain.shared.ids import new_id

D = date(2026, 3, 1)


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def ev(kind: ActivityKind, when: datetime, user: str | None = None, **kw: object) -> ActivityEvent:
    return ActivityEvent(event_id=new_id(), kind=kind, occurred_at=when, user_id=user, **kw)  # type: ignore[arg-type]


def test_percentiles_interpolate_between_ranks() -> None:
    assert percentile([], 0.5) is None
    assert percentile([7.0], 0.9) == 7.0
    assert percentile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.5
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.9) == pytest.approx(3.7)
    assert median([60.0, 3600.0, 180.0]) == 180.0


@given(
    st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=30),
    st.floats(0, 1),
    st.floats(0, 1),
)
def test_a_percentile_lies_within_the_values_and_grows_with_q(
    values: list[float], q1: float, q2: float
) -> None:
    low, high = sorted((q1, q2))
    p_low, p_high = percentile(values, low), percentile(values, high)
    assert p_low is not None and p_high is not None
    assert min(values) <= p_low <= p_high <= max(values)


def test_anonymous_chat_figures_per_pair_use_both_waits() -> None:
    t = at(D)
    rows = matching_by_pair(
        D,
        [
            ev(ActivityKind.MATCH, t, language_pair="en-ko", seconds=1.0, seconds_other=3.0),
            ev(ActivityKind.MATCH, t, language_pair="en-ko", seconds=5.0, seconds_other=7.0),
            ev(ActivityKind.MATCH, t, language_pair="en-ja", seconds=2.0, seconds_other=2.0),
            ev(ActivityKind.ANONYMOUS_CHAT, t, language_pair="en-ko", seconds=60.0, flag=False),
            ev(ActivityKind.ANONYMOUS_CHAT, t, language_pair="en-ko", seconds=300.0, flag=True),
            ev(ActivityKind.ANONYMOUS_CHAT, t, language_pair="en-ko", seconds=120.0, flag=True),
        ],
    )
    assert rows == [
        MatchingDay(D, "en-ja", 1, 2.0, 2.0, 0, None, None, 0),
        MatchingDay(D, "en-ko", 2, 4.0, pytest.approx(6.4), 3, 120.0, pytest.approx(264.0), 2),
    ]


def _world(now: datetime) -> tuple[RollupDay, InMemoryActivityLog, InMemoryDailyStats]:
    log = InMemoryActivityLog()
    stats = InMemoryDailyStats()
    rollup = RollupDay(
        InMemoryUnitOfWork(),
        InMemoryVisitorCounter(),
        InMemoryActivityCounts(),
        log,
        stats,
        FixedClock(now),
    )
    return rollup, log, stats


async def test_retention_of_a_cohort_is_filled_by_the_rollups_1_7_and_30_days_later() -> None:
    rollup, log, stats = _world(at(D + timedelta(days=40)))
    for user in ("u1", "u2", "u3"):
        await log.record(ev(ActivityKind.SIGN_UP, at(D, 9), user))
    await log.record(ev(ActivityKind.POST, at(D + timedelta(days=1)), "u1"))
    await log.record(ev(ActivityKind.MESSAGE, at(D + timedelta(days=7)), "u1"))
    await log.record(ev(ActivityKind.REVIEW, at(D + timedelta(days=7)), "u2"))
    await log.record(ev(ActivityKind.LESSON, at(D + timedelta(days=8)), "u3"))  # day 8: not counted
    await log.record(ev(ActivityKind.SIGN_UP, at(D + timedelta(days=7)), "u9"))  # another cohort

    await rollup.execute(RollupDayCommand(day=D))
    assert stats.cohort_rows[D] == Cohort(D, 3)
    await rollup.execute(RollupDayCommand(day=D + timedelta(days=1)))
    assert stats.cohort_rows[D] == Cohort(D, 3, day1=1)

    backfill = Backfill(rollup)
    done = await backfill.execute(BackfillCommand(start=D, end=D + timedelta(days=30)))
    assert len(done.days) == 31
    cohort = stats.cohort_rows[D]
    assert cohort == Cohort(D, 3, day1=1, day7=2, day30=0)
    assert (cohort.rate(1), cohort.rate(7), cohort.rate(30)) == (1 / 3, 2 / 3, 0.0)
    week = D + timedelta(days=7)
    assert stats.cohort_rows[week] == Cohort(week, 1, day1=0, day7=0)  # day 37: not yet
    assert set(stats.cohort_rows) == {D, D + timedelta(days=7)}  # no empty cohorts
    before = (dict(stats.rows), dict(stats.cohort_rows), dict(stats.matching_rows))
    await backfill.execute(BackfillCommand(start=D, end=D + timedelta(days=30)))
    assert (dict(stats.rows), dict(stats.cohort_rows), dict(stats.matching_rows)) == before
    with pytest.raises(InvalidDateRangeError):
        await backfill.execute(BackfillCommand(start=D, end=D - timedelta(days=1)))


async def test_active_users_per_day_week_and_month() -> None:
    rollup, log, _ = _world(at(D + timedelta(days=40)))
    await log.record(ev(ActivityKind.POST, at(D - timedelta(days=20)), "month"))
    await log.record(ev(ActivityKind.POST, at(D - timedelta(days=6)), "week"))
    await log.record(ev(ActivityKind.POST, at(D - timedelta(days=7)), "eight-days"))
    await log.record(ev(ActivityKind.COMMENT, at(D, 0), "today"))
    await log.record(ev(ActivityKind.MATCH, at(D), language_pair="en-ko"))  # no user
    stats = await rollup.execute(RollupDayCommand(day=D))
    assert (stats.dau, stats.wau, stats.mau) == (1, 2, 4)


async def test_reports_and_their_median_time_to_decision() -> None:
    rollup, log, _ = _world(at(D + timedelta(days=1)))
    for _ in range(4):
        await log.record(ev(ActivityKind.REPORT_OPENED, at(D), "r"))
    for took in (60.0, 3600.0, 180.0):
        await log.record(ev(ActivityKind.REPORT_DECIDED, at(D), seconds=took, detail="resolved"))
    stats = await rollup.execute(RollupDayCommand())
    assert (stats.day, stats.reports_opened, stats.reports_resolved) == (D, 4, 3)
    assert stats.resolution_p50_seconds == 180.0


async def test_a_rerun_after_the_counter_forgot_the_day_keeps_its_visitors() -> None:
    rollup, _, stats = _world(at(D + timedelta(days=1), 0))
    visitors = rollup._visitors  # the same counter the rollup reads
    await visitors.add(D, "u:1")
    await visitors.add(D, "a:x")
    assert (await rollup.execute(RollupDayCommand(day=D))).visitors == 2
    later = RollupDay(
        InMemoryUnitOfWork(),
        InMemoryVisitorCounter(),  # a day the counter no longer holds
        InMemoryActivityCounts(),
        InMemoryActivityLog(),
        stats,
        FixedClock(at(D + timedelta(days=5))),
    )
    again = await later.execute(RollupDayCommand(day=D))
    assert (again.visitors, again.active_users) == (2, 1)


def _logged(event: DomainEvent) -> ActivityEvent:
    message = OutboxMessage(event.event_id, event.topic, event.payload(), event.occurred_at)
    [row] = [r for r in handlers.SUBSCRIPTIONS if r.topic == event.topic]
    command = row.command_for(message)
    assert command is not None
    return command.event


def test_outbox_events_map_to_log_rows_without_content() -> None:
    matched = PartnersMatched(
        occurred_at=at(D),
        conversation_id="k1",
        mode="text",
        fit="exact",
        language_pair=("ko", "en"),
        wait_seconds=(4.0, 9.5),
    )
    row = _logged(matched)
    assert (row.kind, row.user_id, row.language_pair) == (ActivityKind.MATCH, None, "en-ko")
    assert (row.seconds, row.seconds_other, row.detail, row.event_id) == (
        4.0,
        9.5,
        "text",
        matched.event_id,
    )
    decided = ReportDecided(
        occurred_at=at(D, 15),
        report_id="r1",
        reporter_id="u1",
        status="resolved",
        filed_at=at(D, 13),
    )
    row = _logged(decided)
    assert (row.kind, row.seconds, row.detail, row.user_id) == (
        ActivityKind.REPORT_DECIDED,
        7200.0,
        "resolved",
        None,
    )
    old = ReportDecided(occurred_at=at(D), report_id="r2", reporter_id="u1", status="dismissed")
    assert _logged(old).seconds is None
    topics = {r.topic for r in handlers.SUBSCRIPTIONS}
    assert len(topics) == len(handlers.SUBSCRIPTIONS) == 11
