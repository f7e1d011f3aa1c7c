"""Job `lift-suspensions`: end every suspension whose time has passed, in batches (one
transaction per batch)."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.outbox import OutboxWriter, stage_events
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.ports import ModeratedAccounts
from hypehere.domain.shared.clock import Clock

logger = structlog.get_logger(__name__)

BATCH = 200


class LiftSuspensionsCommand(msgspec.Struct, frozen=True, kw_only=True):
    batch_size: int = BATCH


class LiftSuspensionsResult(msgspec.Struct, frozen=True):
    lifted: int


class LiftSuspensions:
    def __init__(
        self, uow: UnitOfWork, accounts: ModeratedAccounts, outbox: OutboxWriter, clock: Clock
    ) -> None:
        self._uow = uow
        self._accounts = accounts
        self._outbox = outbox
        self._clock = clock

    async def execute(self, cmd: LiftSuspensionsCommand) -> LiftSuspensionsResult:
        lifted = 0
        while True:
            now = self._clock.now()
            async with self._uow:
                ids = await self._accounts.suspended_until_before(now, cmd.batch_size)
                for user_id in ids:
                    user = await self._accounts.get(user_id)
                    if user is not None and user.lift_expired_suspension(now):
                        await self._accounts.save(user)
                        await stage_events(self._outbox, user.events)
                        lifted += 1
            if len(ids) < cmd.batch_size:
                break
        logger.info("suspensions_lifted", count=lifted)
        return LiftSuspensionsResult(lifted=lifted)
