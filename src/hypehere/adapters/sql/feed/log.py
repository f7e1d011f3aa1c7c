"""Impressions and engagements (ranker training data, the "seen" window, affinity)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.feed.common import engagements, impressions
from hypehere.application.feed.ports import Engagement, Impression
from hypehere.domain.shared.ids import new_id


class SqlFeedLog:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record_impressions(self, items: Sequence[Impression]) -> None:
        if not items:
            return
        async with translate_errors():
            await self._session.execute(
                insert(impressions),
                [
                    {
                        "id": new_id(),
                        "user_id": i.user_id,
                        "post_id": i.post_id,
                        "author_id": i.author_id,
                        "feed_session_id": i.feed_session_id,
                        "position": i.position,
                        "score": i.score,
                        "ranker": i.ranker[:64],
                        "signals": i.signals,
                        "shown_at": i.shown_at,
                    }
                    for i in items
                ],
            )

    async def record_engagement(self, engagement: Engagement) -> None:
        async with translate_errors():
            await self._session.execute(
                insert(engagements).values(
                    id=new_id(),
                    user_id=engagement.user_id,
                    post_id=engagement.post_id,
                    author_id=engagement.author_id,
                    kind=engagement.kind,
                    occurred_at=engagement.occurred_at,
                )
            )
