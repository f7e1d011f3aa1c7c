"""+1 to a corrector's `corrections_accepted` when an author accepts their correction (run
on `learning.correction_accepted`: `users/handlers.py`)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.users.ports import UserCounters


class CountAcceptedCorrectionCommand(msgspec.Struct, frozen=True):
    corrector_id: str


class CountAcceptedCorrection:
    def __init__(self, uow: UnitOfWork, counters: UserCounters) -> None:
        self._uow = uow
        self._counters = counters

    async def execute(self, cmd: CountAcceptedCorrectionCommand) -> None:
        async with self._uow:
            await self._counters.adjust_corrections_accepted(cmd.corrector_id, 1)
