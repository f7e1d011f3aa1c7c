"""retention-cleanup (daily): delete delivered outbox events and their handled marks,
old feed impressions and old read notifications, in batches."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dishka import AsyncContainer

from hypehere.application.common.retention import (
    PruneExpiredRecords,
    PruneExpiredRecordsCommand,
)


async def run(container: AsyncContainer, payload: Mapping[str, Any]) -> None:
    async with container() as request:
        use_case = await request.get(PruneExpiredRecords)
        await use_case.execute(PruneExpiredRecordsCommand())
