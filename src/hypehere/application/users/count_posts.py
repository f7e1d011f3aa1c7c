"""Outbox handlers keeping `post_count` in step with the feed: +1 on `feed.post_created`,
-1 on `feed.post_deleted` (a post removed by moderation stays as a placeholder, counted)."""

from __future__ import annotations

from hypehere.application.common.outbox import OutboxMessage
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.users.ports import UserCounters


class _PostCountHandler:
    delta = 0

    def __init__(self, uow: UnitOfWork, counters: UserCounters) -> None:
        self._uow = uow
        self._counters = counters

    async def handle(self, message: OutboxMessage) -> None:
        author_id = message.payload.get("author_id")
        if not isinstance(author_id, str):
            return
        async with self._uow:
            await self._counters.adjust_post_count(author_id, self.delta)


class CountCreatedPost(_PostCountHandler):
    delta = 1


class CountDeletedPost(_PostCountHandler):
    delta = -1
