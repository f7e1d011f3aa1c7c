"""Streaks, counted in the learner's own calendar.

A streak day is a local calendar day (in the user's IANA time zone) with at least one
completed lesson or review. One missed day per ISO week is bridged by a freeze: the streak
survives it, but the frozen day does not add to its length. A second missed day in the same
ISO week ends the streak. Today is never a missed day (it is not over yet)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

FREEZES_PER_WEEK = 1


def local_day(instant: datetime, timezone: str) -> date:
    """The calendar day `instant` (aware) falls on in `timezone`."""
    return instant.astimezone(ZoneInfo(timezone)).date()


def iso_week(day: date) -> tuple[int, int]:
    year, week, _ = day.isocalendar()
    return year, week


@dataclass(frozen=True, slots=True)
class StreakSummary:
    current: int
    longest: int
    freezes_left: int  # this ISO week's freezes not used yet


def summarize_streaks(active_days: Iterable[date], today: date) -> StreakSummary:
    """Current and longest streak and this week's freezes left, from the days with activity
    (days after `today` are ignored).

    A streak is a stretch of days from one active day to another in which every ISO week
    has at most `FREEZES_PER_WEEK` missed days; its length counts the active days. The
    current streak is the longest such stretch ending yesterday, or today once today is
    active. Computed with one sliding window over the calendar, so practising more never
    shortens a streak (a freeze is never spent on a stretch a later miss cuts off)."""
    active = {day for day in active_days if day <= today}
    if not active:
        return StreakSummary(current=0, longest=0, freezes_left=FREEZES_PER_WEEK)
    end = today if today in active else today - timedelta(days=1)
    misses: dict[tuple[int, int], int] = {}
    start = day = min(active)
    counted = longest = 0
    while day <= end:
        if day in active:
            counted += 1
        else:
            week = iso_week(day)
            misses[week] = misses.get(week, 0) + 1
            # Too many missed days in that week: the stretch must start after one of them.
            while misses[week] > FREEZES_PER_WEEK:
                if start in active:
                    counted -= 1
                else:
                    misses[iso_week(start)] -= 1
                start += timedelta(days=1)
        # A stretch starts on an active day: leading missed days spend no freeze.
        while start <= day and start not in active:
            misses[iso_week(start)] -= 1
            start += timedelta(days=1)
        longest = max(longest, counted)
        day += timedelta(days=1)
    current = counted
    used_this_week = misses.get(iso_week(today), 0) if current else 0
    return StreakSummary(
        current=current,
        longest=longest,
        freezes_left=max(FREEZES_PER_WEEK - used_this_week, 0),
    )
