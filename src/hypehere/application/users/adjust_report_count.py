"""For moderation: move a user's `report_count` (+1 when a report against them is resolved,
-1 when an earlier resolved report is dismissed). Never below zero."""

from __future__ import annotations

import msgspec

from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.users.ports import UserCounters


class AdjustReportCountCommand(msgspec.Struct, frozen=True):
    user_id: str
    delta: int


class AdjustReportCount:
    def __init__(self, uow: UnitOfWork, counters: UserCounters) -> None:
        self._uow = uow
        self._counters = counters

    async def execute(self, cmd: AdjustReportCountCommand) -> None:
        async with self._uow:
            await self._counters.adjust_report_count(cmd.user_id, cmd.delta)
