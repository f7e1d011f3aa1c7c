"""Job `analytics-rollup`: write one UTC day's aggregates (idempotent: a rerun replaces the
day's rows with the same values). Without a day it rolls up yesterday (the job runs just
after UTC midnight); `hypehere analytics backfill` runs it for a range of days.

A day's rows: the daily figures (visitors from the counter, which keeps two days; counts
of other modules' rows; the rest from the activity log), anonymous-chat usage and
learning per language pair, and the retention cohorts the day completes: the size of the
day's own sign-up cohort, and how many of the cohorts of 1, 7 and 30 days before were
active on the day."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta

import msgspec
import structlog

from hypehere.application.analytics.ports import (
    ActivityCounts,
    ActivityLog,
    DailyStatsRepository,
    VisitorCounter,
)
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.analytics.activity import (
    RETENTION_OFFSETS,
    ActivityKind,
    Cohort,
    LearningDay,
    MatchingDay,
    learning_by_pair,
    matching_by_pair,
    median,
    retained,
)
from hypehere.domain.analytics.model import DailyStats
from hypehere.domain.shared.clock import Clock

logger = structlog.get_logger(__name__)

TOP_POSTS = 10  # trending posts stored per day
VISITOR_DAYS = 2  # how long the visitor counter keeps a day
LEARNING_KINDS = (ActivityKind.LESSON, ActivityKind.REVIEW, ActivityKind.CORRECTION)


class RollupDayCommand(msgspec.Struct, frozen=True, kw_only=True):
    day: date | None = None


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(), tzinfo=UTC)
    return start, start + timedelta(days=1)


async def collect(
    day: date, visitors: VisitorCounter, activity: ActivityCounts, log: ActivityLog
) -> DailyStats:
    """The day's aggregates as they stand now (also the dashboard's live "today")."""
    seen, users = await visitors.count(day)
    start, end = day_bounds(day)
    kinds = await log.count_by_kind(start, end)
    decided = await log.events([ActivityKind.REPORT_DECIDED], start, end)
    return DailyStats(
        day=day,
        visitors=seen,
        active_users=users,
        new_users=await activity.new_users(day),
        posts=await activity.posts(day),
        comments=await activity.comments(day),
        messages=await activity.messages(day),
        matches=await activity.matches(day),
        dau=await log.distinct_users(start, end),
        wau=await log.distinct_users(end - timedelta(days=7), end),
        mau=await log.distinct_users(end - timedelta(days=30), end),
        anonymous_chats=kinds.get(ActivityKind.ANONYMOUS_CHAT, 0),
        lessons_completed=kinds.get(ActivityKind.LESSON, 0),
        reviews=kinds.get(ActivityKind.REVIEW, 0),
        corrections=kinds.get(ActivityKind.CORRECTION, 0),
        reports_opened=kinds.get(ActivityKind.REPORT_OPENED, 0),
        reports_resolved=len(decided),
        resolution_p50_seconds=median([e.seconds for e in decided if e.seconds is not None]),
    )


async def pairs(day: date, log: ActivityLog) -> tuple[list[MatchingDay], list[LearningDay]]:
    start, end = day_bounds(day)
    chats = await log.events([ActivityKind.MATCH, ActivityKind.ANONYMOUS_CHAT], start, end)
    learning = await log.count_by_pair(LEARNING_KINDS, start, end)
    return matching_by_pair(day, chats), learning_by_pair(day, learning)


async def cohorts(day: date, log: ActivityLog, stored: DailyStatsRepository) -> list[Cohort]:
    """The cohort rows this day completes (see the module docstring); a day without
    sign-ups has none."""
    start, end = day_bounds(day)
    active = await log.users(None, start, end)
    out = []
    for offset in (0, *RETENTION_OFFSETS):
        cohort_day = day - timedelta(days=offset)
        c_start, c_end = day_bounds(cohort_day)
        members = await log.users(ActivityKind.SIGN_UP, c_start, c_end)
        known = await stored.cohort(cohort_day)
        if not members and known is None:
            continue  # no one signed up that day: no cohort row
        figures = {
            "day1": known.day1 if known else None,
            "day7": known.day7 if known else None,
            "day30": known.day30 if known else None,
        }
        if offset:
            figures[f"day{offset}"] = retained(members, active)
        out.append(Cohort(cohort_day, len(members), **figures))
    return out


class RollupDay:
    def __init__(
        self,
        uow: UnitOfWork,
        visitors: VisitorCounter,
        activity: ActivityCounts,
        log: ActivityLog,
        stats: DailyStatsRepository,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._visitors = visitors
        self._activity = activity
        self._log = log
        self._stats = stats
        self._clock = clock

    async def execute(self, cmd: RollupDayCommand) -> DailyStats:
        day = cmd.day or (self._clock.now().date() - timedelta(days=1))
        async with self._uow:
            stats = await collect(day, self._visitors, self._activity, self._log)
            if (self._clock.now().date() - day).days >= VISITOR_DAYS:
                # The counter has forgotten the day: a rerun keeps the figures it stored.
                stored = await self._stats.between(day, day)
                seen = (stored[0].visitors, stored[0].active_users) if stored else (0, 0)
                stats = dataclasses.replace(stats, visitors=seen[0], active_users=seen[1])
            await self._stats.save(stats)
            matching, learning = await pairs(day, self._log)
            await self._stats.save_pairs(day, matching, learning)
            await self._stats.save_trending(day, await self._activity.top_posts(day, TOP_POSTS))
            for cohort in await cohorts(day, self._log, self._stats):
                await self._stats.save_cohort(cohort)
        logger.info("analytics_rolled_up", day=day.isoformat(), visitors=stats.visitors)
        return stats
