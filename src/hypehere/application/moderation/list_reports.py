"""Staff: the reports in one status. Open ones come in queue order (`rules.py`), decided
ones latest decision first."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.choices import parse_choice
from hypehere.application.moderation.report_ports import ReportRepository
from hypehere.application.moderation.report_queue import parse_report_cursor
from hypehere.application.moderation.report_views import ReportPageView, ReportView
from hypehere.domain.moderation.model import ReportStatus
from hypehere.domain.shared.pagination import PageRequest


class ListReportsCommand(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    status: str = ReportStatus.PENDING.value
    limit: int | None = None
    cursor: str | None = None


class ListReports:
    def __init__(self, uow: UnitOfWork, reports: ReportRepository) -> None:
        self._uow = uow
        self._reports = reports

    async def execute(self, cmd: ListReportsCommand) -> ReportPageView:
        require_staff(cmd.actor)
        status = parse_choice(ReportStatus, cmd.status, "status")
        page = PageRequest.of(cmd.limit, cmd.cursor)
        parse_report_cursor(status, page.cursor)  # a garbled cursor: 400 before any I/O
        async with self._uow:
            result = await self._reports.list_by_status(status, page)
        return ReportPageView(
            items=[ReportView.of(r) for r in result.items], next_cursor=result.next_cursor
        )
