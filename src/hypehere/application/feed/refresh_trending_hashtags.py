"""The `trending` job: score tags used in >= 3 posts in the last 24 h, store the top 10 and
cache it."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.cache import Cache
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.feed.ports import TrendingStore
from hypehere.application.feed.trending import cache_trending
from hypehere.application.feed.views import TrendingHashtagView
from hypehere.domain.feed.rules import TRENDING_WINDOW, rank_trending
from hypehere.domain.shared.clock import Clock

logger = structlog.get_logger(__name__)


class RefreshTrendingHashtagsCommand(msgspec.Struct, frozen=True):
    pass


class RefreshTrendingHashtagsResult(msgspec.Struct, frozen=True):
    hashtags: list[TrendingHashtagView]


class RefreshTrendingHashtags:
    def __init__(self, uow: UnitOfWork, store: TrendingStore, cache: Cache, clock: Clock) -> None:
        self._uow = uow
        self._store = store
        self._cache = cache
        self._clock = clock

    async def execute(self, cmd: RefreshTrendingHashtagsCommand) -> RefreshTrendingHashtagsResult:
        now = self._clock.now()
        async with self._uow:
            usage = await self._store.hashtag_usage(now - TRENDING_WINDOW)
            top = rank_trending(usage, now)
            await self._store.replace(top, now)
        views = [TrendingHashtagView(t.tag, t.post_count, t.score) for t in top]
        await cache_trending(self._cache, views)
        logger.info("trending_refreshed", tags=len(views), candidates=len(usage))
        return RefreshTrendingHashtagsResult(views)
