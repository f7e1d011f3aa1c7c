"""Trending hashtags: the `trending` job computes the top 10, readers get it from cache."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.cache import Cache
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.feed.ports import TrendingStore
from hypehere.application.feed.views import TrendingHashtagView
from hypehere.domain.feed.rules import TRENDING_WINDOW, rank_trending
from hypehere.domain.shared.clock import Clock

logger = structlog.get_logger(__name__)

TRENDING_CACHE_KEY = "feed:trending:v1"
TRENDING_CACHE_TTL_SECONDS = 15 * 60
_views = msgspec.json.Decoder(list[TrendingHashtagView])


class RefreshTrendingResult(msgspec.Struct, frozen=True):
    hashtags: list[TrendingHashtagView]


class RefreshTrendingHashtags:
    """Score tags used in >= 3 posts in the last 24 h; store the top 10 and cache it."""

    def __init__(self, uow: UnitOfWork, store: TrendingStore, cache: Cache, clock: Clock) -> None:
        self._uow = uow
        self._store = store
        self._cache = cache
        self._clock = clock

    async def execute(self) -> RefreshTrendingResult:
        now = self._clock.now()
        async with self._uow:
            usage = await self._store.hashtag_usage(now - TRENDING_WINDOW)
            top = rank_trending(usage, now)
            await self._store.replace(top, now)
        views = [TrendingHashtagView(t.tag, t.post_count, t.score) for t in top]
        await self._cache.set(
            TRENDING_CACHE_KEY, msgspec.json.encode(views), TRENDING_CACHE_TTL_SECONDS
        )
        logger.info("trending_refreshed", tags=len(views), candidates=len(usage))
        return RefreshTrendingResult(views)


class GetTrendingHashtags:
    def __init__(self, store: TrendingStore, cache: Cache) -> None:
        self._store = store
        self._cache = cache

    async def execute(self) -> list[TrendingHashtagView]:
        cached = await self._cache.get(TRENDING_CACHE_KEY)
        if cached is not None:
            return _views.decode(cached)
        views = [
            TrendingHashtagView(t.tag, t.post_count, t.score) for t in await self._store.current()
        ]
        await self._cache.set(
            TRENDING_CACHE_KEY, msgspec.json.encode(views), TRENDING_CACHE_TTL_SECONDS
        )
        return views
