"""matching-expiry (every minute): drop queue entries older than
HYPEHERE_MATCHING_MAX_WAIT_MINUTES; their owners get `expired` on `/ws/matching`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dishka import AsyncContainer

from hypehere.application.matching.expire_queue import ExpireQueue, ExpireQueueCommand


async def run(container: AsyncContainer, payload: Mapping[str, Any]) -> None:
    async with container() as request:
        use_case = await request.get(ExpireQueue)
        await use_case.execute(ExpireQueueCommand())
