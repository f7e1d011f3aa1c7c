"""`/analytics/*` (role `analyst` or staff; the pre-computed tables only), and
`GET /admin/dashboard`, `GET /admin/insights` (staff). Dates are `YYYY-MM-DD` (UTC days;
default the 30 days ending today, at most 366); a bad date or an end before the start is
422 `invalid_date_range`, an unknown granularity 422 `invalid_granularity`; other roles
get 403."""

from __future__ import annotations

from datetime import date, datetime

import msgspec
from dishka import FromDishka
from dishka.integrations.litestar import inject
from litestar import Controller, get

from hypehere.application.analytics.get_dashboard import GetDashboard, GetDashboardCommand
from hypehere.application.analytics.list_insights import ListInsights, ListInsightsCommand
from hypehere.application.analytics.read_chat_usage import ReadChatUsage, ReadChatUsageCommand
from hypehere.application.analytics.read_learning import ReadLearning
from hypehere.application.analytics.read_matching import ReadMatching
from hypehere.application.analytics.read_retention import ReadRetention
from hypehere.application.analytics.read_stats import ReadDailyStats, ReadDailyStatsCommand
from hypehere.application.analytics.read_trending import ReadTrendingPosts
from hypehere.application.common.actor import Actor
from hypehere.domain.analytics.model import DailyStats, parse_day


class DailyUsersOut(msgspec.Struct, frozen=True):
    date: date
    visitors: int
    active_users: int
    dau: int
    wau: int
    mau: int


class UserGrowthOut(msgspec.Struct, frozen=True):
    date: date
    new_users: int


class ChatUsageOut(msgspec.Struct, frozen=True):
    start: date
    messages: int
    matches: int
    anonymous_chats: int
    reveals: int


class MatchingOut(msgspec.Struct, frozen=True):
    date: date
    language_pair: str
    matches: int
    wait_p50_seconds: float | None
    wait_p90_seconds: float | None
    chats_ended: int
    duration_p50_seconds: float | None
    duration_p90_seconds: float | None
    reveals: int


class LearningOut(msgspec.Struct, frozen=True):
    date: date
    language_pair: str
    lessons_completed: int
    reviews: int
    corrections: int


class TrendingPostOut(msgspec.Struct, frozen=True):
    date: date
    rank: int
    post_id: str
    likes: int
    comments: int


class RetentionOut(msgspec.Struct, frozen=True):
    cohort: date
    size: int
    day1: float | None
    day7: float | None
    day30: float | None


class DayOut(msgspec.Struct, frozen=True):
    date: date
    visitors: int
    active_users: int
    sign_ups: int
    posts: int
    comments: int
    messages: int
    matches: int
    reports_opened: int
    reports_resolved: int
    resolution_p50_seconds: float | None


class DashboardOut(msgspec.Struct, frozen=True):
    today: DayOut
    open_reports: int
    last_14_days: list[DayOut]


class InsightOut(msgspec.Struct, frozen=True):
    date: date
    summary: str
    source: str
    model: str | None
    created_at: datetime


def _day(row: DailyStats) -> DayOut:
    return DayOut(
        date=row.day,
        visitors=row.visitors,
        active_users=row.active_users,
        sign_ups=row.new_users,
        posts=row.posts,
        comments=row.comments,
        messages=row.messages,
        matches=row.matches,
        reports_opened=row.reports_opened,
        reports_resolved=row.reports_resolved,
        resolution_p50_seconds=row.resolution_p50_seconds,
    )


def _range(actor: Actor, start: str | None, end: str | None) -> ReadDailyStatsCommand:
    return ReadDailyStatsCommand(actor=actor, start=parse_day(start), end=parse_day(end))


class AnalyticsController(Controller):
    path = "/analytics"
    tags = ["analytics"]

    @get("/daily-users")
    @inject
    async def daily_users(
        self,
        actor: Actor,
        uc: FromDishka[ReadDailyStats],
        start: str | None = None,
        end: str | None = None,
    ) -> list[DailyUsersOut]:
        """Per UTC day: unique visitors and signed-in users (the visitor counter), and
        users with a product event that day / in the 7 / 30 days ending it (`dau`, `wau`,
        `mau`), from the daily rollup (days it has not written are absent)."""
        rows = await uc.execute(_range(actor, start, end))
        return [DailyUsersOut(r.day, r.visitors, r.active_users, r.dau, r.wau, r.mau) for r in rows]

    @get("/user-growth")
    @inject
    async def user_growth(
        self,
        actor: Actor,
        uc: FromDishka[ReadDailyStats],
        start: str | None = None,
        end: str | None = None,
    ) -> list[UserGrowthOut]:
        """Sign-ups per UTC day, from the daily rollup (same range rules as daily-users)."""
        rows = await uc.execute(_range(actor, start, end))
        return [UserGrowthOut(r.day, r.new_users) for r in rows]

    @get("/chat-usage")
    @inject
    async def chat_usage(
        self,
        actor: Actor,
        uc: FromDishka[ReadChatUsage],
        granularity: str = "daily",
        start: str | None = None,
        end: str | None = None,
    ) -> list[ChatUsageOut]:
        """Messages, matches, ended anonymous chats and reveals per UTC day, or per ISO week
        (`granularity=weekly`; `start` is the week's Monday)."""
        rows = await uc.execute(
            ReadChatUsageCommand(
                actor=actor, start=parse_day(start), end=parse_day(end), granularity=granularity
            )
        )
        return [
            ChatUsageOut(r.start, r.messages, r.matches, r.anonymous_chats, r.reveals) for r in rows
        ]

    @get("/matching")
    @inject
    async def matching(
        self,
        actor: Actor,
        uc: FromDishka[ReadMatching],
        start: str | None = None,
        end: str | None = None,
    ) -> list[MatchingOut]:
        """Anonymous matching per UTC day and language pair (sorted codes, `en-ko`): matches,
        wait-time p50/p90 (both people's waits), ended chats, duration p50/p90, reveals."""
        rows = await uc.execute(_range(actor, start, end))
        return [
            MatchingOut(
                r.day,
                r.language_pair,
                r.matches,
                r.wait_p50_seconds,
                r.wait_p90_seconds,
                r.chats_ended,
                r.duration_p50_seconds,
                r.duration_p90_seconds,
                r.reveals,
            )
            for r in rows
        ]

    @get("/learning")
    @inject
    async def learning(
        self,
        actor: Actor,
        uc: FromDishka[ReadLearning],
        start: str | None = None,
        end: str | None = None,
    ) -> list[LearningOut]:
        """Lessons completed (first completions), reviews and corrections per UTC day and
        language pair (native-target, `ko-en`; corrections: the corrector's native language
        and the text's)."""
        rows = await uc.execute(_range(actor, start, end))
        return [
            LearningOut(r.day, r.language_pair, r.lessons_completed, r.reviews, r.corrections)
            for r in rows
        ]

    @get("/trending-posts")
    @inject
    async def trending_posts(
        self,
        actor: Actor,
        uc: FromDishka[ReadTrendingPosts],
        start: str | None = None,
        end: str | None = None,
    ) -> list[TrendingPostOut]:
        """Per UTC day, its ten most engaged-with posts (likes plus comments made that day;
        removed posts left out), rank 1 first: post ids and counts only."""
        rows = await uc.execute(_range(actor, start, end))
        return [TrendingPostOut(p.day, p.rank, p.post_id, p.likes, p.comments) for p in rows]

    @get("/retention")
    @inject
    async def retention(
        self,
        actor: Actor,
        uc: FromDishka[ReadRetention],
        start: str | None = None,
        end: str | None = None,
    ) -> list[RetentionOut]:
        """Per sign-up cohort (UTC day in the range): its size and the share of it active
        (any product event) 1, 7 and 30 days later; null until that day is rolled up."""
        rows = await uc.execute(_range(actor, start, end))
        return [RetentionOut(c.day, c.size, c.rate(1), c.rate(7), c.rate(30)) for c in rows]


class AdminDashboardController(Controller):
    path = "/admin"
    tags = ["analytics"]

    @get("/dashboard")
    @inject
    async def dashboard(self, actor: Actor, uc: FromDishka[GetDashboard]) -> DashboardOut:
        """Staff only: today's figures so far (visitors live from the counter, the rest
        counted now, median seconds from filing to decision of today's decided reports),
        the reports open now, and the last 14 days the rollup stored, oldest first."""
        board = await uc.execute(GetDashboardCommand(actor=actor))
        return DashboardOut(
            today=_day(board.today),
            open_reports=board.open_reports,
            last_14_days=[_day(r) for r in board.history],
        )

    @get("/insights")
    @inject
    async def insights(
        self, actor: Actor, uc: FromDishka[ListInsights], limit: int = 14
    ) -> list[InsightOut]:
        """Staff only: the `daily-insights` summaries, newest first (`limit` 1..100)."""
        rows = await uc.execute(ListInsightsCommand(actor=actor, limit=limit))
        return [InsightOut(i.day, i.summary, i.source, i.model, i.created_at) for i in rows]
