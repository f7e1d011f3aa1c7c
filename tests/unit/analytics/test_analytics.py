"""Visitor keys, date ranges, the daily rollup, the analytics reads and the dashboard, on
in-memory adapters."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from hypehere.adapters.memory.analytics import (
    InMemoryActivityCounts,
    InMemoryActivityLog,
    InMemoryDailyStats,
    InMemoryVisitorCounter,
)
from hypehere.adapters.memory.clock import FixedClock
from hypehere.adapters.memory.uow import InMemoryUnitOfWork
from hypehere.application.analytics.get_dashboard import GetDashboard, GetDashboardCommand
from hypehere.application.analytics.read_stats import ReadDailyStats, ReadDailyStatsCommand
from hypehere.application.analytics.rollup_day import RollupDay, RollupDayCommand
from hypehere.application.common.actor import Actor, Role
from hypehere.domain.analytics.model import (
    DailyStats,
    InvalidDateRangeError,
    checked_range,
    parse_day,
    visitor_key,
)
from hypehere.domain.shared.errors import StaffOnlyError

DAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 11, 0, 10, tzinfo=UTC)


def test_a_signed_in_visitor_is_keyed_by_user_id_whatever_the_salt() -> None:
    assert visitor_key("u1", "1.2.3.4", "ua", b"a") == visitor_key("u1", "9.9.9.9", "x", b"b")
    assert visitor_key("u1", "1.2.3.4", "ua", b"a") == "u:u1"


def test_an_anonymous_key_holds_no_ip_and_changes_with_the_daily_salt() -> None:
    today = visitor_key(None, "203.0.113.7", "Firefox", b"salt-1")
    assert "203.0.113.7" not in today and today.startswith("a:")
    assert today == visitor_key(None, "203.0.113.7", "Firefox", b"salt-1")
    assert today != visitor_key(None, "203.0.113.7", "Firefox", b"salt-2")
    assert today != visitor_key(None, "203.0.113.7", "Chrome", b"salt-1")


@pytest.mark.parametrize("text", ["2026-13-01", "2026-1-01", "yesterday", "", "2026-03-10T00"])
def test_a_bad_date_is_refused(text: str) -> None:
    with pytest.raises(InvalidDateRangeError):
        parse_day(text)


def test_ranges_must_run_forward_and_be_at_most_a_year() -> None:
    assert parse_day("2026-03-10") == DAY
    assert parse_day(None) is None
    with pytest.raises(InvalidDateRangeError):
        checked_range(date(2026, 3, 2), date(2026, 3, 1))
    with pytest.raises(InvalidDateRangeError):
        checked_range(date(2025, 1, 1), date(2026, 1, 2))  # 367 days
    full_year = (date(2025, 1, 1), date(2026, 1, 1))  # 366 days
    assert checked_range(*full_year) == full_year


async def test_the_in_process_counter_keeps_a_salt_per_day_and_forgets_old_days() -> None:
    counter = InMemoryVisitorCounter()
    salt = await counter.daily_salt(DAY)
    assert await counter.daily_salt(DAY) == salt
    assert await counter.daily_salt(date(2026, 3, 11)) != salt
    await counter.add(DAY, "u:1")
    await counter.add(DAY, "u:1")
    await counter.add(DAY, "a:abc")
    assert await counter.count(DAY) == (2, 1)
    await counter.add(date(2026, 3, 13), "u:2")
    assert await counter.count(DAY) == (0, 0)
    assert await counter.daily_salt(DAY) != salt  # the old salt is gone for good


Fakes = tuple[RollupDay, InMemoryVisitorCounter, InMemoryActivityCounts, InMemoryDailyStats]


def _rollup() -> Fakes:
    visitors = InMemoryVisitorCounter()
    activity = InMemoryActivityCounts()
    stats = InMemoryDailyStats()
    log = InMemoryActivityLog()
    use_case = RollupDay(InMemoryUnitOfWork(), visitors, activity, log, stats, FixedClock(NOW))
    return use_case, visitors, activity, stats


async def test_the_rollup_stores_yesterday_and_a_rerun_replaces_it() -> None:
    use_case, visitors, activity, stats = _rollup()
    await visitors.add(DAY, "u:1")
    await visitors.add(DAY, "a:x")
    activity.by_day[DAY] = {"new_users": 3, "posts": 4, "comments": 5, "messages": 6, "matches": 7}
    first = await use_case.execute(RollupDayCommand())
    assert first == DailyStats(DAY, 2, 1, 3, 4, 5, 6, 7)
    await visitors.add(DAY, "u:2")
    await use_case.execute(RollupDayCommand(day=DAY))
    assert list(stats.rows.values()) == [DailyStats(DAY, 3, 2, 3, 4, 5, 6, 7)]


def _row(day: date, visitors: int = 1) -> DailyStats:
    return DailyStats(day, visitors, 1, 2, 3, 4, 5, 6)


@pytest.mark.parametrize("role", [Role.ANALYST, Role.MODERATOR, Role.ADMIN])
async def test_analysts_and_staff_read_the_stored_days(role: Role) -> None:
    stats = InMemoryDailyStats()
    for d in (date(2026, 3, 1), date(2026, 3, 5), date(2026, 3, 9)):
        await stats.save(_row(d))
    reads = ReadDailyStats(stats, FixedClock(NOW))
    rows = await reads.execute(
        ReadDailyStatsCommand(actor=Actor("a", role), start=date(2026, 3, 2), end=date(2026, 3, 9))
    )
    assert [r.day for r in rows] == [date(2026, 3, 5), date(2026, 3, 9)]
    default = await reads.execute(ReadDailyStatsCommand(actor=Actor("a", role)))
    assert len(default) == 3  # the 30 days ending today


async def test_members_cannot_read_analytics() -> None:
    reads = ReadDailyStats(InMemoryDailyStats(), FixedClock(NOW))
    with pytest.raises(StaffOnlyError):
        await reads.execute(ReadDailyStatsCommand(actor=Actor("m", Role.MEMBER)))


async def test_the_dashboard_is_staff_only_with_today_live_and_14_past_days() -> None:
    visitors = InMemoryVisitorCounter()
    activity = InMemoryActivityCounts()
    stats = InMemoryDailyStats()
    today = NOW.date()
    for n in range(1, 20):
        await stats.save(_row(date(2026, 3, 11 - n) if n < 11 else date(2026, 2, 39 - n), n))
    await visitors.add(today, "a:1")
    activity.by_day[today] = {"new_users": 7, "posts": 1, "comments": 0, "messages": 2}
    activity.open_now = 3
    board = GetDashboard(visitors, activity, InMemoryActivityLog(), stats, FixedClock(NOW))
    result = await board.execute(GetDashboardCommand(actor=Actor("s", Role.MODERATOR)))
    assert result.today == DailyStats(today, 1, 0, 7, 1, 0, 2, 0)
    assert result.open_reports == 3
    assert len(result.history) == 14
    assert result.history[0].day == date(2026, 2, 25)
    assert result.history[-1].day == date(2026, 3, 10)
    for role in (Role.MEMBER, Role.ANALYST):
        with pytest.raises(StaffOnlyError):
            await board.execute(GetDashboardCommand(actor=Actor("x", role)))
