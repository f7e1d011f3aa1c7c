"""The feed's read-only view of users (handles, states, blocks), through the users module's
published queries."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.feed.common import blocks, posts, users
from hypehere.adapters.sql.feed.common import comments as comments_table
from hypehere.adapters.sql.users.queries import HIDDEN_STATES, author_visible
from hypehere.application.feed.ports import AuthorHistory
from hypehere.domain.shared.clock import ensure_utc


class SqlFeedAudience:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def resolve_handles(self, handles: Sequence[str]) -> dict[str, str]:
        if not handles:
            return {}
        async with translate_errors():
            rows = await self._session.execute(
                select(users.c.handle, users.c.id).where(
                    users.c.handle.in_(list(handles)), users.c.state.not_in(HIDDEN_STATES)
                )
            )
        return {r.handle: r.id for r in rows}

    async def is_blocking(self, viewer_id: str, user_id: str) -> bool:
        async with translate_errors():
            found = await self._session.scalar(
                select(blocks.c.blocked_id)
                .select_from(blocks.join(users, users.c.id == blocks.c.blocked_id))
                .where(
                    blocks.c.blocker_id == viewer_id,
                    blocks.c.blocked_id == user_id,
                    users.c.state.not_in(HIDDEN_STATES),
                )
            )
        return found is not None

    async def author_history(
        self, author_id: str, at_most: int, *, comments: bool = False
    ) -> AuthorHistory:
        table = comments_table if comments else posts
        some = select(table.c.id).where(table.c.author_id == author_id).limit(at_most).subquery()
        async with translate_errors():
            joined_at = await self._session.scalar(
                select(users.c.created_at).where(users.c.id == author_id)
            )
            written = await self._session.scalar(select(func.count()).select_from(some))
        return AuthorHistory(ensure_utc(joined_at) if joined_at else None, int(written or 0))

    async def can_see(self, viewer_id: str | None, author_id: str) -> bool:
        async with translate_errors():
            found = await self._session.scalar(
                select(users.c.id).where(
                    users.c.id == author_id,
                    author_visible(viewer_id, users.c.id, users.c.state),
                )
            )
        return found is not None
