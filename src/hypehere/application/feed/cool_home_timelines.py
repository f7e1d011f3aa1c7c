"""Drop the home timeline whose content a follow-graph change made incomplete (run by the
outbox): the follower's, after a follow or an unfollow. (An author crossing the celebrity
threshold either way is handled where their next post is fanned out: `fan_out_post.py`.)"""

from __future__ import annotations

import msgspec

from hypehere.application.feed.home_timeline import HomeTimelineConfig
from hypehere.application.feed.ports import HomeTimelines


class CoolHomeTimelinesCommand(msgspec.Struct, frozen=True):
    follower_id: str


class CoolHomeTimelines:
    def __init__(self, timelines: HomeTimelines, config: HomeTimelineConfig) -> None:
        self._timelines = timelines
        self._config = config

    async def execute(self, cmd: CoolHomeTimelinesCommand) -> None:
        if not self._config.enabled:
            return
        await self._timelines.mark_cold([cmd.follower_id])
