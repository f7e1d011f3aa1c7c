"""In-process analytics adapters: the visitor counter of a single process (no Redis), the
daily rows and activity counts for tests."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date, datetime

from hypehere.domain.analytics.activity import (
    ActivityEvent,
    ActivityKind,
    Cohort,
    LearningDay,
    MatchingDay,
    TrendingPost,
)
from hypehere.domain.analytics.insights import Insight
from hypehere.domain.analytics.model import DailyStats, is_user_key

KEEP_DAYS = 2


class InMemoryVisitorCounter:
    """A set of visitor keys per day and a random salt per day, both dropped once the day is
    more than `KEEP_DAYS` old (enough for the rollup after midnight)."""

    def __init__(self) -> None:
        self._salts: dict[date, bytes] = {}
        self._seen: dict[date, set[str]] = {}

    def _forget_before(self, day: date) -> None:
        for old in [d for d in self._salts if (day - d).days >= KEEP_DAYS]:
            del self._salts[old]
        for old in [d for d in self._seen if (day - d).days >= KEEP_DAYS]:
            del self._seen[old]

    async def daily_salt(self, day: date) -> bytes:
        salt = self._salts.get(day)
        if salt is None:
            self._forget_before(day)
            salt = self._salts[day] = secrets.token_bytes(32)
        return salt

    async def add(self, day: date, key: str) -> None:
        seen = self._seen.get(day)
        if seen is None:
            self._forget_before(day)
            seen = self._seen[day] = set()
        seen.add(key)

    async def count(self, day: date) -> tuple[int, int]:
        seen = self._seen.get(day, set())
        return len(seen), sum(1 for key in seen if is_user_key(key))


class InMemoryDailyStats:
    """`DailyStatsRepository` and `AnalyticsReader` over the same rows."""

    def __init__(self) -> None:
        self.rows: dict[date, DailyStats] = {}
        self.matching_rows: dict[date, list[MatchingDay]] = {}
        self.learning_rows: dict[date, list[LearningDay]] = {}
        self.cohort_rows: dict[date, Cohort] = {}
        self.insight_rows: dict[date, Insight] = {}
        self.trending_rows: dict[date, list[TrendingPost]] = {}

    async def save_trending(self, day: date, posts: Sequence[TrendingPost]) -> None:
        self.trending_rows[day] = list(posts)

    async def trending(self, start: date, end: date) -> list[TrendingPost]:
        days = sorted(d for d in self.trending_rows if start <= d <= end)
        return [p for d in days for p in self.trending_rows[d]]

    async def save(self, stats: DailyStats) -> None:
        self.rows[stats.day] = stats

    async def save_pairs(
        self, day: date, matching: Sequence[MatchingDay], learning: Sequence[LearningDay]
    ) -> None:
        self.matching_rows[day] = list(matching)
        self.learning_rows[day] = list(learning)

    async def cohort(self, day: date) -> Cohort | None:
        return self.cohort_rows.get(day)

    async def save_cohort(self, cohort: Cohort) -> None:
        self.cohort_rows[cohort.day] = cohort

    async def between(self, start: date, end: date) -> list[DailyStats]:
        return [self.rows[d] for d in sorted(self.rows) if start <= d <= end]

    async def save_insight(self, insight: Insight) -> None:
        self.insight_rows[insight.day] = insight

    async def daily(self, start: date, end: date) -> list[DailyStats]:
        return await self.between(start, end)

    async def matching(self, start: date, end: date) -> list[MatchingDay]:
        return [
            r
            for d in sorted(self.matching_rows)
            if start <= d <= end
            for r in self.matching_rows[d]
        ]

    async def learning(self, start: date, end: date) -> list[LearningDay]:
        return [
            r
            for d in sorted(self.learning_rows)
            if start <= d <= end
            for r in self.learning_rows[d]
        ]

    async def cohorts(self, start: date, end: date) -> list[Cohort]:
        return [self.cohort_rows[d] for d in sorted(self.cohort_rows) if start <= d <= end]

    async def insights(self, limit: int) -> list[Insight]:
        return [self.insight_rows[d] for d in sorted(self.insight_rows, reverse=True)][:limit]


class InMemoryActivityLog:
    def __init__(self) -> None:
        self.logged: dict[str, ActivityEvent] = {}

    async def record(self, event: ActivityEvent) -> None:
        self.logged.setdefault(event.event_id, event)

    def _in(self, start: datetime, end: datetime) -> list[ActivityEvent]:
        found = [e for e in self.logged.values() if start <= e.occurred_at < end]
        return sorted(found, key=lambda e: (e.occurred_at, e.event_id))

    async def count_by_kind(self, start: datetime, end: datetime) -> dict[ActivityKind, int]:
        counts: dict[ActivityKind, int] = {}
        for event in self._in(start, end):
            counts[event.kind] = counts.get(event.kind, 0) + 1
        return counts

    async def count_by_pair(
        self, kinds: Sequence[ActivityKind], start: datetime, end: datetime
    ) -> dict[tuple[ActivityKind, str], int]:
        counts: dict[tuple[ActivityKind, str], int] = {}
        for event in self._in(start, end):
            if event.kind in kinds and event.language_pair is not None:
                key = (event.kind, event.language_pair)
                counts[key] = counts.get(key, 0) + 1
        return counts

    async def events(
        self, kinds: Sequence[ActivityKind], start: datetime, end: datetime
    ) -> list[ActivityEvent]:
        return [e for e in self._in(start, end) if e.kind in kinds]

    async def distinct_users(self, start: datetime, end: datetime) -> int:
        return len(await self.users(None, start, end))

    async def users(self, kind: ActivityKind | None, start: datetime, end: datetime) -> set[str]:
        return {
            e.user_id
            for e in self._in(start, end)
            if e.user_id is not None and (kind is None or e.kind is kind)
        }

    async def prune(self, before: datetime, limit: int) -> int:
        old = sorted(i for i, e in self.logged.items() if e.occurred_at < before)[:limit]
        for event_id in old:
            del self.logged[event_id]
        return len(old)


class InMemoryActivityCounts:
    """Fixed counts per day (a test fake of the other modules' figures)."""

    def __init__(self) -> None:
        self.by_day: dict[date, dict[str, int]] = {}
        self.open_now = 0
        self.top: dict[date, list[TrendingPost]] = {}

    def _get(self, day: date, name: str) -> int:
        return self.by_day.get(day, {}).get(name, 0)

    async def new_users(self, day: date) -> int:
        return self._get(day, "new_users")

    async def posts(self, day: date) -> int:
        return self._get(day, "posts")

    async def comments(self, day: date) -> int:
        return self._get(day, "comments")

    async def messages(self, day: date) -> int:
        return self._get(day, "messages")

    async def matches(self, day: date) -> int:
        return self._get(day, "matches")

    async def open_reports(self) -> int:
        return self.open_now

    async def top_posts(self, day: date, limit: int) -> list[TrendingPost]:
        return self.top.get(day, [])[:limit]
