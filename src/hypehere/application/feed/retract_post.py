"""A deleted post leaves its author's followers' home timelines (run by the outbox). Reads
skip deleted posts anyway; this gives their slots back."""

from __future__ import annotations

import msgspec

from hypehere.application.feed.home_timeline import HomeTimelineConfig
from hypehere.application.feed.ports import HomeTimelines, HomeTimelineSource


class RetractPostCommand(msgspec.Struct, frozen=True):
    post_id: str
    author_id: str


class RetractPost:
    def __init__(
        self, timelines: HomeTimelines, source: HomeTimelineSource, config: HomeTimelineConfig
    ) -> None:
        self._timelines = timelines
        self._source = source
        self._config = config

    async def execute(self, cmd: RetractPostCommand) -> None:
        if not self._config.enabled:
            return
        await self._timelines.remove(cmd.post_id, await self._source.followers(cmd.author_id))
