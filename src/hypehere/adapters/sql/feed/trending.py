"""Hashtag usage in the trending window and the stored top list."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.feed.common import post_hashtags, posts, trending
from hypehere.adapters.sql.feed.queries import post_visible_to
from hypehere.domain.feed.rules import HashtagUsage, TrendingHashtag
from hypehere.domain.shared.clock import ensure_utc


class SqlTrendingStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def hashtag_usage(self, since: datetime) -> list[HashtagUsage]:
        stmt = (
            select(
                post_hashtags.c.tag,
                func.count().label("n"),
                func.min(post_hashtags.c.created_at).label("first"),
            )
            .select_from(post_hashtags.join(posts, posts.c.id == post_hashtags.c.post_id))
            .where(
                post_hashtags.c.created_at >= since,
                posts.c.removed_at.is_(None),
                post_visible_to(None, posts),
            )
            .group_by(post_hashtags.c.tag)
        )
        async with translate_errors():
            rows = await self._session.execute(stmt)
        out = []
        for r in rows:
            first = r.first
            if isinstance(first, str):  # SQLite returns MIN() of a datetime as text
                first = datetime.fromisoformat(first)
            out.append(HashtagUsage(r.tag, int(r.n), ensure_utc(first)))
        return out

    async def replace(self, top: Sequence[TrendingHashtag], computed_at: datetime) -> None:
        async with translate_errors():
            await self._session.execute(delete(trending))
            if top:
                await self._session.execute(
                    insert(trending),
                    [
                        {
                            "tag": t.tag,
                            "rank": i,
                            "post_count": t.post_count,
                            "score": t.score,
                            "computed_at": computed_at,
                        }
                        for i, t in enumerate(top)
                    ],
                )

    async def current(self) -> list[TrendingHashtag]:
        async with translate_errors():
            rows = await self._session.execute(select(trending).order_by(trending.c.rank))
        return [TrendingHashtag(r.tag, int(r.post_count), float(r.score)) for r in rows]
