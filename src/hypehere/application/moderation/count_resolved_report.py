"""A report against the user was resolved -> count it once (report_count +1, and it stays
active for 30 days). Idempotent per report."""

from __future__ import annotations

import msgspec

from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.ports import ModeratedAccounts, ReportCounters
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.errors import UserNotFoundError


class CountResolvedReportCommand(msgspec.Struct, frozen=True):
    user_id: str
    report_id: str


class CountResolvedReport:
    def __init__(
        self,
        uow: UnitOfWork,
        accounts: ModeratedAccounts,
        reports: ReportCounters,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._accounts = accounts
        self._reports = reports
        self._clock = clock

    async def execute(self, cmd: CountResolvedReportCommand) -> bool:
        """True when the report was newly counted."""
        async with self._uow:
            if await self._accounts.get(cmd.user_id) is None:
                raise UserNotFoundError("The user was not found")
            return await self._reports.mark_report(cmd.user_id, cmd.report_id, self._clock.now())
