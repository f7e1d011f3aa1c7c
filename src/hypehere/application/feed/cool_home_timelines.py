"""Drop home timelines whose content a follow-graph change made incomplete (run by the
outbox): the follower's after a follow or an unfollow, and every follower's when an
unfollow brings an author back under the celebrity threshold (their posts made while
above it were merged at read time, never fanned out)."""

from __future__ import annotations

import msgspec

from hypehere.application.feed.home_timeline import HomeTimelineConfig
from hypehere.application.feed.ports import HomeTimelines, HomeTimelineSource


class CoolHomeTimelinesCommand(msgspec.Struct, frozen=True):
    follower_id: str
    followee_id: str
    unfollowed: bool = False


class CoolHomeTimelines:
    def __init__(
        self, timelines: HomeTimelines, source: HomeTimelineSource, config: HomeTimelineConfig
    ) -> None:
        self._timelines = timelines
        self._source = source
        self._config = config

    async def execute(self, cmd: CoolHomeTimelinesCommand) -> None:
        if not self._config.enabled:
            return
        await self._timelines.mark_cold([cmd.follower_id])
        if not cmd.unfollowed:
            return
        threshold = self._config.celebrity_followers
        # A window, not equality: several unfollows may commit before the first is handled.
        window = max(1, threshold // 100)
        if threshold - window < await self._source.follower_count(cmd.followee_id) <= threshold:
            await self._timelines.mark_cold(await self._source.followers(cmd.followee_id))
