"""`GET /analytics/daily-users`, `GET /analytics/user-growth` (role `analyst` or staff) and
`GET /admin/dashboard` (staff). Dates are `YYYY-MM-DD` (UTC days); a bad date or an end
before the start is 422 `invalid_date_range`; other roles get 403."""

from __future__ import annotations

from datetime import date

import msgspec
from dishka import FromDishka
from dishka.integrations.litestar import inject
from litestar import Controller, get

from hypehere.application.analytics.get_dashboard import GetDashboard, GetDashboardCommand
from hypehere.application.analytics.read_stats import ReadDailyStats, ReadDailyStatsCommand
from hypehere.application.common.actor import Actor
from hypehere.domain.analytics.model import DailyStats, parse_day


class DailyUsersOut(msgspec.Struct, frozen=True):
    date: date
    visitors: int
    active_users: int


class UserGrowthOut(msgspec.Struct, frozen=True):
    date: date
    new_users: int


class DayOut(msgspec.Struct, frozen=True):
    date: date
    visitors: int
    active_users: int
    sign_ups: int
    posts: int
    comments: int
    messages: int
    matches: int


class DashboardOut(msgspec.Struct, frozen=True):
    today: DayOut
    open_reports: int
    last_14_days: list[DayOut]


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
    )


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
        """Unique visitors and signed-in users per UTC day, from the daily rollup (days it
        has not written are absent). Defaults: the 30 days ending today; at most 366 days."""
        rows = await uc.execute(
            ReadDailyStatsCommand(actor=actor, start=parse_day(start), end=parse_day(end))
        )
        return [DailyUsersOut(r.day, r.visitors, r.active_users) for r in rows]

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
        rows = await uc.execute(
            ReadDailyStatsCommand(actor=actor, start=parse_day(start), end=parse_day(end))
        )
        return [UserGrowthOut(r.day, r.new_users) for r in rows]


class AdminDashboardController(Controller):
    path = "/admin/dashboard"
    tags = ["analytics"]

    @get("/")
    @inject
    async def dashboard(self, actor: Actor, uc: FromDishka[GetDashboard]) -> DashboardOut:
        """Staff only: today's figures so far (visitors live from the counter, the rest
        counted now), the reports open now, and the last 14 days the rollup stored, oldest
        first."""
        board = await uc.execute(GetDashboardCommand(actor=actor))
        return DashboardOut(
            today=_day(board.today),
            open_reports=board.open_reports,
            last_14_days=[_day(r) for r in board.history],
        )
