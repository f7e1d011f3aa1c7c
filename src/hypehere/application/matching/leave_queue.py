"""Stop waiting for a partner (nothing happens when I was not queued)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.matching.ports import MatchingQueue


class LeaveQueueCommand(msgspec.Struct, frozen=True):
    actor: Actor


class LeaveQueue:
    def __init__(self, queue: MatchingQueue) -> None:
        self._queue = queue

    async def execute(self, cmd: LeaveQueueCommand) -> None:
        await self._queue.leave(cmd.actor.user_id)
