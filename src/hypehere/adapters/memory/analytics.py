"""In-process analytics adapters: the visitor counter of a single process (no Redis), the
daily rows and activity counts for tests."""

from __future__ import annotations

import secrets
from datetime import date

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
    def __init__(self) -> None:
        self.rows: dict[date, DailyStats] = {}

    async def save(self, stats: DailyStats) -> None:
        self.rows[stats.day] = stats

    async def between(self, start: date, end: date) -> list[DailyStats]:
        return [self.rows[d] for d in sorted(self.rows) if start <= d <= end]


class InMemoryActivityCounts:
    """Fixed counts per day (a test fake of the other modules' figures)."""

    def __init__(self) -> None:
        self.by_day: dict[date, dict[str, int]] = {}
        self.open_now = 0

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
