"""The moderation module: account actions (suspend, ban, ..., role changes), suspension
expiry, report counting. Its ports are implemented by the users module's SQL adapters as
they are: the data is the users' account state."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.users.repositories import (
    SqlRefreshTokenRepository,
    SqlUserCounters,
    SqlUserRepository,
)
from hypehere.application.moderation.account_action import AccountAction
from hypehere.application.moderation.ban_user import BanUser
from hypehere.application.moderation.count_resolved_report import CountResolvedReport
from hypehere.application.moderation.get_report_counts import GetReportCounts
from hypehere.application.moderation.lift_suspensions import LiftSuspensions
from hypehere.application.moderation.ports import (
    AccountSessions,
    ModeratedAccounts,
    ReportCounters,
)
from hypehere.application.moderation.set_user_role import SetUserRole
from hypehere.application.moderation.suspend_user import SuspendUser
from hypehere.application.moderation.unban_user import UnbanUser
from hypehere.application.moderation.uncount_dismissed_report import UncountDismissedReport
from hypehere.application.moderation.unsuspend_user import UnsuspendUser


class ModerationProvider(Provider):
    @provide(scope=Scope.REQUEST)
    def accounts(self, session: AsyncSession) -> ModeratedAccounts:
        return SqlUserRepository(session)

    @provide(scope=Scope.REQUEST)
    def sessions(self, session: AsyncSession) -> AccountSessions:
        return SqlRefreshTokenRepository(session)

    @provide(scope=Scope.REQUEST)
    def reports(self, session: AsyncSession) -> ReportCounters:
        return SqlUserCounters(session)

    use_cases = provide_all(
        AccountAction,
        SuspendUser,
        UnsuspendUser,
        BanUser,
        UnbanUser,
        SetUserRole,
        LiftSuspensions,
        CountResolvedReport,
        UncountDismissedReport,
        GetReportCounts,
        scope=Scope.REQUEST,
    )
