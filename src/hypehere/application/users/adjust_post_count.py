"""Keep `post_count` in step with the feed: +1 on `feed.post_created`, -1 on
`feed.post_deleted` (a post removed by moderation stays as a placeholder, counted)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.outbox import OutboxMessage
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.users.ports import UserCounters

POST_COUNT_DELTAS: dict[str, int] = {"feed.post_created": 1, "feed.post_deleted": -1}
"""The outbox topics this use case subscribes to, and what each does to the count."""


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

    async def handle(self, message: OutboxMessage) -> None:
        """Outbox entry (`POST_COUNT_DELTAS` topics): the event -> the command."""
        author_id = message.payload.get("author_id")
        if not isinstance(author_id, str):
            return
        await self.execute(
            AdjustPostCountCommand(author_id=author_id, delta=POST_COUNT_DELTAS[message.topic])
        )
