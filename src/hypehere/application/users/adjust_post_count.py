"""Change an author's denormalized `post_count` (run on `feed.post_created` and
`feed.post_deleted`: `users/handlers.py`)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.users.ports import UserCounters


class AdjustPostCountCommand(msgspec.Struct, frozen=True):
    author_id: str
    delta: int


class AdjustPostCount:
    def __init__(self, uow: UnitOfWork, counters: UserCounters) -> None:
        self._uow = uow
        self._counters = counters

    async def execute(self, cmd: AdjustPostCountCommand) -> None:
        async with self._uow:
            await self._counters.adjust_post_count(cmd.author_id, cmd.delta)
