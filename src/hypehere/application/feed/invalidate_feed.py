"""Drop cached ranked feeds when the social graph changes (run by the outbox: `handlers.py`)."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.feed.snapshots import FeedSnapshots

logger = structlog.get_logger(__name__)


class InvalidateFeedCommand(msgspec.Struct, frozen=True):
    user_ids: list[str]


class InvalidateFeed:
    def __init__(self, snapshots: FeedSnapshots) -> None:
        self._snapshots = snapshots

    async def execute(self, cmd: InvalidateFeedCommand) -> None:
        await self._snapshots.invalidate(*cmd.user_ids)
        logger.info("feed_invalidated", users=len(cmd.user_ids))
