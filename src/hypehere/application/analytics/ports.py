"""Ports of the analytics module."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from hypehere.domain.analytics.activity import (
    ActivityEvent,
    ActivityKind,
    Cohort,
    LearningDay,
    MatchingDay,
    TrendingPost,
)
from hypehere.domain.analytics.insights import Insight
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

    async def top_posts(self, day: date, limit: int) -> list[TrendingPost]:
        """The day's most engaged-with posts (see `TrendingPost`), rank 1 first."""
        ...


class ActivityLog(Protocol):
    """The log of product events (written from the outbox; pruned by retention-cleanup).
    Time ranges are [start, end)."""

    async def record(self, event: ActivityEvent) -> None:
        """Log the event; an event id already logged is ignored (redelivery is harmless)."""
        ...

    async def count_by_kind(self, start: datetime, end: datetime) -> dict[ActivityKind, int]: ...

    async def count_by_pair(
        self, kinds: Sequence[ActivityKind], start: datetime, end: datetime
    ) -> dict[tuple[ActivityKind, str], int]:
        """Events of `kinds` per (kind, language pair); events without a pair are left out."""
        ...

    async def events(
        self, kinds: Sequence[ActivityKind], start: datetime, end: datetime
    ) -> list[ActivityEvent]:
        """The events of `kinds` in the range, oldest first (for percentiles)."""
        ...

    async def distinct_users(self, start: datetime, end: datetime) -> int:
        """Distinct users with at least one event in the range."""
        ...

    async def users(self, kind: ActivityKind | None, start: datetime, end: datetime) -> set[str]:
        """The user ids with an event (of `kind`, or of any kind) in the range."""
        ...

    async def prune(self, before: datetime, limit: int) -> int:
        """Delete at most `limit` events that occurred before `before`; how many."""
        ...


class DailyStatsRepository(Protocol):
    """The rollup's writes (the main database role)."""

    async def save(self, stats: DailyStats) -> None:
        """Insert or replace the day's row (a rollup rerun overwrites it)."""
        ...

    async def save_pairs(
        self, day: date, matching: Sequence[MatchingDay], learning: Sequence[LearningDay]
    ) -> None:
        """Replace the day's per-language-pair rows."""
        ...

    async def save_trending(self, day: date, posts: Sequence[TrendingPost]) -> None:
        """Replace the day's trending posts."""
        ...

    async def cohort(self, day: date) -> Cohort | None: ...

    async def save_cohort(self, cohort: Cohort) -> None:
        """Insert or replace the cohort's row."""
        ...

    async def between(self, start: date, end: date) -> list[DailyStats]:
        """Stored days in [start, end], oldest first."""
        ...

    async def save_insight(self, insight: Insight) -> None:
        """Insert or replace the day's summary."""
        ...


class AnalyticsReader(Protocol):
    """Reads of the pre-computed analytics tables only (on PostgreSQL through the read-only
    role of `HYPEHERE_ANALYTICS_DATABASE_URL` when it is set). Ranges are inclusive days."""

    async def daily(self, start: date, end: date) -> list[DailyStats]: ...

    async def matching(self, start: date, end: date) -> list[MatchingDay]: ...

    async def learning(self, start: date, end: date) -> list[LearningDay]: ...

    async def cohorts(self, start: date, end: date) -> list[Cohort]: ...

    async def trending(self, start: date, end: date) -> list[TrendingPost]: ...

    async def insights(self, limit: int) -> list[Insight]:
        """The newest `limit` daily summaries, newest first."""
        ...
