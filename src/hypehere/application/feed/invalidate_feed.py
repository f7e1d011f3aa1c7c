"""Drop cached ranked feeds when the social graph changes (outbox handler + use case)."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.outbox import OutboxMessage
from hypehere.application.feed.snapshots import FeedSnapshots

logger = structlog.get_logger(__name__)

# topic -> payload fields naming the users whose feeds change
INVALIDATING_TOPICS: dict[str, tuple[str, ...]] = {
    "users.followed": ("follower_id",),
    "users.unfollowed": ("follower_id",),
    "users.blocked": ("blocker_id", "blocked_id"),
    "users.unblocked": ("blocker_id", "blocked_id"),
}


class InvalidateFeedCommand(msgspec.Struct, frozen=True):
    user_ids: list[str]


class InvalidateFeed:
    def __init__(self, snapshots: FeedSnapshots) -> None:
        self._snapshots = snapshots

    async def execute(self, cmd: InvalidateFeedCommand) -> None:
        await self._snapshots.invalidate(*cmd.user_ids)
        logger.info("feed_invalidated", users=len(cmd.user_ids))


class FeedInvalidationHandler:
    """Outbox handler for `users.followed|unfollowed|blocked|unblocked`."""

    def __init__(self, invalidate: InvalidateFeed) -> None:
        self._invalidate = invalidate

    async def handle(self, message: OutboxMessage) -> None:
        fields = INVALIDATING_TOPICS.get(message.topic, ())
        users = [str(message.payload[f]) for f in fields if message.payload.get(f)]
        if users:
            await self._invalidate.execute(InvalidateFeedCommand(users))
