"""Streaks in the learner's calendar: examples, then properties across time zones and DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hypehere.domain.learning.streaks import local_day, summarize_streaks

pytestmark = pytest.mark.unit

# 2026-03-02 is a Monday (ISO week 10).
MON = date(2026, 3, 2)


def days(*offsets: int) -> list[date]:
    return [MON + timedelta(days=o) for o in offsets]


def test_no_activity() -> None:
    s = summarize_streaks([], MON)
    assert (s.current, s.longest, s.freezes_left) == (0, 0, 1)


def test_consecutive_days_and_today_not_over_yet() -> None:
    s = summarize_streaks(days(0, 1, 2), MON + timedelta(days=2))
    assert (s.current, s.longest) == (3, 3)
    # Nothing yet today: yesterday's streak still stands, no freeze spent.
    s = summarize_streaks(days(0, 1, 2), MON + timedelta(days=3))
    assert (s.current, s.longest, s.freezes_left) == (3, 3, 1)


def test_one_missed_day_a_week_is_frozen_two_break_it() -> None:
    s = summarize_streaks(days(0, 1, 3, 4), MON + timedelta(days=4))
    assert (s.current, s.longest, s.freezes_left) == (4, 4, 0)
    # Wednesday and Friday missed: the streak restarts after Wednesday and Friday is
    # bridged (Thursday, Saturday, Sunday).
    s = summarize_streaks(days(0, 1, 3, 5, 6), MON + timedelta(days=6))
    assert (s.current, s.longest, s.freezes_left) == (3, 3, 0)
    # Tuesday and Wednesday missed: the streak restarts on Thursday, no freeze spent.
    s = summarize_streaks(days(0, 3, 4, 5, 6), MON + timedelta(days=6))
    assert (s.current, s.longest, s.freezes_left) == (4, 4, 1)


def test_a_miss_on_sunday_and_monday_uses_two_weeks_freezes() -> None:
    # Sat (week 10) active, Sun (week 10) missed, Mon (week 11) missed, Tue active.
    s = summarize_streaks(days(4, 5, 8), MON + timedelta(days=8))
    assert (s.current, s.freezes_left) == (3, 0)


def test_a_miss_before_any_streak_costs_nothing() -> None:
    s = summarize_streaks(days(0, 2, 3), MON + timedelta(days=3))
    # Monday's one-day streak is bridged over Tuesday: 3 days, the freeze is spent.
    assert (s.current, s.freezes_left) == (3, 0)
    s = summarize_streaks(days(7), MON + timedelta(days=7))
    assert (s.current, s.longest, s.freezes_left) == (1, 1, 1)


def test_future_days_are_ignored() -> None:
    s = summarize_streaks(days(0, 1, 5), MON + timedelta(days=1))
    assert (s.current, s.longest) == (2, 2)


def test_local_day_follows_the_time_zone() -> None:
    instant = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)
    assert local_day(instant, "UTC") == date(2026, 3, 1)
    assert local_day(instant, "Asia/Seoul") == date(2026, 3, 2)  # 01:30 next day
    assert local_day(instant, "America/Los_Angeles") == date(2026, 3, 1)


ZONES = st.sampled_from(
    [
        "UTC",
        "Asia/Seoul",
        "Asia/Tokyo",
        "America/New_York",  # DST: 2026-03-08 and 2026-11-01
        "America/Los_Angeles",
        "Europe/Madrid",  # DST: 2026-03-29 and 2026-10-25
        "Australia/Lord_Howe",  # a half-hour DST shift
        "Pacific/Chatham",  # +12:45 / +13:45
        "Pacific/Kiritimati",  # +14
        "Pacific/Pago_Pago",  # -11
    ]
)
# Windows that straddle the 2026 DST changes of both hemispheres.
STARTS = st.sampled_from(
    [date(2026, 3, 1), date(2026, 3, 25), date(2026, 4, 1), date(2026, 10, 20), date(2026, 10, 30)]
)
LOCAL_TIMES = st.times()


def _instant(day: date, at: time, zone: str) -> datetime:
    """The UTC instant of a local wall-clock time (a time skipped by DST moves forward)."""
    local = datetime.combine(day, at, tzinfo=ZoneInfo(zone))
    return local.astimezone(UTC)


@given(zone=ZONES, start=STARTS, length=st.integers(1, 40), data=st.data())
def test_daily_activity_in_local_time_is_an_unbroken_streak(
    zone: str, start: date, length: int, data: st.DataObject
) -> None:
    """One activity at any local time on each of `length` consecutive local days, stored as
    UTC instants: across DST changes (23- and 25-hour days) the streak is `length`."""
    instants = [
        _instant(start + timedelta(days=i), data.draw(LOCAL_TIMES), zone) for i in range(length)
    ]
    today = start + timedelta(days=length - 1)
    active = {local_day(instant, zone) for instant in instants}
    # A skipped wall-clock time (spring forward) still lands on the same local day.
    assert active == {start + timedelta(days=i) for i in range(length)}
    s = summarize_streaks(active, today)
    assert (s.current, s.longest, s.freezes_left) == (length, length, 1)


@given(
    zone=ZONES,
    start=STARTS,
    active_offsets=st.sets(st.integers(0, 60), max_size=40),
    today_offset=st.integers(0, 70),
    extra=st.integers(0, 60),
)
def test_invariants(
    zone: str, start: date, active_offsets: set[int], today_offset: int, extra: int
) -> None:
    active = {start + timedelta(days=o) for o in active_offsets}
    today = start + timedelta(days=today_offset)
    s = summarize_streaks(active, today)
    assert 0 <= s.current <= s.longest
    assert s.freezes_left in (0, 1)
    assert s.longest <= len({d for d in active if d <= today})
    # The streak only ever counts active days: it is at most the active days since the
    # last day before which two days of one ISO week were missed.
    assert s.current <= len({d for d in active if d <= today})
    # One more active day never makes things worse.
    more = summarize_streaks(active | {start + timedelta(days=extra)}, today)
    assert more.longest >= s.longest
    assert more.current >= s.current
    # The same local days give the same streak whatever the zone was (days are local).
    assert local_day(_instant(today, time(12), zone), zone) == today


@given(zone=ZONES, start=STARTS, data=st.data())
def test_two_missed_days_in_one_iso_week_end_the_streak(
    zone: str, start: date, data: st.DataObject
) -> None:
    monday = start - timedelta(days=start.weekday())
    week = [monday + timedelta(days=i) for i in range(7)]
    missed = set(
        data.draw(st.lists(st.sampled_from(week[:6]), min_size=2, max_size=2, unique=True))
    )
    history = {monday - timedelta(days=i) for i in range(1, 8)}  # a 7-day streak before
    active = history | {d for d in week if d not in missed}
    s = summarize_streaks(active, week[6])
    first_miss, last_miss = sorted(missed)
    # The streak restarts after the first missed day; the second is bridged by the week's
    # freeze, unless it comes right after the first (then the streak starts after it).
    if last_miss == first_miss + timedelta(days=1):
        assert (s.current, s.freezes_left) == ((week[6] - last_miss).days, 1)
    else:
        assert (s.current, s.freezes_left) == ((week[6] - first_miss).days - 1, 0)
    assert s.longest >= 7
