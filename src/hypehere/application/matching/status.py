"""A waiting user's place in line and wait estimate, shared by the queue use cases."""

from __future__ import annotations

import msgspec

from hypehere.application.matching.ports import MatchingQueue
from hypehere.domain.matching.model import QueueEntry
from hypehere.domain.matching.waiting import estimate_wait_seconds, language_pair, queue_position


class QueueStatus(msgspec.Struct, frozen=True):
    position: int
    estimated_wait_seconds: int


async def status_of(queue: MatchingQueue, entry: QueueEntry) -> QueueStatus:
    position = queue_position(entry, await queue.snapshot())
    waits = await queue.recent_waits(language_pair(entry))
    return QueueStatus(
        position=position, estimated_wait_seconds=estimate_wait_seconds(waits, position)
    )
