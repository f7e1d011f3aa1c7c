"""Today's trending hashtags: from the cache, else from the store (and cached again)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.cache import Cache
from hypehere.application.feed.ports import TrendingStore
from hypehere.application.feed.trending import cache_trending, cached_trending
from hypehere.application.feed.views import TrendingHashtagView


class GetTrendingHashtagsQuery(msgspec.Struct, frozen=True):
    pass


class GetTrendingHashtags:
    def __init__(self, store: TrendingStore, cache: Cache) -> None:
        self._store = store
        self._cache = cache

    async def execute(self, query: GetTrendingHashtagsQuery) -> list[TrendingHashtagView]:
        cached = await cached_trending(self._cache)
        if cached is not None:
            return cached
        views = [
            TrendingHashtagView(t.tag, t.post_count, t.score) for t in await self._store.current()
        ]
        await cache_trending(self._cache, views)
        return views
