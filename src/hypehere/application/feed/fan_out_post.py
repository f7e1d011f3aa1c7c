"""A new post goes into its author's followers' home timelines (run by the outbox:
`handlers.py`); a celebrity's posts are merged at read time instead (`home_timeline.py`).

The celebrity mark is set and cleared here, where the choice between the two is made, so
every post the outbox has handled is found by a read: in the timelines, or through the
mark. An author over the threshold is marked before anything else happens. An author back
under it gets their followers' timelines dropped before the mark is cleared: those
timelines never received the posts made while marked, and a rebuild reads them from SQL."""

from __future__ import annotations

import msgspec

from hypehere.application.feed.home_timeline import HomeTimelineConfig
from hypehere.application.feed.ports import HomeTimelines, HomeTimelineSource


class FanOutPostCommand(msgspec.Struct, frozen=True):
    post_id: str


class FanOutPost:
    def __init__(
        self, timelines: HomeTimelines, source: HomeTimelineSource, config: HomeTimelineConfig
    ) -> None:
        self._timelines = timelines
        self._source = source
        self._config = config

    async def execute(self, cmd: FanOutPostCommand) -> None:
        if not self._config.enabled:
            return
        found = await self._source.entry(cmd.post_id)
        if found is None:  # deleted before the outbox got to it
            return
        author_id, entry = found
        targets = await self._source.fan_out_targets(author_id, self._config.celebrity_followers)
        if targets is None:
            await self._timelines.mark_celebrity(author_id)
            return
        if await self._timelines.is_celebrity(author_id):
            await self._timelines.mark_cold(targets)
            await self._timelines.unmark_celebrity(author_id)
        if targets:
            await self._timelines.add(entry, targets)
