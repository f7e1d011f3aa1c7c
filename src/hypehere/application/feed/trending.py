"""Trending hashtags in the cache: the `trending` job stores the top 10 there
(`RefreshTrendingHashtags`), readers get it from there (`GetTrendingHashtags`)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.cache import Cache
from hypehere.application.feed.views import TrendingHashtagView

TRENDING_CACHE_KEY = "feed:trending:v1"
TRENDING_CACHE_TTL_SECONDS = 15 * 60
_views = msgspec.json.Decoder(list[TrendingHashtagView])


async def cached_trending(cache: Cache) -> list[TrendingHashtagView] | None:
    cached = await cache.get(TRENDING_CACHE_KEY)
    return None if cached is None else _views.decode(cached)


async def cache_trending(cache: Cache, views: list[TrendingHashtagView]) -> None:
    await cache.set(TRENDING_CACHE_KEY, msgspec.json.encode(views), TRENDING_CACHE_TTL_SECONDS)
