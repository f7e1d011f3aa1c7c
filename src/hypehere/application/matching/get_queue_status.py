"""My place in line and the estimated wait (404 when I am not queued)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.matching.ports import MatchingQueue
from hypehere.application.matching.status import QueueStatus, status_of
from hypehere.domain.matching.errors import NotQueuedError


class GetQueueStatusCommand(msgspec.Struct, frozen=True):
    actor: Actor


class GetQueueStatus:
    def __init__(self, queue: MatchingQueue) -> None:
        self._queue = queue

    async def execute(self, cmd: GetQueueStatusCommand) -> QueueStatus:
        entry = await self._queue.get(cmd.actor.user_id)
        if entry is None:
            raise NotQueuedError("You are not waiting for a partner.")
        return await status_of(self._queue, entry)
