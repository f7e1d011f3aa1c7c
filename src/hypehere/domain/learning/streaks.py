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
    (days after `today` are ignored)."""
    active = {day for day in active_days if day <= today}
    used: dict[tuple[int, int], int] = {}
    current = longest = 0
    if active:
        day = min(active)
        while day <= today:
            if day in active:
                current += 1
                longest = max(longest, current)
            elif day != today:
                week = iso_week(day)
                if current > 0 and used.get(week, 0) < FREEZES_PER_WEEK:
                    used[week] = used.get(week, 0) + 1
                else:
                    current = 0
            day += timedelta(days=1)
    return StreakSummary(
        current=current,
        longest=longest,
        freezes_left=FREEZES_PER_WEEK - used.get(iso_week(today), 0),
    )
