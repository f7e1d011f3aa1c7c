"""Log one product event in the activity log (from the outbox: `handlers.py`)."""

from __future__ import annotations

import msgspec

from hypehere.application.analytics.ports import ActivityLog
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.analytics.activity import ActivityEvent


class RecordActivityCommand(msgspec.Struct, frozen=True):
    event: ActivityEvent


class RecordActivity:
    def __init__(self, uow: UnitOfWork, log: ActivityLog) -> None:
        self._uow = uow
        self._log = log

    async def execute(self, cmd: RecordActivityCommand) -> None:
        async with self._uow:
            await self._log.record(cmd.event)
