"""Ports of the analytics module."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from hypehere.domain.analytics.model import DailyStats


class VisitorCounter(Protocol):
    """Today's unique visitors, kept outside the database (a Redis HyperLogLog, or a set in
    process). Keys of a day are kept a couple of days, for the rollup to read."""

    async def daily_salt(self, day: date) -> bytes:
        """The day's random salt (the same in every process; discarded after the day)."""
        ...

    async def add(self, day: date, key: str) -> None: ...

    async def count(self, day: date) -> tuple[int, int]:
        """(visitors, signed-in users) seen on `day`."""
        ...


class ActivityCounts(Protocol):
    """Counts read from the other modules' published queries."""

    async def new_users(self, day: date) -> int: ...

    async def posts(self, day: date) -> int: ...

    async def comments(self, day: date) -> int: ...

    async def messages(self, day: date) -> int: ...

    async def matches(self, day: date) -> int: ...

    async def open_reports(self) -> int:
        """Reports waiting for a decision now (not per day)."""
        ...


class DailyStatsRepository(Protocol):
    async def save(self, stats: DailyStats) -> None:
        """Insert or replace the day's row (a rollup rerun overwrites it)."""
        ...

    async def between(self, start: date, end: date) -> list[DailyStats]:
        """Stored days in [start, end], oldest first."""
        ...
