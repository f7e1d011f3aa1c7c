"""trending (every 5 minutes): recompute the top 10 hashtags of the last 24 hours."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dishka import AsyncContainer

from hypehere.application.feed.refresh_trending_hashtags import (
    RefreshTrendingHashtags,
    RefreshTrendingHashtagsCommand,
)


async def run(container: AsyncContainer, payload: Mapping[str, Any]) -> None:
    async with container() as request:
        use_case = await request.get(RefreshTrendingHashtags)
        await use_case.execute(RefreshTrendingHashtagsCommand())
