"""matching-expiry: drop the entries that waited longer than the queue allows (their owners
get `expired` on `/ws/matching`), and the entries whose socket has been gone past the grace
period in any process (`disconnects.py`; they have no socket to tell)."""

from __future__ import annotations

from datetime import timedelta

import msgspec

from hypehere.application.common.presence import Presence
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.application.common.topics import matching_user_topic
from hypehere.application.matching.disconnects import drop_disconnected
from hypehere.application.matching.frames import ExpiredFrame
from hypehere.application.matching.ports import MatchingLimits, MatchingQueue
from hypehere.domain.shared.clock import Clock


class ExpireQueueCommand(msgspec.Struct, frozen=True):
    pass


class ExpireQueueResult(msgspec.Struct, frozen=True):
    expired: int
    disconnected: int = 0


class ExpireQueue:
    def __init__(
        self,
        queue: MatchingQueue,
        publisher: RealtimePublisher,
        clock: Clock,
        limits: MatchingLimits,
        presence: Presence,
    ) -> None:
        self._presence = presence
        self._queue = queue
        self._limits = limits
        self._publisher = publisher
        self._clock = clock

    async def execute(self, cmd: ExpireQueueCommand) -> ExpireQueueResult:
        now = self._clock.now()
        gone = await drop_disconnected(
            self._queue, self._presence, now, self._limits.socket_grace_seconds
        )
        cutoff = now - timedelta(minutes=self._limits.max_wait_minutes)
        dropped = await self._queue.expire(cutoff)
        for entry in dropped:
            await self._publisher.publish(matching_user_topic(entry.user_id), ExpiredFrame())
        return ExpireQueueResult(expired=len(dropped), disconnected=len(gone))
