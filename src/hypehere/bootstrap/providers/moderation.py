"""The moderation module: account actions (suspend, ban, ..., role changes), suspension
expiry, report counting (those ports are implemented by the users module's SQL adapters as
they are: the data is the users' account state), and the report workflow (its own SQL
storage; targets and content removal through the owner modules' use cases, in
`adapters/modules/`)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from anthropic import AsyncAnthropic
from dishka import AnyOf, Provider, Scope, provide, provide_all
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.moderation.claude import ClaudeClassifier
from hypehere.adapters.moderation.rules import RulesClassifier
from hypehere.adapters.modules.matching_first_message import ClassifierFirstMessageCheck
from hypehere.adapters.modules.moderation_accounts import (
    ModuleContentRestoration,
    UsersAccountCredentials,
)
from hypehere.adapters.modules.moderation_targets import (
    ModuleContentRemoval,
    ModuleHeldContent,
    ModuleReportTargets,
)
from hypehere.adapters.sql.moderation.audit import SqlAuditLog
from hypehere.adapters.sql.moderation.repositories import SqlReportRepository
from hypehere.adapters.sql.moderation.scanned import SqlScannedItems
from hypehere.adapters.sql.moderation.specs import SqlSpecRepository
from hypehere.adapters.sql.moderation.strikes import SqlStrikeRepository
from hypehere.adapters.sql.users.repositories import (
    SqlRefreshTokenRepository,
    SqlUserCounters,
    SqlUserRepository,
)
from hypehere.application.matching.ports import FirstMessageCheck
from hypehere.application.moderation.account_action import AccountAction
from hypehere.application.moderation.appeal_strike import AppealStrike
from hypehere.application.moderation.audit_ports import AuditLog
from hypehere.application.moderation.audited_account_action import AuditedAccountAction
from hypehere.application.moderation.ban_user import BanUser
from hypehere.application.moderation.check_held_content import CheckHeldContent
from hypehere.application.moderation.classifier_ports import ContentClassifier
from hypehere.application.moderation.count_resolved_report import CountResolvedReport
from hypehere.application.moderation.create_spec import CreateSpec
from hypehere.application.moderation.decide_appeal import DecideAppeal
from hypehere.application.moderation.decide_scanned_item import DecideScannedItem
from hypehere.application.moderation.dismiss_report import DismissReport
from hypehere.application.moderation.file_report import FileReport
from hypehere.application.moderation.get_report_counts import GetReportCounts
from hypehere.application.moderation.lift_suspensions import LiftSuspensions
from hypehere.application.moderation.list_appeals import ListAppeals
from hypehere.application.moderation.list_audit_log import ListAuditLog
from hypehere.application.moderation.list_moderation_queue import ListModerationQueue
from hypehere.application.moderation.list_my_strikes import ListMyStrikes
from hypehere.application.moderation.list_reports import ListReports
from hypehere.application.moderation.list_specs import ListSpecs
from hypehere.application.moderation.ports import (
    AccountSessions,
    ModeratedAccounts,
    ReportCounters,
)
from hypehere.application.moderation.recheck_held_content import RecheckHeldContent
from hypehere.application.moderation.remove_content import RemoveContent
from hypehere.application.moderation.reopen_report import ReopenReport
from hypehere.application.moderation.report_ports import (
    ContentRemoval,
    ReportRepository,
    ReportTargets,
)
from hypehere.application.moderation.resolve_report import ResolveReport
from hypehere.application.moderation.review_report import ReviewReport
from hypehere.application.moderation.scan_content import ScanContent
from hypehere.application.moderation.scan_ports import HeldContent, ScannedItems
from hypehere.application.moderation.set_user_role import SetUserRole
from hypehere.application.moderation.spec_ports import SpecRepository
from hypehere.application.moderation.strike_ports import (
    AccountCredentials,
    ContentRestoration,
    StrikeRepository,
)
from hypehere.application.moderation.strikes_with_credentials import (
    AppealWithCredentials,
    ListStrikesWithCredentials,
)
from hypehere.application.moderation.suspend_user import SuspendUser
from hypehere.application.moderation.unban_user import UnbanUser
from hypehere.application.moderation.uncount_dismissed_report import UncountDismissedReport
from hypehere.application.moderation.unsuspend_user import UnsuspendUser
from hypehere.application.moderation.update_spec import UpdateSpec
from hypehere.bootstrap.settings import Settings


class ModerationProvider(Provider):
    @provide(scope=Scope.APP)
    def first_message_check(
        self, classifier: ContentClassifier, settings: Settings
    ) -> FirstMessageCheck:
        """Matching's check of an anonymous chat's first messages: this classifier."""
        return ClassifierFirstMessageCheck(
            classifier, settings.moderation_anonymous_check_timeout_seconds
        )

    @provide(scope=Scope.APP)
    async def classifier(self, settings: Settings) -> AsyncIterator[ContentClassifier]:
        """Claude when `HYPEHERE_ANTHROPIC_API_KEY` is set, else the local rules."""
        if not settings.anthropic_api_key:
            yield RulesClassifier()
            return
        client = AsyncAnthropic(
            api_key=settings.anthropic_api_key.get_secret_value(), max_retries=0
        )
        try:
            yield ClaudeClassifier(
                client,
                settings.anthropic_model,
                timeout=settings.anthropic_timeout_seconds,
            )
        finally:
            await client.close()

    @provide(scope=Scope.REQUEST)
    def accounts(self, session: AsyncSession) -> ModeratedAccounts:
        return SqlUserRepository(session)

    @provide(scope=Scope.REQUEST)
    def sessions(self, session: AsyncSession) -> AccountSessions:
        return SqlRefreshTokenRepository(session)

    @provide(scope=Scope.REQUEST)
    def reports(self, session: AsyncSession) -> ReportCounters:
        return SqlUserCounters(session)

    @provide(scope=Scope.REQUEST)
    def report_repository(self, session: AsyncSession) -> ReportRepository:
        return SqlReportRepository(session)

    @provide(scope=Scope.REQUEST)
    def audit_log(self, session: AsyncSession) -> AuditLog:
        return SqlAuditLog(session)

    # every account action is audited in its own transaction
    account_action = provide(
        AuditedAccountAction,
        provides=AnyOf[AuditedAccountAction, AccountAction],
        scope=Scope.REQUEST,
    )

    @provide(scope=Scope.REQUEST)
    def spec_repository(self, session: AsyncSession) -> SpecRepository:
        return SqlSpecRepository(session)

    @provide(scope=Scope.REQUEST)
    def scanned_items(self, session: AsyncSession) -> ScannedItems:
        return SqlScannedItems(session)

    @provide(scope=Scope.REQUEST)
    def strike_repository(self, session: AsyncSession) -> StrikeRepository:
        return SqlStrikeRepository(session)

    credentials = provide(UsersAccountCredentials, provides=AccountCredentials, scope=Scope.REQUEST)
    restoration = provide(
        ModuleContentRestoration, provides=ContentRestoration, scope=Scope.REQUEST
    )
    targets = provide(ModuleReportTargets, provides=ReportTargets, scope=Scope.REQUEST)
    removal = provide(ModuleContentRemoval, provides=ContentRemoval, scope=Scope.REQUEST)
    held = provide(ModuleHeldContent, provides=HeldContent, scope=Scope.REQUEST)

    use_cases = provide_all(
        SuspendUser,
        UnsuspendUser,
        BanUser,
        UnbanUser,
        SetUserRole,
        LiftSuspensions,
        CountResolvedReport,
        UncountDismissedReport,
        GetReportCounts,
        FileReport,
        ListReports,
        ReviewReport,
        ResolveReport,
        DismissReport,
        ReopenReport,
        ListAuditLog,
        RemoveContent,
        ListMyStrikes,
        AppealStrike,
        ListStrikesWithCredentials,
        AppealWithCredentials,
        ListAppeals,
        DecideAppeal,
        ScanContent,
        CheckHeldContent,
        RecheckHeldContent,
        ListModerationQueue,
        DecideScannedItem,
        CreateSpec,
        UpdateSpec,
        ListSpecs,
        scope=Scope.REQUEST,
    )
